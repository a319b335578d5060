package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code DESCRIBE [TABLE] <table> [<column>]}, e.g. {@code DESCRIBE company_data."17"}: the columns
 * of a dataset, access rule or view. Replaces Calcite's SqlDescribeTable for NQL.
 */
public class SqlDescribeDataset extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("DESCRIBE", SqlKind.OTHER);

  private final SqlIdentifier table;
  private final SqlIdentifier column;

  public SqlDescribeDataset(SqlParserPos pos, SqlIdentifier table, SqlIdentifier column) {
    super(pos);
    this.table = table;
    this.column = column;
  }

  /**
   * The table as written, e.g. {@code company_data."17"} (names {@code company_data}, {@code 17}).
   */
  public SqlIdentifier getTable() {
    return table;
  }

  /** The column to describe, or null for the whole table. */
  public SqlIdentifier getColumn() {
    return column;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(table, column);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DESCRIBE");
    table.unparse(writer, 0, 0);
    if (column != null) {
      column.unparse(writer, 0, 0);
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
