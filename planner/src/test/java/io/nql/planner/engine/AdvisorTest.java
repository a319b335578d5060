package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.maintenance.QueryPredicates;
import io.nql.planner.store.QueryStats;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 * The layout advisor: after a workload of selective queries on a column, by the owner and by a
 * buyer through an access rule, {@code SHOW RECOMMENDATIONS} proposes sorting by that column, and
 * after {@code APPLY} the same queries plan fewer files (as the query log records them) with the
 * same answers and the same row ids. A dataset nobody filtered gets no recommendation, and another
 * company cannot see a provider's recommendations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdvisorTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private long acmeId;

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

  /** A query's sorted rows and the files its scan planned, as the query log has it. */
  private record Observed(List<String> rows, QueryStats stats) {}

  private Observed query(NqlSession session, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    String id;
    try (StatementResult r = session.execute(sql)) {
      id = r.statementId();
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
    }
    out.sort(null);
    return new Observed(out, engine.store().queryLogEntry(id).orElseThrow().stats());
  }

  private static List<List<String>> rows(NqlSession session, String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 1000)) {
        out.add(row.stream().map(String::valueOf).toList());
      }
    }
    return out;
  }

  private Table table(String name) {
    return engine.warehouse().loadTable(engine.warehouse().dataset(acmeId, name).orElseThrow());
  }

  private static Map<Long, Long> rowIds(Table table) throws Exception {
    table.refresh();
    Map<Long, Long> out = new TreeMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).project(Lineage.withLineage(table.schema())).build()) {
      for (Record r : rows) {
        out.put((Long) r.getField("id"), (Long) r.getField(Lineage.ROW_ID));
      }
    }
    return out;
  }

  @Test
  void selectiveQueriesOnAColumnGetItProposedAndApplyingItPrunesFiles() throws Exception {
    run(acme, "CREATE DATASET \"sales\" (id BIGINT, region VARCHAR, amount BIGINT)");
    run(acme, "CREATE DATASET \"quiet\" (id BIGINT, amount BIGINT)");
    run(
        acme,
        "CREATE ACCESS RULE \"sales_eu\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta) AS"
            + " SELECT id, region, amount FROM company_data.sales WHERE region <> 'internal'");
    // 8 loads, each spanning the whole range of amount: every file overlaps every filter
    for (int load = 0; load < 8; load++) {
      int l = load;
      String values =
          IntStream.range(0, 50)
              .map(i -> i * 8 + l + 1)
              .mapToObj(i -> "(" + i + ", '" + (i % 7 == 0 ? "internal" : "eu") + "', " + i + ")")
              .collect(Collectors.joining(", "));
      run(acme, "INSERT INTO company_data.sales VALUES " + values);
      run(acme, "INSERT INTO company_data.quiet VALUES (" + l + ", " + l + ")");
    }
    run(acme, "SELECT * FROM company_data.quiet"); // read, but never filtered
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.sales")).isEmpty();
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.quiet")).isEmpty();

    String own = "SELECT id, amount FROM company_data.sales s WHERE s.amount BETWEEN 100 AND 120";
    String bought = "SELECT id, amount FROM acme.sales_eu WHERE amount = 200 LIMIT 100 USD";
    Observed ownBefore = query(acme, own);
    query(acme, own);
    query(acme, "SELECT COUNT(*) FROM company_data.sales WHERE amount >= 390");
    Observed boughtBefore = query(beta, bought);
    query(beta, bought);
    assertThat(ownBefore.stats().filesPlanned()).isEqualTo(8);
    assertThat(boughtBefore.rows()).containsExactly("200|200");

    List<List<String>> shown = rows(acme, "SHOW RECOMMENDATIONS");
    assertThat(shown).hasSize(1);
    List<String> r = shown.get(0);
    assertThat(r.subList(0, 5))
        .containsExactly("1", "company_data.sales", "sort order", "amount", "5");
    assertThat(new BigDecimal(r.get(5))).isEqualByComparingTo("8"); // files now
    assertThat(new BigDecimal(r.get(6))).isEqualByComparingTo("1"); // after: one file
    assertThat(new BigDecimal(r.get(7))).isEqualByComparingTo("7");
    // all of the dataset's bytes fit one file: the saving is in files opened, not in bytes
    assertThat(Long.parseLong(r.get(8))).isZero();
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.sales")).isEqualTo(shown);
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.quiet")).isEmpty();

    // the buyer sees none of it: not for the provider's dataset, nor in its own list
    assertThat(rows(beta, "SHOW RECOMMENDATIONS")).isEmpty();
    String missing = message(beta, "SHOW RECOMMENDATIONS FOR company_data.nothing");
    assertThat(message(beta, "SHOW RECOMMENDATIONS FOR company_data.sales"))
        .isEqualTo(missing.replace("nothing", "sales"));
    assertThat(message(beta, "SHOW RECOMMENDATIONS FOR acme.sales")).contains("Unknown table");
    assertThat(message(beta, "APPLY RECOMMENDATIONS FOR acme.sales")).contains("Unknown table");
    assertThat(message(beta, "APPLY RECOMMENDATION 1")).contains("no such recommendation");

    Map<Long, Long> ids = rowIds(table("sales"));
    Table before = table("sales");
    long snapshotBefore = before.currentSnapshot().snapshotId();
    int commitsBefore = metadataFiles(before);
    rows(acme, "APPLY RECOMMENDATION 1");

    Table t = table("sales");
    // one commit: the sort order and the rewrite's snapshot together
    assertThat(metadataFiles(t)).isEqualTo(commitsBefore + 1);
    assertThat(t.currentSnapshot().parentId()).isEqualTo(snapshotBefore);
    assertThat(t.currentSnapshot().operation()).isEqualTo("replace");
    // audited with the dataset it chose and the number applied
    assertThat(engine.store().audit().events(acmeId))
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("APPLY RECOMMENDATION");
              assertThat(e.objectName()).isEqualTo("sales");
              assertThat(e.objectId()).isEqualTo(datasetId("sales"));
              assertThat(e.outcome()).isEqualTo("ok");
              assertThat(e.detail()).contains("\"recommendation\":1");
            });
    assertThat(t.sortOrder().fields()).hasSize(1);
    assertThat(t.schema().findColumnName(t.sortOrder().fields().get(0).sourceId()))
        .isEqualTo("amount");
    assertThat(rowIds(t)).isEqualTo(ids);
    Observed ownAfter = query(acme, own);
    Observed boughtAfter = query(beta, bought);
    assertThat(ownAfter.rows()).isEqualTo(ownBefore.rows());
    assertThat(boughtAfter.rows()).isEqualTo(boughtBefore.rows());
    assertThat(ownAfter.stats().filesPlanned()).isLessThan(ownBefore.stats().filesPlanned());
    assertThat(boughtAfter.stats().filesPlanned()).isLessThan(boughtBefore.stats().filesPlanned());
    // sorted by the column now: nothing more to propose
    assertThat(rows(acme, "SHOW RECOMMENDATIONS")).isEmpty();
    assertThat(message(acme, "APPLY RECOMMENDATIONS FOR company_data.quiet"))
        .contains("no such recommendation");
  }

  /** Files a scan of the table plans for {@code filter} now. */
  private static int planned(Table table, org.apache.iceberg.expressions.Expression filter)
      throws Exception {
    table.refresh();
    int n = 0;
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
        table.newScan().filter(filter).planFiles()) {
      for (org.apache.iceberg.FileScanTask ignored : tasks) {
        n++;
      }
    }
    return n;
  }

  private static List<String> ledger(NqlSession session) throws Exception {
    return rows(
            session,
            "SELECT statement_id, rule, rows_delivered, amount_micros FROM company_data._ledger")
        .stream()
        .map(r -> String.join("|", r))
        .sorted()
        .toList();
  }

  /** A query's sorted rows and its charge. */
  private record Charged(List<String> rows, Charge charge) {}

  private static Charged charged(NqlSession session, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
      out.sort(null);
      return new Charged(out, r.charge());
    }
  }

  @Test
  void rangeFiltersOnATimestampGetAMonthlyPartitionSpecAppliedInOneCommit() throws Exception {
    run(acme, "CREATE DATASET \"visits\" (id BIGINT, visited_at TIMESTAMP, amount BIGINT)");
    run(
        acme,
        "CREATE ACCESS RULE \"visits_eu\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta) AS"
            + " SELECT id, visited_at, amount FROM company_data.visits");
    // 8 loads, each with rows from January to mid-April 2026: every file spans four months
    java.time.LocalDate start = java.time.LocalDate.of(2026, 1, 1);
    for (int load = 0; load < 8; load++) {
      int l = load;
      String values =
          IntStream.range(0, 20)
              .mapToObj(
                  i ->
                      "("
                          + (l * 20 + i)
                          + ", TIMESTAMP '"
                          + start.plusDays(i * 5L + l)
                          + " 10:00:00', "
                          + i
                          + ")")
              .collect(Collectors.joining(", "));
      run(acme, "INSERT INTO company_data.visits VALUES " + values);
    }
    String own =
        "SELECT id, visited_at FROM company_data.visits WHERE visited_at BETWEEN"
            + " TIMESTAMP '2026-02-01 00:00:00' AND TIMESTAMP '2026-02-28 23:59:59'";
    String bought =
        "SELECT id, amount FROM acme.visits_eu WHERE visited_at >= TIMESTAMP '2026-03-01"
            + " 00:00:00' AND visited_at <= TIMESTAMP '2026-03-31 00:00:00' LIMIT 1000 USD";
    Observed ownBefore = query(acme, own);
    query(acme, own);
    Charged boughtBefore = charged(beta, bought);
    charged(beta, bought);
    assertThat(ownBefore.stats().filesPlanned()).isEqualTo(8);
    assertThat(boughtBefore.rows()).isNotEmpty();
    assertThat(boughtBefore.charge().rows()).isEqualTo(boughtBefore.rows().size());

    // 103 days (more partitions than the dataset's 8 files): months, 4 of them
    List<List<String>> shown = rows(acme, "SHOW RECOMMENDATIONS FOR company_data.visits");
    assertThat(shown).hasSize(1);
    List<String> r = shown.get(0);
    assertThat(r.subList(1, 5))
        .containsExactly("company_data.visits", "partition spec", "month(visited_at)", "4");
    assertThat(new BigDecimal(r.get(5))).isEqualByComparingTo("8"); // files now
    assertThat(new BigDecimal(r.get(6))).isEqualByComparingTo("1"); // one month's file
    assertThat(new BigDecimal(r.get(7))).isEqualByComparingTo("7");
    Table before = table("visits");
    long bytes = 0;
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = before.newScan().planFiles()) {
      for (org.apache.iceberg.FileScanTask t : tasks) {
        bytes += t.file().fileSizeInBytes();
      }
    }
    // three quarters of the bytes: all files now, one of four partitions after
    assertThat(Long.parseLong(r.get(8))).isBetween(bytes * 3 / 4 - 1, bytes * 3 / 4 + 1);

    org.apache.iceberg.expressions.Expression february =
        org.apache.iceberg.expressions.Expressions.and(
            org.apache.iceberg.expressions.Expressions.greaterThanOrEqual(
                "visited_at", "2026-02-01T00:00:00"),
            org.apache.iceberg.expressions.Expressions.lessThan(
                "visited_at", "2026-03-01T00:00:00"));
    assertThat(planned(before, february)).isEqualTo(8);
    Map<Long, Long> ids = rowIds(before);
    long snapshot = before.currentSnapshot().snapshotId();
    List<String> acmeLedger = ledger(acme);
    List<String> betaLedger = ledger(beta);

    rows(acme, "APPLY RECOMMENDATIONS FOR company_data.visits");

    Table t = table("visits");
    assertThat(t.spec().fields()).hasSize(1);
    assertThat(t.spec().fields().get(0).transform().toString()).isEqualTo("month");
    assertThat(t.schema().findColumnName(t.spec().fields().get(0).sourceId()))
        .isEqualTo("visited_at");
    // one snapshot, every file rewritten into the spec: one file a month
    assertThat(t.currentSnapshot().parentId()).isEqualTo(snapshot);
    assertThat(t.currentSnapshot().operation()).isEqualTo("replace");
    assertThat(planned(t, org.apache.iceberg.expressions.Expressions.alwaysTrue())).isEqualTo(4);
    assertThat(planned(t, february)).isEqualTo(1);
    assertThat(rowIds(t)).isEqualTo(ids);
    // the ledger did not move; the same answers, at the same price
    assertThat(ledger(acme)).isEqualTo(acmeLedger);
    assertThat(ledger(beta)).isEqualTo(betaLedger);
    Observed ownAfter = query(acme, own);
    Charged boughtAfter = charged(beta, bought);
    assertThat(ownAfter.rows()).isEqualTo(ownBefore.rows());
    assertThat(ownAfter.stats().filesPlanned()).isEqualTo(1);
    assertThat(boughtAfter.rows()).isEqualTo(boughtBefore.rows());
    assertThat(boughtAfter.charge()).isEqualTo(boughtBefore.charge());
    // partitioned that way now: not proposed again
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.visits")).isEmpty();
  }

  @Test
  void equalityFiltersOnALowCardinalityColumnGetAnIdentityPartition() throws Exception {
    run(acme, "CREATE DATASET \"shops\" (id BIGINT, region VARCHAR, amount BIGINT)");
    // 6 loads, each with rows of the three regions: every file holds every region
    for (int load = 0; load < 6; load++) {
      int l = load;
      String values =
          IntStream.range(0, 9)
              .mapToObj(i -> "(" + (l * 9 + i) + ", 'r" + (i % 3) + "', " + i + ")")
              .collect(Collectors.joining(", "));
      run(acme, "INSERT INTO company_data.shops VALUES " + values);
    }
    String own = "SELECT id FROM company_data.shops WHERE region = 'r1'";
    Observed before = query(acme, own);
    query(acme, own);
    query(acme, "SELECT id FROM company_data.shops WHERE region IN ('r1', 'r2')");
    assertThat(before.stats().filesPlanned()).isEqualTo(6);

    // three regions (from the stored statistics), within the bound of 6 files: identity; the
    // sort order on the same column is not proposed besides it
    List<List<String>> shown = rows(acme, "SHOW RECOMMENDATIONS FOR company_data.shops");
    assertThat(shown).hasSize(1);
    List<String> r = shown.get(0);
    assertThat(r.subList(1, 5))
        .containsExactly("company_data.shops", "partition spec", "identity(region)", "3");
    assertThat(new BigDecimal(r.get(5))).isEqualByComparingTo("6");
    // one partition for '=', two for IN: (1 + 1 + 2) / 3
    assertThat(new BigDecimal(r.get(6))).isEqualByComparingTo("1.3");

    rows(acme, "APPLY RECOMMENDATIONS FOR company_data.shops");
    // one value per file now: sorting by it is not proposed either
    assertThat(rows(acme, "SHOW RECOMMENDATIONS FOR company_data.shops")).isEmpty();
    Table t = table("shops");
    assertThat(t.spec().fields().get(0).transform().isIdentity()).isTrue();
    assertThat(planned(t, org.apache.iceberg.expressions.Expressions.alwaysTrue())).isEqualTo(3);
    assertThat(planned(t, org.apache.iceberg.expressions.Expressions.equal("region", "r1")))
        .isEqualTo(1);
    Observed after = query(acme, own);
    assertThat(after.rows()).isEqualTo(before.rows());
    assertThat(after.stats().filesPlanned()).isEqualTo(1);
  }

  /** Metadata files the table has had: one per commit (current and previous ones). */
  private static int metadataFiles(Table table) {
    table.refresh();
    return ((org.apache.iceberg.HasTableOperations) table)
            .operations()
            .current()
            .previousFiles()
            .size()
        + 1;
  }

  private long datasetId(String name) {
    return engine.warehouse().dataset(acmeId, name).orElseThrow().id();
  }

  /**
   * A dataset of 4 loads spanning the whole range of amount (load l in region {@code r<l>}), and a
   * workload filtering on amount.
   */
  private void filteredDataset(String name) throws Exception {
    run(acme, "CREATE DATASET \"" + name + "\" (id BIGINT, region VARCHAR, amount BIGINT)");
    for (int load = 0; load < 4; load++) {
      int l = load;
      String values =
          IntStream.range(0, 25)
              .map(i -> i * 4 + l + 1)
              .mapToObj(i -> "(" + i + ", 'r" + l + "', " + i + ")")
              .collect(Collectors.joining(", "));
      run(acme, "INSERT INTO company_data." + name + " VALUES " + values);
    }
    for (int q = 0; q < 3; q++) {
      query(acme, "SELECT id FROM company_data." + name + " WHERE amount BETWEEN 10 AND 20");
    }
  }

  /** The number SHOW RECOMMENDATIONS gives the dataset's sort order now. */
  private String numberOf(String name) throws Exception {
    return rows(acme, "SHOW RECOMMENDATIONS").stream()
        .filter(r -> r.get(1).equals("company_data." + name) && r.get(2).equals("sort order"))
        .findFirst()
        .orElseThrow()
        .get(0);
  }

  @Test
  void aFailedApplyChangesNeitherLayoutNorSnapshot() throws Exception {
    filteredDataset("atomic");
    String number = numberOf("atomic");
    Table before = table("atomic");
    long snapshot = before.currentSnapshot().snapshotId();
    int commits = metadataFiles(before);
    int spec = before.spec().specId();

    // a failure after every file was read and written: nothing committed, files removed
    acme.setProgressListener(
        onLastFile(
            () -> {
              throw new IllegalStateException("injected failure");
            }));
    try {
      assertThatThrownBy(() -> run(acme, "APPLY RECOMMENDATION " + number));
    } finally {
      acme.setProgressListener(io.nql.planner.result.ProgressListener.NONE);
    }
    Table t = table("atomic");
    assertThat(t.sortOrder().isUnsorted()).isTrue();
    assertThat(t.spec().specId()).isEqualTo(spec);
    assertThat(t.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    assertThat(metadataFiles(t)).isEqualTo(commits);

    // a DELETE commits while every try rewrites: the rewrite must not undo it, and fails 40001
    try (NqlSession other = engine.trusted("acme_user")) {
      int[] deleted = {0};
      acme.setProgressListener(
          onLastFile(
              () -> {
                deleted[0]++;
                // rows of the first load only: the other files stay as they are
                run(
                    other,
                    "DELETE FROM company_data.atomic WHERE region = 'r0' AND id = "
                        + (deleted[0] * 4 - 3));
              }));
      try {
        assertThatThrownBy(() -> run(acme, "APPLY RECOMMENDATIONS FOR company_data.atomic"))
            .isInstanceOfSatisfying(
                NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("40001"));
      } finally {
        acme.setProgressListener(io.nql.planner.result.ProgressListener.NONE);
      }
      assertThat(deleted[0]).isEqualTo(3);
    }
    t = table("atomic");
    assertThat(t.sortOrder().isUnsorted()).isTrue();
    assertThat(t.spec().specId()).isEqualTo(spec);
    // no sort order was ever committed, and only the three deletes' snapshots
    assertThat(t.sortOrders()).hasSize(1);
    assertThat(t.specs()).hasSize(1);
    int snapshots = 0;
    for (org.apache.iceberg.Snapshot s = t.currentSnapshot();
        s.snapshotId() != snapshot;
        s = t.snapshot(s.parentId())) {
      assertThat(s.operation()).isNotEqualTo("replace");
      snapshots++;
    }
    assertThat(snapshots).isEqualTo(3);
    assertThat(rows(acme, "SELECT COUNT(*) FROM company_data.atomic"))
        .containsExactly(List.of("97"));
    assertThat(engine.store().audit().events(acmeId))
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("APPLY RECOMMENDATION");
              assertThat(e.objectName()).isEqualTo("atomic");
              assertThat(e.outcome()).isNotEqualTo("ok");
            })
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("APPLY RECOMMENDATIONS");
              assertThat(e.objectName()).isEqualTo("atomic");
              assertThat(e.outcome()).isEqualTo("40001");
            });

    // and once nothing interferes, it applies
    // (the deletes left one file: three more loads make the sort worth it again)
    for (int load = 0; load < 3; load++) {
      run(
          acme,
          "INSERT INTO company_data.atomic VALUES (" + (200 + load) + ", 'r9', 1), (0, 'r9', 99)");
    }
    long loaded = table("atomic").currentSnapshot().snapshotId();
    rows(acme, "APPLY RECOMMENDATIONS FOR company_data.atomic");
    t = table("atomic");
    assertThat(t.sortOrder().isSorted()).isTrue();
    assertThat(t.currentSnapshot().parentId()).isEqualTo(loaded);
    assertThat(t.currentSnapshot().operation()).isEqualTo("replace");
  }

  /** A listener that runs {@code action} each time a try has read its last file. */
  private static io.nql.planner.result.ProgressListener onLastFile(Runnable action) {
    return new io.nql.planner.result.ProgressListener() {
      @Override
      public void progress(long done, long total) {}

      @Override
      public void progress(long done, long total, int filesDone, int filesTotal) {
        if (filesDone == filesTotal) {
          action.run();
        }
      }
    };
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
  void predicatesAreFoundPerTableTheyFilter() {
    Map<String, List<QueryPredicates.Predicate>> p =
        QueryPredicates.of(
            "SELECT * FROM company_data.a x JOIN acme.r y ON x.id = y.id"
                + " WHERE x.n BETWEEN 1 AND 5 AND y.s IN ('p', 'q') AND 10 > x.m AND UPPER(y.t) = 'Z'"
                + " LIMIT 5 USD");
    assertThat(p.get("company_data.a"))
        .containsExactly(
            new QueryPredicates.Predicate("n", new BigDecimal("1"), new BigDecimal("5"), List.of()),
            new QueryPredicates.Predicate("m", null, new BigDecimal("10"), List.of()));
    assertThat(p.get("acme.r"))
        .containsExactly(new QueryPredicates.Predicate("s", null, null, List.of("p", "q")));
    assertThat(
            QueryPredicates.of("SELECT * FROM company_data.a WHERE n = -3").get("company_data.a"))
        .containsExactly(
            new QueryPredicates.Predicate("n", null, null, List.of(new BigDecimal("-3"))));
    assertThat(
            QueryPredicates.of(
                    "SELECT * FROM company_data.a WHERE d >= DATE '2026-02-01' AND t BETWEEN"
                        + " TIMESTAMP '2026-02-01 00:00:00' AND TIMESTAMP '2026-02-28 23:59:59'")
                .get("company_data.a"))
        .containsExactly(
            new QueryPredicates.Predicate("d", java.time.LocalDate.of(2026, 2, 1), null, List.of()),
            new QueryPredicates.Predicate(
                "t",
                java.time.LocalDateTime.of(2026, 2, 1, 0, 0),
                java.time.LocalDateTime.of(2026, 2, 28, 23, 59, 59),
                List.of()));
    assertThat(QueryPredicates.of("not sql at all")).isEmpty();
    assertThat(QueryPredicates.of("INSERT INTO company_data.a VALUES (1)")).isEmpty();
  }
}
