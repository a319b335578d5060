package io.nql.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Calcite's validator, with the types of {@code ?} parameters in the conditions of a searched CASE
 * inferred before the CASE checks that its conditions are boolean. Calcite checks first, when the
 * CASE's own type is needed to type an expression around it ({@code CASE WHEN x > ? THEN 1 ELSE 0
 * END >= 0}), and fails on the parameter it has not typed yet.
 */
final class NqlValidator extends SqlValidatorImpl {
  NqlValidator(
      SqlOperatorTable operators,
      SqlValidatorCatalogReader catalogReader,
      RelDataTypeFactory typeFactory,
      Config config) {
    super(operators, catalogReader, typeFactory, config);
  }

  @Override
  public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
    if (expr instanceof SqlCase c && c.getValueOperand() == null) {
      RelDataType bool = typeFactory.createSqlType(SqlTypeName.BOOLEAN);
      for (SqlNode when : c.getWhenOperands()) {
        inferUnknownTypes(bool, scope, when);
      }
    }
    return super.deriveType(scope, expr);
  }
}
