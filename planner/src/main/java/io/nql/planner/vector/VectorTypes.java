package io.nql.planner.vector;

import io.nql.planner.exec.ArrowBatchReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The Arrow type of each Calcite type the vector path handles; the same mapping as {@code
 * ArrowBatchReader}, so batches go to Flight unchanged. TIMESTAMP is microseconds without a zone,
 * TIMESTAMP WITH LOCAL TIME ZONE microseconds with the zone UTC; TIME milliseconds.
 */
final class VectorTypes {
  private VectorTypes() {}

  /** The Arrow type of a Calcite type, or null when the vector path does not handle it. */
  static ArrowType arrowType(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case TINYINT -> new ArrowType.Int(8, true);
      case SMALLINT -> new ArrowType.Int(16, true);
      case INTEGER -> new ArrowType.Int(32, true);
      case BIGINT -> new ArrowType.Int(64, true);
      case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT, DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case DECIMAL -> new ArrowType.Decimal(type.getPrecision(), type.getScale(), 128);
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
          new ArrowType.Timestamp(TimeUnit.MICROSECOND, ArrowBatchReader.UTC);
      case CHAR, VARCHAR -> ArrowType.Utf8.INSTANCE;
      case BINARY, VARBINARY -> ArrowType.Binary.INSTANCE;
      default -> null;
    };
  }

  /** Whether the vector path can hold values of this type. */
  static boolean supported(RelDataType type) {
    return arrowType(type) != null;
  }

  /** A new empty vector for values of {@code type}. */
  static FieldVector newVector(String name, RelDataType type, BufferAllocator allocator) {
    ArrowType arrow = arrowType(type);
    if (arrow == null) {
      throw new IllegalArgumentException("No vector for type " + type);
    }
    return new Field(name, FieldType.nullable(arrow), null).createVector(allocator);
  }

  /** Whether values of the type compare as longs in Calcite's internal representation. */
  static boolean isLongLike(SqlTypeName t) {
    return switch (t) {
      case TINYINT,
          SMALLINT,
          INTEGER,
          BIGINT,
          DATE,
          TIME,
          TIMESTAMP,
          TIMESTAMP_WITH_LOCAL_TIME_ZONE,
          BOOLEAN ->
          true;
      default -> false;
    };
  }

  static boolean isExactInteger(SqlTypeName t) {
    return switch (t) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> true;
      default -> false;
    };
  }

  static boolean isApprox(SqlTypeName t) {
    return t == SqlTypeName.REAL || t == SqlTypeName.FLOAT || t == SqlTypeName.DOUBLE;
  }

  static boolean isString(SqlTypeName t) {
    return t == SqlTypeName.CHAR || t == SqlTypeName.VARCHAR;
  }

  /** Decimal digits an exact integer type can hold. */
  static int integerDigits(SqlTypeName t) {
    return switch (t) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      default -> 19;
    };
  }
}
