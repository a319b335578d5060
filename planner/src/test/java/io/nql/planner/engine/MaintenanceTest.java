package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.maintenance.MaintenanceSettings;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table maintenance on real Iceberg tables through the engine: {@code VACUUM} expires snapshots
 * without failing a read in progress or a materialized view's next {@code DELTA} refresh, removes
 * only old unreferenced files; a retention deletes exactly the expired rows in one snapshot and
 * keeps the others' row ids; the scheduled pass applies retention and expiry; names of other
 * companies' or missing datasets all give the same not-found error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession beta;
  private long betaId;
  private final TestClock clock = new TestClock(Instant.now());

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    engine.useClock(clock);
    // no read grace: only pins keep a snapshot a reader needs, which is what is tested
    engine.useMaintenanceSettings(
        new MaintenanceSettings(Duration.ofDays(7), Duration.ofDays(3), Duration.ZERO));
    beta = engine.trusted("beta_user");
    betaId = engine.store().company("beta").orElseThrow().id();
  }

  @BeforeEach
  void realTime() {
    clock.now = Instant.now();
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

  private List<Object> row(String sql) {
    try (StatementResult r = beta.execute(sql)) {
      Object[] row = r.next();
      assertThat(r.next()).isNull();
      return List.of(row);
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
            .mapToObj(i -> "(" + i + ", 'v" + i + "')")
            .collect(Collectors.joining(", "));
    update("INSERT INTO company_data." + dataset + " VALUES " + values);
  }

  private Table table(String name) {
    return engine.warehouse().loadTable(engine.warehouse().dataset(betaId, name).orElseThrow());
  }

  private static int snapshots(Table t) {
    int n = 0;
    for (Snapshot ignored : t.snapshots()) {
      n++;
    }
    return n;
  }

  /** {@code VACUUM}'s one row: snapshots expired, files deleted, bytes freed. */
  private long[] vacuum(String sql) {
    clock.now = Instant.now(); // snapshots' times are the real clock's
    List<Object> r = row(sql);
    return new long[] {(Long) r.get(0), (Long) r.get(1), (Long) r.get(2)};
  }

  @Test
  void expiryDuringALongReadDoesNotFailTheRead() throws Exception {
    update("CREATE DATASET \"long_read\" (id BIGINT, v VARCHAR)");
    for (int i = 0; i < 5; i++) {
      insert("long_read", i * 2000 + 1, i * 2000 + 2000);
    }
    List<String> control = rows("SELECT id, v FROM company_data.long_read");
    assertThat(control).hasSize(10_000);
    long read = table("long_read").currentSnapshot().snapshotId();
    List<String> seen = new ArrayList<>();
    try (StatementResult r = beta.execute("SELECT id, v FROM company_data.long_read")) {
      for (int i = 0; i < 100; i++) {
        Object[] row = r.next();
        seen.add(row[0] + "|" + row[1]);
      }
      // every file the read has yet to open is replaced, then expiry runs with no retention
      assertThat(update("DELETE FROM company_data.long_read WHERE MOD(id, 2) = 0")).isEqualTo(5000);
      long[] v = vacuum("VACUUM company_data.long_read RETAIN 0 DAYS");
      assertThat(v[0]).isPositive(); // the snapshots before the one being read
      // left: the one being read and the DELETE's
      assertThat(snapshots(table("long_read"))).isEqualTo(2);
      assertThat(table("long_read").snapshot(read)).isNotNull();
      for (Object[] row = r.next(); row != null; row = r.next()) {
        seen.add(row[0] + "|" + row[1]);
      }
    }
    seen.sort(null);
    assertThat(seen).isEqualTo(control);
    // closing the result released its pin (and no other read holds one)
    assertThat(
            io.nql.planner.iceberg.ReadPins.shared().pinned(table("long_read").uuid().toString()))
        .isEmpty();
    // the read is over: its snapshot goes now, and the five files only it referenced with it
    long[] after = vacuum("VACUUM company_data.long_read RETAIN 0 DAYS");
    assertThat(after[0]).isEqualTo(1);
    assertThat(after[1]).isGreaterThanOrEqualTo(5);
    assertThat(after[2]).isPositive();
    assertThat(snapshots(table("long_read"))).isEqualTo(1);
    assertThat(rows("SELECT id, v FROM company_data.long_read")).hasSize(5000);
  }

  @Test
  void aDeltaViewRefreshedAfterVacuumReadsExactlyTheNewRowsOnce() throws Exception {
    update("CREATE DATASET \"ev\" (id BIGINT, v VARCHAR)");
    insert("ev", 1, 10);
    update(
        "CREATE MATERIALIZED VIEW \"ev_copy\" AS SELECT id, v FROM DELTA(TABLE company_data.ev)");
    long evId = engine.warehouse().dataset(betaId, "ev").orElseThrow().id();
    long position = DeltaRead.positionsOf(table("ev_copy")).get(evId).snapshotId();
    insert("ev", 11, 15);
    update("DELETE FROM company_data.ev WHERE id = 3");
    insert("ev", 16, 16);
    vacuum("VACUUM company_data.ev RETAIN 0 DAYS");
    vacuum("VACUUM company_data.ev_copy RETAIN 0 DAYS");
    // the snapshot the view's position names is gone
    assertThat(table("ev").snapshot(position)).isNull();
    assertThat(update("REFRESH MATERIALIZED VIEW \"ev_copy\"")).isEqualTo(6);
    assertThat(rows("SELECT id FROM company_data.ev_copy WHERE id > 10"))
        .containsExactly("11", "12", "13", "14", "15", "16");
    assertThat(rows("SELECT id FROM company_data.ev_copy")).hasSize(16).doesNotHaveDuplicates();
    assertThat(update("REFRESH MATERIALIZED VIEW \"ev_copy\"")).isZero();
  }

  @Test
  void theViewsPositionsSurviveExpiryOfItsOwnTable() throws Exception {
    update("CREATE DATASET \"src\" (id BIGINT, v VARCHAR)");
    insert("src", 1, 4);
    update(
        "CREATE MATERIALIZED VIEW \"src_copy\" AS SELECT id, v FROM DELTA(TABLE company_data.src)");
    Table view = table("src_copy");
    Map<Long, DeltaRead.Position> before = DeltaRead.positionsOf(view);
    // a later snapshot of the view's table without positions (a plain append of no rows)
    view.newAppend().set("nql.operation", "test").commit();
    vacuum("VACUUM company_data.src_copy RETAIN 0 DAYS");
    assertThat(DeltaRead.positionsOf(table("src_copy"))).isEqualTo(before).isNotEmpty();
    insert("src", 5, 6);
    assertThat(update("REFRESH MATERIALIZED VIEW \"src_copy\"")).isEqualTo(2);
    assertThat(rows("SELECT id FROM company_data.src_copy")).hasSize(6).doesNotHaveDuplicates();
  }

  @Test
  void orphanRemovalDeletesOnlyOldUnreferencedFiles() throws Exception {
    update("CREATE DATASET \"orphans\" (id BIGINT, v VARCHAR)");
    insert("orphans", 1, 20);
    Table t = table("orphans");
    Path root = Path.of(java.net.URI.create(t.location()));
    Path data = Files.createDirectories(root.resolve("data"));
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(10)));
    Path oldOrphan = Files.writeString(data.resolve("killed-load.parquet"), "x".repeat(1000));
    Files.setLastModifiedTime(oldOrphan, old);
    Path fresh = Files.writeString(data.resolve("running-load.parquet"), "in flight");
    // a referenced file, however old, stays
    String referenced = t.currentSnapshot().addedDataFiles(t.io()).iterator().next().location();
    Path referencedPath = Path.of(java.net.URI.create(referenced));
    Files.setLastModifiedTime(referencedPath, old);
    // a link to a file outside the table is neither followed nor deleted
    Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
    Files.setLastModifiedTime(outside, old);
    Path link = Files.createSymbolicLink(data.resolve("link.parquet"), outside);
    long[] v = vacuum("VACUUM company_data.orphans");
    assertThat(v[0]).isZero();
    assertThat(v[1]).isEqualTo(1);
    assertThat(v[2]).isEqualTo(1000);
    assertThat(oldOrphan).doesNotExist();
    assertThat(fresh).exists();
    assertThat(referencedPath).exists();
    assertThat(outside).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(rows("SELECT id FROM company_data.orphans")).hasSize(20);
  }

  /** The row ids of a dataset's rows, by id. */
  private Map<Long, Long> rowIds(String dataset) throws Exception {
    Table t = table(dataset);
    Schema schema = new Schema(t.schema().findField("id"), MetadataColumns.ROW_ID);
    Map<Long, Long> out = new TreeMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).project(schema).build()) {
      for (Record r : records) {
        out.put((Long) r.getField("id"), (Long) r.getField(MetadataColumns.ROW_ID.name()));
      }
    }
    return out;
  }

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private String ts(Instant at) {
    return "TIMESTAMP '" + TS.format(at.atOffset(ZoneOffset.UTC)) + "'";
  }

  @Test
  void theScheduledPassAppliesRetentionAndExpiry() throws Exception {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    clock.now = now;
    update("CREATE DATASET \"ret\" (id BIGINT, at TIMESTAMP)");
    update("CREATE DATASET \"ret_files\" (id BIGINT, at TIMESTAMP)");
    // ages in days, one row each; 30 days kept; a NULL time is not expired
    int[] ages = {0, 1, 29, 31, 45, 400, 5, 60};
    Map<Long, Boolean> kept = new TreeMap<>();
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < ages.length; i++) {
      Instant at = now.minus(Duration.ofDays(ages[i])).minusSeconds(1);
      values
          .append(i == 0 ? "" : ", ")
          .append('(')
          .append(i)
          .append(", ")
          .append(ts(at))
          .append(')');
      kept.put((long) i, ages[i] < 30);
    }
    values.append(", (100, NULL)");
    kept.put(100L, true);
    update("INSERT INTO company_data.ret VALUES " + values);
    // ret_files: the expired rows in files of their own (as a load per day leaves them)
    update(
        "INSERT INTO company_data.ret_files VALUES (1, "
            + ts(now.minus(Duration.ofDays(40)))
            + ")");
    update(
        "INSERT INTO company_data.ret_files VALUES (2, "
            + ts(now.minus(Duration.ofDays(35)))
            + ")");
    update(
        "INSERT INTO company_data.ret_files VALUES (3, " + ts(now.minus(Duration.ofDays(2))) + ")");
    update("ALTER DATASET \"ret\" SET RETENTION 30 DAYS ON at");
    update("ALTER DATASET company_data.\"ret_files\" SET RETENTION 30 DAYS ON \"at\"");
    Map<Long, Long> idsBefore = rowIds("ret");
    Map<Long, Long> fileIdsBefore = rowIds("ret_files");
    long retBefore = table("ret").currentSnapshot().snapshotId();
    long filesBefore = table("ret_files").currentSnapshot().snapshotId();

    // every snapshot older than now is expired by the pass; nothing is read meanwhile
    engine.useMaintenanceSettings(
        new MaintenanceSettings(Duration.ZERO, Duration.ofDays(3), Duration.ZERO));
    try {
      clock.now = Instant.now().plus(Duration.ofMinutes(5));
      // the rows' ages count from the clock's now, which the pass uses
      MaintenanceScheduler scheduler = MaintenanceScheduler.manual(engine, Duration.ofHours(1));
      assertThat(scheduler.pass()).isPositive();
      assertThat(scheduler.pass()).isZero(); // maintained within the interval
    } finally {
      engine.useMaintenanceSettings(
          new MaintenanceSettings(Duration.ofDays(7), Duration.ofDays(3), Duration.ZERO));
    }
    Instant cutoff = clock.now.minus(Duration.ofDays(30));
    // the model: a row stays when it is younger than the cutoff or has no time
    List<String> expected = new ArrayList<>();
    kept.forEach(
        (id, k) -> {
          long age = id == 100 ? -1 : ages[id.intValue()];
          boolean stays =
              id == 100 || now.minus(Duration.ofDays(age)).minusSeconds(1).isAfter(cutoff);
          if (stays) {
            expected.add(String.valueOf(id));
          }
        });
    expected.sort(null);
    assertThat(rows("SELECT id FROM company_data.ret")).isEqualTo(expected);
    assertThat(rows("SELECT id FROM company_data.ret_files")).containsExactly("3");

    // one snapshot each, whose parent was the snapshot before; the rest expired by the pass
    for (String name : List.of("ret", "ret_files")) {
      Table t = table(name);
      assertThat(snapshots(t)).as(name).isEqualTo(1);
      assertThat(io.nql.planner.iceberg.ReadPins.shared().pinned(t.uuid().toString()))
          .as(name)
          .isEmpty();
    }
    Table ret = table("ret");
    assertThat(ret.currentSnapshot().parentId()).isEqualTo(retBefore);
    Table retFiles = table("ret_files");
    assertThat(retFiles.currentSnapshot().parentId()).isEqualTo(filesBefore);
    assertThat(retFiles.currentSnapshot().summary()).containsEntry("nql.operation", "retention");
    // the rows that stay keep their ids
    Map<Long, Long> idsAfter = rowIds("ret");
    assertThat(idsAfter.keySet().stream().map(String::valueOf).sorted().toList())
        .isEqualTo(expected);
    idsAfter.forEach((id, rowId) -> assertThat(rowId).isEqualTo(idsBefore.get(id)));
    assertThat(rowIds("ret_files")).containsExactly(Map.entry(3L, fileIdsBefore.get(3L)));

    // each dataset's pass is audited once (the second pass maintained nothing): the gateway as
    // actor, no user nor company; the owner reads it as an event on its dataset
    for (String name : List.of("ret", "ret_files")) {
      List<AuditEvent> passes =
          engine.store().audit().events(betaId).stream()
              .filter(e -> e.action().equals(MaintenanceScheduler.AUDIT_ACTION))
              .filter(e -> name.equals(e.objectName()))
              .toList();
      assertThat(passes).as(name).hasSize(1);
      AuditEvent e = passes.get(0);
      assertThat(e.kind()).isEqualTo("ddl");
      assertThat(e.userId()).isNull();
      assertThat(e.userName()).isNull();
      assertThat(e.companyId()).isNull();
      assertThat(e.objectId()).isEqualTo(idOf(name));
      assertThat(e.objectCompanyId()).isEqualTo(betaId);
      assertThat(e.outcome()).isEqualTo("ok");
      assertThat(e.detail())
          .contains("\"actor\":\"gateway\"")
          .contains("\"retention_rows_deleted\":" + (name.equals("ret") ? 4 : 2))
          .contains("\"snapshots_expired\":");
    }
    assertThat(
            rows(
                "SELECT object_name, user_name, company FROM company_data._audit WHERE action ="
                    + " 'SCHEDULED MAINTENANCE' AND object_name IN ('ret', 'ret_files')"))
        .containsExactly("ret_files|null|null", "ret|null|null");

    // NONE removes the retention: a later pass deletes nothing
    update("ALTER DATASET \"ret\" SET RETENTION NONE");
    assertThat(engine.store().maintenance().retention(idOf("ret"))).isEmpty();
  }

  private long idOf(String name) {
    return engine.warehouse().dataset(betaId, name).orElseThrow().id();
  }

  @Test
  void retentionOfInstantsAndDatesDeletesTheExpiredRows() throws Exception {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    clock.now = now;
    update("CREATE DATASET \"ret_tz\" (id BIGINT, at TIMESTAMP WITH LOCAL TIME ZONE)");
    update("CREATE DATASET \"ret_day\" (id BIGINT, d DATE)");
    update(
        "INSERT INTO company_data.ret_tz VALUES (1, "
            + ts(now.minus(Duration.ofDays(40)))
            + "), (2, "
            + ts(now.minus(Duration.ofDays(1)))
            + ")");
    java.time.LocalDate today = java.time.LocalDate.ofInstant(now, ZoneOffset.UTC);
    update(
        "INSERT INTO company_data.ret_day VALUES (1, DATE '"
            + today.minusDays(12)
            + "'), (2, DATE '"
            + today.minusDays(8)
            + "'), (3, DATE '"
            + today
            + "')");
    update("ALTER DATASET \"ret_tz\" SET RETENTION 30 DAYS ON at");
    update("ALTER DATASET \"ret_day\" SET RETENTION 10 DAYS ON d");
    clock.now = Instant.now().plus(Duration.ofMinutes(5));
    MaintenanceScheduler.manual(engine, Duration.ofMillis(1)).pass();
    assertThat(rows("SELECT id FROM company_data.ret_tz")).containsExactly("2");
    assertThat(rows("SELECT id FROM company_data.ret_day")).containsExactly("2", "3");
  }

  @Test
  void retentionNeedsADateOrTimestampColumn() {
    update("CREATE DATASET \"ret_bad\" (id BIGINT, at TIMESTAMP)");
    assertThatThrownBy(() -> update("ALTER DATASET \"ret_bad\" SET RETENTION 3 DAYS ON id"))
        .isInstanceOf(NqlException.class)
        .hasMessage(
            "Cannot set retention of dataset ret_bad: column id is long, not a date or timestamp")
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("42804"));
    assertThatThrownBy(() -> update("ALTER DATASET \"ret_bad\" SET RETENTION 3 DAYS ON nope"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("42703"));
    assertThat(engine.store().maintenance().retention(idOf("ret_bad"))).isEmpty();
  }

  @Test
  void otherCompaniesAndMissingDatasetsAreNotFound() {
    // acme owns "people"; beta names it in every way it could
    List<String> names =
        List.of(
            "company_data.people",
            "\"people\"",
            "acme.people",
            "acme.people_eu",
            "company_data.\"../c1/d1\"",
            "company_data.nope",
            "narrative.people");
    for (String name : names) {
      for (String sql :
          List.of("VACUUM " + name, "ALTER DATASET " + name + " SET RETENTION 1 DAYS ON at")) {
        assertThatThrownBy(() -> update(sql))
            .as(sql)
            .isInstanceOf(NqlException.class)
            .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("42P01"));
      }
    }
    assertThat(
            snapshots(
                engine
                    .warehouse()
                    .loadTable(
                        engine
                            .warehouse()
                            .dataset(engine.store().company("acme").orElseThrow().id(), "people")
                            .orElseThrow())))
        .isEqualTo(1);
  }

  @Test
  void vacuumIsAudited() {
    update("CREATE DATASET \"audited\" (id BIGINT, v VARCHAR)");
    vacuum("VACUUM company_data.audited");
    List<AuditEvent> events = engine.store().audit().events(betaId);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("VACUUM");
              assertThat(e.outcome()).isEqualTo("ok");
            });
  }
}
