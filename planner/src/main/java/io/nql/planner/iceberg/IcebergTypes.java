package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Maps Iceberg types to Calcite types and Iceberg generic values to Calcite's internal values.
 *
 * <p>Mapping: boolean → BOOLEAN, int → INTEGER, long → BIGINT, float → REAL, double → DOUBLE,
 * decimal(p,s) → DECIMAL(p,s), date → DATE (int days since epoch), time → TIME(3) (int millis of
 * day), timestamp → TIMESTAMP(6) (a wall-clock time), timestamptz → TIMESTAMP(6) WITH LOCAL TIME
 * ZONE (an instant; the session time zone is UTC, so its wall clock is UTC's), string → VARCHAR,
 * uuid → VARCHAR(36), binary and fixed → VARBINARY, list → ARRAY, map → MAP. Struct columns are
 * typed {@code ANY} and fail with {@link ErrorCode#NOT_SUPPORTED} when read.
 *
 * <p>Precision: Iceberg stores timestamps in microseconds and the types say so, but Calcite's
 * runtime represents both timestamp types as a long of epoch milliseconds, so {@link #toInternal}
 * (the values the row engine computes with) floors them to the millisecond. Readers that deliver a
 * stored value without computing with it (the vector path) keep its microseconds: see {@link
 * #toExact}.
 */
public final class IcebergTypes {
  /** Fraction digits of Iceberg's timestamps (microseconds): the precision of their SQL types. */
  public static final int TIMESTAMP_PRECISION = 6;

  private IcebergTypes() {}

  /** The Calcite row type of an Iceberg schema, with nullability from optional/required. */
  public static RelDataType rowType(Schema schema, RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder builder = typeFactory.builder();
    for (Types.NestedField field : schema.columns()) {
      builder.add(field.name(), toRelType(field.type(), field.isOptional(), typeFactory));
    }
    return builder.build();
  }

  /** The Calcite type of one Iceberg type. */
  public static RelDataType toRelType(Type type, boolean nullable, RelDataTypeFactory f) {
    RelDataType t =
        switch (type.typeId()) {
          case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
          case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
          case LONG -> f.createSqlType(SqlTypeName.BIGINT);
          case FLOAT -> f.createSqlType(SqlTypeName.REAL);
          case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
          case DECIMAL -> {
            Types.DecimalType d = (Types.DecimalType) type;
            yield f.createSqlType(SqlTypeName.DECIMAL, d.precision(), d.scale());
          }
          case DATE -> f.createSqlType(SqlTypeName.DATE);
          case TIME -> f.createSqlType(SqlTypeName.TIME, 3);
          case TIMESTAMP ->
              f.createSqlType(
                  ((Types.TimestampType) type).shouldAdjustToUTC()
                      ? SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                      : SqlTypeName.TIMESTAMP,
                  TIMESTAMP_PRECISION);
          case STRING -> f.createSqlType(SqlTypeName.VARCHAR);
          case UUID -> f.createSqlType(SqlTypeName.VARCHAR, 36);
          case BINARY, FIXED -> f.createSqlType(SqlTypeName.VARBINARY);
          case LIST ->
              f.createArrayType(
                  toRelType(
                      type.asListType().elementType(), type.asListType().isElementOptional(), f),
                  -1);
          case MAP ->
              f.createMapType(
                  toRelType(type.asMapType().keyType(), false, f),
                  toRelType(type.asMapType().valueType(), type.asMapType().isValueOptional(), f));
          default -> f.createSqlType(SqlTypeName.ANY);
        };
    return f.createTypeWithNullability(t, nullable);
  }

  /** Whether a column of this type can be read by the adapter. */
  public static boolean isReadable(Type type) {
    return switch (type.typeId()) {
      case LIST -> isReadable(type.asListType().elementType());
      case MAP ->
          isReadable(type.asMapType().keyType()) && isReadable(type.asMapType().valueType());
      case BOOLEAN,
          INTEGER,
          LONG,
          FLOAT,
          DOUBLE,
          DECIMAL,
          DATE,
          TIME,
          TIMESTAMP,
          STRING,
          UUID,
          BINARY,
          FIXED ->
          true;
      default -> false;
    };
  }

  /**
   * A value of Iceberg's generic data model as the vector path holds it: as {@link #toInternal},
   * except that a timestamp keeps its microseconds, as a {@link LocalDateTime} ({@code timestamp})
   * or an {@link OffsetDateTime} in UTC ({@code timestamptz}).
   */
  public static Object toExact(Object value, Type type) {
    if (value == null || type.typeId() != Type.TypeID.TIMESTAMP) {
      return toInternal(value, type);
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.withOffsetSameInstant(ZoneOffset.UTC);
    }
    return value;
  }

  /** Converts a value of Iceberg's generic data model to Calcite's internal representation. */
  public static Object toInternal(Object value, Type type) {
    if (value == null) {
      return null;
    }
    switch (type.typeId()) {
      case DATE:
        return (int) ((LocalDate) value).toEpochDay();
      case TIME:
        return (int) (((LocalTime) value).toNanoOfDay() / 1_000_000L);
      case TIMESTAMP:
        // epoch milliseconds, floored (Instant.toEpochMilli floors before 1970 too)
        if (value instanceof OffsetDateTime odt) {
          return odt.toInstant().toEpochMilli();
        }
        return ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli();
      case STRING:
      case UUID:
        return value.toString();
      case BINARY:
        {
          ByteBuffer buffer = ((ByteBuffer) value).duplicate();
          byte[] bytes = new byte[buffer.remaining()];
          buffer.get(bytes);
          return new ByteString(bytes);
        }
      case FIXED:
        return value instanceof ByteBuffer
            ? toInternal(value, Types.BinaryType.get())
            : new ByteString((byte[]) value);
      case LIST:
        {
          Type element = type.asListType().elementType();
          List<Object> out = new ArrayList<>();
          for (Object o : (List<?>) value) {
            out.add(toInternal(o, element));
          }
          return out;
        }
      case MAP:
        {
          Types.MapType map = type.asMapType();
          Map<Object, Object> out = new HashMap<>();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            out.put(
                toInternal(e.getKey(), map.keyType()), toInternal(e.getValue(), map.valueType()));
          }
          return out;
        }
      case BOOLEAN:
      case INTEGER:
      case LONG:
      case FLOAT:
      case DOUBLE:
      case DECIMAL:
        return value;
      default:
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED, "Cannot read value: type %s is not supported", type);
    }
  }
}
