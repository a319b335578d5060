package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * A non-DDL NQL command made of fixed keywords (the operator's name) and at most one object name,
 * such as {@code SHOW DATASETS} or {@code SUGGEST MAPPINGS FOR company_data.x}.
 */
public abstract class SqlNqlCommand extends SqlCall {
  private final SqlOperator operator;
  private final SqlIdentifier target;

  protected SqlNqlCommand(SqlOperator operator, SqlParserPos pos, SqlIdentifier target) {
    super(pos);
    this.operator = operator;
    this.target = target;
  }

  /** The object the command is about, or null when it has none. */
  protected SqlIdentifier target() {
    return target;
  }

  @Override
  public SqlOperator getOperator() {
    return operator;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return target == null ? List.of() : ImmutableNullableList.of(target);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(operator.getName());
    if (target != null) {
      target.unparse(writer, 0, 0);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
