package io.nql.planner.plan;

import io.nql.planner.iceberg.IcebergTypes;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system with three NQL choices: CASE/UNION of strings of different lengths is
 * VARCHAR (no blank padding), DECIMAL precision goes up to 38 (Arrow decimal128), TIMESTAMP and
 * TIMESTAMP WITH LOCAL TIME ZONE go up to precision 6 (microseconds, Iceberg's precision), so a
 * stored column is typed with the precision it holds (Calcite's runtime still computes with
 * milliseconds: precision 6 describes stored values, see {@code IcebergTypes}), and SUM of TINYINT,
 * SMALLINT or INTEGER is a BIGINT, as in PostgreSQL (SUM of BIGINT stays BIGINT, computed exactly
 * and failing when the sum does not fit: see {@link ExactAggregates}). AVG of DECIMAL(p, s) is a
 * DECIMAL(38, s): the same digits after the point, and room for any average — Calcite computes it
 * as {@code CAST(SUM(x) AS <avg type>) / COUNT(x)}, so with the argument's own precision an average
 * failed as soon as the column's sum no longer fitted that precision.
 */
public final class NqlTypeSystem extends RelDataTypeSystemImpl {
  /** The instance. */
  public static final RelDataTypeSystem INSTANCE = new NqlTypeSystem();

  /** Fraction digits of stored timestamps: microseconds. */
  public static final int MAX_TIMESTAMP_PRECISION = IcebergTypes.TIMESTAMP_PRECISION;

  private NqlTypeSystem() {}

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    SqlTypeName t = argumentType.getSqlTypeName();
    if (t == SqlTypeName.TINYINT || t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER) {
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
    }
    return super.deriveSumType(typeFactory, argumentType);
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
      return typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(
              SqlTypeName.DECIMAL, getMaxPrecision(SqlTypeName.DECIMAL), argumentType.getScale()),
          argumentType.isNullable());
    }
    return super.deriveAvgAggType(typeFactory, argumentType);
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return switch (typeName) {
      case DECIMAL -> 38;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> MAX_TIMESTAMP_PRECISION;
      default -> super.getMaxPrecision(typeName);
    };
  }
}
