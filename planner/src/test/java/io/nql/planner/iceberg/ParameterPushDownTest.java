package io.nql.planner.iceberg;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.IcebergTestTables;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ?} parameters pushed into the Iceberg scan: one Parquet file of 1,000 rows in ten row
 * groups of 100, every column increasing with the row number, so a point or range predicate falls
 * in few row groups. Results are checked against a Java oracle over the same rows (the pushed
 * filter may only skip row groups, never change the answer), and the scan metrics show what was
 * read.
 */
class ParameterPushDownTest {
  private static final int ROWS = 1000;
  private static final int ROW_GROUP_ROWS = 100;
  private static final LocalDate DAY0 = LocalDate.of(2024, 1, 1);
  private static final LocalDateTime TS0 = LocalDateTime.of(2024, 1, 1, 0, 0);

  @TempDir static Path dir;
  static SchemaPlus root;
  static final List<Record> data = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "n", Types.IntegerType.get()),
            Types.NestedField.optional(3, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(4, "price", Types.DoubleType.get()),
            Types.NestedField.optional(5, "day", Types.DateType.get()),
            Types.NestedField.optional(6, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(7, "tstz", Types.TimestampType.withZone()),
            Types.NestedField.optional(8, "name", Types.StringType.get()),
            Types.NestedField.optional(9, "flag", Types.BooleanType.get()));
    Table table = IcebergTestTables.create(dir, "t", schema, PartitionSpec.unpartitioned());
    for (int i = 0; i < ROWS; i++) {
      boolean nulls = i % 50 == 7;
      // Timestamps carry 500 µs: the engine reads them at millisecond precision.
      LocalDateTime ts = TS0.plusSeconds(i).plusNanos(500_000);
      data.add(
          record(
              table,
              (long) i,
              nulls ? null : i,
              nulls ? null : BigDecimal.valueOf(i * 125L, 2),
              nulls ? null : i + 0.5,
              nulls ? null : DAY0.plusDays(i / 10),
              nulls ? null : ts,
              nulls ? null : ts.atOffset(ZoneOffset.UTC),
              nulls ? null : String.format("n%04d", i),
              nulls ? null : i >= 500));
    }
    // A row group is flushed at the first size check, every 100 rows.
    IcebergTestTables.appendFile(
        table,
        data,
        Map.of(
            "write.parquet.row-group-size-bytes", "1",
            "write.parquet.row-group-check-min-record-count", String.valueOf(ROW_GROUP_ROWS),
            "write.parquet.row-group-check-max-record-count", String.valueOf(ROW_GROUP_ROWS)));
    root =
        CallerSchemas.forCompany(
            1, List.of(), c -> List.of(new DatasetHandle(7, "t", () -> table)));
  }

  /** Ids matching {@code where}, in order. */
  private static List<Long> ids(String where, ScanMetrics metrics, Object... params)
      throws Exception {
    String sql = "SELECT id FROM company_data.t WHERE " + where + " ORDER BY id";
    try (QueryResult r =
        new QueryExecutor().execute(NqlParser.parse(sql), root, metrics, Arrays.asList(params))) {
      List<Long> ids = new ArrayList<>();
      while (r.next()) {
        ids.add((Long) r.row()[0]);
      }
      return ids;
    }
  }

  private static List<Long> oracle(Predicate<Record> p) {
    return data.stream().filter(p).map(r -> (Long) r.getField("id")).toList();
  }

  private static Object field(Record r, String name) {
    return r.getField(name);
  }

  /** Runs the query and checks it against the oracle; returns its metrics. */
  private static ScanMetrics check(String where, Predicate<Record> oracle, Object... params)
      throws Exception {
    ScanMetrics m = new ScanMetrics();
    assertThat(ids(where, m, params))
        .as(where + " " + Arrays.toString(params))
        .isEqualTo(oracle(oracle));
    assertThat(m.rowGroupsPlanned()).isEqualTo(m.filesPlanned() * (ROWS / ROW_GROUP_ROWS));
    return m;
  }

  @Test
  void pointQueryOnBigintReadsOneRowGroup() throws Exception {
    ScanMetrics m = check("id = ?", r -> field(r, "id").equals(123L), 123L);
    assertThat(m.filesPlanned()).isEqualTo(1);
    assertThat(m.rowGroupsPlanned()).isEqualTo(10);
    assertThat(m.rowGroupsRead()).isEqualTo(1);
    assertThat(m.rowsRead()).isEqualTo(ROW_GROUP_ROWS);
  }

  @Test
  void unpushedQueryReadsEveryRowGroup() throws Exception {
    // ABS(id) cannot be translated: the same answer, every row group read.
    ScanMetrics m = check("ABS(id) = ?", r -> field(r, "id").equals(123L), 123L);
    assertThat(m.rowGroupsRead()).isEqualTo(10);
    assertThat(m.rowsRead()).isEqualTo(ROWS);
  }

  @Test
  void integerValueForBigintParameterAndBoundaries() throws Exception {
    assertThat(check("id = ?", r -> field(r, "id").equals(5L), 5).rowGroupsRead()).isEqualTo(1);
    assertThat(check("id = ?", r -> field(r, "id").equals(0L), 0L).rowGroupsRead()).isEqualTo(1);
    assertThat(check("id = ?", r -> field(r, "id").equals(999L), 999L).rowGroupsRead())
        .isEqualTo(1);
    // Beyond the file's bounds: the file itself is skipped.
    ScanMetrics absent = check("id = ?", r -> false, 1000L);
    assertThat(absent.filesPlanned()).isZero();
    assertThat(absent.rowGroupsRead()).isZero();
    check("id = ?", r -> false, Long.MIN_VALUE);
    check("id < ?", r -> true, Long.MAX_VALUE);
  }

  @Test
  void nullParameterMatchesNothingAndReadsNothing() throws Exception {
    ScanMetrics eq = check("id = ?", r -> false, (Object) null);
    assertThat(eq.filesPlanned()).isZero();
    assertThat(eq.rowsRead()).isZero();
    // NOT (x = NULL) is NULL too, and the pushed part must not exclude anything wrongly.
    check("NOT (n = ?)", r -> false, (Object) null);
    check("n = ? OR id = 3", r -> field(r, "id").equals(3L), (Object) null);
    check(
        "n IS NULL AND id >= ?", r -> field(r, "n") == null && (Long) field(r, "id") >= 500, 500L);
  }

  @Test
  void rangesAndInLists() throws Exception {
    ScanMetrics range =
        check(
            "id >= ? AND id < ?",
            r -> (Long) field(r, "id") >= 150 && (Long) field(r, "id") < 250,
            150L,
            250L);
    assertThat(range.rowGroupsRead()).isEqualTo(2);
    ScanMetrics in =
        check("id IN (?, ?)", r -> List.of(42L, 917L).contains((Long) field(r, "id")), 42L, 917L);
    assertThat(in.rowGroupsRead()).isEqualTo(2);
    check("NOT (id <> ?)", r -> field(r, "id").equals(77L), 77L);
    check(
        "id > ? OR id < ?",
        r -> (Long) field(r, "id") > 990 || (Long) field(r, "id") < 3,
        990L,
        3L);
  }

  @Test
  void integerColumn() throws Exception {
    assertThat(check("n = ?", r -> Integer.valueOf(321).equals(field(r, "n")), 321).rowGroupsRead())
        .isEqualTo(1);
    check("n <= ?", r -> field(r, "n") != null && (Integer) field(r, "n") <= 12, 12L);
    // the row with n = 7 is NULL: no match, and no error
    check("n = ?", r -> false, 7);
  }

  @Test
  void decimalScalesAndNulls() throws Exception {
    Predicate<Record> is15375 =
        r ->
            field(r, "amount") != null
                && ((BigDecimal) field(r, "amount")).compareTo(new BigDecimal("153.75")) == 0;
    assertThat(check("amount = ?", is15375, new BigDecimal("153.75")).rowGroupsRead()).isEqualTo(1);
    // The same value at a larger scale is still pushed (exactly) and found.
    assertThat(check("amount = ?", is15375, new BigDecimal("153.7500")).rowGroupsRead())
        .isEqualTo(1);
    // A value the column cannot hold: no row, whether pushed or not.
    check("amount = ?", r -> false, new BigDecimal("153.751"));
    check(
        "amount > ?",
        r ->
            field(r, "amount") != null
                && ((BigDecimal) field(r, "amount")).compareTo(new BigDecimal("1200.005")) > 0,
        new BigDecimal("1200.005"));
    check("amount = ?", is15375, 153.75d);
    check("amount = ?", r -> false, (Object) null);
  }

  @Test
  void doubleColumn() throws Exception {
    assertThat(
            check("price = ?", r -> Double.valueOf(10.5).equals(field(r, "price")), 10.5d)
                .rowGroupsRead())
        .isEqualTo(1);
    // Zero is never pushed (signed zeros): same answer.
    check("price > ?", r -> field(r, "price") != null, 0.0d);
    check("price > ?", r -> field(r, "price") != null, -0.0d);
  }

  @Test
  void dateColumn() throws Exception {
    LocalDate d = DAY0.plusDays(42);
    assertThat(check("\"day\" = ?", r -> d.equals(field(r, "day")), d).rowGroupsRead())
        .isEqualTo(1);
    check(
        "\"day\" < ?",
        r -> field(r, "day") != null && ((LocalDate) field(r, "day")).isBefore(DAY0.plusDays(3)),
        DAY0.plusDays(3).toString());
  }

  @Test
  void timestampsCompareAtMillisecondPrecision() throws Exception {
    // Stored values carry 500 µs; the engine sees whole milliseconds, so = finds them.
    LocalDateTime t = TS0.plusSeconds(456);
    ScanMetrics eq = check("ts = ?", r -> field(r, "id").equals(456L), t);
    assertThat(eq.rowGroupsRead()).isEqualTo(1);
    check("tstz = ?", r -> field(r, "id").equals(456L), t);
    check("ts = TIMESTAMP '2024-01-01 00:07:36'", r -> field(r, "id").equals(456L));
    check("ts <= ?", r -> field(r, "ts") != null && (Long) field(r, "id") <= 456, t);
    check("ts < ?", r -> field(r, "ts") != null && (Long) field(r, "id") < 456, t);
    check("ts > ?", r -> field(r, "ts") != null && (Long) field(r, "id") > 456, t);
    check("ts >= ?", r -> field(r, "ts") != null && (Long) field(r, "id") >= 456, t);
    check("ts <> ?", r -> field(r, "ts") != null && (Long) field(r, "id") != 456, t);
    check("ts = ?", r -> false, t.plusNanos(1_000_000));
    check(
        "tstz > ?",
        r -> field(r, "ts") != null && (Long) field(r, "id") > 998,
        "2024-01-01 00:16:38");
  }

  @Test
  void stringsAndBooleans() throws Exception {
    assertThat(check("name = ?", r -> "n0321".equals(field(r, "name")), "n0321").rowGroupsRead())
        .isEqualTo(1);
    check(
        "name < ?",
        r -> field(r, "name") != null && ((String) field(r, "name")).compareTo("n0005") < 0,
        "n0005");
    // Bounds beyond U+D7FF are not pushed (Java and UTF-8 orders differ there): same answer.
    check("name < ?", r -> field(r, "name") != null, "n\uFFFF");
    check("name > ?", r -> false, "n\uD83D\uDE00");
    ScanMetrics flags = check("flag = ?", r -> Boolean.TRUE.equals(field(r, "flag")), true);
    assertThat(flags.rowGroupsRead()).isEqualTo(5);
    assertThat(check("flag", r -> Boolean.TRUE.equals(field(r, "flag"))).rowGroupsRead())
        .isEqualTo(5);
    check("NOT flag", r -> Boolean.FALSE.equals(field(r, "flag")));
    check("flag = ?", r -> false, (Object) null);
  }

  @Test
  void explainShowsParameterFilter() throws Exception {
    try (QueryResult r =
        new QueryExecutor()
            .execute(
                NqlParser.parse(
                    "EXPLAIN PLAN FOR SELECT name FROM company_data.t WHERE id = ? AND flag"),
                root,
                new ScanMetrics(),
                List.of(1L))) {
      assertThat(r.next()).isTrue();
      assertThat((String) r.row()[0])
          .contains("filter=[ref(name=\"flag\") == true]")
          .contains("paramFilter=[[ref(name=\"id\") == ?0]]");
    }
  }
}
