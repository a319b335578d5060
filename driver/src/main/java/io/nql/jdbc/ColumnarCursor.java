package io.nql.jdbc;

import io.nql.jdbc.ColumnarFrameReader.Chunk;
import io.nql.jdbc.ColumnarFrameReader.Column;
import io.nql.jdbc.ColumnarFrameReader.Decoded;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.util.AbstractCursor;
import org.apache.calcite.avatica.util.ArrayImpl;
import org.apache.calcite.avatica.util.DateTimeUtils;

/**
 * A cursor over the rows of columnar frames ({@link ColumnarFrameReader}), read in place. Each
 * column's getter gives the value as a standard frame would have brought it (a TIMESTAMP as epoch
 * milliseconds, a TIMESTAMP WITH TIME ZONE as its text…), so that Avatica's accessors convert it
 * exactly as they do for any other result; only TIMESTAMP gets its own accessor, which keeps the
 * microseconds this format carries.
 *
 * <p>The frames after the first come from a {@link FramePrefetcher}; an error in fetching one
 * surfaces from {@link #next()} when the rows before it have been read.
 */
final class ColumnarCursor extends AbstractCursor {
  /** The text of a TIMESTAMP WITH TIME ZONE, as the gateway sends it in a standard frame. */
  private static final DateTimeFormatter INSTANT_TEXT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);

  private final FramePrefetcher frames;
  private byte[] p;
  private List<Chunk> chunks = List.of();
  private int nextChunk;
  private Chunk chunk;
  private int row;
  private boolean closed;

  ColumnarCursor(FramePrefetcher frames) {
    this.frames = frames;
  }

  @Override
  public boolean next() {
    if (closed) {
      return false;
    }
    while (chunk == null || ++row >= chunk.rows) {
      if (nextChunk < chunks.size()) {
        chunk = chunks.get(nextChunk++);
        row = -1;
        continue;
      }
      Decoded frame = frames.take();
      if (frame == null) {
        chunk = null;
        return false;
      }
      p = frame.payload();
      chunks = frame.chunks();
      nextChunk = 0;
      chunk = null;
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    chunk = null;
    frames.close();
  }

  @Override
  protected Accessor createAccessor(
      ColumnMetaData column, int ordinal, Calendar localCalendar, ArrayImpl.Factory factory) {
    Getter getter = createGetter(ordinal, column.type.id);
    Accessor standard = createAccessor(column, getter, localCalendar, factory);
    ValueGetter value = (ValueGetter) getter;
    // Avatica reads numbers of rep NUMBER through its generic accessor: leave those to it
    boolean exact = column.signed && column.type.rep != ColumnMetaData.Rep.NUMBER;
    return switch (column.type.id) {
      case Types.TIMESTAMP ->
          new MicrosTimestampAccessor(
              standard, (TimestampGetter) getter, localCalendar, column.precision);
      case Types.BIGINT -> exact ? new LongValues(standard, value) : standard;
      case Types.INTEGER -> exact ? new IntValues(standard, value) : standard;
      case Types.DOUBLE, Types.FLOAT ->
          column.type.rep != ColumnMetaData.Rep.NUMBER
              ? new DoubleValues(standard, value)
              : standard;
      case Types.BOOLEAN -> new BooleanValues(standard, value);
      case Types.VARCHAR -> new StringValues(standard, value);
      default -> standard;
    };
  }

  // The value's own getter of the common types, read in place without boxing; everything else (and
  // every conversion) is Avatica's accessor's.

  private final class LongValues extends ForwardingAccessor {
    private final ValueGetter getter;

    LongValues(Accessor standard, ValueGetter getter) {
      super(standard);
      this.getter = getter;
    }

    @Override
    public long getLong() throws SQLException {
      Column c = getter.present();
      return c == null ? 0 : (long) ColumnarFrameReader.LONG.get(p, c.data + 8 * row);
    }
  }

  private final class IntValues extends ForwardingAccessor {
    private final ValueGetter getter;

    IntValues(Accessor standard, ValueGetter getter) {
      super(standard);
      this.getter = getter;
    }

    @Override
    public int getInt() throws SQLException {
      Column c = getter.present();
      return c == null ? 0 : (int) ColumnarFrameReader.INT.get(p, c.data + 4 * row);
    }

    @Override
    public long getLong() throws SQLException {
      return getInt();
    }
  }

  private final class DoubleValues extends ForwardingAccessor {
    private final ValueGetter getter;

    DoubleValues(Accessor standard, ValueGetter getter) {
      super(standard);
      this.getter = getter;
    }

    @Override
    public double getDouble() throws SQLException {
      Column c = getter.present();
      return c == null ? 0d : (double) ColumnarFrameReader.DOUBLE.get(p, c.data + 8 * row);
    }
  }

  private final class BooleanValues extends ForwardingAccessor {
    private final ValueGetter getter;

    BooleanValues(Accessor standard, ValueGetter getter) {
      super(standard);
      this.getter = getter;
    }

    @Override
    public boolean getBoolean() throws SQLException {
      Column c = getter.present();
      return c != null && (p[c.data + (row >>> 3)] & (1 << (row & 7))) != 0;
    }
  }

  private final class StringValues extends ForwardingAccessor {
    private final ValueGetter getter;

    StringValues(Accessor standard, ValueGetter getter) {
      super(standard);
      this.getter = getter;
    }

    @Override
    public String getString() throws SQLException {
      Column c = getter.present();
      return c == null ? null : (String) getter.value(c, row);
    }
  }

  @Override
  protected Getter createGetter(int ordinal) {
    throw new UnsupportedOperationException("getters are made per column type");
  }

  private Getter createGetter(int ordinal, int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (p[c.data + (r >>> 3)] & (1 << (r & 7))) != 0;
            }
          };
      case Types.TINYINT ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return p[c.data + r];
            }
          };
      case Types.SMALLINT ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (short) ColumnarFrameReader.SHORT.get(p, c.data + 2 * r);
            }
          };
      case Types.INTEGER, Types.DATE, Types.TIME ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (int) ColumnarFrameReader.INT.get(p, c.data + 4 * r);
            }
          };
      case Types.BIGINT ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (long) ColumnarFrameReader.LONG.get(p, c.data + 8 * r);
            }
          };
      case Types.REAL ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (float) ColumnarFrameReader.FLOAT.get(p, c.data + 4 * r);
            }
          };
      case Types.FLOAT, Types.DOUBLE ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return (double) ColumnarFrameReader.DOUBLE.get(p, c.data + 8 * r);
            }
          };
      case Types.DECIMAL ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return decimal(c, r);
            }
          };
      case Types.CHAR, Types.VARCHAR ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              int start = offset(c, r);
              return new String(
                  p, c.bytes + start, offset(c, r + 1) - start, StandardCharsets.UTF_8);
            }
          };
      case Types.BINARY, Types.VARBINARY ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              return Arrays.copyOfRange(p, c.bytes + offset(c, r), c.bytes + offset(c, r + 1));
            }
          };
      case Types.TIMESTAMP -> new TimestampGetter(ordinal);
      case Types.TIMESTAMP_WITH_TIMEZONE ->
          new ValueGetter(ordinal) {
            @Override
            Object value(Column c, int r) {
              long micros = microsAt(c, r);
              return Instant.ofEpochSecond(
                      Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                  .atOffset(ZoneOffset.UTC)
                  .format(INSTANT_TEXT);
            }
          };
      default -> throw new IllegalStateException("Cannot read JDBC type " + jdbcType);
    };
  }

  private int offset(Column c, int r) {
    return (int) ColumnarFrameReader.INT.get(p, c.data + 4 * r);
  }

  private long microsAt(Column c, int r) {
    return (long) ColumnarFrameReader.LONG.get(p, c.data + 8 * r);
  }

  private BigDecimal decimal(Column c, int r) {
    int at = c.data + 16 * r;
    long lo = (long) ColumnarFrameReader.LONG.get(p, at);
    long hi = (long) ColumnarFrameReader.LONG.get(p, at + 8);
    if (hi == (lo >> 63)) {
      return BigDecimal.valueOf(lo, c.scale);
    }
    byte[] bigEndian = new byte[16];
    for (int i = 0; i < 16; i++) {
      bigEndian[i] = p[at + 15 - i];
    }
    return new BigDecimal(new BigInteger(bigEndian), c.scale);
  }

  /** A column's value in the current row, as a standard frame would have brought it. */
  private abstract class ValueGetter implements Getter {
    private final int ordinal;

    ValueGetter(int ordinal) {
      this.ordinal = ordinal;
    }

    abstract Object value(Column c, int r);

    /** The column in the current chunk, or null when it holds NULL in the current row. */
    final Column present() throws SQLException {
      if (chunk == null) {
        throw new SQLException("Cannot read a value: no current row", "24000");
      }
      Column c = chunk.columns[ordinal];
      boolean isNull = c.validity >= 0 && (p[c.validity + (row >>> 3)] & (1 << (row & 7))) == 0;
      wasNull[0] = isNull;
      return isNull ? null : c;
    }

    @Override
    public Object getObject() throws SQLException {
      Column c = present();
      return c == null ? null : value(c, row);
    }

    @Override
    public boolean wasNull() {
      return wasNull[0];
    }
  }

  /** A TIMESTAMP: epoch milliseconds for Avatica's accessor, microseconds for ours. */
  final class TimestampGetter extends ValueGetter {
    TimestampGetter(int ordinal) {
      super(ordinal);
    }

    @Override
    Object value(Column c, int r) {
      return Math.floorDiv(microsAt(c, r), 1000L);
    }

    /** The microseconds since the epoch of the UTC wall clock; wasNull() tells a NULL. */
    long micros() throws SQLException {
      Column c = present();
      return c == null ? 0 : microsAt(c, row);
    }
  }

  /**
   * A TIMESTAMP with its microseconds: as Avatica's accessor (the same calendar arithmetic on the
   * milliseconds), with the rest of the second put back as nanoseconds.
   */
  static final class MicrosTimestampAccessor extends ForwardingAccessor {
    private final TimestampGetter getter;
    private final Calendar localCalendar;
    private final int precision;

    MicrosTimestampAccessor(
        Accessor standard, TimestampGetter getter, Calendar localCalendar, int precision) {
      super(standard);
      this.getter = getter;
      this.localCalendar = localCalendar;
      this.precision = precision;
    }

    @Override
    public Timestamp getTimestamp(Calendar calendar) throws SQLException {
      long micros = getter.micros();
      if (getter.wasNull()) {
        return null;
      }
      long millis = Math.floorDiv(micros, 1000L);
      // In UTC (the driver's own calendar) the instant is the wall clock's; Avatica's arithmetic
      // would get there through a java.util.Date per value, at many times the cost.
      Timestamp t =
          calendar == null || isUtc(calendar)
              ? new Timestamp(millis)
              : DateTimeUtils.unixTimestampToSqlTimestamp(millis, calendar);
      t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
      return t;
    }

    private static boolean isUtc(Calendar calendar) {
      TimeZone zone = calendar.getTimeZone();
      return zone.getRawOffset() == 0
          && !zone.useDaylightTime()
          && zone.getDSTSavings() == 0
          && (zone.getID().equals("UTC") || zone.getID().equals("GMT"));
    }

    @Override
    public Object getObject() throws SQLException {
      return getTimestamp(localCalendar);
    }

    @Override
    public <T> T getObject(Class<T> type) throws SQLException {
      if (type == Timestamp.class || type == java.util.Date.class || type == Object.class) {
        return type.cast(getObject());
      }
      return super.getObject(type);
    }

    @Override
    public String getString() throws SQLException {
      long micros = getter.micros();
      if (getter.wasNull()) {
        return null;
      }
      String seconds = DateTimeUtils.unixTimestampToString(Math.floorDiv(micros, 1000L), 0);
      if (precision <= 0) {
        return seconds;
      }
      StringBuilder b = new StringBuilder(seconds.length() + 1 + precision).append(seconds);
      b.append('.');
      String fraction = Long.toString(1_000_000L + Math.floorMod(micros, 1_000_000L)).substring(1);
      for (int i = 0; i < precision; i++) {
        b.append(i < fraction.length() ? fraction.charAt(i) : '0');
      }
      return b.toString();
    }
  }
}
