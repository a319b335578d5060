package io.nql.planner.plan;

import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;

/**
 * Calcite's type system with two NQL choices: CASE/UNION of strings of different lengths is VARCHAR
 * (no blank padding), and DECIMAL precision goes up to 38 (Arrow decimal128).
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
  public int getMaxPrecision(org.apache.calcite.sql.type.SqlTypeName typeName) {
    return typeName == org.apache.calcite.sql.type.SqlTypeName.DECIMAL
        ? 38
        : super.getMaxPrecision(typeName);
  }
}
