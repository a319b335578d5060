package io.nql.planner.policy.harness;

import java.util.function.UnaryOperator;

/**
 * One way two worlds may differ while a buyer must not be able to tell them apart, and the
 * statements for which that holds.
 */
public enum Difference {
  /** Rows outside every rule shared with the buyer (values, count, position). Any statement. */
  HIDDEN_ROWS(WorldData::withOtherHiddenRows, StatementGenerator.Mode.ANY_BUDGET),
  /** Columns outside the rules' select lists. Any statement. */
  HIDDEN_COLUMNS(WorldData::withOtherHiddenColumns, StatementGenerator.Mode.ANY_BUDGET),
  /**
   * The third company's datasets, ids and rules; the provider's unshared objects. Any statement.
   */
  OTHER_COMPANIES(WorldData::withOtherCompaniesChanged, StatementGenerator.Mode.ANY_BUDGET),
  /** The priced rules' visible rows. Statements at budget 0 (nothing can be bought). */
  UNPAID_ROWS(WorldData::withOtherPricedRows, StatementGenerator.Mode.ZERO_BUDGET),
  /**
   * Rows of {@code us_events} beyond the first {@link WorldData#US_ROWS} in file order. Statements
   * whose budget buys at most that many rows, reading {@code us_events} without any predicate on
   * it, and no other priced rule: the rows bought are the first ones in both worlds.
   */
  UNAFFORDABLE_ROWS(WorldData::withUnaffordableRows, StatementGenerator.Mode.CAPPED_BUDGET);

  private final UnaryOperator<WorldData> variant;
  private final StatementGenerator.Mode mode;

  Difference(UnaryOperator<WorldData> variant, StatementGenerator.Mode mode) {
    this.variant = variant;
    this.mode = mode;
  }

  /** The world that differs from {@code base} in this way. */
  public WorldData apply(WorldData base) {
    return variant.apply(base);
  }

  /** The statements this pair of worlds is checked with. */
  public StatementGenerator.Mode mode() {
    return mode;
  }
}
