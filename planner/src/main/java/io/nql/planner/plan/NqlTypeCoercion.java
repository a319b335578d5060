package io.nql.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeMappingRule;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * Calcite's implicit type coercion, except that it never plans a cast its own cast rules refuse (a
 * DATE to a number in an IN list, a DECIMAL to BOOLEAN in a comparison with TRUE): Calcite asserts
 * that such a cast cannot be needed and, without assertions, inserts it anyway. Refused, the
 * operands keep their types and the operator reports them as incompatible, which is the statement's
 * mistake.
 */
final class NqlTypeCoercion extends TypeCoercionImpl {
  NqlTypeCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
    super(typeFactory, validator);
  }

  @Override
  protected boolean needToCast(
      SqlValidatorScope scope, SqlNode node, RelDataType toType, SqlTypeMappingRule mappingRule) {
    RelDataType fromType = validator.deriveType(scope, node);
    if (fromType != null
        && !SqlTypeUtil.equalSansNullability(factory, fromType, toType)
        && !SqlTypeUtil.canCastFrom(toType, fromType, mappingRule)) {
      return false;
    }
    return super.needToCast(scope, node, toType, mappingRule);
  }
}
