package io.nql.planner.parser;

/** The period a budget cap applies to. */
public enum BudgetPeriod {
  /** The cap applies to one run of the statement (no {@code PER} clause). */
  STATEMENT,
  /** {@code PER CALENDAR_DAY}: the cap is shared by every run in the same calendar day. */
  CALENDAR_DAY,
  /** {@code PER CALENDAR_MONTH}: the cap is shared by every run in the same calendar month. */
  CALENDAR_MONTH
}
