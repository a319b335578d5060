package io.nql.server.behaviour;

import io.nql.server.behaviour.FrontEnd.TypedNull;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.Text;

/**
 * What a {@code FlightSqlClient} user writes by hand: Arrow values read as the engine's external
 * Java types, and parameter rows typed by their Java values (the way ADBC and pyarrow bind: the
 * client sends the types it has, the server converts).
 */
final class ArrowValues {
  private ArrowValues() {}

  /** The JDBC type name a column of this Arrow type has (as the Flight SQL JDBC driver maps it). */
  static String jdbcTypeName(ArrowType type) {
    return switch (type.getTypeID()) {
      case Bool -> "BOOLEAN";
      case Int ->
          switch (((ArrowType.Int) type).getBitWidth()) {
            case 8 -> "TINYINT";
            case 16 -> "SMALLINT";
            case 32 -> "INTEGER";
            default -> "BIGINT";
          };
      case FloatingPoint ->
          ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE
              ? "REAL"
              : "DOUBLE";
      case Decimal -> "DECIMAL";
      case Utf8, LargeUtf8 -> "VARCHAR";
      case Binary, LargeBinary, FixedSizeBinary -> "VARBINARY";
      case Date -> "DATE";
      case Time -> "TIME";
      case Timestamp ->
          ((ArrowType.Timestamp) type).getTimezone() == null
              ? "TIMESTAMP"
              : "TIMESTAMP_WITH_TIMEZONE";
      default -> type.getTypeID().name().toUpperCase(java.util.Locale.ROOT);
    };
  }

  /** One value in the engine's external types; timestamps as their UTC wall clock. */
  static Object read(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(i));
    }
    if (v instanceof DateMilliVector d) {
      return LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L));
    }
    if (v instanceof TimeSecVector t) {
      return LocalTime.ofSecondOfDay(t.get(i));
    }
    if (v instanceof TimeMilliVector t) {
      return LocalTime.ofNanoOfDay(t.get(i) * 1_000_000L);
    }
    if (v instanceof TimeMicroVector t) {
      return LocalTime.ofNanoOfDay(t.get(i) * 1_000L);
    }
    if (v instanceof TimeNanoVector t) {
      return LocalTime.ofNanoOfDay(t.get(i));
    }
    if (v instanceof TimeStampVector t) {
      long value = t.get(i);
      TimeUnit unit = ((ArrowType.Timestamp) t.getField().getType()).getUnit();
      Instant instant =
          switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND ->
                Instant.ofEpochSecond(
                    Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOSECOND ->
                Instant.ofEpochSecond(
                    Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
          };
      return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    Object o = v.getObject(i);
    return o instanceof Text text ? text.toString() : o;
  }

  /** A one-row batch of parameter values, each column typed by its value's Java type. */
  static VectorSchemaRoot parameterRow(BufferAllocator allocator, List<Object> values) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      fields.add(new Field("p" + (i + 1), FieldType.nullable(arrowType(values.get(i))), List.of()));
    }
    VectorSchemaRoot root =
        VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), allocator);
    root.allocateNew();
    for (int i = 0; i < values.size(); i++) {
      set(root.getVector(i), values.get(i));
    }
    root.setRowCount(1);
    return root;
  }

  private static ArrowType arrowType(Object v) {
    if (v instanceof TypedNull n) {
      return switch (n.type()) {
        case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
        case "TINYINT" -> new ArrowType.Int(8, true);
        case "SMALLINT" -> new ArrowType.Int(16, true);
        case "INTEGER" -> new ArrowType.Int(32, true);
        case "BIGINT" -> new ArrowType.Int(64, true);
        case "REAL" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case "DOUBLE" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case "DECIMAL" -> new ArrowType.Decimal(38, 10, 128);
        case "DATE" -> new ArrowType.Date(DateUnit.DAY);
        case "TIME" -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
        case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        case "VARBINARY" -> ArrowType.Binary.INSTANCE;
        default -> ArrowType.Utf8.INSTANCE;
      };
    }
    if (v instanceof Boolean) {
      return ArrowType.Bool.INSTANCE;
    }
    if (v instanceof Byte) {
      return new ArrowType.Int(8, true);
    }
    if (v instanceof Short) {
      return new ArrowType.Int(16, true);
    }
    if (v instanceof Integer) {
      return new ArrowType.Int(32, true);
    }
    if (v instanceof Long) {
      return new ArrowType.Int(64, true);
    }
    if (v instanceof Float) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    }
    if (v instanceof Double) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    }
    if (v instanceof BigDecimal d) {
      return new ArrowType.Decimal(Math.max(d.precision(), d.scale() + 1), d.scale(), 128);
    }
    if (v instanceof byte[]) {
      return ArrowType.Binary.INSTANCE;
    }
    if (v instanceof LocalDate || v instanceof java.sql.Date) {
      return new ArrowType.Date(DateUnit.DAY);
    }
    if (v instanceof LocalTime || v instanceof java.sql.Time) {
      return new ArrowType.Time(TimeUnit.MICROSECOND, 64);
    }
    if (v instanceof LocalDateTime || v instanceof java.sql.Timestamp) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    }
    if (v instanceof OffsetDateTime || v instanceof Instant) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    }
    return ArrowType.Utf8.INSTANCE;
  }

  private static void set(FieldVector vector, Object v) {
    if (v instanceof TypedNull || v == null) {
      vector.setNull(0);
      return;
    }
    if (vector instanceof BitVector b) {
      b.setSafe(0, (Boolean) v ? 1 : 0);
    } else if (vector instanceof TinyIntVector t) {
      t.setSafe(0, (Byte) v);
    } else if (vector instanceof SmallIntVector s) {
      s.setSafe(0, (Short) v);
    } else if (vector instanceof IntVector n) {
      n.setSafe(0, (Integer) v);
    } else if (vector instanceof BigIntVector l) {
      l.setSafe(0, (Long) v);
    } else if (vector instanceof Float4Vector f) {
      f.setSafe(0, (Float) v);
    } else if (vector instanceof Float8Vector d) {
      d.setSafe(0, (Double) v);
    } else if (vector instanceof DecimalVector d) {
      d.setSafe(0, (BigDecimal) v);
    } else if (vector instanceof VarBinaryVector b) {
      b.setSafe(0, (byte[]) v);
    } else if (vector instanceof DateDayVector d) {
      d.setSafe(0, (int) date(v).toEpochDay());
    } else if (vector instanceof TimeMicroVector t) {
      t.setSafe(0, time(v).toNanoOfDay() / 1_000L);
    } else if (vector instanceof TimeStampMicroTZVector t) {
      t.setSafe(0, micros(instant(v)));
    } else if (vector instanceof TimeStampMicroVector t) {
      t.setSafe(0, micros(wallClock(v).toInstant(ZoneOffset.UTC)));
    } else if (vector instanceof VarCharVector s) {
      s.setSafe(0, v.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IllegalArgumentException("no Arrow vector for " + v.getClass());
    }
  }

  // java.sql values here are built as UTC instants (ParameterTypesSuite.utcDate and friends).

  private static LocalDate date(Object v) {
    return v instanceof java.sql.Date d
        ? Instant.ofEpochMilli(d.getTime()).atOffset(ZoneOffset.UTC).toLocalDate()
        : (LocalDate) v;
  }

  private static LocalTime time(Object v) {
    return v instanceof java.sql.Time t
        ? LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), 86_400_000L) * 1_000_000L)
        : (LocalTime) v;
  }

  private static LocalDateTime wallClock(Object v) {
    return v instanceof java.sql.Timestamp t
        ? LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC)
        : (LocalDateTime) v;
  }

  private static Instant instant(Object v) {
    return v instanceof OffsetDateTime o ? o.toInstant() : (Instant) v;
  }

  private static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
  }
}
