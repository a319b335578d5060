package io.nql.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

/** A result set whose {@code next()} reports engine errors raised while fetching, cleanly. */
final class NqlResultSet extends AvaticaResultSet {
  private static final long DAY = 86_400_000L;

  NqlResultSet(
      AvaticaStatement statement,
      QueryState state,
      Meta.Signature signature,
      ResultSetMetaData resultSetMetaData,
      TimeZone timeZone,
      Meta.Frame firstFrame)
      throws SQLException {
    super(statement, state, signature, resultSetMetaData, timeZone, firstFrame);
  }

  /**
   * JDBC 4.2 java.time conversions, which Avatica's accessors lack. Values are exchanged in UTC
   * (see the driver's timeZone setting), so a TIMESTAMP is its UTC wall clock.
   */
  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    if (type == LocalDate.class) {
      java.sql.Date d = getDate(columnIndex);
      return d == null ? null : type.cast(LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), DAY)));
    }
    if (type == LocalTime.class) {
      java.sql.Time t = getTime(columnIndex);
      return t == null
          ? null
          : type.cast(LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), DAY) * 1_000_000L));
    }
    if (type == LocalDateTime.class || type == OffsetDateTime.class || type == Instant.class) {
      java.sql.Timestamp ts = getTimestamp(columnIndex);
      if (ts == null) {
        return null;
      }
      Instant instant = ts.toInstant();
      if (type == Instant.class) {
        return type.cast(instant);
      }
      OffsetDateTime odt = instant.atOffset(ZoneOffset.UTC);
      return type == OffsetDateTime.class ? type.cast(odt) : type.cast(odt.toLocalDateTime());
    }
    return super.getObject(columnIndex, type);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return getObject(findColumn(columnLabel), type);
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return super.next();
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e);
    }
  }
}
