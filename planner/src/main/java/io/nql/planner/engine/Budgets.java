package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.BudgetPeriod;
import io.nql.planner.parser.SqlBudget;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.store.Ledger;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;

/** The budget a statement runs under: its budget clause, or the session default. */
final class Budgets {
  private Budgets() {}

  /**
   * A statement's budget.
   *
   * @param micros the cap in micro-USD, or {@link Deliveries#UNLIMITED}
   * @param description how warnings name it, e.g. {@code the statement budget of 5.00 USD}
   */
  record Budget(long micros, String description, Ledger.Period period) {
    Budget(long micros, String description) {
      this(micros, description, null);
    }
  }

  /**
   * The budget of a statement with a budget clause.
   *
   * @param clause the clause
   * @param normalizedQuery the query without its clause, as NQL text: runs of the same text by the
   *     same company share a period budget
   */
  static Budget of(SqlBudget clause, String normalizedQuery) {
    return of(clause, normalizedQuery, LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * The budget of a statement with a budget clause, on day {@code today} (UTC): the day whose
   * calendar day or month a period budget counts in.
   */
  static Budget of(SqlBudget clause, String normalizedQuery, LocalDate today) {
    if (clause.isNoLimit()) {
      return new Budget(Deliveries.UNLIMITED, "no limit");
    }
    BigDecimal amount = clause.getAmount();
    long micros;
    try {
      micros = Deliveries.micros(amount);
    } catch (ArithmeticException e) {
      throw new NqlException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
          "Budget amount out of range: it must be at most "
              + Deliveries.usd(Long.MAX_VALUE)
              + " USD");
    }
    if (clause.getPeriod() == BudgetPeriod.STATEMENT) {
      return new Budget(micros, "the statement budget of " + amount.toPlainString() + " USD");
    }
    boolean daily = clause.getPeriod() == BudgetPeriod.CALENDAR_DAY;
    LocalDate start = daily ? today : today.withDayOfMonth(1);
    return new Budget(
        micros,
        "the budget of "
            + amount.toPlainString()
            + " USD per calendar "
            + (daily ? "day" : "month")
            + " ("
            + start
            + ")",
        new Ledger.Period(key(normalizedQuery), start, micros));
  }

  /** The period-budget key of a normalized statement: its SHA-256, hex. */
  static String key(String normalizedQuery) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(normalizedQuery.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Budget session(String budgetUsd) {
    BigDecimal amount = new BigDecimal(budgetUsd == null ? "0" : budgetUsd);
    return new Budget(
        Deliveries.micros(amount),
        "the session budget of "
            + amount.toPlainString()
            + " USD ("
            + SessionProperty.BUDGET_USD.key()
            + ")");
  }
}
