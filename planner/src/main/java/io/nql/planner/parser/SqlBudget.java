package io.nql.planner.parser;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * A budget clause: {@code LIMIT <amount> USD [PER CALENDAR_DAY | PER CALENDAR_MONTH]}, its synonym
 * {@code BUDGET <amount> USD [...]}, or {@code NO LIMIT}. Unparses with the {@code LIMIT} spelling.
 */
public class SqlBudget extends SqlCall {
  public static final SqlOperator OPERATOR = new SqlSpecialOperator("BUDGET", SqlKind.OTHER);

  private final BigDecimal amount;
  private final BudgetPeriod period;
  private final boolean noLimit;

  private SqlBudget(SqlParserPos pos, BigDecimal amount, BudgetPeriod period, boolean noLimit) {
    super(pos);
    this.amount = amount;
    this.period = period;
    this.noLimit = noLimit;
  }

  /** A cap of {@code amount} (a numeric literal) US dollars per {@code period}. */
  public static SqlBudget of(SqlParserPos pos, SqlNode amount, BudgetPeriod period) {
    return new SqlBudget(pos, ((SqlNumericLiteral) amount).bigDecimalValue(), period, false);
  }

  /** A cap of {@code amount} US dollars per {@code period}. */
  public static SqlBudget of(SqlParserPos pos, BigDecimal amount, BudgetPeriod period) {
    return new SqlBudget(pos, amount, period, false);
  }

  /** {@code NO LIMIT}: no cap at all. */
  public static SqlBudget noLimit(SqlParserPos pos) {
    return new SqlBudget(pos, null, BudgetPeriod.STATEMENT, true);
  }

  /** The cap in US dollars; null for {@code NO LIMIT}. */
  public BigDecimal getAmount() {
    return amount;
  }

  /** The period of the cap; {@link BudgetPeriod#STATEMENT} without {@code PER}. */
  public BudgetPeriod getPeriod() {
    return period;
  }

  /** True for {@code NO LIMIT}. */
  public boolean isNoLimit() {
    return noLimit;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(
        amount == null ? null : SqlLiteral.createExactNumeric(amount.toPlainString(), pos),
        SqlLiteral.createSymbol(period, pos));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    if (noLimit) {
      writer.keyword("NO LIMIT");
      return;
    }
    writer.keyword("LIMIT");
    writer.literal(amount.toPlainString());
    writer.keyword("USD");
    if (period != BudgetPeriod.STATEMENT) {
      writer.keyword("PER");
      writer.keyword(period.name());
    }
  }

  /** The statement as NQL text that {@link NqlParser#parse} reads back. */
  @Override
  public String toString() {
    return NqlParser.unparse(this);
  }
}
