package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan benchmark's shape (bench/scan): a dataset created with DDL types (BIGINT, INTEGER,
 * DECIMAL(12, 2) with NULLs, VARCHAR, TIMESTAMP), loaded from a DuckDB-written Parquet file, shared
 * through a free rule that filters on a hidden column; the buyer's full and selective scans run on
 * the vector path and give the row engine's rows, read as rows and as Arrow batches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorScanShapeTest {
  static final String DDL =
      "id BIGINT, user_id INTEGER, amount DECIMAL(12, 2), country VARCHAR, label VARCHAR,"
          + " event_ts TIMESTAMP, segment VARCHAR, email VARCHAR";

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession vector;
  NqlSession rows;

  @BeforeAll
  void setUp() throws Exception {
    // The provider stages its files in its own area <ingest root>/prov/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("prov"));
    Path parquet = src.resolve("events.parquet");
    try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var s = duck.createStatement()) {
      s.execute("CREATE TABLE events (" + DDL + ")");
      s.execute(
          "INSERT INTO events SELECT i, ((i * 7919) % 100000)::INTEGER,"
              + " CASE WHEN i % 100 = 7 THEN NULL"
              + "  ELSE (((i * 104729) % 10000000) / 100.0)::DECIMAL(12, 2) END,"
              + " (['USA','GBR','DEU','FRA'])[1 + (i % 4)::INTEGER], 'label_' || (i % 1000),"
              + " TIMESTAMP '2026-10-01 00:00:00' + to_seconds((i * 37) % 2592000),"
              + " CASE WHEN i % 5 = 0 THEN 'internal' ELSE 'public' END,"
              + " 'user' || i || '@example.com' FROM range(1, 30001) t(i)");
      s.execute("COPY events TO '" + parquet + "' (FORMAT PARQUET, ROW_GROUP_SIZE 8192)");
    }
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("prov", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    try (NqlSession prov = engine.trusted("prov_user")) {
      prov.execute("CREATE DATASET \"events\" (" + DDL + ")").close();
      prov.execute("COPY INTO company_data.events FROM '" + parquet + "'").close();
      prov.execute(
              "CREATE ACCESS RULE \"events_visible\" PRICE_CPM_USD = 0"
                  + " SHARE WITH COMPANIES (buyer_co) AS SELECT id, user_id, amount, country,"
                  + " label, event_ts FROM company_data.events WHERE segment <> 'internal'")
          .close();
    }
    vector = engine.trusted("buyer_co_user");
    rows = engine.trusted("buyer_co_user");
    rows.setProperty("vector_execution", "false");
  }

  @AfterAll
  void tearDown() {
    vector.close();
    rows.close();
    engine.close();
  }

  record Outcome(List<List<Object>> rows, boolean vector) {}

  Outcome run(NqlSession session, String sql, boolean arrow) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    boolean vectorized;
    try (StatementResult r = session.execute(sql)) {
      vectorized = ((QueryStatementResult) r).vectorized();
      out.addAll(ResultText.read(r, arrow, 1000));
    }
    return new Outcome(out, vectorized);
  }

  void assertVectorizedAndSame(String sql, int expectedRows) throws Exception {
    Outcome expected = run(rows, sql, false);
    assertThat(expected.vector()).isFalse();
    assertThat(expected.rows()).hasSize(expectedRows);
    Outcome vectorRows = run(vector, sql, false);
    assertThat(vectorRows.vector()).as("vectorized " + sql).isTrue();
    assertThat(vectorRows.rows()).as(sql).containsExactlyElementsOf(expected.rows());
    Outcome arrow = run(vector, sql, true);
    assertThat(arrow.vector()).as("vectorized " + sql).isTrue();
    assertThat(arrow.rows()).hasSize(expectedRows);
  }

  @Test
  void fullScanThroughTheRuleIsVectorized() throws Exception {
    assertVectorizedAndSame(
        "SELECT id, user_id, amount, country, label, event_ts FROM prov.events_visible", 24000);
  }

  @Test
  void selectiveScanThroughTheRuleIsVectorized() throws Exception {
    String sql =
        "SELECT id, user_id, amount, country, label, event_ts FROM prov.events_visible"
            + " WHERE user_id < 1000";
    Outcome expected = run(rows, sql, false);
    assertVectorizedAndSame(sql, expected.rows().size());
    assertThat(expected.rows()).isNotEmpty();
  }
}
