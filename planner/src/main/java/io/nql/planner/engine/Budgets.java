package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.BudgetPeriod;
import io.nql.planner.parser.SqlBudget;
import io.nql.planner.policy.Deliveries;
import java.math.BigDecimal;

/** The budget a statement runs under: its budget clause, or the session default. */
final class Budgets {
  private Budgets() {}

  /**
   * A statement's budget.
   *
   * @param micros the cap in micro-USD, or {@link Deliveries#UNLIMITED}
   * @param description how warnings name it, e.g. {@code the statement budget of 5.00 USD}
   */
  record Budget(long micros, String description) {}

  static Budget of(SqlBudget clause) {
    if (clause.isNoLimit()) {
      return new Budget(Deliveries.UNLIMITED, "no limit");
    }
    if (clause.getPeriod() != BudgetPeriod.STATEMENT) {
      throw new NqlException(
          ErrorCode.NOT_SUPPORTED,
          "Budgets PER CALENDAR_DAY or PER CALENDAR_MONTH are not supported yet");
    }
    BigDecimal amount = clause.getAmount();
    return new Budget(
        Deliveries.micros(amount), "the statement budget of " + amount.toPlainString() + " USD");
  }

  static Budget session(String budgetUsd) {
    BigDecimal amount = new BigDecimal(budgetUsd == null ? "0" : budgetUsd);
    return new Budget(
        Deliveries.micros(amount),
        "the session budget of " + amount.toPlainString() + " USD (budget_usd)");
  }
}
