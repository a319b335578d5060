package io.nql.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system with three NQL choices: CASE/UNION of strings of different lengths is
 * VARCHAR (no blank padding), DECIMAL precision goes up to 38 (Arrow decimal128), and SUM of
 * TINYINT, SMALLINT or INTEGER is a BIGINT, as in PostgreSQL (SUM of BIGINT stays BIGINT, computed
 * exactly and failing when the sum does not fit: see {@link ExactAggregates}).
 */
public final class NqlTypeSystem extends RelDataTypeSystemImpl {
  /** The instance. */
  public static final RelDataTypeSystem INSTANCE = new NqlTypeSystem();

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
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxPrecision(typeName);
  }
}
