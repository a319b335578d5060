package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.MaterializedViews.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OPTIMIZE company_data.<ds>}: after many small loads the dataset's files are compacted into
 * one snapshot that changes no answer, no charge and no row id: owner and buyer read the same rows,
 * the ledger does not move, a buyer pays the same for the same query, materialized views reading
 * {@code DELTA} of the dataset or of a rule on it find nothing new. A concurrent insert is kept, a
 * concurrent delete is not undone, a compact table gets no new snapshot, and another company's
 * dataset is as unknown as a missing one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptimizeTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private long acmeId;

  /** USD per 1,000 rows: one dollar a row. */
  private static final int CPM = 1000;

  @BeforeAll
  void setUp() throws Exception {
    engine =
        io.nql.planner.testing.Marketplace.open(
            dir.resolve("wh"), Files.createDirectories(dir.resolve("ingest")), "acme", "beta");
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    acmeId = engine.store().company("acme").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    engine.close();
  }

  private static long run(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      return r.updateCount();
    }
  }

  /** A query's rows, sorted, and what it charged. */
  private record Answer(List<String> rows, Charge charge) {}

  private static Answer query(NqlSession session, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
      out.sort(null);
      return new Answer(out, r.charge());
    }
  }

  private static List<String> rows(NqlSession session, String sql) throws Exception {
    return query(session, sql).rows();
  }

  /** The one row OPTIMIZE answers, by column name. */
  private static Map<String, Long> optimize(NqlSession session, String sql) throws Exception {
    try (StatementResult r = session.execute(sql)) {
      List<List<Object>> rows = ResultText.read(r, false, 10);
      assertThat(rows).hasSize(1);
      Map<String, Long> out = new TreeMap<>();
      for (int i = 0; i < r.columns().size(); i++) {
        out.put(r.columns().get(i).name(), Long.parseLong(String.valueOf(rows.get(0).get(i))));
      }
      return out;
    }
  }

  private void create(String name) {
    run(acme, "CREATE DATASET \"" + name + "\" (id BIGINT, region VARCHAR, amount BIGINT)");
    run(
        acme,
        "CREATE ACCESS RULE \""
            + name
            + "_eu\" PRICE_CPM_USD = "
            + CPM
            + " SHARE WITH COMPANIES (beta) AS SELECT id, region, amount FROM company_data."
            + name
            + " WHERE region <> 'internal'");
  }

  /** Inserts rows {@code from..to}; every fifth is internal (hidden by the rule). */
  private void insert(String name, int from, int to) {
    String values =
        IntStream.rangeClosed(from, to)
            .mapToObj(
                i -> "(" + i + ", '" + (i % 5 == 0 ? "internal" : "eu" + (i % 3)) + "', " + i + ")")
            .collect(Collectors.joining(", "));
    run(acme, "INSERT INTO company_data." + name + " VALUES " + values);
  }

  private Table table(String name) {
    return engine.warehouse().loadTable(engine.warehouse().dataset(acmeId, name).orElseThrow());
  }

  private static int files(Table table) throws Exception {
    table.refresh();
    int n = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  /** Per row (by id), its row id and last-updated sequence number, read with Iceberg's reader. */
  private static Map<Long, List<Long>> lineage(Table table) throws Exception {
    table.refresh();
    Map<Long, List<Long>> out = new TreeMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).project(Lineage.withLineage(table.schema())).build()) {
      for (Record r : rows) {
        Long rowId = (Long) r.getField(Lineage.ROW_ID);
        Long updated = (Long) r.getField(Lineage.LAST_UPDATED);
        assertThat(rowId).isNotNull();
        assertThat(updated).isNotNull();
        out.put((Long) r.getField("id"), List.of(rowId, updated));
      }
    }
    return out;
  }

  private static List<String> ledger(NqlSession session) throws Exception {
    return rows(
        session,
        "SELECT statement_id, rule, rows_delivered, amount_micros FROM company_data._ledger");
  }

  @Test
  void smallLoadsCompactIntoOneFileWithTheSameAnswersChargesAndLedger() throws Exception {
    create("events");
    for (int load = 0; load < 12; load++) {
      insert("events", load * 50 + 1, load * 50 + 50);
    }
    assertThat(files(table("events"))).isEqualTo(12);
    String owner = "SELECT id, region, amount FROM company_data.events";
    String buyer =
        "SELECT id, region, amount FROM acme.events_eu WHERE amount > 100 LIMIT 10000 USD";
    List<String> ownerRows = rows(acme, owner);
    Answer bought = query(beta, buyer);
    assertThat(ownerRows).hasSize(600);
    assertThat(bought.charge().rows()).isEqualTo(bought.rows().size()).isGreaterThan(0);
    List<String> acmeLedger = ledger(acme);
    List<String> betaLedger = ledger(beta);
    long snapshotBefore = table("events").currentSnapshot().snapshotId();

    Map<String, Long> summary = optimize(acme, "OPTIMIZE company_data.events");

    assertThat(summary)
        .containsEntry("files_before", 12L)
        .containsEntry("files_after", 1L)
        .containsEntry("files_rewritten", 12L)
        .containsEntry("files_written", 1L)
        .containsEntry("rows_rewritten", 600L);
    Table t = table("events");
    assertThat(files(t)).isEqualTo(1);
    assertThat(summary.get("bytes_after"))
        .isEqualTo(
            t.currentSnapshot().summary().get("total-files-size") == null
                ? summary.get("bytes_after")
                : Long.parseLong(t.currentSnapshot().summary().get("total-files-size")));
    // one rewrite snapshot on top of the one before
    assertThat(t.currentSnapshot().parentId()).isEqualTo(snapshotBefore);
    assertThat(t.currentSnapshot().operation()).isEqualTo("replace");
    // same answers; the ledger did not move; the same query costs the buyer the same
    assertThat(rows(acme, owner)).isEqualTo(ownerRows);
    assertThat(ledger(acme)).isEqualTo(acmeLedger);
    assertThat(ledger(beta)).isEqualTo(betaLedger);
    Answer again = query(beta, buyer);
    assertThat(again.rows()).isEqualTo(bought.rows());
    assertThat(again.charge()).isEqualTo(bought.charge());
    // audited as the dataset's owner's maintenance
    List<AuditEvent> events = engine.store().audit().events(acmeId);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("OPTIMIZE");
              assertThat(e.objectName()).isEqualTo("events");
              assertThat(e.outcome()).isEqualTo("ok");
            });
  }

  @Test
  void rowIdsAreKeptSoDeltaViewsReadAndPayNothingNew() throws Exception {
    create("visits");
    insert("visits", 1, 20);
    run(
        beta,
        "CREATE MATERIALIZED VIEW \"visits_new\" AS SELECT id, region, amount FROM"
            + " DELTA(TABLE acme.visits_eu) LIMIT 100000 USD");
    run(
        acme,
        "CREATE MATERIALIZED VIEW \"visits_copy\" AS SELECT id, amount FROM"
            + " DELTA(TABLE company_data.visits)");
    for (int load = 1; load < 3; load++) {
      insert("visits", load * 20 + 1, load * 20 + 20);
    }
    // copy-on-write changes first (they rewrite every file), then more small loads
    run(acme, "DELETE FROM company_data.visits WHERE id BETWEEN 30 AND 33");
    run(acme, "UPDATE company_data.visits SET amount = amount + 1000 WHERE id = 50");
    for (int load = 3; load < 6; load++) {
      insert("visits", load * 20 + 1, load * 20 + 20);
    }
    assertThat(run(beta, "REFRESH MATERIALIZED VIEW \"visits_new\"")).isPositive();
    assertThat(run(acme, "REFRESH MATERIALIZED VIEW \"visits_copy\"")).isPositive();
    Map<Long, List<Long>> before = lineage(table("visits"));
    assertThat(files(table("visits"))).isGreaterThan(1);

    optimize(acme, "OPTIMIZE company_data.visits");

    assertThat(files(table("visits"))).isEqualTo(1);
    assertThat(lineage(table("visits"))).isEqualTo(before);
    assertThat(run(beta, "REFRESH MATERIALIZED VIEW \"visits_new\"")).isZero();
    assertThat(lastRun(beta, "visits_new").spentMicros()).isZero();
    assertThat(run(acme, "REFRESH MATERIALIZED VIEW \"visits_copy\"")).isZero();
    // rows added after the compaction are new, and paid for once: ids 121..125, 125 internal
    insert("visits", 121, 125);
    assertThat(run(beta, "REFRESH MATERIALIZED VIEW \"visits_new\"")).isEqualTo(4);
    assertThat(lastRun(beta, "visits_new").spentMicros()).isEqualTo(4 * CPM * 1000L);
    assertThat(run(acme, "REFRESH MATERIALIZED VIEW \"visits_copy\"")).isEqualTo(5);
  }

  private Run lastRun(NqlSession session, String view) {
    long company = engine.store().company(session.companySlug()).orElseThrow().id();
    long id = engine.warehouse().dataset(company, view).orElseThrow().id();
    return engine.store().views().runs(id, 1).get(0);
  }

  @Test
  void anInsertCommittedWhileCompactingIsKept() throws Exception {
    create("clicks");
    for (int load = 0; load < 5; load++) {
      insert("clicks", load * 10 + 1, load * 10 + 10);
    }
    try (NqlSession other = engine.trusted("acme_user")) {
      acme.setProgressListener(
          onLastFile(() -> run(other, "INSERT INTO company_data.clicks VALUES (999, 'eu1', 9)")));
      Map<String, Long> summary;
      try {
        summary = optimize(acme, "OPTIMIZE company_data.clicks");
      } finally {
        acme.setProgressListener(ProgressListener.NONE);
      }
      assertThat(summary).containsEntry("files_rewritten", 5L).containsEntry("rows_rewritten", 50L);
    }
    assertThat(rows(acme, "SELECT COUNT(*), SUM(id) FROM company_data.clicks"))
        .containsExactly("51|" + (50 * 51 / 2 + 999));
    // the compacted file and the insert's
    assertThat(files(table("clicks"))).isEqualTo(2);
  }

  @Test
  void aDeleteCommittedWhileCompactingIsNotUndone() throws Exception {
    create("orders");
    for (int load = 0; load < 4; load++) {
      insert("orders", load * 10 + 1, load * 10 + 10);
    }
    try (NqlSession other = engine.trusted("acme_user")) {
      acme.setProgressListener(
          onLastFile(() -> run(other, "DELETE FROM company_data.orders WHERE id <= 15")));
      try {
        optimize(acme, "OPTIMIZE company_data.orders");
      } finally {
        acme.setProgressListener(ProgressListener.NONE);
      }
    }
    // the conflict made the first try fail; the retry compacted what the delete left
    assertThat(rows(acme, "SELECT COUNT(*), MIN(id) FROM company_data.orders"))
        .containsExactly("25|16");
    assertThat(files(table("orders"))).isEqualTo(1);
  }

  /** A listener that runs {@code action} once, when the first try has read its last file. */
  private static ProgressListener onLastFile(Runnable action) {
    boolean[] fired = {false};
    return new ProgressListener() {
      @Override
      public void progress(long done, long total) {}

      @Override
      public void progress(long done, long total, int filesDone, int filesTotal) {
        if (filesDone == filesTotal && !fired[0]) {
          fired[0] = true;
          action.run();
        }
      }
    };
  }

  @Test
  void aCompactTableGetsNoNewSnapshot() throws Exception {
    create("single");
    insert("single", 1, 10);
    long snapshot = table("single").currentSnapshot().snapshotId();
    assertThat(optimize(acme, "OPTIMIZE company_data.single"))
        .containsEntry("files_before", 1L)
        .containsEntry("files_after", 1L)
        .containsEntry("files_rewritten", 0L);
    assertThat(table("single").currentSnapshot().snapshotId()).isEqualTo(snapshot);
    insert("single", 11, 20);
    optimize(acme, "OPTIMIZE company_data.single TARGET_FILE_SIZE = '64MB'");
    long compacted = table("single").currentSnapshot().snapshotId();
    assertThat(compacted).isNotEqualTo(snapshot);
    assertThat(optimize(acme, "OPTIMIZE company_data.single")).containsEntry("files_rewritten", 0L);
    assertThat(table("single").currentSnapshot().snapshotId()).isEqualTo(compacted);
    // an empty dataset
    run(acme, "CREATE DATASET \"empty\" (id BIGINT)");
    assertThat(optimize(acme, "OPTIMIZE company_data.empty")).containsEntry("files_before", 0L);
  }

  @Test
  void aSortedDatasetIsRewrittenInItsOrder() throws Exception {
    run(acme, "CREATE DATASET \"sorted\" (id BIGINT, name VARCHAR) SORTED_BY id");
    for (int l = 0; l < 4; l++) {
      int load = l;
      // loads interleave ids: 0, 4, 8, ... then 1, 5, 9, ...
      String values =
          IntStream.range(0, 25)
              .mapToObj(i -> "(" + (i * 4 + load) + ", 'n')")
              .collect(Collectors.joining(", "));
      run(acme, "INSERT INTO company_data.sorted VALUES " + values);
    }
    optimize(acme, "OPTIMIZE company_data.sorted");
    Table t = table("sorted");
    assertThat(files(t)).isEqualTo(1);
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    }
    assertThat(ids).hasSize(100).isSorted();
  }

  @Test
  void partitionsAreCompactedEachIntoItsOwnFile() throws Exception {
    run(
        acme,
        "CREATE DATASET \"parts\" (id BIGINT, region VARCHAR) PARTITIONED_BY region IDENTITY");
    for (int load = 0; load < 3; load++) {
      run(
          acme,
          "INSERT INTO company_data.parts VALUES ("
              + load
              + ", 'a'), ("
              + (load + 10)
              + ", 'b'), ("
              + (load + 20)
              + ", 'c')");
    }
    assertThat(files(table("parts"))).isEqualTo(9);
    List<String> before = rows(acme, "SELECT id, region FROM company_data.parts");
    assertThat(optimize(acme, "OPTIMIZE company_data.parts"))
        .containsEntry("files_before", 9L)
        .containsEntry("files_after", 3L);
    assertThat(rows(acme, "SELECT id, region FROM company_data.parts")).isEqualTo(before);
  }

  @Test
  void anotherCompanysDatasetIsAsUnknownAsAMissingOne() throws Exception {
    create("secret");
    insert("secret", 1, 5);
    insert("secret", 6, 10);
    String missing = message(beta, "OPTIMIZE company_data.nothing_here");
    assertThat(missing).contains("Unknown table");
    assertThat(message(beta, "OPTIMIZE company_data.secret"))
        .isEqualTo(missing.replace("nothing_here", "secret"));
    assertThat(message(beta, "OPTIMIZE acme.secret")).contains("Unknown table");
    assertThat(message(beta, "OPTIMIZE acme.secret_eu")).contains("Unknown table");
    assertThat(message(beta, "OPTIMIZE company_data.\"../acme/secret\"")).contains("Unknown table");
    assertThat(message(beta, "OPTIMIZE company_data.\"" + datasetId("secret") + "\""))
        .contains("Unknown table");
    assertThat(message(acme, "OPTIMIZE company_data._ledger")).contains("read-only system table");
    assertThat(message(acme, "OPTIMIZE company_data._audit")).contains("read-only system table");
    assertThat(message(acme, "OPTIMIZE company_data.secret TARGET_FILE_SIZE = 'huge'"))
        .contains("TARGET_FILE_SIZE must be a size");
    assertThat(message(acme, "OPTIMIZE company_data.secret TARGET_FILE_SIZE = '100'"))
        .contains("TARGET_FILE_SIZE must be a size");
    assertThat(message(acme, "OPTIMIZE company_data.secret FAST = 'yes'"))
        .contains("unknown option FAST");
    // nothing was rewritten by any of these
    assertThat(files(table("secret"))).isEqualTo(2);
  }

  private long datasetId(String name) {
    return engine.warehouse().dataset(acmeId, name).orElseThrow().id();
  }

  private static String message(NqlSession session, String sql) {
    try {
      run(session, sql);
    } catch (NqlException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error from " + sql);
  }

  @Test
  void optionsAreParsed() {
    assertThat(OptimizeStatements.options(parsed("TARGET_FILE_SIZE = '128MB'"), "x"))
        .isEqualTo(new io.nql.planner.maintenance.Compaction.Options(128L << 20, false));
    assertThat(OptimizeStatements.options(parsed("target_file_size = 2048"), "x"))
        .isEqualTo(new io.nql.planner.maintenance.Compaction.Options(2048, false));
    assertThat(OptimizeStatements.options(parsed("TARGET_FILE_SIZE = '1.5 GB'"), "x"))
        .isEqualTo(new io.nql.planner.maintenance.Compaction.Options(3L << 29, false));
    assertThatThrownBy(
            () ->
                OptimizeStatements.options(
                    parsed("TARGET_FILE_SIZE = '1MB', TARGET_FILE_SIZE = '2MB'"), "x"))
        .hasMessageContaining("given twice");
  }

  private static org.apache.calcite.sql.SqlNodeList parsed(String options) {
    return ((io.nql.planner.parser.SqlOptimize)
            io.nql.planner.parser.NqlParser.parse("OPTIMIZE company_data.x " + options))
        .options();
  }
}
