package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statements a BI tool's generic JDBC connector sends (Tableau's "Other Databases (JDBC)",
 * Superset, Metabase): a connection probe, the columns of a custom SQL query by preparing it
 * without running it, and the generated SQL of a worksheet — every name in double quotes, a derived
 * table named {@code "Custom SQL Query"}, {@code GROUP BY 1}, typed aliases with colons, {@code
 * COUNT(DISTINCT …)} with {@code HAVING (COUNT(1) > 0)}, ranges for a filter, {@code
 * CAST(EXTRACT(YEAR …) AS BIGINT)} — over each driver.
 *
 * <p>The expected values are those of TestWarehouse's three orders (orders.csv): amounts 10.50,
 * NULL and 99.99 in Zürich, 東京 and "New York, NY", ordered on 2026-10-01, -02 and -03, paid true,
 * false, true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BiToolQueryReplayTest {
  @RegisterExtension static final ReplayClient.Gateways GATEWAYS = new ReplayClient.Gateways();

  private static final String CUSTOM =
      "(SELECT order_id, amount, city, ordered_on, paid FROM company_data.orders)"
          + " \"Custom SQL Query\"";

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(normal(rs.getObject(i)));
        }
        out.add(row);
      }
      return out;
    }
  }

  private static List<Object> row(Object... values) {
    List<Object> r = new ArrayList<>();
    for (Object v : values) {
      r.add(normal(v));
    }
    return r;
  }

  /** Values compared by what they are, not their Java class: a count is a count in any width. */
  private static Object normal(Object v) {
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros();
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void connectionProbe(ReplayClient client) throws Exception {
    try (Connection c = client.provider(GATEWAYS)) {
      assertThat(rows(c, "SELECT 1")).containsExactly(row(1));
      assertThat(rows(c, "SELECT 1 AS \"COL\"")).containsExactly(row(1));
    }
  }

  /**
   * A tool learns a custom query's columns by preparing it (often wrapped in {@code WHERE 1 = 0})
   * and reading {@code getMetaData()} before executing: the types agree with {@code getColumns}.
   */
  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void preparedCustomQueryDescribesItsColumnsBeforeRunning(ReplayClient client) throws Exception {
    try (Connection c = client.provider(GATEWAYS);
        PreparedStatement ps = c.prepareStatement("SELECT * FROM " + CUSTOM + " WHERE (1 = 0)")) {
      ResultSetMetaData md = ps.getMetaData();
      assertThat(md).isNotNull();
      List<String> names = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i));
        types.add(md.getColumnType(i));
      }
      assertThat(names).containsExactly("order_id", "amount", "city", "ordered_on", "paid");
      DatabaseMetaData dmd = c.getMetaData();
      List<Integer> declared = new ArrayList<>();
      try (ResultSet cols = dmd.getColumns(null, "company_data", "orders", null)) {
        while (cols.next()) {
          if (names.contains(cols.getString("COLUMN_NAME"))) {
            declared.add(cols.getInt("DATA_TYPE"));
          }
        }
      }
      assertThat(types).isEqualTo(declared);
      assertThat(types.subList(1, 5))
          .containsExactly(Types.DECIMAL, Types.VARCHAR, Types.DATE, Types.BOOLEAN);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isFalse();
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(5);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ReplayClient.class)
  void worksheetQueries(ReplayClient client) throws Exception {
    try (Connection c = client.provider(GATEWAYS)) {
      // a dimension and two measures, grouped and ordered by position
      assertThat(
              rows(
                  c,
                  "SELECT \"Custom SQL Query\".\"city\" AS \"city\","
                      + " SUM(\"Custom SQL Query\".\"amount\") AS \"sum:amount:ok\","
                      + " SUM(1) AS \"cnt:orders:ok\""
                      + " FROM "
                      + CUSTOM
                      + " GROUP BY 1 ORDER BY 1 ASC"))
          .containsExactly(
              row("New York, NY", new BigDecimal("99.99"), 1L),
              row("Zürich", new BigDecimal("10.50"), 1L),
              row("東京", null, 1L));
      // a date part as a dimension
      assertThat(
              rows(
                  c,
                  "SELECT CAST(EXTRACT(YEAR FROM \"t\".\"ordered_on\") AS BIGINT)"
                      + " AS \"yr:ordered_on:ok\", COUNT(1) AS \"cnt\""
                      + " FROM \"company_data\".\"orders\" \"t\" GROUP BY 1"))
          .containsExactly(row(2026L, 3L));
      // a distinct count, as a KPI
      assertThat(
              rows(
                  c,
                  "SELECT COUNT(DISTINCT \"t\".\"city\") AS \"ctd:city:ok\""
                      + " FROM \"company_data\".\"orders\" \"t\" HAVING (COUNT(1) > 0)"))
          .containsExactly(row(3L));
      // the range of a quantitative filter, then the filtered view
      assertThat(
              rows(
                  c,
                  "SELECT MIN(\"t\".\"amount\") AS \"min:amount:ok\","
                      + " MAX(\"t\".\"amount\") AS \"max:amount:ok\""
                      + " FROM \"company_data\".\"orders\" \"t\""))
          .containsExactly(row(new BigDecimal("10.50"), new BigDecimal("99.99")));
      assertThat(
              rows(
                  c,
                  "SELECT \"t\".\"paid\" AS \"paid\", COUNT(1) AS \"cnt\""
                      + " FROM \"company_data\".\"orders\" \"t\""
                      + " WHERE ((\"t\".\"ordered_on\" >= DATE '2026-10-02')"
                      + " AND (\"t\".\"ordered_on\" <= DATE '2026-10-03'))"
                      + " GROUP BY 1 ORDER BY 1"))
          .containsExactly(row(false, 1L), row(true, 1L));
      // a calculated field, and the values of a quick filter
      assertThat(
              rows(
                  c,
                  "SELECT (CASE WHEN (\"t\".\"amount\" > 50) THEN 'big' ELSE 'small' END)"
                      + " AS \"Calculation_1\", COUNT(1) AS \"cnt\""
                      + " FROM \"company_data\".\"orders\" \"t\" GROUP BY 1 ORDER BY 1"))
          .containsExactly(row("big", 1L), row("small", 2L));
      assertThat(
              rows(
                  c,
                  "SELECT \"t\".\"city\" AS \"city\" FROM \"company_data\".\"orders\" \"t\""
                      + " GROUP BY 1 ORDER BY 1 ASC LIMIT 2"))
          .containsExactly(row("New York, NY"), row("Zürich"));
    }
  }
}
