package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statements with {@code ?} parameters run on the vector path, bound to each execution's values,
 * and give the row engine's rows for every value: values found in the data and not, NULLs, the ends
 * of each type's range, on key and non-key columns, in filters, projections and LIMIT. A value the
 * vector path cannot reproduce exactly sends the statement to the row engine.
 */
class VectorParameterTest {
  @TempDir static Path dir;
  static VectorTestData data;
  static final QueryExecutor EXECUTOR =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);

  @BeforeAll
  static void setUp() {
    data = new VectorTestData(dir);
  }

  private static List<Object> values(Object... v) {
    return Arrays.asList(v);
  }

  static Stream<Arguments> parameterized() {
    String t = " FROM company_data.t";
    List<Arguments> out = new ArrayList<>();
    for (Object id : values(0L, 1L, 1499L, 1500L, 3333L, 5999L, 6000L, 7199L, -1L, 7200L, null)) {
      out.add(Arguments.of("SELECT id, region, i, label, amt" + t + " WHERE id = ?", values(id)));
    }
    out.add(Arguments.of("SELECT id" + t + " WHERE id = ?", values(Long.MAX_VALUE)));
    out.add(Arguments.of("SELECT id" + t + " WHERE id = ?", values(Long.MIN_VALUE)));
    for (Object i : values(-100, -1, 0, 7, 99, 100, Integer.MIN_VALUE, Integer.MAX_VALUE, null)) {
      out.add(Arguments.of("SELECT id, i" + t + " WHERE i = ?", values(i)));
      out.add(Arguments.of("SELECT id, i" + t + " WHERE i < ?", values(i)));
      out.add(Arguments.of("SELECT id, i" + t + " WHERE i IS NOT DISTINCT FROM ?", values(i)));
    }
    out.add(Arguments.of("SELECT id" + t + " WHERE id BETWEEN ? AND ?", values(1490L, 1510L)));
    out.add(Arguments.of("SELECT id" + t + " WHERE id BETWEEN ? AND ?", values(7100L, null)));
    out.add(Arguments.of("SELECT id, l" + t + " WHERE l > ?", values(123456789L)));
    out.add(Arguments.of("SELECT id, l" + t + " WHERE l <= ?", values(Long.MIN_VALUE)));
    for (Object amt : values("100.50", "-0.01", "0", "9999.99", "-10000.00", null)) {
      Object v = amt == null ? null : new BigDecimal((String) amt);
      out.add(Arguments.of("SELECT id, amt" + t + " WHERE amt = ?", values(v)));
      out.add(Arguments.of("SELECT id, amt" + t + " WHERE amt >= ?", values(v)));
    }
    out.add(Arguments.of("SELECT id, big" + t + " WHERE big < ?", values(new BigDecimal("-1e20"))));
    out.add(Arguments.of("SELECT id, small_amt" + t + " WHERE small_amt > ?", values(42)));
    for (Object w : values("alpha", "Zoë", "東京", "emoji 😀", "a\uE000", "", "nowhere", null)) {
      out.add(Arguments.of("SELECT id, label" + t + " WHERE label = ?", values(w)));
      out.add(Arguments.of("SELECT id, label" + t + " WHERE label <> ?", values(w)));
    }
    out.add(Arguments.of("SELECT id, label" + t + " WHERE label >= ?", values("naïve")));
    for (Object r : values("eu", "us", "apac", "nowhere")) {
      out.add(Arguments.of("SELECT id, region" + t + " WHERE region = ? AND i > 90", values(r)));
    }
    for (Object d : values(LocalDate.of(2000, 2, 29), LocalDate.of(1965, 1, 1), null)) {
      out.add(Arguments.of("SELECT id, dt" + t + " WHERE dt = ?", values(d)));
      out.add(Arguments.of("SELECT id, dt" + t + " WHERE dt > ?", values(d)));
    }
    LocalDateTime ts = LocalDateTime.of(2021, 6, 1, 12, 0);
    out.add(Arguments.of("SELECT id, ts" + t + " WHERE ts >= ?", values(ts)));
    out.add(Arguments.of("SELECT id, ts" + t + " WHERE ts < ?", values(ts.plusNanos(860_976_000))));
    out.add(
        Arguments.of(
            "SELECT id, tz" + t + " WHERE tz < ?",
            values(OffsetDateTime.of(2020, 9, 18, 10, 8, 36, 860_000_000, ZoneOffset.UTC))));
    out.add(Arguments.of("SELECT id, tm" + t + " WHERE tm > ?", values(LocalTime.NOON)));
    for (Object b : values(true, false, null)) {
      out.add(Arguments.of("SELECT id, b" + t + " WHERE b = ?", values(b)));
    }
    out.add(Arguments.of("SELECT id, x" + t + " WHERE x > ?", values(0.0)));
    out.add(Arguments.of("SELECT id, x" + t + " WHERE x = ?", values(-0.0)));
    out.add(Arguments.of("SELECT id, f" + t + " WHERE f < ?", values(10.5f)));
    // predicates on several columns, a parameter in a projection, in LIMIT and OFFSET
    out.add(
        Arguments.of(
            "SELECT id, i, label" + t + " WHERE i > ? AND (label = ? OR label IS NULL)",
            values(50, "Zoë")));
    out.add(Arguments.of("SELECT id, i = ? AS same, i" + t + " WHERE id < ?", values(7, 40L)));
    out.add(
        Arguments.of(
            "SELECT id, i" + t + " WHERE i > ? OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
            values(90, 3L, 25L)));
    out.add(
        Arguments.of(
            "SELECT id" + t + " WHERE i > ? OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
            values(90, null, null)));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("parameterized")
  void sameRowsThroughBothPaths(String sql, List<Object> params) throws Exception {
    List<List<Object>> expected = rows(sql, params, false, false);
    assertThat(VectorTestData.floorTimestamps(rows(sql, params, true, true)))
        .as(sql + " " + params)
        .containsExactlyElementsOf(expected);
    assertThat(VectorTestData.floorTimestamps(arrowRows(sql, params, 500)))
        .as(sql + " " + params)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void oneStatementShapeServesManyValues() throws Exception {
    // the vector plan is compiled for its shape once and bound per execution: each value its rows
    String sql = "SELECT id, label FROM company_data.t WHERE id = ?";
    for (long id = 1400; id < 1600; id += 7) {
      List<List<Object>> rows = rows(sql, values(id), true, true);
      assertThat(rows).as("id " + id).hasSize(1);
      assertThat(rows.get(0).get(0)).isEqualTo(id);
      assertThat(rows).isEqualTo(rows(sql, values(id), false, false));
    }
  }

  @Test
  void valueTheVectorPathCannotReproduceRunsOnTheRowEngine() throws Exception {
    // 1.005 is not a DECIMAL(10, 2): the vector path compares at the column's scale, so the row
    // engine runs the statement with this value, and the vector path with others
    String sql = "SELECT id, amt FROM company_data.t WHERE amt = ?";
    List<List<Object>> rows = rows(sql, values(new BigDecimal("1.005")), true, false);
    assertThat(rows).isEqualTo(rows(sql, values(new BigDecimal("1.005")), false, false));
    rows(sql, values(new BigDecimal("1.00")), true, true);
  }

  private static QueryResult execute(String sql, List<Object> params, boolean vector)
      throws Exception {
    return EXECUTOR.execute(
        NqlParser.parse(sql),
        data.root(),
        new ScanMetrics(),
        params,
        Map.of(VectorExecution.CONTEXT_KEY, vector));
  }

  private static List<List<Object>> rows(
      String sql, List<Object> params, boolean vector, boolean expectVector) throws Exception {
    try (QueryResult r = execute(sql, params, vector)) {
      assertThat(r.vectorized()).as("vectorized: " + sql + " " + params).isEqualTo(expectVector);
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(normalize(r.row()));
      }
      return rows;
    }
  }

  private static List<List<Object>> arrowRows(String sql, List<Object> params, int batch)
      throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        QueryResult r = execute(sql, params, true);
        ArrowReader reader = r.arrowReader(allocator, batch)) {
      assertThat(r.vectorized()).isTrue();
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        for (int i = 0; i < root.getRowCount(); i++) {
          List<Object> row = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            row.add(VectorValues.external(v, i));
          }
          rows.add(normalize(row.toArray()));
        }
      }
    }
    return rows;
  }

  /** byte[] compares by content. */
  private static List<Object> normalize(Object[] row) {
    Object[] out = row.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof byte[] b) {
        out[i] = Arrays.toString(b);
      }
    }
    return Arrays.asList(out);
  }
}
