package io.nql.server.behaviour;

import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The suite's front end over a JDBC driver through {@link DriverManager}: {@code jdbc:nql://} here,
 * the Flight SQL JDBC driver in {@link FlightJdbcFrontEnd}.
 */
class JdbcFrontEnd implements FrontEnd {
  final Gateway gateway;

  JdbcFrontEnd(GatewayConfig config) {
    this.gateway = Gateway.start(config);
  }

  @Override
  public Gateway gateway() {
    return gateway;
  }

  @Override
  public String name() {
    return "jdbc:nql";
  }

  String url() {
    return "jdbc:nql://127.0.0.1:" + gateway.jdbcPort();
  }

  @Override
  public Client open(String user, String password, Map<String, String> properties) throws Failure {
    java.util.Properties info = new java.util.Properties();
    info.setProperty("user", user);
    info.setProperty("password", password);
    info.putAll(properties);
    try {
      return new JdbcClient(DriverManager.getConnection(url(), info));
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public void close() throws Exception {
    gateway.close();
  }

  /** The error as the suite sees it; a driver that reports it differently overrides this. */
  Failure failure(SQLException e) {
    return new Failure(e.getSQLState(), e.getMessage(), e);
  }

  /** Binds one parameter value ({@link TypedNull} for a NULL) the way the driver takes it. */
  void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof TypedNull n) {
      ps.setNull(index, JDBCType.valueOf(n.type()).getVendorTypeNumber());
    } else {
      ps.setObject(index, value);
    }
  }

  /** The answer of an executed statement: rows read with the driver's typed getters. */
  Answer answer(Statement s, ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      names.add(md.getColumnLabel(i));
      types.add(md.getColumnTypeName(i));
    }
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        row.add(value(rs, i, md.getColumnType(i)));
      }
      rows.add(row);
    }
    List<Map.Entry<String, String>> warnings = new ArrayList<>();
    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
      warnings.add(Map.entry(w.getSQLState(), w.getMessage()));
    }
    return new Answer(names, types, rows, warnings);
  }

  /** A value in the engine's external types; the driver exchanges times in UTC. */
  Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v =
        switch (type) {
          case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
            java.sql.Timestamp t = rs.getTimestamp(i);
            yield t == null ? null : LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
          }
          case Types.DATE -> rs.getObject(i, LocalDate.class);
          case Types.TIME -> {
            java.sql.Time t = rs.getTime(i);
            yield t == null
                ? null
                : LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), 86_400_000L) * 1_000_000L);
          }
          case Types.BINARY, Types.VARBINARY -> rs.getBytes(i);
          default -> rs.getObject(i);
        };
    return rs.wasNull() ? null : v;
  }

  private final class JdbcClient implements Client {
    private final Connection connection;

    JdbcClient(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Answer query(String sql) throws Failure {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        return answer(s, rs);
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    @Override
    public Prepared prepare(String sql) throws Failure {
      try {
        PreparedStatement ps = connection.prepareStatement(sql);
        return new JdbcPrepared(ps);
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    @Override
    public long update(String sql) throws Failure {
      try (Statement s = connection.createStatement()) {
        return s.executeLargeUpdate(sql);
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    @Override
    public List<String> tables(String schema) throws Failure {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = connection.getMetaData().getTables(null, schema, "%", null)) {
        while (rs.next()) {
          out.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
      } catch (SQLException e) {
        throw failure(e);
      }
      out.sort(null);
      return out;
    }

    @Override
    public List<String> columns(String schema, String table) throws Failure {
      List<String> out = new ArrayList<>();
      try {
        DatabaseMetaData md = connection.getMetaData();
        try (ResultSet rs = md.getColumns(null, schema, table, "%")) {
          while (rs.next()) {
            out.add(
                rs.getString("COLUMN_NAME")
                    + ":"
                    + JDBCType.valueOf(rs.getInt("DATA_TYPE")).getName());
          }
        }
      } catch (SQLException e) {
        throw failure(e);
      }
      return out;
    }

    @Override
    public void close() throws Failure {
      try {
        connection.close();
      } catch (SQLException e) {
        throw failure(e);
      }
    }
  }

  private final class JdbcPrepared implements Prepared {
    private final PreparedStatement ps;

    JdbcPrepared(PreparedStatement ps) {
      this.ps = ps;
    }

    @Override
    public List<String> columns() throws Failure {
      try {
        ResultSetMetaData md = ps.getMetaData();
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          out.add(md.getColumnLabel(i) + ":" + JDBCType.valueOf(md.getColumnType(i)).getName());
        }
        return out;
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    @Override
    public Answer execute(List<Object> parameters) throws Failure {
      try {
        for (int i = 0; i < parameters.size(); i++) {
          bind(ps, i + 1, parameters.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          return answer(ps, rs);
        }
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    @Override
    public void close() throws Failure {
      try {
        ps.close();
      } catch (SQLException e) {
        throw failure(e);
      }
    }
  }
}
