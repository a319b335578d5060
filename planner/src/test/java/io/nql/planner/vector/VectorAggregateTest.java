package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Aggregations run on batches ({@link VectorAggregate}) give the row engine's rows: the same
 * groups, values and order, for every key and argument type of {@link VectorTestData} (NULLs, -0.0,
 * strings that order differently in UTF-8 and UTF-16, decimals of 10 and 30 digits, timestamps with
 * microseconds), with filters below and sorts, HAVING, joins and expressions above; and the
 * statements that should run on batches did (the statement's scan metrics count it).
 */
class VectorAggregateTest {
  @TempDir static Path dir;
  static VectorTestData data;
  static final QueryExecutor EXECUTOR =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);

  @BeforeAll
  static void setUp() {
    data = new VectorTestData(dir);
  }

  static Stream<Arguments> aggregated() {
    String t = " FROM company_data.t";
    String all =
        "COUNT(*), COUNT(i), COUNT(label), SUM(i), SUM(amt), SUM(big), SUM(x), SUM(f),"
            + " SUM(small_amt), MIN(i), MAX(i), MIN(l), MAX(l), MIN(amt), MAX(amt), MIN(big),"
            + " MAX(big), MIN(x), MAX(x), MIN(f), MAX(f), MIN(label), MAX(label), MIN(ts),"
            + " MAX(ts), MIN(tz), MAX(tz), MIN(dt), MAX(dt), MIN(tm), MAX(tm), MIN(b), MAX(b),"
            + " AVG(i), AVG(amt), AVG(x), AVG(small_amt), AVG(big)";
    List<String> q = new ArrayList<>();
    q.add("SELECT " + all + t);
    for (String key :
        List.of(
            "region",
            "label",
            "i",
            "l",
            "amt",
            "big",
            "x",
            "f",
            "ts",
            "tz",
            "dt",
            "tm",
            "b",
            "region, label",
            "b, i",
            "region, dt, b")) {
      q.add("SELECT " + key + ", " + all + t + " GROUP BY " + key);
    }
    q.add("SELECT region, label" + t + " GROUP BY region, label");
    q.add("SELECT bin, COUNT(*)" + t + " GROUP BY bin");
    q.add("SELECT region, COUNT(*), SUM(i)" + t + " WHERE i > 0 AND label <> 'zz' GROUP BY region");
    q.add("SELECT " + all + t + " WHERE i > 1000");
    q.add("SELECT region, COUNT(*)" + t + " WHERE i > 1000 GROUP BY region");
    q.add("SELECT region, COUNT(DISTINCT label)" + t + " GROUP BY region");
    q.add(
        "SELECT region, COUNT(*) AS c"
            + t
            + " GROUP BY region HAVING COUNT(*) > 100 ORDER BY c DESC, region LIMIT 3");
    q.add(
        "SELECT region, COUNT(*) FILTER (WHERE i > 3), SUM(x) FILTER (WHERE b)"
            + t
            + " GROUP BY region");
    q.add("SELECT COUNT(*), SUM(i), MAX(label) FROM (SELECT i, label" + t + " LIMIT 100)");
    q.add(
        "SELECT a.region, a.c, b.s FROM (SELECT region, COUNT(*) AS c"
            + t
            + " GROUP BY region) a JOIN (SELECT region, SUM(i) AS s"
            + t
            + " GROUP BY region) b ON a.region = b.region");
    q.add("SELECT label, COUNT(*) * 2 + 1, MAX(i) - MIN(i)" + t + " GROUP BY label");
    List<Arguments> out = new ArrayList<>();
    for (String s : q) {
      out.add(Arguments.of(s));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("aggregated")
  void sameRowsInTheSameOrderAsTheRowEngine(String sql) throws Exception {
    Run row = run(sql, false, List.of());
    Run batch = run(sql, true, List.of());
    assertThat(row.batchAggregations).isZero();
    assertThat(batch.batchAggregations).as("ran on batches: " + sql).isPositive();
    assertThat(batch.rows).containsExactlyElementsOf(row.rows);
  }

  @Test
  void aggregatesOfNothingAnswerOneRowWithoutGroupByAndNoneWithIt() throws Exception {
    Run global =
        run(
            "SELECT COUNT(*), SUM(i), MIN(label) FROM company_data.t WHERE i > 1000",
            true,
            List.of());
    assertThat(global.rows).containsExactly(Arrays.asList(0L, null, null));
    Run grouped =
        run(
            "SELECT region, COUNT(*) FROM company_data.t WHERE i > 1000 GROUP BY region",
            true,
            List.of());
    assertThat(grouped.rows).isEmpty();
    assertThat(grouped.batchAggregations).isPositive();
  }

  @Test
  void theAverageOfADecimalWhoseSumOutgrowsItsPrecisionIsComputed() throws Exception {
    // small_amt is DECIMAL(4, 1): its sum (about 1,900) has five digits
    String sql = "SELECT AVG(small_amt), SUM(small_amt), COUNT(small_amt) FROM company_data.t";
    for (boolean vector : new boolean[] {false, true}) {
      List<Object> row = run(sql, vector, List.of()).rows.get(0);
      java.math.BigDecimal avg = (java.math.BigDecimal) row.get(0);
      java.math.BigDecimal sum = (java.math.BigDecimal) row.get(1);
      assertThat(sum.abs()).isGreaterThan(new java.math.BigDecimal("999.9"));
      java.math.BigDecimal exact =
          sum.divide(
              java.math.BigDecimal.valueOf((Long) row.get(2)), java.math.MathContext.DECIMAL64);
      assertThat(avg.scale()).isEqualTo(1);
      assertThat(avg.subtract(exact).abs()).isLessThanOrEqualTo(new java.math.BigDecimal("0.1"));
    }
  }

  @Test
  void parametersAreBoundPerExecution() throws Exception {
    String sql =
        "SELECT region, COUNT(*), SUM(amt) FROM company_data.t WHERE i > ? GROUP BY region";
    for (int p : new int[] {-50, 0, 90}) {
      Run row = run(sql, false, List.of(p));
      Run batch = run(sql, true, List.of(p));
      assertThat(batch.batchAggregations).isPositive();
      assertThat(batch.rows).containsExactlyElementsOf(row.rows);
    }
  }

  @Test
  void anExactSumThatDoesNotFitFailsAsOnTheRowEngine() {
    // l holds longs up to 2^63 / 2: their sum leaves BIGINT
    String sql = "SELECT SUM(l) FROM company_data.t";
    NqlException row = catchThrowableOfType(NqlException.class, () -> run(sql, false, List.of()));
    NqlException batch = catchThrowableOfType(NqlException.class, () -> run(sql, true, List.of()));
    assertThat(row).isNotNull();
    assertThat(batch).isNotNull();
    assertThat(batch.getMessage()).isEqualTo(row.getMessage());
    assertThat(batch.code()).isEqualTo(row.code());
  }

  @Test
  void groupingSetsAndOrderedAggregatesStayOnTheRowEngine() throws Exception {
    for (String sql :
        List.of(
            "SELECT region, b, COUNT(*) FROM company_data.t GROUP BY ROLLUP(region, b)",
            "SELECT region, COUNT(DISTINCT label), COUNT(*) FROM company_data.t GROUP BY region",
            "SELECT region, COUNT(*) FROM company_data.t WHERE i + 1 > 3 GROUP BY region")) {
      Run batch = run(sql, true, List.of());
      assertThat(batch.batchAggregations).as(sql).isZero();
      assertThat(batch.rows).containsExactlyElementsOf(run(sql, false, List.of()).rows);
    }
  }

  private record Run(List<List<Object>> rows, long batchAggregations) {}

  private static Run run(String sql, boolean vector, List<Object> parameters) throws Exception {
    ScanMetrics metrics = new ScanMetrics();
    List<List<Object>> rows = new ArrayList<>();
    try (QueryResult r =
        EXECUTOR.execute(
            NqlParser.parse(sql),
            data.root(),
            metrics,
            parameters,
            Map.of(VectorExecution.CONTEXT_KEY, vector))) {
      while (r.next()) {
        Object[] row = r.row().clone();
        for (int i = 0; i < row.length; i++) {
          if (row[i] instanceof byte[] b) {
            row[i] = Arrays.toString(b);
          }
        }
        rows.add(Arrays.asList(row));
      }
    }
    return new Run(rows, metrics.batchAggregations());
  }
}
