package io.nql.planner.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same queries through the vector path and the row engine must give the same rows, in the same
 * order, read row by row and as Arrow batches; and the vector path must be the one that ran for the
 * supported shapes (and not for the others). Timestamps are the one documented difference: the
 * vector path delivers a stored timestamp with its microseconds, the row engine at the millisecond
 * precision it computes with, so they are compared at milliseconds here, and the microseconds are
 * checked against the stored values on their own.
 */
class VectorDifferentialTest {
  @TempDir static Path dir;
  static VectorTestData data;
  static final QueryExecutor EXECUTOR =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);

  @BeforeAll
  static void setUp() {
    data = new VectorTestData(dir);
  }

  static Stream<Arguments> vectorized() {
    String t = " FROM company_data.t";
    List<String> q = new ArrayList<>();
    q.add("SELECT *" + t);
    q.add("SELECT id, label, extra" + t);
    q.add("SELECT id" + t + " WHERE extra IS NULL");
    q.add("SELECT id, extra" + t + " WHERE extra > 3");
    q.add("SELECT id, region" + t + " WHERE region = 'eu'");
    q.add("SELECT id, region" + t + " WHERE region IN ('eu', 'apac') AND i > 0");
    for (String op : List.of("=", "<>", "<", "<=", ">", ">=")) {
      q.add("SELECT id, i" + t + " WHERE i " + op + " 7");
      q.add("SELECT id, l" + t + " WHERE l " + op + " 123456789");
      q.add("SELECT id, amt" + t + " WHERE amt " + op + " 100.5");
      q.add("SELECT id, amt" + t + " WHERE amt " + op + " 100");
      q.add("SELECT id, big" + t + " WHERE big " + op + " -1234567.5");
      q.add("SELECT id, label" + t + " WHERE label " + op + " 'a\uE000'");
      q.add("SELECT id, label" + t + " WHERE label " + op + " 'München'");
      q.add("SELECT id, dt" + t + " WHERE dt " + op + " DATE '2000-02-29'");
      q.add("SELECT id, ts" + t + " WHERE ts " + op + " TIMESTAMP '2021-06-01 12:00:00'");
      q.add("SELECT id, ts" + t + " WHERE ts " + op + " TIMESTAMP '2020-09-18 10:08:36.860976'");
      q.add("SELECT id, tz" + t + " WHERE tz " + op + " TIMESTAMP '2020-09-18 10:08:36.860'");
      q.add(
          "SELECT id, tz"
              + t
              + " WHERE tz "
              + op
              + " TIMESTAMP WITH LOCAL TIME ZONE '2021-04-21 02:25:37.247'");
      q.add("SELECT id, x" + t + " WHERE x " + op + " 0");
      q.add("SELECT id, f" + t + " WHERE f " + op + " 10.5e0");
      q.add("SELECT id, b" + t + " WHERE b " + op + " TRUE");
      q.add("SELECT id, tm" + t + " WHERE tm " + op + " TIME '12:00:00'");
      q.add("SELECT id" + t + " WHERE i " + op + " l");
    }
    q.add("SELECT id, i, label" + t + " WHERE i IS NULL OR label IS NULL");
    q.add("SELECT id" + t + " WHERE i IS NOT NULL AND amt IS NOT NULL");
    q.add("SELECT id, i" + t + " WHERE i IN (1, 7, 42, -100)");
    q.add("SELECT id, i" + t + " WHERE i NOT IN (1, 7, 42)");
    q.add("SELECT id, label" + t + " WHERE label IN ('Zoë', '東京', 'emoji 😀')");
    q.add("SELECT id, label" + t + " WHERE label NOT IN ('Zoë', 'zz')");
    // key tests on integers and strings decide which rows the other columns are decoded for: every
    // type, sparse (read run by run) and dense selections, value-by-value columns (DECIMAL(30, 5),
    // UUID), partition constants, NULLs with <> and NOT IN, dictionary and plain string pages
    q.add("SELECT *" + t + " WHERE i = 7");
    q.add("SELECT *" + t + " WHERE label = 'Zoë'");
    q.add("SELECT *" + t + " WHERE label <> 'Zoë' AND i < 50");
    q.add("SELECT *" + t + " WHERE label IN ('Zoë', '東京', '') AND l > 0");
    q.add("SELECT *" + t + " WHERE label NOT IN ('alpha', 'zz') AND i NOT IN (1, 2, 3)");
    q.add("SELECT *" + t + " WHERE i <> 0 AND label <> 'naïve café'");
    q.add("SELECT *" + t + " WHERE id = 4321");
    q.add("SELECT *" + t + " WHERE id IN (3, 1500, 1501, 7199) OR id = 6000");
    q.add("SELECT id, big, u, region" + t + " WHERE i > 95 AND label <> 'zz'");
    q.add("SELECT id, amt" + t + " WHERE amt BETWEEN -50 AND 50.25");
    q.add("SELECT id, amt" + t + " WHERE amt NOT BETWEEN -5000 AND 5000");
    q.add("SELECT id, dt" + t + " WHERE dt BETWEEN DATE '1990-01-01' AND DATE '1999-12-31'");
    q.add("SELECT id" + t + " WHERE NOT (i > 5 OR label = 'zz')");
    q.add("SELECT id" + t + " WHERE (i > 5) IS NOT TRUE AND (b IS FALSE OR b IS NULL)");
    q.add("SELECT id" + t + " WHERE i > 5 AND l < 0 OR amt > 0 AND NOT b");
    q.add("SELECT id" + t + " WHERE i IS DISTINCT FROM extra");
    q.add("SELECT id" + t + " WHERE CAST(i AS BIGINT) > 5");
    q.add("SELECT id" + t + " WHERE CAST(i AS DECIMAL(12, 2)) = 5.00");
    q.add("SELECT id" + t + " WHERE CAST(amt AS DECIMAL(14, 4)) > 1234.5678");
    q.add("SELECT id" + t + " WHERE CAST(i AS DOUBLE) > x");
    q.add("SELECT id" + t + " WHERE small_amt > 10 AND small_amt < amt");
    q.add(
        "SELECT id, i > 5 AS flag, 'tag' AS tag, CAST(i AS BIGINT) AS il, 2.50 AS price,"
            + " CAST(NULL AS INTEGER) AS nothing, DATE '2024-01-01' AS d, id AS id2"
            + t);
    q.add("SELECT id, u, bin, tz" + t + " WHERE u IS NOT NULL");
    q.add("SELECT id" + t + " LIMIT 10");
    q.add("SELECT id, label" + t + " LIMIT 10 OFFSET 1495");
    q.add("SELECT id" + t + " OFFSET 7190 ROWS");
    q.add("SELECT id, i" + t + " WHERE i > 90 LIMIT 25 OFFSET 3");
    List<Arguments> out = new ArrayList<>();
    for (String s : q) {
      out.add(Arguments.of(s));
    }
    return out.stream();
  }

  static Stream<Arguments> fallback() {
    String t = " FROM company_data.t";
    return Stream.of(
        Arguments.of("SELECT id, i" + t + " WHERE i > 90 ORDER BY i, id"),
        Arguments.of("SELECT region, COUNT(*)" + t + " GROUP BY region"),
        Arguments.of("SELECT id" + t + " WHERE i + 1 > 3"),
        Arguments.of("SELECT id, UPPER(label)" + t),
        Arguments.of("SELECT id" + t + " WHERE CHAR_LENGTH(label) > 3"),
        // planned as an empty VALUES
        Arguments.of("SELECT id, i" + t + " WHERE i > 90 FETCH FIRST 0 ROWS ONLY"),
        Arguments.of("SELECT id" + t + " WHERE 1 = 0"));
  }

  @ParameterizedTest
  @MethodSource("vectorized")
  void sameRowsThroughBothPaths(String sql) throws Exception {
    List<List<Object>> rows = run(sql, false);
    assertThat(VectorTestData.floorTimestamps(rows(sql, true, true)))
        .containsExactlyElementsOf(rows);
    assertThat(VectorTestData.floorTimestamps(arrowRows(sql, true, 1000)))
        .containsExactlyElementsOf(rows);
  }

  @Test
  void vectorPathDeliversStoredMicrosecondsAndTheRowEngineMilliseconds() throws Exception {
    Map<Long, List<Object>> stored = new HashMap<>();
    int submillisecond = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(data.table).build()) {
      for (Record r : records) {
        LocalDateTime ts = (LocalDateTime) r.getField("ts");
        OffsetDateTime tz = (OffsetDateTime) r.getField("tz");
        stored.put((Long) r.getField("id"), Arrays.asList(r.getField("id"), ts, tz));
        if (ts != null && ts.getNano() % 1_000_000 != 0) {
          submillisecond++;
        }
      }
    }
    assertThat(submillisecond).as("stored values with microseconds").isGreaterThan(1000);
    String sql = "SELECT id, ts, tz FROM company_data.t";
    List<List<Object>> vector = rows(sql, true, true);
    List<List<Object>> arrow = arrowRows(sql, true, 1000);
    List<List<Object>> rowEngine = run(sql, false);
    assertThat(vector).hasSize(stored.size());
    assertThat(arrow).containsExactlyElementsOf(vector);
    for (int i = 0; i < vector.size(); i++) {
      List<Object> row = vector.get(i);
      List<Object> expected = stored.get((Long) row.get(0));
      assertThat(row.get(1)).isEqualTo(expected.get(1));
      // timestamptz: the same instant, in UTC
      assertThat(row.get(2)).isEqualTo(expected.get(2));
      assertThat(rowEngine.get(i))
          .containsExactly(
              row.get(0),
              VectorTestData.floorToMillis(expected.get(1)),
              VectorTestData.floorToMillis(expected.get(2)));
    }
  }

  @ParameterizedTest
  @MethodSource("fallback")
  void otherShapesFallBackToTheRowEngine(String sql) throws Exception {
    assertThat(rows(sql, true, false)).containsExactlyElementsOf(run(sql, false));
  }

  private static List<List<Object>> run(String sql, boolean vector) throws Exception {
    return rows(sql, vector, vector);
  }

  private static QueryResult execute(String sql, boolean vector) throws Exception {
    return EXECUTOR.execute(
        NqlParser.parse(sql),
        data.root(),
        new ScanMetrics(),
        List.of(),
        Map.of(VectorExecution.CONTEXT_KEY, vector));
  }

  private static List<List<Object>> rows(String sql, boolean vector, boolean expectVector)
      throws Exception {
    try (QueryResult r = execute(sql, vector)) {
      assertThat(r.vectorized()).as("vectorized: " + sql).isEqualTo(expectVector);
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(normalize(r.row()));
      }
      return rows;
    }
  }

  private static List<List<Object>> arrowRows(String sql, boolean vector, int batch)
      throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        QueryResult r = execute(sql, vector);
        ArrowReader reader = r.arrowReader(allocator, batch)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        assertThat(root.getRowCount()).isLessThanOrEqualTo(batch);
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
