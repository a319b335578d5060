package io.nql.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

/**
 * A result set whose {@code next()} reports engine errors raised while fetching, cleanly, and that
 * reads TIMESTAMP WITH TIME ZONE columns.
 *
 * <p>The gateway sends a TIMESTAMP WITH TIME ZONE ({@link Types#TIMESTAMP_WITH_TIMEZONE}, an
 * instant: Iceberg's {@code timestamptz}) as text, {@code 2026-10-01 08:00:00.123456+00:00}, which
 * keeps its microseconds (Avatica's frames carry a TIMESTAMP only as epoch milliseconds). Avatica
 * reads such a column only as a string; here {@code getObject} gives an {@link OffsetDateTime} in
 * UTC (JDBC 4.2's type for it), {@code getObject(i, Instant/OffsetDateTime/ZonedDateTime/
 * LocalDateTime/Timestamp)} convert it, and {@code getTimestamp} gives a {@link Timestamp} of the
 * same instant with its microseconds, whatever the calendar or the JVM's default time zone (an
 * instant has no wall clock to adjust). {@code getString} gives the text.
 */
final class NqlResultSet extends AvaticaResultSet {
  private static final long DAY = 86_400_000L;

  /** The text of a TIMESTAMP WITH TIME ZONE value: the fraction and offset are optional. */
  private static final DateTimeFormatter INSTANT_TEXT =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .toFormatter(Locale.ROOT);

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
  /** Whether a column is TIMESTAMP WITH TIME ZONE (sent as text). */
  private boolean isInstant(int columnIndex) throws SQLException {
    checkOpen();
    if (columnIndex < 1 || columnIndex > columnMetaDataList.size()) {
      // Avatica's own accessor lookup reports the bad index
      return false;
    }
    return columnMetaDataList.get(columnIndex - 1).type.id == Types.TIMESTAMP_WITH_TIMEZONE;
  }

  /** The value of a TIMESTAMP WITH TIME ZONE column, or null. */
  private OffsetDateTime instant(int columnIndex) throws SQLException {
    String text = super.getString(columnIndex);
    if (text == null) {
      return null;
    }
    try {
      TemporalAccessor t = INSTANT_TEXT.parse(text.strip());
      LocalDateTime local = LocalDateTime.of(LocalDate.from(t), LocalTime.from(t));
      ZoneOffset offset =
          t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(t) : ZoneOffset.UTC;
      return local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new SQLException(
          "Cannot read '" + text + "' as a TIMESTAMP WITH TIME ZONE", "22007", e);
    }
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return isInstant(columnIndex) ? instant(columnIndex) : super.getObject(columnIndex);
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    int i = findColumn(columnLabel);
    return isInstant(i) ? instant(i) : super.getObject(columnLabel);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    if (isInstant(columnIndex)) {
      OffsetDateTime t = instant(columnIndex);
      return t == null ? null : Timestamp.from(t.toInstant());
    }
    return super.getTimestamp(columnIndex);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
    // an instant is the same in every calendar
    return isInstant(columnIndex)
        ? getTimestamp(columnIndex)
        : super.getTimestamp(columnIndex, cal);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    int i = findColumn(columnLabel);
    return isInstant(i) ? getTimestamp(i) : super.getTimestamp(columnLabel);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
    int i = findColumn(columnLabel);
    return isInstant(i) ? getTimestamp(i) : super.getTimestamp(columnLabel, cal);
  }

  @Override
  public java.sql.Date getDate(int columnIndex) throws SQLException {
    if (isInstant(columnIndex)) {
      Timestamp t = getTimestamp(columnIndex);
      return t == null ? null : new java.sql.Date(t.getTime());
    }
    return super.getDate(columnIndex);
  }

  @Override
  public java.sql.Time getTime(int columnIndex) throws SQLException {
    if (isInstant(columnIndex)) {
      Timestamp t = getTimestamp(columnIndex);
      return t == null ? null : new java.sql.Time(t.getTime());
    }
    return super.getTime(columnIndex);
  }

  @Override
  public java.sql.Date getDate(String columnLabel) throws SQLException {
    int i = findColumn(columnLabel);
    return isInstant(i) ? getDate(i) : super.getDate(columnLabel);
  }

  @Override
  public java.sql.Time getTime(String columnLabel) throws SQLException {
    int i = findColumn(columnLabel);
    return isInstant(i) ? getTime(i) : super.getTime(columnLabel);
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    if (isInstant(columnIndex)) {
      return type == String.class
          ? type.cast(getString(columnIndex))
          : instantAs(instant(columnIndex), type);
    }
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

  private static <T> T instantAs(OffsetDateTime t, Class<T> type) throws SQLException {
    if (t == null) {
      return null;
    }
    Object out;
    if (type == OffsetDateTime.class || type == Object.class) {
      out = t;
    } else if (type == Instant.class) {
      out = t.toInstant();
    } else if (type == ZonedDateTime.class) {
      out = t.toZonedDateTime();
    } else if (type == LocalDateTime.class) {
      // the driver's convention: a wall clock is UTC's
      out = t.toLocalDateTime();
    } else if (type == Timestamp.class || type == java.util.Date.class) {
      out = Timestamp.from(t.toInstant());
    } else {
      throw new SQLException(
          "Cannot convert a TIMESTAMP WITH TIME ZONE to " + type.getName(), "22018");
    }
    return type.cast(out);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return getObject(findColumn(columnLabel), type);
  }

  /**
   * Reads a columnar result ({@link ColumnarFrameReader}) with its own cursor, fetching each frame
   * while the one before is read; any other result as Avatica does.
   */
  @Override
  protected AvaticaResultSet execute() throws SQLException {
    if (statement != null
        && statement.connection instanceof NqlConnection c
        && c.columnarFrames()
        && ColumnarFrameReader.supports(columnMetaDataList)
        && ColumnarFrameReader.payload(firstFrame) != null) {
      ColumnarFrameReader.Decoded first =
          ColumnarFrameReader.decode(firstFrame, columnMetaDataList);
      FramePrefetcher frames =
          new FramePrefetcher(
              c.meta(), statement.handle, columnMetaDataList, first, this::fetchRows);
      return execute2(new ColumnarCursor(frames), columnMetaDataList);
    }
    return super.execute();
  }

  /** Whether the rows come in columnar frames (for tests). */
  boolean columnar() {
    return cursor instanceof ColumnarCursor;
  }

  /** The most rows the application wants per frame: its fetch size, 0 for no preference. */
  private int fetchRows() {
    try {
      return Math.max(0, getFetchSize());
    } catch (SQLException e) {
      return 0;
    }
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
