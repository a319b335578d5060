package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.result.ResultColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TimeZone;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zone-aware timestamps end to end in the engine: {@code COPY INTO} infers {@code timestamptz} from
 * offsets; such a column is TIMESTAMP(6) WITH LOCAL TIME ZONE, reported as JDBC's TIMESTAMP WITH
 * TIME ZONE and as Arrow {@code timestamp[us, tz=UTC]} by both executors; the vector path delivers
 * the stored microseconds, the row engine the millisecond it computes with; comparisons, functions,
 * parameters and access rules with timestamp predicates work on both.
 *
 * <p>Expected values are the CSV's text parsed by java.time, never the engine's own output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneAwareTimestampsTest {
  /** The loaded rows: id, an instant with an offset, a wall clock. */
  static final String[][] CSV = {
    {"1", "2026-10-01T08:00:00.123456Z", "2026-10-01 08:00:00.123456"},
    {"2", "2026-10-01T10:00:00.000001+02:00", "2026-10-01 08:00:00.000001"},
    {"3", "1969-12-31T23:59:59.999999Z", "1969-12-31 23:59:59.999999"},
    {"4", "2026-03-29 03:30:00.5-04:00", "2026-03-29 03:30:00.5"},
  };

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession provider;
  NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("prov"));
    StringBuilder csv = new StringBuilder("id,ts,local_ts\n");
    for (String[] row : CSV) {
      csv.append(String.join(",", row)).append('\n');
    }
    csv.append("5,,\n");
    Files.writeString(area.resolve("ts.csv"), csv);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("prov", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    provider = engine.trusted("prov_user");
    provider
        .execute("COPY INTO company_data.ts FROM '" + area.resolve("ts.csv") + "' HEADER = TRUE")
        .close();
    // a rule with timestamp predicates, one of them an equality the validator casts
    provider
        .execute(
            "CREATE ACCESS RULE \"early\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT id, ts, local_ts FROM company_data.ts"
                + " WHERE ts < TIMESTAMP '2026-10-01 08:00:00.123'"
                + " AND ts <> TIMESTAMP '2026-03-29 07:30:00.500'")
        .close();
    buyer = engine.trusted("buyer_co_user");
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    provider.close();
    engine.close();
  }

  static OffsetDateTime instant(int row) {
    String text = CSV[row - 1][1].replace(' ', 'T');
    return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
  }

  static LocalDateTime wallClock(int row) {
    return LocalDateTime.parse(CSV[row - 1][2].replace(' ', 'T'));
  }

  record Outcome(List<ResultColumn> columns, List<List<Object>> rows, boolean vectorized) {}

  static Outcome run(NqlSession session, boolean vector, String sql, Object... parameters) {
    session.setProperty("vector_execution", Boolean.toString(vector));
    try (StatementResult r = session.execute(sql, Arrays.asList(parameters))) {
      List<List<Object>> rows = new ArrayList<>();
      for (Object[] row; (row = r.next()) != null; ) {
        rows.add(Arrays.asList(row));
      }
      boolean vectorized = r instanceof QueryStatementResult q && q.vectorized();
      return new Outcome(r.columns(), rows, vectorized);
    }
  }

  /** The first column of the rows, as longs, sorted. */
  static List<Long> ids(Outcome o) {
    return o.rows().stream().map(r -> (Long) r.get(0)).sorted().toList();
  }

  @Test
  void copyIntoInfersTheZoneFromOffsets() {
    Outcome d = run(provider, false, "DESCRIBE company_data.ts");
    assertThat(d.rows())
        .extracting(r -> r.get(0) + " " + r.get(1))
        .containsExactly(
            "id BIGINT", "ts TIMESTAMP(6) WITH LOCAL TIME ZONE", "local_ts TIMESTAMP(6)");
    Outcome info =
        run(
            provider,
            false,
            "SELECT column_name, data_type, datetime_precision FROM information_schema.columns"
                + " WHERE table_name = 'ts' ORDER BY ordinal_position");
    assertThat(info.rows())
        .containsExactly(
            Arrays.asList("id", "bigint", null),
            Arrays.asList("ts", "timestamp with time zone", 6),
            Arrays.asList("local_ts", "timestamp without time zone", 6));
  }

  @Test
  void declaredZonesMapToTimestamptz() {
    provider
        .execute(
            "CREATE DATASET \"declared\" (a TIMESTAMP WITH LOCAL TIME ZONE,"
                + " b TIMESTAMP WITH TIME ZONE, c TIMESTAMP(3), d TIMESTAMP)")
        .close();
    Outcome d = run(provider, false, "DESCRIBE company_data.declared");
    assertThat(d.rows())
        .extracting(r -> r.get(1))
        .containsExactly(
            "TIMESTAMP(6) WITH LOCAL TIME ZONE",
            "TIMESTAMP(6) WITH LOCAL TIME ZONE",
            "TIMESTAMP(6)",
            "TIMESTAMP(6)");
  }

  @Test
  void bothExecutorsReportTheSameTypes() {
    String sql = "SELECT id, ts, local_ts FROM company_data.ts";
    Outcome vector = run(provider, true, sql);
    Outcome rows = run(provider, false, sql);
    assertThat(vector.vectorized()).isTrue();
    assertThat(rows.vectorized()).isFalse();
    assertThat(vector.columns()).isEqualTo(rows.columns());
    ResultColumn ts = vector.columns().get(1);
    assertThat(ts.jdbcType()).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
    assertThat(ts.typeName()).isEqualTo("TIMESTAMP WITH TIME ZONE");
    assertThat(ts.precision()).isEqualTo(6);
    ResultColumn local = vector.columns().get(2);
    assertThat(local.jdbcType()).isEqualTo(Types.TIMESTAMP);
    assertThat(local.precision()).isEqualTo(6);
    // the metadata of prepared statements says the same
    assertThat(provider.prepare(sql).columns()).isEqualTo(vector.columns());
  }

  @Test
  void theVectorPathDeliversTheStoredMicroseconds() {
    Outcome o = run(provider, true, "SELECT id, ts, local_ts FROM company_data.ts");
    assertThat(o.vectorized()).isTrue();
    List<List<Object>> rows = sorted(o.rows());
    for (int id = 1; id <= CSV.length; id++) {
      assertThat(rows.get(id - 1)).containsExactly((long) id, instant(id), wallClock(id));
    }
    assertThat(rows.get(4)).containsExactly(5L, null, null);
  }

  @Test
  void theRowEngineComputesWithMilliseconds() {
    Outcome o = run(provider, false, "SELECT id, ts, local_ts FROM company_data.ts");
    assertThat(o.vectorized()).isFalse();
    List<List<Object>> rows = sorted(o.rows());
    for (int id = 1; id <= CSV.length; id++) {
      assertThat(rows.get(id - 1))
          .containsExactly(
              (long) id,
              instant(id).truncatedTo(ChronoUnit.MILLIS),
              wallClock(id).truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @Test
  void arrowBatchesAreMicrosecondsInUtcOnBothExecutors() throws Exception {
    String sql = "SELECT id, ts, local_ts FROM company_data.ts";
    Schema vectorSchema = null;
    for (boolean vector : List.of(true, false)) {
      provider.setProperty("vector_execution", Boolean.toString(vector));
      try (BufferAllocator allocator = new RootAllocator();
          StatementResult r = provider.execute(sql);
          ArrowReader reader = r.arrow(allocator, 100)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        Schema schema = root.getSchema();
        assertThat(schema.findField("ts").getType())
            .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
        assertThat(schema.findField("local_ts").getType())
            .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
        if (vectorSchema == null) {
          vectorSchema = schema;
        } else {
          assertThat(schema).isEqualTo(vectorSchema);
        }
        int seen = 0;
        while (reader.loadNextBatch()) {
          TimeStampVector ts = (TimeStampVector) root.getVector("ts");
          TimeStampVector local = (TimeStampVector) root.getVector("local_ts");
          for (int i = 0; i < root.getRowCount(); i++) {
            int id = (int) (long) (Long) root.getVector("id").getObject(i);
            if (id > CSV.length) {
              assertThat(ts.isNull(i)).isTrue();
              continue;
            }
            long expected = micros(instant(id).toInstant());
            long expectedLocal = micros(wallClock(id).toInstant(ZoneOffset.UTC));
            if (!vector) {
              expected = Math.floorDiv(expected, 1000) * 1000;
              expectedLocal = Math.floorDiv(expectedLocal, 1000) * 1000;
            }
            assertThat(ts.get(i)).as("ts of %d, vector %s", id, vector).isEqualTo(expected);
            assertThat(local.get(i)).isEqualTo(expectedLocal);
            seen++;
          }
        }
        assertThat(seen).isEqualTo(CSV.length);
      }
    }
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void comparisonsAndFunctionsKeepWorking() {
    for (String sql :
        List.of(
            "SELECT id FROM company_data.ts WHERE ts > TIMESTAMP '2026-01-01 00:00:00'",
            "SELECT id FROM company_data.ts WHERE ts = TIMESTAMP '2026-10-01 08:00:00.123'")) {
      assertThat(run(provider, true, sql).vectorized()).as(sql).isTrue();
    }
    for (boolean vector : List.of(true, false)) {
      String t = " FROM company_data.ts";
      assertThat(
              ids(
                  run(
                      provider,
                      vector,
                      "SELECT id" + t + " WHERE ts > TIMESTAMP '2026-01-01 00:00:00'")))
          .containsExactly(1L, 2L, 4L);
      // the validator casts the literal for =: the cast keeps its milliseconds
      assertThat(
              ids(
                  run(
                      provider,
                      vector,
                      "SELECT id" + t + " WHERE ts = TIMESTAMP '2026-10-01 08:00:00.123'")))
          .containsExactly(1L);
      assertThat(
              ids(
                  run(
                      provider,
                      vector,
                      "SELECT id" + t + " WHERE ts <> TIMESTAMP '2026-10-01 08:00:00.123'")))
          .containsExactly(2L, 3L, 4L);
      assertThat(
              ids(
                  run(
                      provider,
                      vector,
                      "SELECT id"
                          + t
                          + " WHERE ts >= TIMESTAMP WITH LOCAL TIME ZONE '2026-10-01 08:00:00.123'")))
          .containsExactly(1L);
      assertThat(
              ids(
                  run(
                      provider,
                      vector,
                      "SELECT id" + t + " WHERE ts < TIMESTAMP '1970-01-01 00:00:00'")))
          .containsExactly(3L);
      assertThat(ids(run(provider, vector, "SELECT id" + t + " WHERE ts = local_ts")))
          .containsExactly(1L, 2L, 3L);
    }
    Outcome f =
        run(
            provider,
            false,
            "SELECT id, CAST(ts AS DATE), EXTRACT(HOUR FROM ts), FLOOR(ts TO HOUR),"
                + " CAST(ts AS TIMESTAMP), ts = TIMESTAMP '2026-10-01 08:00:00.123',"
                + " CAST(local_ts AS TIMESTAMP WITH LOCAL TIME ZONE)"
                + " FROM company_data.ts WHERE id < 5");
    List<List<Object>> rows = sorted(f.rows());
    for (int id = 1; id <= CSV.length; id++) {
      OffsetDateTime i = instant(id);
      assertThat(rows.get(id - 1))
          .containsExactly(
              (long) id,
              i.toLocalDate(),
              (long) i.getHour(),
              i.truncatedTo(ChronoUnit.HOURS),
              i.toLocalDateTime().truncatedTo(ChronoUnit.MILLIS),
              id == 1,
              wallClock(id).truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }
  }

  @Test
  void parametersAreInstantsOrUtcWallClocks() {
    String sql = "SELECT id FROM company_data.ts WHERE ts >= ? AND ts < ?";
    for (boolean vector : List.of(true, false)) {
      Object[][] bounds = {
        {
          OffsetDateTime.parse("2026-10-01T10:00:00.123+02:00"),
          Instant.parse("2027-01-01T00:00:00Z")
        },
        {LocalDateTime.parse("2026-10-01T08:00:00.123"), "2027-01-01 00:00:00"},
        {"2026-10-01 04:00:00.123-04:00", "2027-01-01T00:00:00Z"},
      };
      for (Object[] b : bounds) {
        assertThat(ids(run(provider, vector, sql, b)))
            .as("%s", Arrays.toString(b))
            .containsExactly(1L);
      }
    }
  }

  @Test
  void accessRulesFilterTimestampsExactlyOnBothExecutors() {
    for (boolean vector : List.of(true, false)) {
      Outcome o = run(buyer, vector, "SELECT id, ts FROM prov.early");
      // ts < 08:00:00.123 and ts <> 2026-03-29 07:30:00.5, compared at milliseconds: not 1
      // (.123456 is .123), 2 (.000001 is .000) and 3 (1969), not 4 (equal), not the NULL
      assertThat(ids(o)).as("vector %s", vector).containsExactly(2L, 3L);
      List<List<Object>> rows = sorted(o.rows());
      for (int i = 0; i < 2; i++) {
        OffsetDateTime stored = instant(i + 2);
        assertThat(rows.get(i).get(1))
            .isEqualTo(vector ? stored : stored.truncatedTo(ChronoUnit.MILLIS));
      }
    }
  }

  @Test
  void valuesDoNotDependOnTheJvmTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    List<Outcome> utc = new ArrayList<>();
    List<Outcome> newYork = new ArrayList<>();
    String sql =
        "SELECT id, ts, local_ts, CAST(ts AS DATE), CAST(ts AS VARCHAR) FROM company_data.ts"
            + " WHERE ts > TIMESTAMP '1969-12-31 23:00:00'";
    try {
      for (List<Outcome> into : List.of(utc, newYork)) {
        TimeZone.setDefault(TimeZone.getTimeZone(into == utc ? "UTC" : "America/New_York"));
        into.add(run(provider, true, sql));
        into.add(run(provider, false, sql));
      }
    } finally {
      TimeZone.setDefault(saved);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(sorted(newYork.get(i).rows())).isEqualTo(sorted(utc.get(i).rows()));
    }
    assertThat(ids(utc.get(0))).containsExactly(1L, 2L, 3L, 4L);
  }

  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(r -> (Long) r.get(0)));
    return out;
  }

  /**
   * Text without a zone cast to TIMESTAMP WITH LOCAL TIME ZONE is read at UTC, as a literal and as
   * a column.
   */
  @Test
  void textCastToTimestamptzIsReadAtUtc() {
    for (boolean vector : new boolean[] {true, false}) {
      Outcome o =
          run(
              provider,
              vector,
              "SELECT CAST('2024-01-05 10:11:12' AS TIMESTAMP WITH LOCAL TIME ZONE),"
                  + " CAST(CAST(id AS VARCHAR) || '024-01-05 10:11:12' AS TIMESTAMP WITH LOCAL"
                  + " TIME ZONE) FROM company_data.ts WHERE id = 2");
      OffsetDateTime expected = OffsetDateTime.parse("2024-01-05T10:11:12Z");
      assertThat(o.rows()).containsExactly(List.of(expected, expected));
    }
    assertThatThrownBy(
            () ->
                run(
                    provider,
                    false,
                    "SELECT CAST('no time ' || CAST(id AS VARCHAR) AS TIMESTAMP WITH LOCAL TIME ZONE)"
                        + " FROM company_data.ts"))
        .isInstanceOf(io.nql.planner.error.NqlException.class)
        .satisfies(
            e -> assertThat(((io.nql.planner.error.NqlException) e).sqlState()).startsWith("22"));
  }
}
