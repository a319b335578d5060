package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.warehouse.PartitionSpecs;
import io.nql.planner.warehouse.PartitionTerm;
import io.nql.planner.warehouse.Warehouse;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link MetadataStore} (and the {@link Warehouse} over it) must have. Each
 * test gets a fresh, empty database tied to its warehouse directory.
 */
abstract class MetadataStoreContractTest {
  private static final Schema EVENTS =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "region", Types.StringType.get()),
          Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()));

  @TempDir Path warehouseDir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  /**
   * Opens the store of a warehouse directory. The first call for a directory gives an empty
   * database; later calls for the same directory reopen that database.
   */
  protected abstract MetadataStore openStore(Path warehouseDir);

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    toClose.clear();
  }

  private MetadataStore store() {
    MetadataStore store = openStore(warehouseDir);
    toClose.add(store);
    return store;
  }

  private Warehouse warehouse(MetadataStore store) {
    Warehouse warehouse = Warehouse.open(warehouseDir, store);
    toClose.add(warehouse);
    return warehouse;
  }

  private static NqlException nqlError(Runnable action) {
    try {
      action.run();
    } catch (NqlException e) {
      return e;
    }
    throw new AssertionError("expected an NqlException");
  }

  // Migrations

  @Test
  void migrationsApplyAndAreIdempotentOnReopen() throws Exception {
    MetadataStore first = store();
    first.createCompany("acme");
    first.close();

    MetadataStore second = store();
    assertThat(second.company("acme")).isPresent();
    assertThat(
            queryLong(
                second,
                "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
        .isEqualTo(migrationFiles());
    assertThat(queryLong(second, "SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success"))
        .isZero();
    for (String table :
        List.of(
            "companies",
            "users",
            "datasets",
            "query_log",
            "iceberg_tables",
            "access_rules",
            "access_rule_versions",
            "access_rule_audience",
            "ledger",
            "budget_periods")) {
      assertThat(queryLong(second, "SELECT COUNT(*) FROM " + table)).isNotNegative();
    }
  }

  /** The versioned migrations shipped on the class path (V<n>__*.sql). */
  private static long migrationFiles() throws Exception {
    java.nio.file.Path dir =
        java.nio.file.Path.of(MetadataStoreContractTest.class.getResource("/db/migration").toURI());
    try (var files = java.nio.file.Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  // Companies

  @Test
  void createsAndFindsCompanies() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Company globex = store.createCompany("globex_2");

    assertThat(acme.slug()).isEqualTo("acme");
    assertThat(store.company("acme")).contains(acme);
    assertThat(store.company(globex.id())).contains(globex);
    assertThat(store.company("nobody")).isEmpty();
    assertThat(store.company(987_654L)).isEmpty();
    assertThat(store.companies()).containsExactly(acme, globex);
  }

  @Test
  void refusesDuplicateCompany() {
    MetadataStore store = store();
    store.createCompany("acme");

    NqlException e = nqlError(() -> store.createCompany("acme"));
    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT);
    assertThat(e.sqlState()).isEqualTo("42710");
    assertThat(e.getMessage())
        .isEqualTo("Cannot create company acme: a company with this slug already exists");
    assertThat(store.companies()).hasSize(1);
  }

  @Test
  void refusesInvalidAndReservedSlugs() {
    MetadataStore store = store();
    String tooLong = "a".repeat(64);
    for (String slug :
        List.of(
            "",
            "Acme",
            "1acme",
            "_acme",
            "ac-me",
            "ac me",
            tooLong,
            "company_data",
            "narrative",
            "information_schema",
            "pg_catalog")) {
      NqlException e = nqlError(() -> store.createCompany(slug));
      assertThat(e.code()).as(slug).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
      assertThat(e.sqlState()).isEqualTo("22023");
      assertThat(e.getMessage()).startsWith("Cannot create company").doesNotContain("\n");
    }
    assertThat(store.createCompany("a".repeat(63)).slug()).hasSize(63);
    assertThat(store.companies()).hasSize(1);
  }

  // Users

  @Test
  void createsFindsAndDropsUsers() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    User alice = store.createUser("alice", acme.id(), "pw-alice".toCharArray(), false);
    User root = store.createUser("Root User", acme.id(), "pw-root".toCharArray(), true);

    assertThat(alice.companyId()).isEqualTo(acme.id());
    assertThat(alice.admin()).isFalse();
    assertThat(root.admin()).isTrue();
    assertThat(store.user("alice")).contains(alice);
    assertThat(store.users(acme.id())).containsExactly(root, alice);

    store.dropUser("alice");
    assertThat(store.user("alice")).isEmpty();
    assertThat(store.authenticate("alice", "pw-alice".toCharArray())).isEmpty();

    NqlException e = nqlError(() -> store.dropUser("alice"));
    assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
    assertThat(e.sqlState()).isEqualTo("42704");
    assertThat(e.getMessage()).isEqualTo("Cannot drop user alice: no such user");
  }

  @Test
  void refusesDuplicateUserUnknownCompanyAndEmptyPassword() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    store.createUser("alice", acme.id(), "pw".toCharArray(), false);

    NqlException duplicate =
        nqlError(() -> store.createUser("alice", acme.id(), "other".toCharArray(), true));
    assertThat(duplicate.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT);
    assertThat(duplicate.sqlState()).isEqualTo("42710");
    assertThat(duplicate.getMessage())
        .isEqualTo("Cannot create user alice: a user with this name already exists");
    assertThat(store.user("alice").orElseThrow().admin()).isFalse();

    NqlException unknownCompany =
        nqlError(() -> store.createUser("bob", 424_242L, "pw".toCharArray(), false));
    assertThat(unknownCompany.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
    assertThat(unknownCompany.sqlState()).isEqualTo("42704");
    assertThat(store.user("bob")).isEmpty();

    NqlException emptyPassword =
        nqlError(() -> store.createUser("carol", acme.id(), new char[0], false));
    assertThat(emptyPassword.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    assertThat(store.user("carol")).isEmpty();
  }

  @Test
  void storesOnlySaltedHashesAndAuthenticates() throws Exception {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    User alice = store.createUser("alice", acme.id(), "correct horse".toCharArray(), false);
    store.createUser("bob", acme.id(), "correct horse".toCharArray(), false);

    List<String> hashes = queryStrings(store, "SELECT password_hash FROM users ORDER BY name");
    assertThat(hashes).hasSize(2).doesNotHaveDuplicates();
    for (String hash : hashes) {
      assertThat(hash).startsWith("pbkdf2-sha256$210000$").doesNotContain("correct horse");
    }

    assertThat(store.authenticate("alice", "correct horse".toCharArray())).contains(alice);
    assertThat(store.authenticate("alice", "correct horsE".toCharArray())).isEmpty();
    assertThat(store.authenticate("alice", new char[0])).isEmpty();
    assertThat(store.authenticate("mallory", "correct horse".toCharArray())).isEmpty();
    assertThat(store.authenticate(null, "x".toCharArray())).isEmpty();
  }

  // Bootstrap admin

  @Test
  void bootstrapsAdminWithGeneratedPasswordOnce() {
    MetadataStore store = store();
    BootstrapResult first = store.bootstrapAdmin(null);

    assertThat(first.created()).isTrue();
    assertThat(first.userName()).isEqualTo("admin");
    assertThat(first.passwordWasGenerated()).isTrue();
    assertThat(first.generatedPassword()).hasSize(24);
    assertThat(first.toString()).doesNotContain(first.generatedPassword());
    User admin = store.authenticate("admin", first.generatedPassword().toCharArray()).orElseThrow();
    assertThat(admin.admin()).isTrue();
    assertThat(store.company(admin.companyId()).orElseThrow().slug()).isEqualTo("operator");

    BootstrapResult again = store.bootstrapAdmin("another-password");
    assertThat(again.created()).isFalse();
    assertThat(again.generatedPassword()).isNull();
    assertThat(store.authenticate("admin", "another-password".toCharArray())).isEmpty();
    assertThat(store.authenticate("admin", first.generatedPassword().toCharArray())).isPresent();
    store.close();

    MetadataStore reopened = store();
    BootstrapResult afterRestart = reopened.bootstrapAdmin(null);
    assertThat(afterRestart.created()).isFalse();
    assertThat(afterRestart.generatedPassword()).isNull();
    assertThat(reopened.users(admin.companyId())).containsExactly(admin);
  }

  @Test
  void bootstrapsAdminWithGivenPasswordAndExistingOperatorCompany() {
    MetadataStore store = store();
    Company operator = store.createCompany("operator");

    BootstrapResult result = store.bootstrapAdmin("s3cret-from-env");
    assertThat(result.created()).isTrue();
    assertThat(result.passwordWasGenerated()).isFalse();
    User admin = store.authenticate("admin", "s3cret-from-env".toCharArray()).orElseThrow();
    assertThat(admin.companyId()).isEqualTo(operator.id());
  }

  // Datasets (store level)

  @Test
  void createsListsAndDeletesDatasetRows() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Company globex = store.createCompany("globex");
    Dataset orders = store.createDataset(acme.id(), "orders", MetadataStore.DatasetAction.NONE);
    Dataset events = store.createDataset(acme.id(), "Events_2", MetadataStore.DatasetAction.NONE);
    Dataset other = store.createDataset(globex.id(), "orders", MetadataStore.DatasetAction.NONE);

    assertThat(orders.icebergNamespace()).isEqualTo("c" + acme.id());
    assertThat(orders.icebergName()).isEqualTo("d" + orders.id());
    assertThat(orders.createdAt()).isBeforeOrEqualTo(Instant.now());
    assertThat(store.dataset(acme.id(), "orders")).contains(orders);
    assertThat(store.dataset(acme.id(), "ORDERS")).isEmpty();
    assertThat(store.datasetById(acme.id(), orders.id())).contains(orders);
    assertThat(store.datasetById(acme.id(), other.id())).isEmpty();
    assertThat(store.datasets(acme.id())).containsExactly(events, orders);
    assertThat(store.datasets(globex.id())).containsExactly(other);

    store.deleteDataset(orders, MetadataStore.DatasetAction.NONE);
    assertThat(store.dataset(acme.id(), "orders")).isEmpty();
    NqlException again =
        nqlError(() -> store.deleteDataset(orders, MetadataStore.DatasetAction.NONE));
    assertThat(again.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE);
    assertThat(again.sqlState()).isEqualTo("42P01");
  }

  @Test
  void refusesDuplicateInvalidAndOrphanDatasets() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    store.createDataset(acme.id(), "orders", MetadataStore.DatasetAction.NONE);

    NqlException duplicate =
        nqlError(() -> store.createDataset(acme.id(), "orders", MetadataStore.DatasetAction.NONE));
    assertThat(duplicate.code()).isEqualTo(ErrorCode.DUPLICATE_TABLE);
    assertThat(duplicate.sqlState()).isEqualTo("42P07");
    assertThat(duplicate.getMessage())
        .isEqualTo("Cannot create dataset acme.orders: a dataset with this name already exists");

    for (String name : List.of("", "with space", "dash-ed", "é", "x".repeat(129))) {
      NqlException e =
          nqlError(() -> store.createDataset(acme.id(), name, MetadataStore.DatasetAction.NONE));
      assertThat(e.code()).as(name).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }
    assertThat(store.createDataset(acme.id(), "x".repeat(128), MetadataStore.DatasetAction.NONE))
        .isNotNull();

    NqlException orphan =
        nqlError(() -> store.createDataset(99_999L, "orders", MetadataStore.DatasetAction.NONE));
    assertThat(orphan.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
    assertThat(store.datasets(acme.id())).hasSize(2);
  }

  @Test
  void failingDatasetActionLeavesNoRow() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                store.createDataset(
                    acme.id(),
                    "orders",
                    d -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(store.dataset(acme.id(), "orders")).isEmpty();
    assertThat(store.datasets(acme.id())).isEmpty();
  }

  @Test
  void datasetIdsAreNeverReused() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Dataset first = store.createDataset(acme.id(), "a", MetadataStore.DatasetAction.NONE);
    Dataset second = store.createDataset(acme.id(), "b", MetadataStore.DatasetAction.NONE);
    store.deleteDataset(second, MetadataStore.DatasetAction.NONE);
    Dataset third = store.createDataset(acme.id(), "b", MetadataStore.DatasetAction.NONE);
    assertThat(third.id()).isGreaterThan(second.id()).isGreaterThan(first.id());
    store.close();

    MetadataStore reopened = store();
    reopened.deleteDataset(third, MetadataStore.DatasetAction.NONE);
    Dataset fourth = reopened.createDataset(acme.id(), "b", MetadataStore.DatasetAction.NONE);
    assertThat(fourth.id()).isGreaterThan(third.id());
  }

  // Query log

  @Test
  void logsQueriesNewestFirstPerCompany() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Company globex = store.createCompany("globex");
    User alice = store.createUser("alice", acme.id(), "pw".toCharArray(), false);
    Instant t0 = Instant.parse("2026-01-02T03:04:05.123456Z");
    String s1 = UUID.randomUUID().toString();
    String s2 = UUID.randomUUID().toString();
    String s3 = UUID.randomUUID().toString();
    String s4 = UUID.randomUUID().toString();

    store.logQueryStarted(s1, acme.id(), alice.id(), "SELECT 1", t0);
    store.logQueryStarted(s2, acme.id(), alice.id(), "SELECT * FROM x", t0.plusSeconds(1));
    store.logQueryStarted(s3, acme.id(), alice.id(), "SELECT 3", t0.plusSeconds(2));
    store.logQueryStarted(s4, globex.id(), 77L, "SELECT 4", t0.plusSeconds(3));
    store.logQueryFinished(
        s1, QueryStatus.OK, t0.plusMillis(250), null, null, new QueryStats(10, 4, 3, 4096, 1000));
    store.logQueryFinished(
        s2, QueryStatus.ERROR, t0.plusSeconds(2), "42P01", "Table 'x' not found", QueryStats.NONE);

    List<QueryLogEntry> log = store.queryLog(acme.id(), 10);
    assertThat(log).extracting(QueryLogEntry::statementId).containsExactly(s3, s2, s1);
    QueryLogEntry running = log.get(0);
    assertThat(running.status()).isEqualTo(QueryStatus.RUNNING);
    assertThat(running.finishedAt()).isEmpty();
    QueryLogEntry failed = log.get(1);
    assertThat(failed.status()).isEqualTo(QueryStatus.ERROR);
    assertThat(failed.sqlState()).isEqualTo("42P01");
    assertThat(failed.errorMessage()).isEqualTo("Table 'x' not found");
    QueryLogEntry ok = log.get(2);
    assertThat(ok.status()).isEqualTo(QueryStatus.OK);
    assertThat(ok.sqlText()).isEqualTo("SELECT 1");
    assertThat(ok.userId()).isEqualTo(alice.id());
    assertThat(ok.startedAt()).isEqualTo(t0);
    assertThat(ok.finishedAt()).contains(t0.plusMillis(250));
    assertThat(ok.stats()).isEqualTo(new QueryStats(10, 4, 3, 4096, 1000));
    assertThat(ok.sqlState()).isNull();

    assertThat(store.queryLog(acme.id(), 2))
        .extracting(QueryLogEntry::statementId)
        .containsExactly(s3, s2);
    assertThat(store.queryLog(globex.id(), 10))
        .extracting(QueryLogEntry::statementId)
        .containsExactly(s4);
    assertThat(store.queryLogEntry(s2)).contains(failed);

    // The log is written by a group commit: a second start of a logged id, queued with a new
    // statement, costs neither the new statement's entry nor the first entry of that id; the end
    // of an unknown id changes nothing; RUNNING is not an end.
    String s5 = UUID.randomUUID().toString();
    store.logQueryStarted(s1, acme.id(), alice.id(), "SELECT 'again'", t0.plusSeconds(9));
    store.logQueryStarted(s5, acme.id(), alice.id(), "SELECT 5", t0.plusSeconds(5));
    store.logQueryFinished(
        UUID.randomUUID().toString(), QueryStatus.CANCELLED, t0, "57014", "cancelled", null);
    assertThat(store.queryLog(acme.id(), 10))
        .extracting(QueryLogEntry::statementId)
        .containsExactly(s5, s3, s2, s1);
    assertThat(store.queryLogEntry(s1)).contains(ok);
    NqlException notAnEnd =
        nqlError(
            () -> store.logQueryFinished(s5, QueryStatus.RUNNING, t0, null, null, QueryStats.NONE));
    assertThat(notAnEnd.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
  }

  @Test
  void logsEveryStatementOfConcurrentSessionsOnce() throws Exception {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    User alice = store.createUser("alice", acme.id(), "pw".toCharArray(), false);
    Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
    int threads = 8;
    int perThread = 150;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<List<String>>> futures = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                List<String> ids = new java.util.ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  String id = UUID.randomUUID().toString();
                  ids.add(id);
                  Instant at = t0.plusMillis(thread * 10_000L + i);
                  store.logQueryStarted(id, acme.id(), alice.id(), "SELECT " + i, at);
                  // every third statement is still running when the log is read
                  if (i % 3 != 0) {
                    store.logQueryFinished(
                        id,
                        i % 2 == 0 ? QueryStatus.OK : QueryStatus.ERROR,
                        at.plusMillis(1),
                        i % 2 == 0 ? null : "22012",
                        i % 2 == 0 ? null : "division by zero",
                        new QueryStats(i, 0, 0, 0, 0));
                  }
                }
                return ids;
              }));
    }
    List<String> all = new java.util.ArrayList<>();
    for (var f : futures) {
      all.addAll(f.get());
    }
    pool.shutdown();
    List<QueryLogEntry> log = store.queryLog(acme.id(), threads * perThread + 10);
    assertThat(log).extracting(QueryLogEntry::statementId).containsExactlyInAnyOrderElementsOf(all);
    for (QueryLogEntry e : log) {
      int i = Integer.parseInt(e.sqlText().substring("SELECT ".length()));
      if (i % 3 == 0) {
        assertThat(e.status()).isEqualTo(QueryStatus.RUNNING);
        assertThat(e.finishedAt()).isEmpty();
      } else {
        assertThat(e.status()).isEqualTo(i % 2 == 0 ? QueryStatus.OK : QueryStatus.ERROR);
        assertThat(e.stats().rowsReturned()).isEqualTo(i);
        assertThat(e.finishedAt()).contains(e.startedAt().plusMillis(1));
      }
    }
  }

  // Concurrency

  @Test
  void servesConcurrentWriters() throws Exception {
    MetadataStore store = store();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Company>> futures = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String slug = "company_" + i;
        futures.add(pool.submit(() -> store.createCompany(slug)));
      }
      for (Future<Company> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.companies()).hasSize(24);
  }

  // Warehouse

  @Test
  void warehouseDataSurvivesReopen() throws Exception {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Warehouse warehouse = warehouse(store);
    PartitionSpec spec = PartitionSpecs.build(EVENTS, List.of(PartitionTerm.of("ts", "day")));
    Dataset events = warehouse.createDataset(acme, "events", EVENTS, spec);

    Table table = warehouse.loadTable(events);
    assertThat(table.spec().fields()).hasSize(1);
    OffsetDateTime day = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    List<Record> rows = new ArrayList<>();
    for (long i = 1; i <= 3; i++) {
      Record r = GenericRecord.create(table.schema());
      r.setField("id", i);
      r.setField("region", "r" + i);
      r.setField("ts", day.plusMinutes(i));
      rows.add(r);
    }
    append(table, rows);
    warehouse.close();
    store.close();

    MetadataStore reopenedStore = store();
    Warehouse reopened = warehouse(reopenedStore);
    Dataset found = reopened.dataset(acme.id(), "events").orElseThrow();
    assertThat(found).isEqualTo(events);
    assertThat(readIds(reopened.loadTable(found))).containsExactly(1L, 2L, 3L);
    Path tableDir = warehouseDir.resolve("data/c" + acme.id() + "/d" + events.id());
    try (Stream<Path> files = Files.walk(tableDir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(1);
    }
  }

  @Test
  void warehouseRefusesDuplicateDataset() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Warehouse warehouse = warehouse(store);
    warehouse.createDataset(acme, "orders", EVENTS, null);

    NqlException e = nqlError(() -> warehouse.createDataset(acme, "orders", EVENTS, null));
    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_TABLE);
    assertThat(e.getMessage())
        .isEqualTo("Cannot create dataset acme.orders: a dataset with this name already exists");
    assertThat(warehouse.datasets(acme.id())).hasSize(1);
  }

  @Test
  void failedTableCreationLeavesNoDataset() throws Exception {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Warehouse warehouse = warehouse(store);
    // A file where the company's data directory belongs makes every table write fail.
    Path companyDir = warehouseDir.resolve("data/c" + acme.id());
    Files.createDirectories(companyDir.getParent());
    Files.writeString(companyDir, "in the way");

    NqlException e = nqlError(() -> warehouse.createDataset(acme, "orders", EVENTS, null));
    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(e.getMessage())
        .isEqualTo("Cannot create dataset acme.orders: the warehouse cannot create its table");
    assertThat(warehouse.dataset(acme.id(), "orders")).isEmpty();
    assertThat(warehouse.catalog().listTables(Namespace.of("c" + acme.id()))).isEmpty();

    Files.delete(companyDir);
    Dataset created = warehouse.createDataset(acme, "orders", EVENTS, null);
    assertThat(warehouse.loadTable(created).schema().columns()).hasSize(3);
  }

  @Test
  void dropDatasetRemovesRowTableAndFilesAndNeverReusesItsId() throws Exception {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Warehouse warehouse = warehouse(store);
    Dataset orders = warehouse.createDataset(acme, "orders", EVENTS, null);
    Record r = GenericRecord.create(EVENTS);
    r.setField("id", 1L);
    append(warehouse.loadTable(orders), List.of(r));
    Path tableDir = warehouseDir.resolve("data/c" + acme.id() + "/d" + orders.id());
    assertThat(tableDir).isDirectory();

    warehouse.dropDataset(orders);
    assertThat(warehouse.dataset(acme.id(), "orders")).isEmpty();
    assertThat(warehouse.datasetById(acme.id(), orders.id())).isEmpty();
    assertThat(
            warehouse
                .catalog()
                .tableExists(TableIdentifier.of(orders.icebergNamespace(), orders.icebergName())))
        .isFalse();
    assertThat(tableDir).doesNotExist();

    Dataset again = warehouse.createDataset(acme, "orders", EVENTS, null);
    assertThat(again.id()).isGreaterThan(orders.id());
    assertThat(readIds(warehouse.loadTable(again))).isEmpty();

    NqlException e = catchThrowableOfType(NqlException.class, () -> warehouse.dropDataset(orders));
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE);
  }

  // Access rules and the ledger

  @Test
  void versionsSharesAndDropsAccessRules() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Company globex = store.createCompany("globex");
    Company initech = store.createCompany("initech");
    Dataset orders = store.createDataset(acme.id(), "orders", MetadataStore.DatasetAction.NONE);
    AccessRules rules = store.accessRules();

    AccessRule v1 =
        rules.create(
            acme.id(),
            "r",
            false,
            new AccessRule.Definition(
                orders.id(),
                "SELECT id FROM company_data.orders",
                new BigDecimal("2.50"),
                AccessRule.ShareMode.COMPANIES,
                List.of(globex.id()),
                null,
                null));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(rules.rule(acme.id(), "r")).contains(v1);
    assertThat(rules.sharedWith(globex.id())).containsExactly(v1);
    assertThat(rules.sharedWith(initech.id())).isEmpty();
    NqlException taken =
        nqlError(
            () ->
                rules.create(
                    acme.id(),
                    "orders",
                    true,
                    new AccessRule.Definition(
                        orders.id(),
                        "SELECT 1",
                        BigDecimal.ONE,
                        AccessRule.ShareMode.ALL,
                        List.of(),
                        null,
                        null)));
    assertThat(taken.code()).isEqualTo(ErrorCode.DUPLICATE_TABLE);

    AccessRule v2 =
        rules.create(
            acme.id(),
            "r",
            true,
            new AccessRule.Definition(
                orders.id(),
                "SELECT id FROM company_data.orders WHERE id > 0",
                new BigDecimal("3.00"),
                AccessRule.ShareMode.ALL_EXCEPT,
                List.of(globex.id()),
                "Orders",
                "all but globex"));
    assertThat(v2.id()).isEqualTo(v1.id());
    assertThat(v2.version()).isEqualTo(2);
    assertThat(rules.rules(acme.id())).containsExactly(v2);
    assertThat(rules.sharedWith(initech.id())).containsExactly(v2);
    assertThat(rules.sharedWith(globex.id())).isEmpty();

    rules.drop(acme.id(), "r");
    assertThat(rules.rule(acme.id(), "r")).isEmpty();
    assertThat(rules.version(v1.id(), 1)).contains(v1);
    assertThat(rules.version(v1.id(), 2)).contains(v2);
    assertThat(nqlError(() -> rules.drop(acme.id(), "r")).code())
        .isEqualTo(ErrorCode.UNKNOWN_TABLE);
  }

  @Test
  void reservesSettlesAndReconcilesDeliveries() {
    MetadataStore store = store();
    Company acme = store.createCompany("acme");
    Company buyer = store.createCompany("buyer_co");
    Ledger ledger = store.ledger();
    Ledger.Period day = new Ledger.Period("k1", LocalDate.of(2026, 1, 2), 10_000);
    Ledger.Delivery settled = new Ledger.Delivery("s1", buyer.id(), acme.id(), 7, 1, 1_000, "i1");
    Ledger.Delivery crashed = new Ledger.Delivery("s2", buyer.id(), acme.id(), 7, 1, 1_000, "i2");
    Ledger.Delivery free = new Ledger.Delivery("s3", buyer.id(), acme.id(), 8, 1, 0, "i1");
    Ledger.Delivery late = new Ledger.Delivery("s4", buyer.id(), acme.id(), 7, 1, 1_000, "i1");
    Ledger.Delivery unreserved = new Ledger.Delivery("s5", buyer.id(), acme.id(), 8, 1, 0, "i1");

    assertThat(ledger.reserve(settled, day, 4_000)).isEqualTo(4_000);
    assertThat(ledger.reserve(crashed, day, 9_000)).isEqualTo(6_000);
    assertThat(ledger.reserve(crashed, day, 1_000)).isZero();
    ledger.settle(List.of(settled), List.of(3L), day);
    assertThat(ledger.spentInPeriod(buyer.id(), day)).isEqualTo(3_000);

    assertThat(ledger.reconcile("i2")).isEqualTo(1);
    assertThat(ledger.reconcile("i2")).isZero();
    assertThat(ledger.spentInPeriod(buyer.id(), day)).isEqualTo(9_000);
    assertThat(ledger.reserve(late, day, 5_000)).isEqualTo(1_000);

    ledger.reserve(free, 0);
    ledger.settle(List.of(free, unreserved), List.of(5L, 2L), null);
    assertThat(ledger.entriesOf(acme.id()))
        .extracting(
            e -> e.statementId() + ":" + e.status() + ":" + e.rows() + ":" + e.amountMicros())
        .containsExactlyInAnyOrder(
            "s1:final:3:3000",
            "s2:reconciled:6:6000",
            "s3:final:5:0",
            "s4:open:0:0",
            "s5:final:2:0");
    assertThat(ledger.entriesOf(buyer.id())).hasSize(5);
    assertThat(ledger.spentInPeriod(buyer.id(), new Ledger.Period("k2", day.periodStart(), 1)))
        .isZero();

    // Free deliveries through the group commit: visible to the next read, zero rows not recorded,
    // priced ones refused (they must be settled against their reservation).
    Ledger.Delivery free6 = new Ledger.Delivery("s6", buyer.id(), acme.id(), 8, 1, 0, "i1");
    Ledger.Delivery free7 = new Ledger.Delivery("s7", buyer.id(), acme.id(), 9, 2, 0, "i1");
    Ledger.Delivery none8 = new Ledger.Delivery("s8", buyer.id(), acme.id(), 9, 2, 0, "i1");
    ledger.recordFree(List.of(free6, free7, none8), List.of(4L, 1L, 0L));
    assertThat(ledger.entriesOf(acme.id()))
        .extracting(
            e -> e.statementId() + ":" + e.status() + ":" + e.rows() + ":" + e.amountMicros())
        .contains("s6:final:4:0", "s7:final:1:0")
        .noneMatch(e -> e.startsWith("s8:"));
    assertThatThrownBy(() -> ledger.recordFree(List.of(late), List.of(1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // Helpers

  private static void append(Table table, List<Record> rows) throws IOException {
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    key.partition(wrapper.wrap(rows.get(0)));
    String location =
        table
            .locationProvider()
            .newDataLocation(table.spec(), key, "part-" + UUID.randomUUID() + ".parquet");
    OutputFile out = table.io().newOutputFile(location);
    DataWriter<Record> writer =
        Parquet.writeData(out)
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .withPartition(table.spec().isPartitioned() ? key : null)
            .overwrite()
            .build();
    try (writer) {
      rows.forEach(writer::write);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  private static List<Long> readIds(Table table) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  private static Connection connect(MetadataStore store) throws SQLException {
    StoreConfig config = store.config();
    return DriverManager.getConnection(config.url(), config.user(), config.password());
  }

  private static long queryLong(MetadataStore store, String sql) throws SQLException {
    try (Connection c = connect(store);
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> queryStrings(MetadataStore store, String sql) throws SQLException {
    List<String> result = new ArrayList<>();
    try (Connection c = connect(store);
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(rs.getString(1));
      }
    }
    return result;
  }
}
