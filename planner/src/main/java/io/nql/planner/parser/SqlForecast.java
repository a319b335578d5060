package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code EXPLAIN <query>} without {@code PLAN FOR}: a cost and row forecast that reads no paid
 * data. {@code EXPLAIN PLAN FOR ...} stays Calcite's SqlExplain.
 */
public class SqlForecast extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("EXPLAIN", SqlKind.OTHER);

  private final SqlNode statement;
  private final boolean json;

  public SqlForecast(SqlParserPos pos, SqlNode statement, boolean json) {
    super(pos);
    this.statement = statement;
    this.json = json;
  }

  /** Whether the forecast is asked for as one JSON document ({@code EXPLAIN (FORMAT JSON)}). */
  public boolean json() {
    return json;
  }

  /**
   * The statement to forecast: a query, a {@link SqlBudgetQuery} or a {@link
   * SqlCreateMaterializedView}.
   */
  public SqlNode getQuery() {
    return statement;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(statement);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPLAIN");
    if (json) {
      writer.keyword("(FORMAT JSON)");
    }
    statement.unparse(writer, 0, 0);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
