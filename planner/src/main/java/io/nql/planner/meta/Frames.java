package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts engine columns and values to Avatica's wire representation: DATE as days since the
 * epoch, TIME as milliseconds of the day, TIMESTAMP as epoch milliseconds of the UTC wall clock,
 * TIMESTAMP WITH TIME ZONE as text ({@link #TIMESTAMP_WITH_TIME_ZONE_TEXT}).
 *
 * <p>Why text: Avatica carries a TIMESTAMP only as epoch milliseconds (its protobuf frames have no
 * field for a fraction below that), and TIMESTAMP_WITH_TIMEZONE, which Avatica's cursor reads only
 * as a string, is a type BI tools know as an instant. The text keeps the microseconds and the
 * offset; the {@code jdbc:nql} driver parses it for {@code getTimestamp} and {@code getObject}.
 */
final class Frames {
  /**
   * The wire text of a TIMESTAMP WITH TIME ZONE value: {@code 2026-10-01 08:00:00.123456+00:00},
   * always six fraction digits and the offset of UTC. The {@code jdbc:nql} driver parses it.
   */
  static final DateTimeFormatter TIMESTAMP_WITH_TIME_ZONE_TEXT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT);

  /** What {@code getObject} returns for TIMESTAMP WITH TIME ZONE, as JDBC 4.2 maps it. */
  private static final String OFFSET_DATE_TIME = OffsetDateTime.class.getName();

  private Frames() {}

  /** Avatica column metadata for engine columns. */
  static List<ColumnMetaData> columns(List<ResultColumn> columns) {
    List<ColumnMetaData> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      out.add(column(i, columns.get(i)));
    }
    return out;
  }

  static ColumnMetaData column(int ordinal, ResultColumn c) {
    SqlType sqlType = sqlType(c.jdbcType());
    ColumnMetaData.Rep rep = ColumnMetaData.Rep.of(sqlType.internal);
    ColumnMetaData.AvaticaType type = ColumnMetaData.scalar(c.jdbcType(), c.typeName(), rep);
    int displaySize = displaySize(c);
    return new ColumnMetaData(
        ordinal,
        false,
        true,
        false,
        false,
        c.nullable() ? java.sql.ResultSetMetaData.columnNullable : 0,
        isSigned(c.jdbcType()),
        displaySize,
        c.name(),
        c.name(),
        null,
        c.precision(),
        c.scale(),
        null,
        null,
        type,
        true,
        false,
        false,
        c.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE ? OFFSET_DATE_TIME : sqlType.clazz.getName());
  }

  private static SqlType sqlType(int jdbcType) {
    try {
      return SqlType.valueOf(jdbcType);
    } catch (IllegalArgumentException e) {
      return SqlType.VARCHAR;
    }
  }

  private static boolean isSigned(int jdbcType) {
    return switch (jdbcType) {
      case Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC ->
          true;
      default -> false;
    };
  }

  private static int displaySize(ResultColumn c) {
    return switch (c.jdbcType()) {
      case Types.BOOLEAN -> 5;
      case Types.TINYINT -> 4;
      case Types.SMALLINT -> 6;
      case Types.INTEGER -> 11;
      case Types.BIGINT -> 20;
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> 24;
      case Types.DECIMAL, Types.NUMERIC -> c.precision() + 2;
      case Types.DATE -> 10;
      case Types.TIME -> 12;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> c.columnSize();
      default -> c.precision() > 0 ? c.precision() : 65536;
    };
  }

  /** One engine row as an Avatica LIST-cursor row. */
  static List<Object> row(Object[] values, List<ResultColumn> columns) {
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = value(values[i], columns.get(i).jdbcType());
    }
    return Arrays.asList(out);
  }

  private static String timestampWithTimeZoneText(Object v) {
    OffsetDateTime t;
    if (v instanceof OffsetDateTime o) {
      t = o;
    } else if (v instanceof LocalDateTime l) {
      t = l.atOffset(ZoneOffset.UTC);
    } else if (v instanceof Instant i) {
      t = i.atOffset(ZoneOffset.UTC);
    } else if (v instanceof java.sql.Timestamp ts) {
      t = ts.toInstant().atOffset(ZoneOffset.UTC);
    } else {
      t = Instant.ofEpochMilli(((Number) v).longValue()).atOffset(ZoneOffset.UTC);
    }
    return t.withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMP_WITH_TIME_ZONE_TEXT);
  }

  /** Converts one engine value (see StatementResult) to its Avatica representation. */
  static Object value(Object v, int jdbcType) {
    if (v == null) {
      return null;
    }
    switch (jdbcType) {
      case Types.DATE:
        if (v instanceof LocalDate d) {
          return (int) d.toEpochDay();
        }
        if (v instanceof java.sql.Date d) {
          return (int) d.toLocalDate().toEpochDay();
        }
        return ((Number) v).intValue();
      case Types.TIME:
        if (v instanceof LocalTime t) {
          return (int) (t.toNanoOfDay() / 1_000_000L);
        }
        return ((Number) v).intValue();
      case Types.TIMESTAMP:
        if (v instanceof LocalDateTime t) {
          return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof Instant t) {
          return t.toEpochMilli();
        }
        if (v instanceof java.sql.Timestamp t) {
          return t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return ((Number) v).longValue();
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return timestampWithTimeZoneText(v);
      case Types.BINARY:
      case Types.VARBINARY:
        // byte[] as Avatica's own JDBC Meta produces: protobuf frames cannot carry a ByteString
        return v instanceof ByteString b ? b.getBytes() : v;
      case Types.DECIMAL:
      case Types.NUMERIC:
        return v instanceof BigDecimal ? v : new BigDecimal(v.toString());
      case Types.BIGINT:
        return ((Number) v).longValue();
      case Types.INTEGER:
        return ((Number) v).intValue();
      case Types.SMALLINT:
        return ((Number) v).shortValue();
      case Types.TINYINT:
        return ((Number) v).byteValue();
      case Types.DOUBLE:
      case Types.FLOAT:
        return ((Number) v).doubleValue();
      case Types.REAL:
        return ((Number) v).floatValue();
      case Types.CHAR:
      case Types.VARCHAR:
        return v.toString();
      default:
        return v;
    }
  }
}
