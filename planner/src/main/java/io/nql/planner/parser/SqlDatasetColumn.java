package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** One column of {@code CREATE DATASET}: {@code <name> <type> [NOT NULL]}. */
public class SqlDatasetColumn extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlSpecialOperator("DATASET COLUMN", SqlKind.COLUMN_DECL);

  private final SqlIdentifier name;
  private final SqlDataTypeSpec type;

  /** Creates a column; the type's nullability says whether NOT NULL was given. */
  public SqlDatasetColumn(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type) {
    super(pos);
    this.name = name;
    this.type = type;
  }

  /** The column name. */
  public SqlIdentifier getName() {
    return name;
  }

  /** The column name as a string. */
  public String getSimpleName() {
    return name.getSimple();
  }

  /** The column type; {@link SqlDataTypeSpec#getNullable()} is false for NOT NULL. */
  public SqlDataTypeSpec getType() {
    return type;
  }

  /** True when {@code NOT NULL} was given. */
  public boolean isNotNull() {
    return Boolean.FALSE.equals(type.getNullable());
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name, type);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    type.unparse(writer, 0, 0);
    if (isNotNull()) {
      writer.keyword("NOT NULL");
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
