package io.nql.planner.policy.harness;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failures the harnesses find on the current code (issue 9), one constant per cause. While an issue
 * is open its failures are reported as tolerated and do not fail the build; {@code
 * -Dnql.harness.enforce=NAME,…} (or {@code =ALL}) makes them fail again. When a fix lands: delete
 * the constant (its failures then fail the harness like any other) and remove the {@code @Disabled}
 * of its reproduction in {@code KnownIssueReproductionTest}.
 *
 * <p>{@link Triage} decides which failure belongs to which issue, with tests narrow enough that a
 * new kind of failure is not taken for a known one.
 */
public enum KnownIssue {
  /**
   * Row limits and offsets beyond {@code Integer.MAX_VALUE} (and limit + offset beyond it):
   * internal errors (XX000), wrong rows, and plans that never finish (the planner cannot be
   * cancelled). While open, the generator writes no limit or offset above {@code
   * Integer.MAX_VALUE}.
   */
  ROW_LIMIT_OVERFLOW("row limits and offsets near 2^31 and 2^63 overflow"),
  /**
   * The budget-cut warning (01N01, and {@code Charge.budgetCut}) is raised when a row is refused,
   * so it tells whether a row the budget could not buy exists: at budget 0 whether any rule row
   * matches the statement, at a budget of exactly k rows whether a (k+1)-th one exists. The refusal
   * also changes when a later error (on the buyer's own rows) surfaces: at execution or at the
   * first fetch.
   */
  BUDGET_WARNING_REVEALS_UNBOUGHT_ROWS(
      "the budget cut is observable and depends on whether rows the budget could not buy exist"),
  /**
   * A buyer's expression is evaluated on rule rows before the budget is checked: an error (division
   * by zero, failed cast, overflow) is raised by a row the buyer did not pay for.
   */
  ERRORS_ON_UNPAID_ROWS("expressions are evaluated on rule rows the budget did not buy"),
  /**
   * The rule scan's row estimate counts the rows the rule hides, and the join order is chosen with
   * it: the plan changes with the number of hidden rows, which shows in {@code EXPLAIN PLAN FOR},
   * in which rows a row limit without ORDER BY over a join keeps (and what it charges), and in
   * whether a join reads (and charges) its other side when one side delivers nothing.
   */
  PLAN_DEPENDS_ON_HIDDEN_ROWS("plans depend on the number of rows a rule hides"),
  /** An error message quotes the value that failed ({@code '7x'}, {@code Value 1234.56 …}). */
  DATA_VALUES_IN_ERRORS("error messages quote data values"),
  /**
   * A rule read more than once in a statement (self-join, the same rule in two branches of a set
   * operation, a CTE used twice, an IN subquery over the same rule, the re-scan of a NOT IN
   * subquery or of the outer table of a decorrelated scalar subquery) is charged once per read
   * instead of once per row.
   */
  RULE_ROWS_CHARGED_PER_READ("a rule row read twice in one statement is charged twice"),
  /**
   * An IN list of about 20 values or more on a rule's column becomes a join above the rule's meter:
   * the rows it rejects are charged.
   */
  LONG_IN_LIST_CHARGED_BEFORE_FILTER("rows a long IN list rejects are charged"),
  /**
   * A row limit without ORDER BY over a window over a rule is applied below the window (it caps the
   * rule's meter): the window sees only the first rows ({@code COUNT(*) OVER ()} is the limit), and
   * fewer rows are charged than the window read.
   */
  ROW_LIMIT_BELOW_WINDOW("a row limit over a window is applied below the window"),
  /**
   * An IN list of about 20 values or more in a scalar subquery of the select list fails with an
   * internal error (XX000), over a rule or the buyer's own data alike.
   */
  LONG_IN_LIST_IN_SCALAR_SUBQUERY("a long IN list in a scalar subquery is an internal error"),
  /**
   * A statement that fails before its result is returned (e.g. a division by zero under an
   * aggregate) leaves its ledger entry {@code open}; the next start of the gateway reconciles it
   * and charges the whole reservation (1,000 rows' worth) for rows never delivered.
   */
  LEDGER_LEFT_OPEN_BY_FAILED_STATEMENT(
      "a statement failing before its result leaves its ledger entry open"),
  /**
   * {@code LIMIT ?} does not cap the rule's meter as a literal limit does: the row the limit pulls
   * after its last one is charged.
   */
  PARAMETER_LIMIT_CHARGES_ONE_MORE("LIMIT ? charges the row after the last one returned");

  /** The system property naming the issues to enforce. */
  public static final String PROPERTY = "nql.harness.enforce";

  private final String cause;

  KnownIssue(String cause) {
    this.cause = cause;
  }

  public String cause() {
    return cause;
  }

  /** Whether failures of this issue are tolerated in this run. */
  public boolean tolerated() {
    String enforce = System.getProperty(PROPERTY, "").trim().toUpperCase(Locale.ROOT);
    if (enforce.equals("ALL")) {
      return false;
    }
    Set<String> names =
        Arrays.stream(enforce.split(",")).map(String::trim).collect(Collectors.toSet());
    return !names.contains(name());
  }

  @Override
  public String toString() {
    return name() + " (issue 9: " + cause + ")";
  }
}
