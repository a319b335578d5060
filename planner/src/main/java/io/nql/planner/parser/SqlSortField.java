package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * One field of {@code SORTED_BY}: a column and its direction, e.g. {@code id} or {@code ts DESC}.
 */
public class SqlSortField extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("SORT FIELD", SqlKind.OTHER);

  private final SqlIdentifier column;
  private final boolean descending;

  /** Creates a field, ascending unless {@code descending}. */
  public SqlSortField(SqlParserPos pos, SqlIdentifier column, boolean descending) {
    super(pos);
    this.column = column;
    this.descending = descending;
  }

  /** The sort column. */
  public SqlIdentifier getColumn() {
    return column;
  }

  /** The sort column as a string. */
  public String getColumnName() {
    return column.getSimple();
  }

  /** Whether the column sorts in descending order ({@code DESC}). */
  public boolean isDescending() {
    return descending;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(column, SqlLiteral.createBoolean(descending, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    column.unparse(writer, 0, 0);
    if (descending) {
      writer.keyword("DESC");
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
