package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.DeltaRead;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental reads of materialized views: {@code DELTA(TABLE company_data.x)} and {@code
 * DELTA((query))} read the rows added since the view's last committed run. Over an append-only
 * history a view that appends its delta holds exactly the full query's rows (each once), however
 * loads and refreshes interleave; a failed run does not move the view's position; rows added since
 * the last run are still new after a DELETE or UPDATE rewrote them, and old rows an UPDATE changed
 * are not; DELTA outside a view, of the ledger or the Rosetta Stone, or of a query that is not row
 * by row, is refused with nothing created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaViewTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession beta;
  private long betaId;

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    beta = engine.trusted("beta_user");
    betaId = engine.store().company("beta").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    beta.close();
    engine.close();
  }

  private long update(String sql) {
    try (StatementResult r = beta.execute(sql)) {
      return r.updateCount();
    }
  }

  private List<StatementWarning> warnings(String sql) {
    try (StatementResult r = beta.execute(sql)) {
      return r.warnings();
    }
  }

  private List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = beta.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
    }
    out.sort(null);
    return out;
  }

  private void insert(String dataset, int from, int to) {
    String values =
        IntStream.rangeClosed(from, to)
            .mapToObj(i -> "(" + i + ", 'k" + (i % 3) + "')")
            .collect(Collectors.joining(", "));
    update("INSERT INTO company_data." + dataset + " VALUES " + values);
  }

  private Table table(String name) {
    return engine.warehouse().loadTable(engine.warehouse().dataset(betaId, name).orElseThrow());
  }

  @Test
  void anAppendViewOfADeltaHoldsEachRowOnce() throws Exception {
    update("CREATE DATASET \"events\" (id BIGINT, kind VARCHAR)");
    insert("events", 1, 10);
    assertThat(
            update(
                "CREATE MATERIALIZED VIEW \"events_copy\" AS SELECT id, kind FROM"
                    + " DELTA(TABLE company_data.events)"))
        .isEqualTo(10);
    assertThat(update("REFRESH MATERIALIZED VIEW \"events_copy\"")).isZero();
    insert("events", 11, 15);
    insert("events", 16, 16);
    assertThat(update("REFRESH MATERIALIZED VIEW \"events_copy\"")).isEqualTo(6);
    assertThat(rows("SELECT id, kind FROM company_data.events_copy"))
        .isEqualTo(rows("SELECT id, kind FROM company_data.events"))
        .hasSize(16);
    // the position is in the view's snapshot: the events table's current snapshot
    // and the next row id as of it: 16 rows were ever added, with ids 0 to 15
    Map<Long, DeltaRead.Position> positions = DeltaRead.positionsOf(table("events_copy"));
    long eventsId = engine.warehouse().dataset(betaId, "events").orElseThrow().id();
    assertThat(positions)
        .containsExactly(
            Map.entry(
                eventsId,
                new DeltaRead.Position(table("events").currentSnapshot().snapshotId(), 16)));
  }

  @Test
  void interleavedLoadsAndRefreshesNeverLoseOrRepeatARow() throws Exception {
    update("CREATE DATASET \"clicks\" (id BIGINT, kind VARCHAR)");
    update(
        "CREATE MATERIALIZED VIEW \"even_clicks\" AS SELECT * FROM DELTA((SELECT id * 10 AS"
            + " tens, UPPER(kind) AS k FROM company_data.clicks c WHERE MOD(c.id, 2) = 0))");
    update(
        "CREATE MATERIALIZED VIEW \"latest_clicks\" WRITE_MODE = 'overwrite' AS SELECT id FROM"
            + " DELTA(TABLE company_data.clicks)");
    Random random = new Random(42);
    int next = 1;
    for (int step = 0; step < 25; step++) {
      if (random.nextInt(3) > 0) {
        int n = 1 + random.nextInt(7);
        insert("clicks", next, next + n - 1);
        next += n;
      } else {
        int before = next;
        long overwritten = update("REFRESH MATERIALIZED VIEW \"latest_clicks\"");
        update("REFRESH MATERIALIZED VIEW \"even_clicks\"");
        List<String> latest = rows("SELECT id FROM company_data.latest_clicks");
        assertThat(latest).hasSize((int) overwritten);
        // the overwrite view holds what was appended since its previous run, up to now
        latest.forEach(id -> assertThat(Integer.parseInt(id)).isLessThan(before));
      }
    }
    update("REFRESH MATERIALIZED VIEW \"even_clicks\"");
    assertThat(rows("SELECT tens, k FROM company_data.even_clicks"))
        .isEqualTo(
            rows("SELECT id * 10, UPPER(kind) FROM company_data.clicks WHERE MOD(id, 2) = 0"))
        .isNotEmpty();
  }

  @Test
  void aDeltaAndAFullReadOfOneTableInOneQueryStayApart() throws Exception {
    update("CREATE DATASET \"orders\" (id BIGINT, kind VARCHAR)");
    insert("orders", 1, 5);
    update(
        "CREATE MATERIALIZED VIEW \"order_pairs\" AS SELECT d.id, COUNT(*) AS seen FROM"
            + " DELTA(TABLE company_data.orders) d JOIN company_data.orders o ON o.id <= d.id"
            + " GROUP BY d.id");
    insert("orders", 6, 7);
    assertThat(update("REFRESH MATERIALIZED VIEW \"order_pairs\"")).isEqualTo(2);
    // the new rows 6 and 7, each joined with every row up to it in the full table
    assertThat(rows("SELECT id, seen FROM company_data.order_pairs WHERE id > 5"))
        .containsExactly("6|6", "7|7");
  }

  @Test
  void aFailedRunKeepsThePositionAndRewrittenRowsKeepTheirAge() throws Exception {
    update("CREATE DATASET \"readings\" (id BIGINT, kind VARCHAR)");
    insert("readings", 1, 5);
    update(
        "CREATE MATERIALIZED VIEW \"inverse\" AS SELECT id, kind, 100 / (id - 13) AS q FROM"
            + " DELTA(TABLE company_data.readings)");
    Snapshot before = table("inverse").currentSnapshot();
    insert("readings", 12, 14);
    assertThatThrownBy(() -> update("REFRESH MATERIALIZED VIEW \"inverse\""))
        .isInstanceOf(NqlException.class)
        .extracting(e -> ((NqlException) e).sqlState())
        .isEqualTo("22012");
    assertThat(table("inverse").currentSnapshot().snapshotId()).isEqualTo(before.snapshotId());
    // still the same rows in the delta: the run fails again
    assertThatThrownBy(() -> update("REFRESH MATERIALIZED VIEW \"inverse\""))
        .isInstanceOf(NqlException.class);
    // the DELETE and the UPDATE rewrite every file: 12 and 14 stay new (14 with its new kind),
    // the old rows 1 to 3 they changed stay old
    update("DELETE FROM company_data.readings WHERE id = 13");
    update("UPDATE company_data.readings SET kind = 'changed' WHERE id <= 3 OR id = 14");
    insert("readings", 20, 21);
    List<StatementWarning> warned = warnings("REFRESH MATERIALIZED VIEW \"inverse\"");
    assertThat(warned).isEmpty();
    assertThat(rows("SELECT id, kind FROM company_data.inverse"))
        .containsExactly(
            "12|k0", "14|changed", "1|k1", "20|k2", "21|k0", "2|k2", "3|k0", "4|k1", "5|k2");
    update("UPDATE company_data.readings SET kind = 'again'");
    assertThat(update("REFRESH MATERIALIZED VIEW \"inverse\"")).isZero();
  }

  @Test
  void deltaOutsideAViewOrOfWhatHasNoNewRowsIsRefused() {
    update("CREATE DATASET \"logs\" (id BIGINT, kind VARCHAR)");
    insert("logs", 1, 3);
    List<String> refused =
        List.of(
            "SELECT * FROM DELTA(TABLE company_data.logs)",
            "CREATE MATERIALIZED VIEW \"v1\" AS SELECT * FROM DELTA(TABLE"
                + " narrative.rosetta_stone)",
            "CREATE MATERIALIZED VIEW \"v2\" AS SELECT * FROM DELTA(TABLE company_data._ledger)",
            "CREATE MATERIALIZED VIEW \"v2\" AS SELECT * FROM DELTA(TABLE company_data.nothing)",
            "CREATE MATERIALIZED VIEW \"v3\" AS SELECT * FROM DELTA((SELECT COUNT(*) AS n FROM"
                + " company_data.logs))",
            "CREATE MATERIALIZED VIEW \"v4\" AS SELECT * FROM DELTA((SELECT DISTINCT kind FROM"
                + " company_data.logs))",
            "CREATE MATERIALIZED VIEW \"v5\" AS SELECT * FROM DELTA((SELECT a.id FROM"
                + " company_data.logs a JOIN company_data.logs b ON a.id = b.id))",
            "CREATE MATERIALIZED VIEW \"v6\" AS SELECT * FROM DELTA((SELECT id FROM"
                + " company_data.logs WHERE id IN (SELECT id FROM company_data.logs)))",
            "CREATE MATERIALIZED VIEW \"v7\" AS SELECT * FROM DELTA((SELECT id FROM"
                + " company_data.logs ORDER BY id LIMIT 2))",
            "CREATE MATERIALIZED VIEW \"v8\" AS SELECT * FROM DELTA((SELECT id, ROW_NUMBER()"
                + " OVER (ORDER BY id) AS r FROM company_data.logs))");
    for (String sql : refused) {
      assertThatThrownBy(() -> update(sql))
          .as(sql)
          .isInstanceOf(NqlException.class)
          .satisfies(
              e -> {
                assertThat(((NqlException) e).sqlState()).isEqualTo("0A000");
                assertThat(e.getMessage()).contains("DELTA");
              });
    }
    for (String view : List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8")) {
      assertThat(engine.warehouse().dataset(betaId, view)).as(view).isEmpty();
    }
  }

  @Test
  void aForecastOfANewDeltaViewCountsEveryRow() throws Exception {
    update("CREATE DATASET \"sessions\" (id BIGINT, kind VARCHAR)");
    insert("sessions", 1, 40);
    try (StatementResult r =
        beta.execute(
            "EXPLAIN CREATE MATERIALIZED VIEW \"s\" AS SELECT id FROM"
                + " DELTA(TABLE company_data.sessions)")) {
      assertThat(ResultText.read(r, false, 100)).isNotEmpty();
    }
    assertThat(engine.warehouse().dataset(betaId, "s")).isEmpty();
  }
}
