package io.nql.server.behaviour;

import io.nql.planner.testing.CanonicalRows;
import io.nql.server.gateway.GatewayConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suite's front end over the official Flight SQL JDBC driver ({@code jdbc:arrow-flight-sql:}),
 * which runs every statement as a Flight SQL prepared statement. What a user of that driver has to
 * know, and does here (docs/clients/flight.md):
 *
 * <ul>
 *   <li>it has no way to hand over a result's app metadata, so its answers carry no warnings (see
 *       {@link #reportsWarnings()});
 *   <li>its {@code SQLException} does not carry the server's SQLSTATE in {@code getSQLState()}: the
 *       SQLSTATE is the first word of the server's description, inside the message;
 *   <li>it binds parameters only as the server's declared parameter types (see {@link
 *       #bindsValuesAsGiven()}) and only from {@code java.sql} date/time classes (no JDBC 4.2
 *       {@code java.time}), so a NULL is set with the declared type, a value for an untyped
 *       (VARCHAR) parameter as its text, and {@code java.time} values as their UTC {@code java.sql}
 *       forms;
 *   <li>it presents dates and times as wall clocks in the JVM's zone ({@code getTimestamp(i)
 *       .toLocalDateTime()}).
 * </ul>
 */
final class FlightJdbcFrontEnd extends JdbcFrontEnd {
  /** {@code [STATUS: ]SQLSTATE: message}, the text of the driver's Flight exception. */
  private static final Pattern DESCRIPTION =
      Pattern.compile("^(?:[A-Z_]+: )?([0-9A-Z]{5}): (.*)$", Pattern.DOTALL);

  FlightJdbcFrontEnd(GatewayConfig config) {
    super(config);
  }

  @Override
  public String name() {
    return "Flight SQL JDBC";
  }

  @Override
  String url() {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + gateway.flightPort() + "/?useEncryption=false";
  }

  @Override
  public boolean reportsWarnings() {
    return false;
  }

  @Override
  Failure failure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("FlightRuntimeException") && t.getMessage() != null) {
        Matcher m = DESCRIPTION.matcher(t.getMessage());
        if (m.matches()) {
          return new Failure(m.group(1), m.group(2), e);
        }
      }
    }
    return super.failure(e);
  }

  /** Date and time values as the driver presents them: wall clocks in the JVM's zone. */
  @Override
  Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v =
        switch (type) {
          case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
            java.sql.Timestamp t = rs.getTimestamp(i);
            yield t == null ? null : t.toLocalDateTime();
          }
          case Types.DATE -> {
            java.sql.Date d = rs.getDate(i);
            yield d == null ? null : d.toLocalDate();
          }
          case Types.TIME -> {
            java.sql.Time t = rs.getTime(i);
            yield t == null ? null : t.toLocalTime();
          }
          default -> super.value(rs, i, type);
        };
    return rs.wasNull() ? null : v;
  }

  @Override
  public boolean bindsValuesAsGiven() {
    return false;
  }

  @Override
  void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    int declared = ps.getParameterMetaData().getParameterType(index);
    if (value instanceof TypedNull) {
      ps.setNull(index, declared);
    } else if (declared == Types.VARCHAR && !(value instanceof String)) {
      // an untyped parameter (e.g. "? IS NULL") is declared VARCHAR: bind the value's text
      ps.setString(index, CanonicalRows.canonical(value));
    } else if (value instanceof LocalDate d) {
      ps.setDate(index, ParameterTypesSuite.utcDate(d.toString()));
    } else if (value instanceof LocalTime t) {
      ps.setTime(index, ParameterTypesSuite.utcTime(t.toString()));
    } else if (value instanceof LocalDateTime t) {
      ps.setTimestamp(index, ParameterTypesSuite.utcTimestamp(t));
    } else if (value instanceof OffsetDateTime t) {
      ps.setTimestamp(index, java.sql.Timestamp.from(t.toInstant()));
    } else if (value instanceof Instant t) {
      ps.setTimestamp(index, java.sql.Timestamp.from(t));
    } else {
      ps.setObject(index, value);
    }
  }

  @Override
  public void close() throws Exception {
    FlightSqlClientFrontEnd.awaitNoLeaks(gateway);
    super.close();
  }
}
