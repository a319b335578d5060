package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.FlightClients.Login;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.avatica.util.DateTimeUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code timestamptz} column loaded by {@code COPY INTO} from text with offsets, read through an
 * in-process gateway by {@code jdbc:nql} ({@code DriverManager}), by Arrow's {@link
 * FlightSqlClient} and by the official Flight SQL JDBC driver: the type each reports, the instant
 * and its microseconds, in a JVM whose default time zone is not UTC (America/New_York, restored
 * after each test). Expected values are the CSV's text parsed by java.time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneAwareTimestampsGatewayTest {
  static final String PW = "tz-secret-1";

  /** id, an instant with an offset (timestamptz), a wall clock (timestamp). */
  static final String[][] CSV = {
    {"1", "2026-10-01T08:00:00.123456Z", "2026-10-01 08:00:00.123456"},
    {"2", "2026-10-01T10:00:00.000001+02:00", "2026-10-01 08:00:00.000001"},
    {"3", "1969-12-31T23:59:59.999999Z", "1969-12-31 23:59:59.999999"},
  };

  /** The rows read as stored (the vector path), and through the row engine (ORDER BY). */
  static final String STORED = "SELECT id, ts, local_ts FROM company_data.ts";

  static final String COMPUTED = STORED + " ORDER BY id";

  @TempDir static Path dir;
  Gateway gateway;
  BufferAllocator allocator;
  TimeZone saved;

  @BeforeAll
  void start() throws Exception {
    // Avatica's DateTimeUtils keeps the JVM zone it sees first: let it see this JVM's own zone, not
    // the one these tests switch to, or the tests that run after these in the same JVM would read
    // shifted dates through Avatica's accessors.
    assertThat(DateTimeUtils.DEFAULT_ZONE).isNotNull();
    Path ingest = dir.resolve("incoming");
    Path area = Files.createDirectories(ingest.resolve("tz"));
    StringBuilder csv = new StringBuilder("id,ts,local_ts\n");
    for (String[] row : CSV) {
      csv.append(String.join(",", row)).append('\n');
    }
    csv.append("4,,\n");
    Files.writeString(area.resolve("ts.csv"), csv);
    EngineConfig config =
        new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-secret-1");
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("CREATE COMPANY tz").close();
        admin.execute("CREATE USER \"tz_user\" COMPANY tz PASSWORD '" + PW + "'").close();
      }
      try (NqlSession tz = engine.trusted("tz_user")) {
        tz.execute("COPY INTO company_data.ts FROM '" + area.resolve("ts.csv") + "' HEADER = TRUE")
            .close();
      }
    }
    gateway =
        Gateway.start(
            GatewayConfig.builder(dir.resolve("wh"))
                .jdbcPort(0)
                .flightPort(0)
                .metricsPort(0)
                .bindAddress("127.0.0.1")
                .build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void stop() {
    gateway.close();
    allocator.close();
  }

  @BeforeEach
  void notUtc() {
    saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
  }

  @AfterEach
  void restoreZone() {
    TimeZone.setDefault(saved);
  }

  static OffsetDateTime instant(int id) {
    return OffsetDateTime.parse(CSV[id - 1][1]).withOffsetSameInstant(ZoneOffset.UTC);
  }

  static LocalDateTime wallClock(int id) {
    return LocalDateTime.parse(CSV[id - 1][2].replace(' ', 'T'));
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  Connection nql() throws Exception {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:" + gateway.jdbcPort() + "?user=tz_user&password=" + PW);
  }

  Connection flightJdbc() throws Exception {
    return DriverManager.getConnection(
        "jdbc:arrow-flight-sql://127.0.0.1:"
            + gateway.flightPort()
            + "/?useEncryption=false&user=tz_user&password="
            + PW);
  }

  // ---- jdbc:nql

  @Test
  void jdbcNqlReportsTimestampWithTimeZone() throws Exception {
    try (Connection c = nql();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(STORED)) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnType(2)).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
      assertThat(md.getColumnTypeName(2)).isEqualTo("TIMESTAMP WITH TIME ZONE");
      assertThat(md.getPrecision(2)).isEqualTo(6);
      assertThat(md.getColumnClassName(2)).isEqualTo(OffsetDateTime.class.getName());
      assertThat(md.getColumnType(3)).isEqualTo(Types.TIMESTAMP);
      assertThat(md.getPrecision(3)).isEqualTo(6);
    }
  }

  @Test
  void jdbcNqlGivesTheInstantWithItsMicrosecondsWhateverTheJvmZone() throws Exception {
    instantsWithMicroseconds(nql(), ChronoUnit.MICROS);
  }

  @Test
  void standardFramesGiveTheInstantWithItsMicrosecondsAndTimestampsInMilliseconds()
      throws Exception {
    instantsWithMicroseconds(
        DriverManager.getConnection(
            "jdbc:nql://127.0.0.1:"
                + gateway.jdbcPort()
                + "?frame_encoding=standard&user=tz_user&password="
                + PW),
        ChronoUnit.MILLIS);
  }

  /**
   * Reads the stored instants and wall clocks: TIMESTAMP WITH TIME ZONE keeps its microseconds
   * either way; a plain TIMESTAMP keeps them in columnar frames, while standard frames carry it as
   * Avatica's epoch milliseconds (docs/clients/jdbc.md).
   */
  private void instantsWithMicroseconds(Connection connection, ChronoUnit timestampPrecision)
      throws Exception {
    Calendar tokyo = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));
    int seen = 0;
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(STORED)) {
      while (rs.next()) {
        int id = rs.getInt(1);
        if (id > CSV.length) {
          assertThat(rs.getObject(2)).isNull();
          assertThat(rs.getTimestamp(2)).isNull();
          assertThat(rs.wasNull()).isTrue();
          continue;
        }
        OffsetDateTime expected = instant(id);
        assertThat(rs.getObject(2)).isEqualTo(expected);
        assertThat(rs.getObject(2, OffsetDateTime.class)).isEqualTo(expected);
        assertThat(rs.getObject("ts", Instant.class)).isEqualTo(expected.toInstant());
        Timestamp ts = rs.getTimestamp(2);
        assertThat(ts.toInstant()).isEqualTo(expected.toInstant());
        assertThat(ts.getNanos() % 1_000_000).isEqualTo(expected.getNano() % 1_000_000);
        assertThat(rs.getTimestamp("ts", tokyo).toInstant()).isEqualTo(expected.toInstant());
        assertThat(OffsetDateTime.parse(rs.getString(2).replace(' ', 'T'))).isEqualTo(expected);
        LocalDateTime wall = wallClock(id).truncatedTo(timestampPrecision);
        assertThat(rs.getString(3))
            .isEqualTo(wall.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS")));
        if (timestampPrecision == ChronoUnit.MICROS) {
          // Standard frames convert through Avatica's DateTimeUtils, which keeps the JVM zone it
          // saw first: in a JVM whose zone changes at run time (as here) it shifts a TIMESTAMP.
          assertThat(rs.getObject(3, LocalDateTime.class)).isEqualTo(wall);
          assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(wall.toInstant(ZoneOffset.UTC));
        }
        seen++;
      }
    }
    assertThat(seen).isEqualTo(CSV.length);
  }

  @Test
  void jdbcNqlRowEngineResultsHaveMilliseconds() throws Exception {
    try (Connection c = nql();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(COMPUTED)) {
      for (int id = 1; id <= CSV.length; id++) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getObject(2, OffsetDateTime.class))
            .isEqualTo(instant(id).truncatedTo(ChronoUnit.MILLIS));
      }
    }
  }

  @Test
  void jdbcNqlBindsInstantsAsParameters() throws Exception {
    try (Connection c = nql();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM company_data.ts WHERE ts >= ? AND ts < ?")) {
      assertThat(ps.getParameterMetaData().getParameterType(1))
          .isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
      ps.setObject(1, OffsetDateTime.parse("2026-10-01T04:00:00.123-04:00"));
      ps.setTimestamp(2, Timestamp.from(Instant.parse("2027-01-01T00:00:00Z")));
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      assertThat(ids).containsExactly(1L);
    }
  }

  @Test
  void metadataAndInformationSchemaAgree() throws Exception {
    try (Connection c = nql()) {
      Map<String, String> columns = new HashMap<>();
      try (ResultSet rs = c.getMetaData().getColumns(null, "company_data", "ts", "%")) {
        while (rs.next()) {
          columns.put(
              rs.getString("COLUMN_NAME"),
              rs.getInt("DATA_TYPE")
                  + " "
                  + rs.getString("TYPE_NAME")
                  + " "
                  + rs.getInt("COLUMN_SIZE")
                  + " "
                  + rs.getInt("DECIMAL_DIGITS"));
        }
      }
      assertThat(columns)
          .containsEntry("ts", Types.TIMESTAMP_WITH_TIMEZONE + " TIMESTAMP WITH TIME ZONE 32 6")
          .containsEntry("local_ts", Types.TIMESTAMP + " TIMESTAMP 26 6");
      Map<String, String> dataTypes = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT column_name, data_type FROM information_schema.columns"
                      + " WHERE table_schema = 'company_data' AND table_name = 'ts'")) {
        while (rs.next()) {
          dataTypes.put(rs.getString(1), rs.getString(2));
        }
      }
      assertThat(dataTypes)
          .containsEntry("ts", "timestamp with time zone")
          .containsEntry("local_ts", "timestamp without time zone");
    }
  }

  // ---- Arrow Flight SQL

  static final ArrowType INSTANT = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
  static final ArrowType WALL_CLOCK = new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);

  Login login() {
    return FlightClients.login(allocator, gateway.flightPort(), "tz_user", PW);
  }

  /** id → {ts micros, local_ts micros} of a statement's stream, and its schema. */
  record Stream(Schema schema, Map<Long, long[]> values) {}

  static Stream stream(FlightSqlClient sql, FlightInfo info, Login who) throws Exception {
    Map<Long, long[]> values = new HashMap<>();
    Schema schema;
    try (FlightStream s = sql.getStream(info.getEndpoints().get(0).getTicket(), who.auth())) {
      schema = s.getSchema();
      while (s.next()) {
        VectorSchemaRoot root = s.getRoot();
        BigIntVector id = (BigIntVector) root.getVector("id");
        TimeStampVector ts = (TimeStampVector) root.getVector("ts");
        TimeStampVector local = (TimeStampVector) root.getVector("local_ts");
        for (int i = 0; i < root.getRowCount(); i++) {
          values.put(id.get(i), ts.isNull(i) ? null : new long[] {ts.get(i), local.get(i)});
        }
      }
    }
    return new Stream(schema, values);
  }

  @Test
  void flightSqlClientReadsMicrosecondsInUtc() throws Exception {
    try (Login who = login()) {
      FlightSqlClient sql = who.sql();
      FlightInfo info = sql.execute(STORED, who.auth());
      assertThat(info.getSchemaOptional().orElseThrow().findField("ts").getType())
          .isEqualTo(INSTANT);
      Stream stored = stream(sql, info, who);
      assertThat(stored.schema().findField("ts").getType()).isEqualTo(INSTANT);
      assertThat(stored.schema().findField("local_ts").getType()).isEqualTo(WALL_CLOCK);
      Stream computed = stream(sql, sql.execute(COMPUTED, who.auth()), who);
      // the row engine sends the same Arrow schema
      assertThat(computed.schema()).isEqualTo(stored.schema());
      for (int id = 1; id <= CSV.length; id++) {
        long ts = micros(instant(id).toInstant());
        long local = micros(wallClock(id).toInstant(ZoneOffset.UTC));
        assertThat(stored.values().get((long) id)).containsExactly(ts, local);
        assertThat(computed.values().get((long) id))
            .containsExactly(Math.floorDiv(ts, 1000) * 1000, Math.floorDiv(local, 1000) * 1000);
      }
      assertThat(stored.values()).containsEntry(4L, null);
    }
  }

  @Test
  void getTablesWithSchemaTypesTheColumnsAsStatementsDo() throws Exception {
    try (Login who = login()) {
      FlightSqlClient sql = who.sql();
      FlightInfo info = sql.getTables(null, "company_data", "ts", null, true, who.auth());
      Schema schema;
      try (FlightStream s = sql.getStream(info.getEndpoints().get(0).getTicket(), who.auth())) {
        assertThat(s.next()).isTrue();
        byte[] bytes = ((VarBinaryVector) s.getRoot().getVector("table_schema")).getObject(0);
        schema =
            MessageSerializer.deserializeSchema(
                new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))));
      }
      assertThat(schema.findField("ts").getType()).isEqualTo(INSTANT);
      assertThat(schema.findField("local_ts").getType()).isEqualTo(WALL_CLOCK);
    }
  }

  @Test
  void flightSqlClientBindsATimestampWithZoneParameter() throws Exception {
    try (Login who = login();
        FlightClients.Prepared p =
            FlightClients.prepare(
                who, "SELECT id, ts, local_ts FROM company_data.ts WHERE ts = ?");
        VectorSchemaRoot params =
            VectorSchemaRoot.create(
                new Schema(List.of(new Field("p", FieldType.nullable(INSTANT), null))),
                allocator)) {
      TimeStampMicroTZVector v = (TimeStampMicroTZVector) params.getVector(0);
      v.allocateNew(1);
      // the millisecond of row 1: comparisons are at milliseconds (docs/reference/nql.md)
      v.set(0, micros(instant(1).toInstant().truncatedTo(ChronoUnit.MILLIS)));
      params.setRowCount(1);
      p.ps().setParameters(params);
      Stream s = stream(who.sql(), p.ps().execute(who.auth()), who);
      assertThat(s.values().keySet()).containsExactly(1L);
    }
  }

  /**
   * The official driver reads the Arrow zone: {@code getObject(i, OffsetDateTime.class)} and {@code
   * getObject(i, Instant.class)} give the instant with its microseconds in any JVM zone. Its {@code
   * getTimestamp} (18.3) is right only in a JVM whose default zone is UTC: elsewhere it shifts the
   * instant by the zone's offset, twice (docs/clients/flight.md).
   */
  @Test
  void theFlightSqlJdbcDriverGivesTheInstant() throws Exception {
    for (String zone : List.of("America/New_York", "UTC")) {
      TimeZone.setDefault(TimeZone.getTimeZone(zone));
      try (Connection c = flightJdbc();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(STORED)) {
        assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
        int seen = 0;
        while (rs.next()) {
          int id = (int) rs.getLong(1);
          if (id > CSV.length) {
            continue;
          }
          Instant expected = instant(id).toInstant();
          assertThat(rs.getObject(2, OffsetDateTime.class).toInstant())
              .as("row %d in %s", id, zone)
              .isEqualTo(expected);
          assertThat(rs.getObject(2, Instant.class)).isEqualTo(expected);
          Instant viaTimestamp = rs.getTimestamp(2).toInstant();
          if (zone.equals("UTC")) {
            assertThat(viaTimestamp).isEqualTo(expected);
          } else {
            assertThat(viaTimestamp).as("the driver's getTimestamp shift").isNotEqualTo(expected);
          }
          seen++;
        }
        assertThat(seen).isEqualTo(CSV.length);
      }
    }
  }
}
