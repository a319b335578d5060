package io.nql.planner.plane.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark reads the tables the embedded engine writes: a dataset created and loaded through our
 * engine, over a PostgreSQL metadata store, is queried through {@link SparkConnectClient} on a
 * Spark Connect server whose Iceberg catalog is that store's catalog, and every statement must give
 * exactly the rows our engine gives.
 *
 * <p>Needs a running server: skipped unless {@code NQL_SPARK_URL} is set (e.g. {@code
 * sc://127.0.0.1:15002}), failed instead when {@code nql.test.spark=required} (CI). Start one with
 * {@code .ci/spark.sh start}; the test and the script read the catalog database from the same
 * settings ({@code NQL_SPARK_CATALOG_URL}, {@code NQL_SPARK_CATALOG_USER}, {@code
 * NQL_SPARK_CATALOG_PASSWORD}, same defaults). That database's schema (named in the URL's {@code
 * currentSchema}, which must start with {@code nql_spark}) is the test's own: it is emptied at the
 * start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkPlaneTest {
  static final String SPARK_URL = System.getenv("NQL_SPARK_URL");
  static final String CATALOG_URL =
      env(
          "NQL_SPARK_CATALOG_URL",
          "jdbc:postgresql://localhost:5432/nql_test?currentSchema=nql_spark");
  static final String CATALOG_USER = env("NQL_SPARK_CATALOG_USER", "nql");
  static final String CATALOG_PASSWORD = env("NQL_SPARK_CATALOG_PASSWORD", "nql");

  @TempDir static Path dir;
  private BufferAllocator allocator;
  private NqlEngine engine;
  private NqlSession acme;
  private SparkConnectClient spark;
  private String table;
  private long started;
  private long setUpNanos;
  private long sparkNanos;
  private int sparkQueries;

  @BeforeAll
  void setUp() throws SQLException {
    if (SPARK_URL == null || SPARK_URL.isBlank()) {
      String reason =
          "NQL_SPARK_URL is unset: start a Spark Connect server with `.ci/spark.sh start` and set"
              + " NQL_SPARK_URL=sc://127.0.0.1:15002";
      if ("required".equals(System.getProperty("nql.test.spark"))) {
        fail(reason + " (nql.test.spark=required)");
      }
      assumeTrue(false, reason);
    }
    started = System.nanoTime();
    resetCatalogSchema();
    allocator = new RootAllocator();
    engine =
        NqlEngine.open(
            new EngineConfig(
                dir.resolve("wh"),
                CATALOG_URL,
                CATALOG_USER,
                CATALOG_PASSWORD,
                List.of(),
                List.of(),
                "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      run(admin, "CREATE COMPANY acme");
      run(admin, "CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'");
    }
    acme = engine.trusted("acme_user");
    run(
        acme,
        "CREATE DATASET \"sales\" (id BIGINT NOT NULL, region VARCHAR, amount DECIMAL(12, 2),"
            + " qty INTEGER, day DATE, flag BOOLEAN, score DOUBLE)");
    // two commits: two snapshots, two data files
    insertRows(1, 300);
    insertRows(301, 600);
    table = onlyCatalogTable();
    spark = SparkConnectClient.connect(SPARK_URL, "nql-test");
    setUpNanos = System.nanoTime() - started;
  }

  @AfterAll
  void tearDown() {
    if (spark != null) {
      spark.close();
    }
    if (acme != null) {
      acme.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (allocator != null) {
      assertThat(allocator.getAllocatedMemory()).as("Arrow memory left allocated").isZero();
      allocator.close();
    }
    if (started != 0) {
      // the figures the Spark plane's notes quote (docs/operations/data-planes.md)
      System.err.printf(
          "SparkPlaneTest: %d ms in all; set-up (engine, catalog, 600 rows) %d ms; %d Spark"
              + " statements %d ms%n",
          (System.nanoTime() - started) / 1_000_000,
          setUpNanos / 1_000_000,
          sparkQueries,
          sparkNanos / 1_000_000);
    }
  }

  static final List<String> QUERIES =
      List.of(
          "SELECT id, region, amount, qty, day, flag, score FROM $t ORDER BY id",
          "SELECT id, amount FROM $t WHERE qty < 5 AND region <> 'APAC' ORDER BY id",
          "SELECT id FROM $t WHERE amount IS NULL OR (flag AND score > 800) ORDER BY id",
          "SELECT id, day FROM $t WHERE day >= DATE '2024-02-01' AND id BETWEEN 100 AND 400"
              + " ORDER BY id",
          "SELECT region, COUNT(*), SUM(amount), MIN(day), MAX(qty) FROM $t GROUP BY region"
              + " ORDER BY region",
          "SELECT id FROM $t WHERE region = 'nowhere' ORDER BY id");

  @Test
  void sparkGivesTheRowsOurEngineGives() {
    for (String q : QUERIES) {
      List<List<String>> ours = engineRows(q.replace("$t", "company_data.sales"));
      List<List<String>> theirs = sparkRows(q.replace("$t", table));
      assertThat(theirs).as(q).isEqualTo(ours);
    }
    // not vacuous: the first query reads every row, the second a proper subset
    assertThat(engineRows(QUERIES.get(0).replace("$t", "company_data.sales"))).hasSize(600);
    assertThat(engineRows(QUERIES.get(1).replace("$t", "company_data.sales")))
        .hasSizeBetween(1, 599);
  }

  @Test
  void sparkSeesCommitsMadeAfterItsFirstRead() {
    String count = "SELECT COUNT(*) FROM $t WHERE id > 1000";
    assertThat(sparkRows(count.replace("$t", table))).isEqualTo(List.of(List.of("0")));
    insertRows(1001, 1010);
    try {
      assertThat(sparkRows(count.replace("$t", table))).isEqualTo(List.of(List.of("10")));
      assertThat(sparkRows(count.replace("$t", table)))
          .isEqualTo(engineRows(count.replace("$t", "company_data.sales")));
    } finally {
      run(acme, "DELETE FROM company_data.sales WHERE id > 1000");
    }
    // the engine's delete (a new snapshot with delete files) hides the rows from Spark too
    assertThat(sparkRows(count.replace("$t", table))).isEqualTo(List.of(List.of("0")));
    assertThat(sparkRows("SELECT COUNT(*) FROM " + table)).isEqualTo(List.of(List.of("600")));
  }

  @Test
  void anEmptyResultStillHasItsColumns() {
    try (SparkQuery q =
        spark.query("SELECT id, region FROM " + table + " WHERE id < 0", allocator)) {
      assertThat(q.loadNextBatch()).isFalse();
      assertThat(q.rows()).isZero();
      assertThat(q.root()).isNotNull();
      assertThat(q.root().getSchema().getFields())
          .extracting(f -> f.getName())
          .containsExactly("id", "region");
    }
  }

  @Test
  void sparksErrorNamesItsClassNotItsMessage() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> sparkRows("SELECT * FROM nql.c0.no_such_table"));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.EXTERNAL_SOURCE_ERROR);
    assertThat(e.getMessage())
        .startsWith("Statement on Spark plane ")
        .endsWith(" failed: TABLE_OR_VIEW_NOT_FOUND")
        .doesNotContain("no_such_table");
  }

  @Test
  void closingAQueryEarlyReleasesItsBatchAndTheSessionGoesOn() {
    try (SparkQuery q = spark.query("SELECT id FROM " + table, allocator)) {
      assertThat(q.loadNextBatch()).isTrue();
      assertThat(q.root().getRowCount()).isPositive();
    }
    assertThat(allocator.getAllocatedMemory()).isZero();
    assertThat(sparkRows("SELECT COUNT(*) FROM " + table)).isEqualTo(List.of(List.of("600")));
  }

  @Test
  void twoQueriesOfOneSessionRunAtOnce() {
    try (SparkQuery evens =
            spark.query("SELECT id FROM " + table + " WHERE id % 2 = 0 ORDER BY id", allocator);
        SparkQuery odds =
            spark.query("SELECT id FROM " + table + " WHERE id % 2 = 1 ORDER BY id", allocator)) {
      assertThat(odds.loadNextBatch()).isTrue();
      assertThat(evens.loadNextBatch()).isTrue();
      assertThat(odds.root().getVector(0).getObject(0)).isEqualTo(1L);
      assertThat(evens.root().getVector(0).getObject(0)).isEqualTo(2L);
      while (evens.loadNextBatch()) {
        assertThat(evens.root().getRowCount()).isPositive();
      }
      while (odds.loadNextBatch()) {
        assertThat(odds.root().getRowCount()).isPositive();
      }
      assertThat(evens.rows()).isEqualTo(300);
      assertThat(odds.rows()).isEqualTo(300);
    }
  }

  private List<List<String>> sparkRows(String sql) {
    List<List<String>> out = new ArrayList<>();
    long t0 = System.nanoTime();
    sparkQueries++;
    try (SparkQuery q = spark.query(sql, allocator)) {
      while (q.loadNextBatch()) {
        VectorSchemaRoot root = q.root();
        for (int i = 0; i < root.getRowCount(); i++) {
          List<String> row = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            Object value = v.getObject(i);
            if (value != null && v instanceof DateDayVector) {
              value = LocalDate.ofEpochDay((Integer) value);
            }
            row.add(canonical(value));
          }
          out.add(row);
        }
      }
    } finally {
      sparkNanos += System.nanoTime() - t0;
    }
    return out;
  }

  private List<List<String>> engineRows(String sql) {
    List<List<String>> out = new ArrayList<>();
    try (StatementResult r = acme.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        List<String> values = new ArrayList<>();
        for (Object v : row) {
          values.add(canonical(v));
        }
        out.add(values);
      }
    }
    return out;
  }

  /** A value in a form that compares across the two engines' Java types. */
  static String canonical(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal || v instanceof Long || v instanceof Integer) {
      BigDecimal d = new BigDecimal(v.toString()).stripTrailingZeros();
      return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    return v.toString();
  }

  private void insertRows(int from, int to) {
    StringBuilder sql = new StringBuilder("INSERT INTO company_data.sales VALUES ");
    String[] regions = {"EU", "US", "APAC", "it's"};
    for (int g = from; g <= to; g++) {
      if (g > from) {
        sql.append(", ");
      }
      sql.append('(')
          .append(g)
          .append(", '")
          .append(regions[g % 4].replace("'", "''"))
          .append("', ")
          .append(g % 50 == 0 ? "NULL" : new BigDecimal(g * 7 % 1000).movePointLeft(1))
          .append(", ")
          .append(g % 13)
          .append(", DATE '")
          .append(LocalDate.of(2024, 1, 1).plusDays(g % 60))
          .append("', ")
          .append(g % 3 == 0)
          .append(", ")
          .append(g * 1.5)
          .append(')');
    }
    assertThat(run(acme, sql.toString())).isEqualTo(to - from + 1);
  }

  /** The Spark name of the one table in the catalog: {@code nql.c<company>.d<dataset>}. */
  private String onlyCatalogTable() throws SQLException {
    try (Connection c = DriverManager.getConnection(CATALOG_URL, CATALOG_USER, CATALOG_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_namespace, table_name FROM iceberg_tables WHERE catalog_name ="
                    + " 'nql'")) {
      assertThat(rs.next()).as("a table in the catalog").isTrue();
      String name = "nql.`" + rs.getString(1) + "`.`" + rs.getString(2) + "`";
      assertThat(rs.next()).as("one table in the catalog").isFalse();
      return name;
    }
  }

  private static void resetCatalogSchema() throws SQLException {
    Matcher m = Pattern.compile("[?&]currentSchema=([A-Za-z0-9_]+)").matcher(CATALOG_URL);
    if (!m.find() || !m.group(1).startsWith("nql_spark")) {
      fail(
          "NQL_SPARK_CATALOG_URL must name a schema of its own starting with nql_spark"
              + " (currentSchema=…): the test empties it");
    }
    String schema = m.group(1);
    try (Connection c = DriverManager.getConnection(CATALOG_URL, CATALOG_USER, CATALOG_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  private static long run(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      return r.updateCount();
    }
  }

  private static String env(String name, String defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }
}
