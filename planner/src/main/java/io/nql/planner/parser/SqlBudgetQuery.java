package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * A query with a budget clause: {@code <query> LIMIT 5 USD}. The query keeps its own row limit, if
 * any ({@code LIMIT 10 ROWS LIMIT 5 USD} gives a query with FETCH 10 and a budget of 5).
 */
public class SqlBudgetQuery extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("BUDGET QUERY", SqlKind.OTHER);

  private final SqlNode query;
  private final SqlBudget budget;

  public SqlBudgetQuery(SqlParserPos pos, SqlNode query, SqlBudget budget) {
    super(pos);
    this.query = query;
    this.budget = budget;
  }

  /** The query (SELECT, set operation, VALUES, WITH or ORDER BY) without the budget clause. */
  public SqlNode getQuery() {
    return query;
  }

  /** The budget clause. */
  public SqlBudget getBudget() {
    return budget;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(query, budget);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    budget.unparse(writer, 0, 0);
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
