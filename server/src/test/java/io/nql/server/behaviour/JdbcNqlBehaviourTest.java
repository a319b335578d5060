package io.nql.server.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.server.gateway.GatewayConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour suite over {@code jdbc:nql://}: our driver through {@link DriverManager} against an
 * in-process gateway; plus what only JDBC has (the typed setters).
 */
class JdbcNqlBehaviourTest extends FrontEndBehaviourSuite {
  @Override
  FrontEnd start(Path warehouse, Path ingestRoot, String adminPassword) {
    return new JdbcFrontEnd(
        GatewayConfig.builder(warehouse)
            .jdbcPort(0)
            .flightPort(0)
            .metricsPort(0)
            .bindAddress("127.0.0.1")
            .ingestRoots(List.of(ingestRoot))
            .adminPassword(adminPassword)
            .build());
  }

  @Test
  void typedSettersBindEveryType() throws Exception {
    String url = ((JdbcFrontEnd) frontEnd.delegate).url();
    try (Connection c =
            DriverManager.getConnection(url + "?user=acme_user&password=" + BehaviourData.ACME_PW);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM company_data.typed WHERE b = ? AND i = ? AND i = ? AND i = ?"
                    + " AND l = ? AND r = ? AND d = ? AND num = ? AND s = ? AND dt = ?"
                    + " AND tm = ? AND ts = ? AND tstz = ? AND bin = ?")) {
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(14);
      ps.setBoolean(1, true);
      ps.setByte(2, (byte) 7);
      ps.setShort(3, (short) 7);
      ps.setInt(4, 7);
      ps.setLong(5, 9_000_000_000L);
      ps.setFloat(6, 1.5f);
      ps.setDouble(7, 2.25d);
      ps.setBigDecimal(8, new BigDecimal("12345678.1234"));
      ps.setString(9, "Zürich ✓ 東京 😀");
      ps.setDate(10, ParameterTypesSuite.utcDate("2026-10-01"));
      ps.setTime(11, ParameterTypesSuite.utcTime("08:15:30"));
      java.sql.Timestamp ts =
          ParameterTypesSuite.utcTimestamp(
              java.time.LocalDateTime.parse("2026-10-01T08:15:30.123"));
      ps.setTimestamp(12, ts);
      ps.setTimestamp(13, ts);
      ps.setBytes(14, new byte[] {1, (byte) 0xFF});
      assertThat(ids(ps)).containsExactly(1);
      ps.setBoolean(1, false);
      assertThat(ids(ps)).isEmpty();
      ps.setNull(1, Types.BOOLEAN);
      assertThat(ids(ps)).isEmpty();
      ps.setBoolean(1, true);
      ps.setObject(12, java.time.LocalDateTime.parse("2026-10-01T08:15:30.123"));
      ps.setObject(13, java.time.Instant.parse("2026-10-01T08:15:30.123Z"), Types.TIMESTAMP);
      assertThat(ids(ps)).containsExactly(1);
      ps.setObject(10, java.time.LocalDate.parse("2026-10-01"), Types.DATE);
      ps.setObject(11, java.time.LocalTime.parse("08:15:30"), Types.TIME);
      ps.setObject(12, ts, Types.TIMESTAMP);
      ps.setObject(8, new BigDecimal("12345678.1234"), Types.DECIMAL, 4);
      assertThat(ids(ps)).containsExactly(1);
    }
  }

  private static List<Integer> ids(PreparedStatement ps) throws Exception {
    List<Integer> out = new java.util.ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }
}
