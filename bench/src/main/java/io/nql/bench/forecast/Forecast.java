package io.nql.bench.forecast;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of {@code EXPLAIN <query>}: one row per source (access rule or the caller's own
 * dataset) and a last row with {@code source_type = 'total'}.
 *
 * @param sources the source rows, in order
 * @param total the total row
 */
record Forecast(List<Source> sources, Source total) {

  /**
   * One row of the forecast (a source or the total). Nullable columns are null when the gateway
   * left them empty.
   */
  record Source(
      String source,
      String sourceType,
      String provider,
      BigDecimal priceCpm,
      Long matchingRows,
      Long estimatedRows,
      Long rowsLow,
      Long rowsHigh,
      BigDecimal estimatedCost,
      BigDecimal costLow,
      BigDecimal costHigh,
      Boolean budgetCut,
      boolean hasFreshness,
      String statistics) {

    boolean isRule() {
      return "access rule".equalsIgnoreCase(sourceType);
    }

    double cpm() {
      return priceCpm == null ? 0 : priceCpm.doubleValue();
    }
  }

  /** Reads the forecast from the result of {@code EXPLAIN}, by column name. */
  static Forecast read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Integer> col = new HashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      col.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
    }
    for (String required : List.of("source", "source_type", "estimated_rows")) {
      if (!col.containsKey(required)) {
        throw new SQLException(
            "EXPLAIN returned no " + required + " column (columns: " + col.keySet() + ")");
      }
    }
    List<Source> sources = new ArrayList<>();
    Source total = null;
    while (rs.next()) {
      Source s =
          new Source(
              string(rs, col, "source"),
              string(rs, col, "source_type"),
              string(rs, col, "provider"),
              decimal(rs, col, "price_cpm_usd"),
              longValue(rs, col, "matching_rows"),
              longValue(rs, col, "estimated_rows"),
              longValue(rs, col, "rows_low"),
              longValue(rs, col, "rows_high"),
              decimal(rs, col, "estimated_cost_usd"),
              decimal(rs, col, "cost_low_usd"),
              decimal(rs, col, "cost_high_usd"),
              bool(rs, col, "budget_cut"),
              col.containsKey("freshness") && rs.getObject(col.get("freshness")) != null,
              string(rs, col, "statistics"));
      if ("total".equalsIgnoreCase(s.sourceType())) {
        total = s;
      } else {
        sources.add(s);
      }
    }
    if (total == null) {
      throw new SQLException("EXPLAIN returned no total row");
    }
    return new Forecast(List.copyOf(sources), total);
  }

  private static String string(ResultSet rs, Map<String, Integer> col, String name)
      throws SQLException {
    Integer i = col.get(name);
    return i == null ? null : rs.getString(i);
  }

  private static Long longValue(ResultSet rs, Map<String, Integer> col, String name)
      throws SQLException {
    Integer i = col.get(name);
    if (i == null) {
      return null;
    }
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static BigDecimal decimal(ResultSet rs, Map<String, Integer> col, String name)
      throws SQLException {
    Integer i = col.get(name);
    return i == null ? null : rs.getBigDecimal(i);
  }

  private static Boolean bool(ResultSet rs, Map<String, Integer> col, String name)
      throws SQLException {
    Integer i = col.get(name);
    if (i == null) {
      return null;
    }
    boolean v = rs.getBoolean(i);
    return rs.wasNull() ? null : v;
  }
}
