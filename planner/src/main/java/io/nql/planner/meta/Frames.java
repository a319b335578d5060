package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts engine columns and values to Avatica's wire representation: DATE as days since the
 * epoch, TIME as milliseconds of the day, TIMESTAMP as epoch milliseconds of the UTC wall clock.
 */
final class Frames {
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
        sqlType.clazz.getName());
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
      case Types.TIMESTAMP -> 23;
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
