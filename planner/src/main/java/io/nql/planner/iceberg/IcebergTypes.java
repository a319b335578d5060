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
 * day), timestamp → TIMESTAMP(3) (long millis), timestamptz → TIMESTAMP(3) holding the instant in
 * UTC (the zone rule: a {@code timestamptz} value is shown as the UTC wall-clock time of its
 * instant), string → VARCHAR, uuid → VARCHAR(36), binary and fixed → VARBINARY, list → ARRAY, map →
 * MAP. Microseconds are truncated to milliseconds. Struct columns are typed {@code ANY} and fail
 * with {@link ErrorCode#NOT_SUPPORTED} when read.
 */
public final class IcebergTypes {
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
          case TIMESTAMP -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
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
