package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** A {@code DROP <kind> "<name>"} statement; the operator's name is {@code DROP <kind>}. */
public abstract class SqlDropObject extends SqlDrop {
  private final SqlIdentifier name;

  protected SqlDropObject(SqlOperator operator, SqlParserPos pos, SqlIdentifier name) {
    super(operator, pos, false);
    this.name = name;
  }

  /** The name of the object to drop. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The name of the object to drop, as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(getOperator().getName());
    name.unparse(writer, 0, 0);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
