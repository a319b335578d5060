package io.nql.planner.rosetta;

import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/** The value types of Rosetta Stone attributes and of their properties. */
public enum AttributeType {
  STRING,
  LONG,
  DOUBLE,
  BOOLEAN,
  TIMESTAMPTZ,
  OBJECT,
  ARRAY;

  /** The type named in a definition ({@code "string"}, any case). */
  public static AttributeType of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown attribute type '"
              + name
              + "' (string, long, double, boolean, timestamptz, object or array)");
    }
  }

  /** The lowercase name used in definitions and SHOW ATTRIBUTES. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The nullable SQL type of a scalar value of this type. */
  public RelDataType scalarSqlType(RelDataTypeFactory f) {
    RelDataType t =
        switch (this) {
          case STRING -> f.createSqlType(SqlTypeName.VARCHAR);
          case LONG -> f.createSqlType(SqlTypeName.BIGINT);
          case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
          case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
          case TIMESTAMPTZ -> f.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 6);
          case OBJECT, ARRAY -> throw new IllegalStateException(this + " is not scalar");
        };
    return f.createTypeWithNullability(t, true);
  }

  /**
   * Whether an expression of SQL type {@code t} produces values of this scalar type (converted by a
   * cast that cannot fail: integers to long, numbers to double, character strings to string, dates
   * and timestamps to timestamptz).
   */
  public boolean accepts(RelDataType t) {
    SqlTypeName n = t.getSqlTypeName();
    if (n == SqlTypeName.NULL) {
      return true;
    }
    return switch (this) {
      case STRING -> SqlTypeFamily.CHARACTER.contains(t);
      case LONG -> SqlTypeName.INT_TYPES.contains(n);
      case DOUBLE -> SqlTypeFamily.NUMERIC.contains(t);
      case BOOLEAN -> n == SqlTypeName.BOOLEAN;
      case TIMESTAMPTZ ->
          n == SqlTypeName.TIMESTAMP
              || n == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
              || n == SqlTypeName.DATE;
      case OBJECT, ARRAY -> false;
    };
  }
}
