package io.nql.bench.scan;

import java.util.ArrayList;
import java.util.List;

/** The statements of each scenario, the same for every system but for the table and the policy. */
final class ScanQueries {
  /** Every row the buyer may see, every visible column. */
  static final String FULL = "full";

  /** The rows of {@link ScanData#SELECTIVE_FILTER}, 1 % of them. */
  static final String SELECTIVE = "selective";

  /** {@link #AGGREGATE_SELECT} over every visible row. */
  static final String AGGREGATE = "aggregate";

  /** The single-stream scenarios, in the order they run. */
  static final List<String> SCENARIOS = List.of(FULL, SELECTIVE, AGGREGATE);

  /**
   * A two-column {@code GROUP BY} with the four usual aggregates, over every visible row: 8
   * countries × 1,000 labels, of which the buyer's rows hold 800 combinations (row {@code i} has
   * label {@code i % 1000} and country {@code i % 8}, so a label fixes the country; the labels that
   * are multiples of 5 are on hidden rows only).
   */
  static final String AGGREGATE_SELECT =
      "country, label, COUNT(*) AS row_count, SUM(amount) AS amount_sum,"
          + " MIN(user_id) AS user_id_min, MAX(event_ts) AS event_ts_max";

  private ScanQueries() {}

  /**
   * The statement of {@code scenario} over {@code table}.
   *
   * @param extraFilter the policy for systems that do not enforce it themselves (DuckDB), or ""
   */
  static String sql(String table, String scenario, String extraFilter) {
    List<String> where = new ArrayList<>();
    if (!extraFilter.isEmpty()) {
      where.add(extraFilter);
    }
    if (scenario.equals(SELECTIVE)) {
      where.add(ScanData.SELECTIVE_FILTER);
    }
    String select =
        switch (scenario) {
          case FULL, SELECTIVE -> ScanData.VISIBLE_COLUMNS;
          case AGGREGATE -> AGGREGATE_SELECT;
          default -> throw new IllegalArgumentException("no scenario " + scenario);
        };
    return "SELECT "
        + select
        + " FROM "
        + table
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + (scenario.equals(AGGREGATE) ? " GROUP BY country, label" : "");
  }
}
