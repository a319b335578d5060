package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result frames through the real gateway: every type reads the same in columnar frames (the {@code
 * jdbc:nql} driver's default), in standard frames ({@code frame_encoding=standard}) and through
 * Avatica's own remote driver, which speaks plain Avatica protobuf; results that end exactly at a
 * frame boundary, rows wider than a frame, empty results; and what happens while the next frame is
 * fetched ahead: an error, a close, a cancel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultFramesGatewayTest {
  private static final String PW = "frames-secret-1";

  /** Rows of {@code numbers}: a cross join of it with itself has 1,000,000 rows. */
  private static final int NUMBERS = 1_000;

  private static final String CROSS_JOIN =
      "SELECT a.n * 1000 + b.n AS i FROM company_data.numbers a CROSS JOIN company_data.numbers b";

  /**
   * The typed values: BIGINT and INTEGER extremes, 38-digit decimals, REAL and DOUBLE extremes and
   * specials, UTF-8 of one to four bytes, dates and timestamps around the epoch (milliseconds,
   * which standard frames carry), and a row of NULLs.
   */
  private static final String TYPES_CSV =
      "id,b,i,big,r,d,dec,small,s,dt,ts,tz\n"
          + "1,true,2147483647,9223372036854775807,3.4028235E38,1.7976931348623157E308,"
          + "1234567890123456789012345678.0123456789,999.99,Zürich 東京 😀,2026-10-01,"
          + "2026-10-01T08:00:00.123,2026-10-01T08:00:00.123456Z\n"
          + "2,false,-2147483648,-9223372036854775808,-1.4E-45,4.9E-324,"
          + "-1234567890123456789012345678.0123456789,-999.99,,1969-12-31,"
          + "1969-12-31T23:59:59.999,1969-12-31T23:59:59.999999Z\n"
          + "3,,,,,,,,,,,\n"
          + "4,true,0,0,Infinity,NaN,0,0.01,\"comma, \"\"quote\"\"\",9999-12-31,"
          + "1900-01-01T00:00:00,2262-04-11T23:47:16.854775Z\n"
          + "5,false,-1,-1,-Infinity,-0.0,0.0000000001,-0.01,ñ,0001-01-01,"
          + "2000-02-29T12:34:56.789,2000-02-29T12:34:56Z\n";

  private static final String TYPED =
      "SELECT id, b, i, big, r, d, dec, small, s, dt, ts, tz,"
          + " CAST(i / 100000 AS SMALLINT) AS sm, CAST(id AS TINYINT) AS ti,"
          + " CAST(ts AS TIME) AS tm,"
          + " CAST(s AS VARBINARY) AS bin, CAST(d AS FLOAT) AS f FROM company_data.types";

  @TempDir static Path dir;
  Gateway gateway;

  @BeforeAll
  void start() throws Exception {
    Path ingest = dir.resolve("incoming");
    Path area = Files.createDirectories(ingest.resolve("frames"));
    Files.writeString(area.resolve("types.csv"), TYPES_CSV);
    StringBuilder numbers = new StringBuilder("n\n");
    for (int i = 0; i < NUMBERS; i++) {
      numbers.append(i).append('\n');
    }
    Files.writeString(area.resolve("numbers.csv"), numbers);
    StringBuilder wide = new StringBuilder("id,s\n");
    for (int i = 1; i <= 3; i++) {
      // 3 MiB of text in 1.5 MiB characters, each row wider than a whole frame
      wide.append(i).append(',').append(String.valueOf((char) ('a' + i)).repeat(1 << 20));
      wide.append("é".repeat(1 << 20)).append('\n');
    }
    Files.writeString(area.resolve("wide.csv"), wide);
    EngineConfig config =
        new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-secret-1");
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("CREATE COMPANY frames").close();
        admin.execute("CREATE USER \"frames_user\" COMPANY frames PASSWORD '" + PW + "'").close();
      }
      try (NqlSession s = engine.trusted("frames_user")) {
        s.execute(
                "CREATE DATASET \"types\" (id BIGINT, b BOOLEAN, i INTEGER, big BIGINT, r REAL,"
                    + " d DOUBLE, dec DECIMAL(38, 10), small DECIMAL(5, 2), s VARCHAR, dt DATE,"
                    + " ts TIMESTAMP, tz TIMESTAMP WITH LOCAL TIME ZONE)")
            .close();
        for (String t : List.of("types", "numbers", "wide")) {
          s.execute(
                  "COPY INTO company_data."
                      + t
                      + " FROM '"
                      + area.resolve(t + ".csv")
                      + "' HEADER = TRUE")
              .close();
        }
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
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  Connection nql(String encoding) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:"
            + gateway.jdbcPort()
            + "?frame_encoding="
            + encoding
            + "&user=frames_user&password="
            + PW);
  }

  /** Avatica's own remote driver: a client that knows nothing of columnar frames. */
  Connection avatica() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:avatica:remote:url=http://127.0.0.1:"
            + gateway.jdbcPort()
            + ";serialization=PROTOBUF;authentication=BASIC;avatica_user=frames_user"
            + ";avatica_password="
            + PW
            + ";timeZone=UTC");
  }

  @Test
  void everyTypeReadsTheSameInColumnarAndStandardFrames() throws Exception {
    // as stored (the vector path), and through the row engine (ORDER BY)
    for (String sql : List.of(TYPED, TYPED + " ORDER BY id")) {
      List<String> columnar = read(nql("columnar"), sql, true);
      List<String> standard = read(nql("standard"), sql, true);
      assertThat(columnar).as(sql).hasSize(5).isEqualTo(standard);
    }
  }

  @Test
  void columnarFramesTravelOnlyToAConnectionThatAskedForThem() throws Exception {
    for (String encoding : List.of("columnar", "standard")) {
      try (Connection c = nql(encoding);
          Statement s = c.createStatement()) {
        AvaticaConnection ac = c.unwrap(AvaticaConnection.class);
        AvaticaStatement as = s.unwrap(AvaticaStatement.class);
        Service.ExecuteResponse r =
            ac.getService()
                .apply(new Service.PrepareAndExecuteRequest(ac.id, as.handle.id, TYPED, -1));
        List<Object> rows = new ArrayList<>();
        r.results.get(0).firstFrame.rows.forEach(rows::add);
        if (encoding.equals("columnar")) {
          // one row of one byte string, "NQLF" version 1, 17 columns
          assertThat(rows).hasSize(1);
          List<?> row = (List<?>) rows.get(0);
          assertThat(row).hasSize(1);
          byte[] payload = (byte[]) row.get(0);
          assertThat(new String(payload, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
              .isEqualTo("NQLF");
          assertThat(payload[4]).isEqualTo((byte) 1);
          assertThat(payload[5]).isEqualTo((byte) 17);
        } else {
          assertThat(rows).hasSize(5).allSatisfy(row -> assertThat((List<?>) row).hasSize(17));
        }
      }
    }
  }

  @Test
  void avaticasOwnDriverReadsTheStandardFrames() throws Exception {
    String sql = "SELECT id, b, i, big, d, dec, small, s, dt FROM company_data.types ORDER BY id";
    assertThat(read(avatica(), sql, false)).isEqualTo(read(nql("columnar"), sql, false));
  }

  @Test
  void valuesArriveExactly() throws Exception {
    try (Connection c = nql("columnar");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(TYPED + " ORDER BY id")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnType(13)).isEqualTo(Types.SMALLINT);
      assertThat(md.getColumnType(14)).isEqualTo(Types.TINYINT);
      assertThat(md.getColumnType(15)).isEqualTo(Types.TIME);
      assertThat(md.getColumnType(16)).isEqualTo(Types.VARBINARY);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(2)).isTrue();
      assertThat(rs.getInt(3)).isEqualTo(Integer.MAX_VALUE);
      assertThat(rs.getLong(4)).isEqualTo(Long.MAX_VALUE);
      assertThat(rs.getFloat(5)).isEqualTo(Float.MAX_VALUE);
      assertThat(rs.getDouble(6)).isEqualTo(Double.MAX_VALUE);
      assertThat(rs.getBigDecimal(7))
          .isEqualTo(new BigDecimal("1234567890123456789012345678.0123456789"));
      assertThat(rs.getBigDecimal(8)).isEqualTo(new BigDecimal("999.99"));
      assertThat(rs.getString(9)).isEqualTo("Zürich 東京 😀");
      assertThat(rs.getBytes(16)).isEqualTo("Zürich 東京 😀".getBytes("UTF-8"));
      assertThat(rs.getObject(10, LocalDate.class)).isEqualTo(LocalDate.of(2026, 10, 1));
      assertThat(rs.getObject(11, LocalDateTime.class))
          .isEqualTo(LocalDateTime.parse("2026-10-01T08:00:00.123"));
      // computed columns put the statement on the row engine: milliseconds (docs/reference/nql.md)
      assertThat(rs.getObject(12, OffsetDateTime.class))
          .isEqualTo(OffsetDateTime.parse("2026-10-01T08:00:00.123Z"));
      assertThat(rs.getString(15)).isEqualTo("08:00:00");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(4)).isEqualTo(Long.MIN_VALUE);
      assertThat(rs.getInt(3)).isEqualTo(Integer.MIN_VALUE);
      assertThat(rs.getFloat(5)).isEqualTo(-Float.MIN_VALUE);
      assertThat(rs.getDouble(6)).isEqualTo(Double.MIN_VALUE);
      assertThat(rs.getBigDecimal(7))
          .isEqualTo(new BigDecimal("-1234567890123456789012345678.0123456789"));
      assertThat(rs.getTimestamp(11).toInstant().toString()).isEqualTo("1969-12-31T23:59:59.999Z");
      assertThat(rs.next()).isTrue();
      for (int i = 2; i <= 17; i++) {
        if (i == 14) {
          continue; // CAST(id AS TINYINT)
        }
        assertThat(rs.getObject(i)).as("column %d", i).isNull();
        assertThat(rs.wasNull()).isTrue();
      }
      assertThat(rs.getLong(4)).isZero();
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.getBoolean(2)).isFalse();
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getFloat(5)).isEqualTo(Float.POSITIVE_INFINITY);
      assertThat(rs.getDouble(6)).isNaN();
      assertThat(rs.getString(9)).isEqualTo("comma, \"quote\"");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBigDecimal(7)).isEqualTo(new BigDecimal("0.0000000001"));
      assertThat(rs.getBigDecimal(8)).isEqualTo(new BigDecimal("-0.01"));
      assertThat(rs.next()).isFalse();
    }
    // as stored (the vector path): microseconds
    try (Connection c = nql("columnar");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tz FROM company_data.types WHERE id IN (1, 2)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getObject(1, OffsetDateTime.class))
          .isEqualTo(OffsetDateTime.parse("2026-10-01T08:00:00.123456Z"));
      assertThat(rs.next()).isTrue();
      assertThat(rs.getTimestamp(1).toInstant().toString())
          .isEqualTo("1969-12-31T23:59:59.999999Z");
    }
  }

  @Test
  void emptyResultsHaveTheirColumns() throws Exception {
    for (String encoding : List.of("columnar", "standard")) {
      try (Connection c = nql(encoding);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(TYPED + " WHERE id < 0")) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(17);
        assertThat(rs.next()).isFalse();
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void resultsThatEndExactlyAtAFrameBoundaryAreComplete() throws Exception {
    String sql = "SELECT n FROM company_data.numbers";
    for (String encoding : List.of("columnar", "standard")) {
      try (Connection c = nql(encoding);
          PreparedStatement ps = c.prepareStatement(sql)) {
        for (int fetch : new int[] {1, 250, 500, 999, 1000, 1001}) {
          ps.setFetchSize(fetch);
          long count = 0;
          long sum = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              count++;
              sum += rs.getLong(1);
            }
            assertThat(rs.next()).isFalse();
          }
          assertThat(count).as("%s, fetch size %d", encoding, fetch).isEqualTo(NUMBERS);
          assertThat(sum).isEqualTo((long) NUMBERS * (NUMBERS - 1) / 2);
        }
      }
    }
  }

  @Test
  void rowsWiderThanAFrameArriveWhole() throws Exception {
    String sql = "SELECT id, s FROM company_data.wide ORDER BY id";
    for (String encoding : List.of("columnar", "standard")) {
      try (Connection c = nql(encoding);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        for (int i = 1; i <= 3; i++) {
          assertThat(rs.next()).isTrue();
          String v = rs.getString(2);
          assertThat(v).hasSize(2 << 20);
          assertThat(v.charAt(0)).isEqualTo((char) ('a' + i));
          assertThat(v.charAt((2 << 20) - 1)).isEqualTo('é');
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void aLongResultIsReadWholeAndInOrder() throws Exception {
    for (String encoding : List.of("columnar", "standard")) {
      try (Connection c = nql(encoding);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(CROSS_JOIN)) {
        long expected = 0;
        while (rs.next()) {
          assertThat(rs.getLong(1)).isEqualTo(expected);
          expected++;
        }
        assertThat(expected).as(encoding).isEqualTo((long) NUMBERS * NUMBERS);
      }
    }
    assertThat(gateway.jdbcAllocatedBytes()).isZero();
  }

  @Test
  void anErrorMidStreamFailsNextWithItsSqlStateNeverAnEarlyEnd() throws Exception {
    // row engine: the division fails at row 150,000; vector path: at row 500 of numbers, and a
    // cast that overflows at row 328
    Map<String, String> failing =
        Map.of(
            "SELECT i, 1 / (i - 150000) AS x FROM (" + CROSS_JOIN + ") t",
            "22012",
            "SELECT n, 1 / (n - 500) AS x FROM company_data.numbers",
            "22012",
            "SELECT n, CAST(n * 100 AS SMALLINT) AS x FROM company_data.numbers",
            "22003",
            "SELECT n, CAST(n * 100 AS SMALLINT) AS x FROM company_data.numbers ORDER BY n",
            "22003");
    for (Map.Entry<String, String> f : failing.entrySet()) {
      String sql = f.getKey();
      for (String encoding : List.of("columnar", "standard")) {
        try (Connection c = nql(encoding);
            Statement s = c.createStatement()) {
          long[] read = {0};
          assertThatThrownBy(
                  () -> {
                    try (ResultSet rs = s.executeQuery(sql)) {
                      while (rs.next()) {
                        read[0]++;
                      }
                    }
                  })
              .as("%s: %s", encoding, sql)
              .isInstanceOfSatisfying(
                  SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(f.getValue()));
          assertThat(read[0]).isLessThan(150_000);
          awaitNoArrowMemory();
          // the statement stays usable
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.numbers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(NUMBERS);
          }
        }
      }
    }
  }

  @Test
  void closingAResultWhileTheNextFrameIsFetchedStopsIt() throws Exception {
    try (Connection c = nql("columnar");
        Statement s = c.createStatement()) {
      for (int i = 0; i < 5; i++) {
        ResultSet rs = s.executeQuery(CROSS_JOIN);
        for (int r = 0; r < 10 + i * 20_000; r++) {
          assertThat(rs.next()).isTrue();
        }
        rs.close();
        assertThatThrownBy(rs::next).isInstanceOf(SQLException.class);
      }
      // the statement runs again, with nothing of the abandoned results in its rows
      try (ResultSet rs = s.executeQuery("SELECT n FROM company_data.numbers ORDER BY n")) {
        for (int r = 0; r < NUMBERS; r++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(r);
        }
        assertThat(rs.next()).isFalse();
      }
      ResultSet open = s.executeQuery(CROSS_JOIN);
      assertThat(open.next()).isTrue();
    }
    awaitNoArrowMemory();
  }

  @Test
  void aCancelWhileTheNextFrameIsFetchedFailsWith57014() throws Exception {
    try (Connection c = nql("columnar");
        Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(CROSS_JOIN);
      assertThat(rs.next()).isTrue();
      s.cancel();
      long read = 1;
      try {
        while (rs.next()) {
          read++;
        }
        throw new AssertionError("the cancelled result ended after " + read + " rows");
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo("57014");
      }
      assertThat(read).isLessThan((long) NUMBERS * NUMBERS);
      try (ResultSet again = s.executeQuery("SELECT COUNT(*) FROM company_data.numbers")) {
        assertThat(again.next()).isTrue();
        assertThat(again.getLong(1)).isEqualTo(NUMBERS);
      }
    }
    awaitNoArrowMemory();
  }

  @Test
  void aFetchAtAnotherOffsetIsRefusedAndTakesNoRows() throws Exception {
    // as a fetch meant for an abandoned result would, arriving late
    try (Connection c = nql("columnar");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(CROSS_JOIN)) {
      AvaticaConnection ac = c.unwrap(AvaticaConnection.class);
      AvaticaStatement as = s.unwrap(AvaticaStatement.class);
      assertThat(rs.next()).isTrue();
      assertThatThrownBy(
              () -> ac.getService().apply(new Service.FetchRequest(ac.id, as.handle.id, 12_345, 0)))
          .hasMessageContaining("Cannot fetch rows from offset 12345");
      long expected = 1;
      while (rs.next()) {
        assertThat(rs.getLong(1)).isEqualTo(expected);
        expected++;
      }
      assertThat(expected).isEqualTo((long) NUMBERS * NUMBERS);
    }
  }

  private void awaitNoArrowMemory() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gateway.jdbcAllocatedBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(gateway.jdbcAllocatedBytes()).isZero();
  }

  /**
   * Every row of a result through every getter that applies to its column: getObject (with its
   * class), getString, and the typed getters; {@code full} adds the time types and byte arrays.
   */
  static List<String> read(Connection connection, String sql, boolean full) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = connection;
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object o = rs.getObject(i);
          b.append(md.getColumnLabel(i).toLowerCase(Locale.ROOT)).append('=');
          b.append(o instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : o);
          b.append(o == null ? "" : "<" + o.getClass().getSimpleName() + ">");
          b.append(" s=").append(rs.getString(i)).append(" null=").append(rs.wasNull());
          switch (md.getColumnType(i)) {
            case Types.BOOLEAN -> b.append(" z=").append(rs.getBoolean(i));
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
                b.append(" l=").append(rs.getLong(i)).append(" i=").append(rs.getInt(i));
            case Types.REAL, Types.FLOAT, Types.DOUBLE ->
                b.append(" d=").append(rs.getDouble(i)).append(" f=").append(rs.getFloat(i));
            case Types.DECIMAL ->
                b.append(" bd=").append(rs.getBigDecimal(i)).append(" d=").append(rs.getDouble(i));
            case Types.DATE -> {
              b.append(" date=").append(rs.getDate(i));
              if (full) {
                b.append(" ld=").append(rs.getObject(i, LocalDate.class));
              }
            }
            case Types.TIME -> b.append(" time=").append(rs.getTime(i));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
              Timestamp t = rs.getTimestamp(i);
              b.append(" ts=").append(t == null ? null : t.toInstant());
              if (full) {
                b.append(" ldt=").append(rs.getObject(i, LocalDateTime.class));
              }
            }
            case Types.VARBINARY, Types.BINARY -> {
              byte[] bytes = rs.getBytes(i);
              b.append(" bytes=").append(bytes == null ? null : HexFormat.of().formatHex(bytes));
            }
            default -> {}
          }
          b.append(" | ");
        }
        rows.add(b.toString());
      }
    }
    return rows;
  }
}
