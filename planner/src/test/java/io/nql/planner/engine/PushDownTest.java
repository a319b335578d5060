package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.QueryLogEntry;
import io.nql.planner.store.QueryStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push-down, proven by what the engine records in the query log: a one-day predicate on a
 * day-partitioned dataset reads only that day's files, and an id range on a dataset whose files
 * hold disjoint id ranges reads only the file whose column bounds overlap it. The truth (which
 * files hold which day or ids) comes from the Iceberg table itself and from the generated CSV,
 * never from the engine's own counters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushDownTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 1);
  private static final int DAYS = 30;
  private static final LocalDate QUERY_DAY = LocalDate.of(2026, 10, 7);
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final int ID_FILES = 4;
  private static final int IDS_PER_FILE = 1000;

  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;
  private long acmeId;

  /** acme's ingest area, {@code <ingest root>/acme/}. */
  private Path acmeArea;

  private final Map<LocalDate, Integer> rowsPerDay = new TreeMap<>();

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = Files.createDirectories(dir.resolve("ingest"));
    acmeArea = Files.createDirectories(ingest.resolve("acme"));
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-pw-1"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    acmeId = engine.store().company("acme").orElseThrow().id();

    acme.execute(
            "CREATE DATASET \"events\" (id BIGINT NOT NULL, event_ts TIMESTAMP, country VARCHAR,"
                + " amount DOUBLE) PARTITIONED_BY event_ts DAY")
        .close();
    Path events = writeEventsCsv();
    long total = rowsPerDay.values().stream().mapToLong(Integer::longValue).sum();
    try (StatementResult r = acme.execute("COPY INTO company_data.events FROM '" + events + "'")) {
      assertThat(r.updateCount()).isEqualTo(total);
    }

    acme.execute("CREATE DATASET \"clicks\" (id BIGINT NOT NULL, page VARCHAR)").close();
    for (int f = 0; f < ID_FILES; f++) {
      StringBuilder b = new StringBuilder("id,page\n");
      // Rows shuffled inside the file; the file as a whole holds one contiguous id range.
      for (int i = 0; i < IDS_PER_FILE; i++) {
        int id = f * IDS_PER_FILE + (i * 7919) % IDS_PER_FILE;
        b.append(id).append(",/p/").append(id % 13).append('\n');
      }
      Path file = Files.writeString(acmeArea.resolve("clicks_" + f + ".csv"), b.toString());
      try (StatementResult r = acme.execute("COPY INTO company_data.clicks FROM '" + file + "'")) {
        assertThat(r.updateCount()).isEqualTo(IDS_PER_FILE);
      }
    }
  }

  /**
   * 30 days of events, a different number of rows per day; every day has a row exactly at midnight
   * and one at 23:59:59, so both ends of the one-day range are exercised.
   */
  private Path writeEventsCsv() throws IOException {
    StringBuilder b = new StringBuilder("id,event_ts,country,amount\n");
    long id = 0;
    for (int d = 0; d < DAYS; d++) {
      LocalDate day = FIRST_DAY.plusDays(d);
      int n = 40 + (d * 17) % 23;
      for (int i = 0; i < n; i++) {
        LocalDateTime ts;
        if (i == 0) {
          ts = day.atStartOfDay();
        } else if (i == 1) {
          ts = day.atTime(23, 59, 59);
        } else {
          ts = day.atStartOfDay().plusSeconds((i * 86_399L / n + d * 31L) % 86_400);
        }
        b.append(id++)
            .append(',')
            .append(TS.format(ts))
            .append(',')
            .append(i % 3 == 0 ? "USA" : "DEU")
            .append(',')
            .append(i * 1.25)
            .append('\n');
      }
      rowsPerDay.put(day, n);
    }
    return Files.writeString(acmeArea.resolve("events.csv"), b.toString());
  }

  @AfterAll
  void tearDown() {
    if (acme != null) {
      acme.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void oneDayPredicateReadsOnlyThatDaysPartition() {
    Table table = table("events");
    Map<Integer, List<DataFile>> filesByDay = filesByDayPartition(table);
    int queryDay = (int) QUERY_DAY.toEpochDay();
    assertThat(filesByDay).as("one partition per day").hasSize(DAYS);
    int allFiles = filesByDay.values().stream().mapToInt(List::size).sum();
    List<DataFile> dayFiles = filesByDay.get(queryDay);
    assertThat(dayFiles).isNotEmpty();
    long dayFileRows = dayFiles.stream().mapToLong(DataFile::recordCount).sum();
    long dayFileBytes = dayFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    assertThat(dayFileRows).isEqualTo((long) rowsPerDay.get(QUERY_DAY));

    String sql =
        "SELECT id, event_ts FROM company_data.events"
            + " WHERE event_ts >= TIMESTAMP '2026-10-07 00:00:00'"
            + " AND event_ts < TIMESTAMP '2026-10-08 00:00:00'";
    String statementId;
    List<Object[]> rows = new ArrayList<>();
    try (StatementResult r = acme.execute(sql)) {
      statementId = r.statementId();
      for (Object[] row = r.next(); row != null; row = r.next()) {
        rows.add(row);
      }
    }
    assertThat(rows).hasSize(rowsPerDay.get(QUERY_DAY));
    assertThat(rows)
        .allSatisfy(row -> assertThat(((LocalDateTime) row[1]).toLocalDate()).isEqualTo(QUERY_DAY));

    QueryLogEntry log = logEntry(statementId);
    assertThat(log.status()).isEqualTo(QueryStatus.OK);
    assertThat(log.sqlText()).isEqualTo(sql);
    assertThat(log.companyId()).isEqualTo(acmeId);
    assertThat(log.finishedAt()).isPresent();
    assertThat(log.sqlState()).isNull();
    assertThat(log.stats().rowsReturned()).isEqualTo((long) rowsPerDay.get(QUERY_DAY));
    assertThat(log.stats().filesPlanned()).isBetween(1L, (long) dayFiles.size());
    assertThat(log.stats().filesSkipped()).isGreaterThanOrEqualTo(DAYS - 1);
    assertThat(log.stats().filesPlanned() + log.stats().filesSkipped()).isEqualTo(allFiles);
    assertThat(log.stats().rowsScanned()).isBetween((long) rowsPerDay.get(QUERY_DAY), dayFileRows);
    assertThat(log.stats().bytesScanned()).isBetween(1L, dayFileBytes);
  }

  @Test
  void oneDayAggregateAlsoPrunes() {
    String sql =
        "SELECT COUNT(*), MIN(event_ts), MAX(event_ts) FROM company_data.events"
            + " WHERE event_ts >= TIMESTAMP '2026-10-07 00:00:00'"
            + " AND event_ts < TIMESTAMP '2026-10-08 00:00:00'";
    String statementId;
    Object[] row;
    try (StatementResult r = acme.execute(sql)) {
      statementId = r.statementId();
      row = r.next();
      assertThat(r.next()).isNull();
    }
    assertThat(row[0]).isEqualTo((long) rowsPerDay.get(QUERY_DAY));
    assertThat(row[1]).isEqualTo(QUERY_DAY.atStartOfDay());
    assertThat(row[2]).isEqualTo(QUERY_DAY.atTime(23, 59, 59));
    QueryLogEntry log = logEntry(statementId);
    assertThat(log.status()).isEqualTo(QueryStatus.OK);
    assertThat(log.stats().rowsReturned()).isEqualTo(1);
    assertThat(log.stats().filesSkipped()).isGreaterThanOrEqualTo(DAYS - 1);
  }

  @Test
  void idRangeInsideOneFileSkipsTheOthersByColumnBounds() {
    Table table = table("clicks");
    assertThat(table.spec().isUnpartitioned()).isTrue();
    List<DataFile> files = allFiles(table);
    assertThat(files).as("one file per COPY INTO").hasSize(ID_FILES);
    long lo = IDS_PER_FILE + 200;
    long hi = IDS_PER_FILE + 300;
    // The truth, from the files' own bounds: exactly one file can hold ids in [lo, hi].
    Types.NestedField idField = table.schema().findField("id");
    List<DataFile> overlapping = new ArrayList<>();
    for (DataFile f : files) {
      long min = Conversions.fromByteBuffer(idField.type(), f.lowerBounds().get(idField.fieldId()));
      long max = Conversions.fromByteBuffer(idField.type(), f.upperBounds().get(idField.fieldId()));
      if (max >= lo && min <= hi) {
        overlapping.add(f);
      }
    }
    assertThat(overlapping).hasSize(1);

    String sql = "SELECT id, page FROM company_data.clicks WHERE id BETWEEN " + lo + " AND " + hi;
    String statementId;
    long count = 0;
    try (StatementResult r = acme.execute(sql)) {
      statementId = r.statementId();
      for (Object[] row = r.next(); row != null; row = r.next()) {
        assertThat((Long) row[0]).isBetween(lo, hi);
        count++;
      }
    }
    assertThat(count).isEqualTo(hi - lo + 1);
    QueryLogEntry log = logEntry(statementId);
    assertThat(log.status()).isEqualTo(QueryStatus.OK);
    assertThat(log.stats().rowsReturned()).isEqualTo(hi - lo + 1);
    assertThat(log.stats().filesPlanned()).isEqualTo(1);
    assertThat(log.stats().filesSkipped()).isEqualTo(ID_FILES - 1);
    assertThat(log.stats().rowsScanned()).isBetween(hi - lo + 1, (long) IDS_PER_FILE);
    assertThat(log.stats().bytesScanned()).isEqualTo(overlapping.get(0).fileSizeInBytes());
  }

  @Test
  void rangeOutsideEveryFileReadsNothing() {
    String sql = "SELECT id FROM company_data.clicks WHERE id > " + (ID_FILES * IDS_PER_FILE + 5);
    String statementId;
    try (StatementResult r = acme.execute(sql)) {
      statementId = r.statementId();
      assertThat(r.next()).isNull();
    }
    QueryLogEntry log = logEntry(statementId);
    assertThat(log.status()).isEqualTo(QueryStatus.OK);
    assertThat(log.stats().rowsReturned()).isZero();
    assertThat(log.stats().filesPlanned()).isZero();
    assertThat(log.stats().filesSkipped()).isEqualTo(ID_FILES);
    assertThat(log.stats().rowsScanned()).isZero();
  }

  @Test
  void predicateOnAnUnboundedColumnReadsEveryFile() {
    String sql = "SELECT COUNT(*) FROM company_data.clicks WHERE page = '/p/3'";
    String statementId;
    long expected = 0;
    for (int id = 0; id < ID_FILES * IDS_PER_FILE; id++) {
      if (id % 13 == 3) {
        expected++;
      }
    }
    try (StatementResult r = acme.execute(sql)) {
      statementId = r.statementId();
      assertThat(r.next()[0]).isEqualTo(expected);
    }
    QueryLogEntry log = logEntry(statementId);
    assertThat(log.stats().filesPlanned()).isEqualTo(ID_FILES);
    assertThat(log.stats().filesSkipped()).isZero();
    assertThat(log.stats().rowsScanned()).isEqualTo((long) ID_FILES * IDS_PER_FILE);
  }

  @Test
  void failingStatementIsLoggedAsErrorWithItsSqlState() {
    int before = engine.store().queryLog(acmeId, 1000).size();
    String sql = "SELECT * FROM company_data.nosuch";
    NqlException e = catchThrowableOfType(NqlException.class, () -> acme.execute(sql).close());
    assertThat(e).isNotNull();
    assertThat(e.sqlState()).isEqualTo("42P01");
    List<QueryLogEntry> log = engine.store().queryLog(acmeId, 1000);
    assertThat(log).hasSize(before + 1);
    QueryLogEntry entry = log.get(0);
    assertThat(entry.sqlText()).isEqualTo(sql);
    assertThat(entry.status()).isEqualTo(QueryStatus.ERROR);
    assertThat(entry.sqlState()).isEqualTo("42P01");
    assertThat(entry.errorMessage()).isEqualTo(e.getMessage());
    assertThat(entry.finishedAt()).isPresent();
    assertThat(entry.stats().rowsReturned()).isZero();
  }

  @Test
  void failureWhileProducingRowsIsLoggedAsError() {
    String sql = "SELECT CAST(country AS INTEGER) FROM company_data.events";
    String[] statementId = new String[1];
    NqlException e = failWhileReading(sql, statementId);
    assertThat(statementId[0]).as("the failure comes while reading rows").isNotNull();
    QueryLogEntry entry = logEntry(statementId[0]);
    assertThat(entry.sqlText()).isEqualTo(sql);
    assertThat(entry.status()).isEqualTo(QueryStatus.ERROR);
    assertThat(entry.sqlState()).isEqualTo(e.sqlState());
    assertThat(entry.errorMessage()).isEqualTo(e.getMessage());
    assertThat(entry.finishedAt()).isPresent();
  }

  @Test
  @Disabled(
      "exec bug: QueryResult.next() calls rows.current() outside its try/catch, and Calcite"
          + " evaluates projections in current(), so the NumberFormatException escapes"
          + " ErrorMapper and the engine reports XX000")
  void badCastWhileProducingRowsIsAnInvalidTextRepresentation() {
    String sql = "SELECT CAST(country AS INTEGER) FROM company_data.events";
    String[] statementId = new String[1];
    NqlException e = failWhileReading(sql, statementId);
    assertThat(e.sqlState()).isEqualTo("22P02");
    assertThat(e.getMessage()).contains("'USA'").doesNotContain("Internal error");
    QueryLogEntry entry = logEntry(statementId[0]);
    assertThat(entry.status()).isEqualTo(QueryStatus.ERROR);
    assertThat(entry.sqlState()).isEqualTo("22P02");
  }

  private NqlException failWhileReading(String sql, String[] statementId) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> {
              try (StatementResult r = acme.execute(sql)) {
                statementId[0] = r.statementId();
                while (r.next() != null) {
                  // drain
                }
              }
            });
    assertThat(e).as("statement must fail: %s", sql).isNotNull();
    return e;
  }

  @Test
  void syntaxErrorIsLoggedAsError() {
    String sql = "SELEC 1";
    NqlException e = catchThrowableOfType(NqlException.class, () -> acme.execute(sql).close());
    assertThat(e.sqlState()).isEqualTo("42601");
    QueryLogEntry entry = engine.store().queryLog(acmeId, 1).get(0);
    assertThat(entry.sqlText()).isEqualTo(sql);
    assertThat(entry.status()).isEqualTo(QueryStatus.ERROR);
    assertThat(entry.sqlState()).isEqualTo("42601");
  }

  // ---------------------------------------------------------------------------------------------

  private QueryLogEntry logEntry(String statementId) {
    return engine.store().queryLogEntry(statementId).orElseThrow();
  }

  private Table table(String name) {
    Dataset d = engine.warehouse().dataset(acmeId, name).orElseThrow();
    return engine.warehouse().loadTable(d);
  }

  private static List<DataFile> allFiles(Table table) {
    List<DataFile> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask t : tasks) {
        out.add(t.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Data files grouped by their day partition value (days since 1970-01-01). */
  private static Map<Integer, List<DataFile>> filesByDayPartition(Table table) {
    assertThat(table.spec().fields()).hasSize(1);
    assertThat(table.spec().fields().get(0).transform().toString()).isEqualTo("day");
    Map<Integer, List<DataFile>> out = new TreeMap<>();
    for (DataFile f : allFiles(table)) {
      Integer day = f.partition().get(0, Integer.class);
      out.computeIfAbsent(day, k -> new ArrayList<>()).add(f);
    }
    return out;
  }
}
