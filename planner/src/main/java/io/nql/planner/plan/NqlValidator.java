package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlJdbcDataTypeName;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Calcite's validator, with the types of {@code ?} parameters in the conditions of a searched CASE
 * inferred before the CASE checks that its conditions are boolean. Calcite checks first, when the
 * CASE's own type is needed to type an expression around it ({@code CASE WHEN x > ? THEN 1 ELSE 0
 * END >= 0}), and fails on the parameter it has not typed yet. A {@code {fn CONVERT(value,
 * SQL_type)}} Calcite refuses is reported as {@code 42846} (Calcite fails while describing it). A
 * {@code ?} operand of an NQL function is typed before the call, for the same reason.
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
    if (expr instanceof SqlCall call
        && NqlFunctions.nameOf(call.getOperator()) != null
        && call.getOperandList().stream().anyMatch(o -> o instanceof SqlDynamicParam)) {
      // a ? operand takes the type the function gives it, also when an operator around the call
      // types it first (`SHA2(?, 256) = col`): Calcite would type the call with the ? unknown
      inferUnknownTypes(unknownType, scope, expr);
    }
    if (expr.getKind() == SqlKind.JDBC_FN
        && expr instanceof SqlCall call
        && call.operandCount() == 2
        && call.getOperator().getName().equalsIgnoreCase("{fn CONVERT}")
        && call.operand(1) instanceof SqlLiteral target) {
      try {
        return super.deriveType(scope, expr);
      } catch (NullPointerException e) {
        // Calcite refuses the conversion and then fails to describe the escape's signatures
        RelDataType from = super.deriveType(scope, call.operand(0));
        throw new NqlException(
            ErrorCode.CANNOT_COERCE,
            "Cannot convert "
                + Casts.name(from)
                + " to "
                + target.getValueAs(SqlJdbcDataTypeName.class).name()
                + " with {fn CONVERT}"
                + at(call.getParserPosition()),
            e);
      }
    }
    return super.deriveType(scope, expr);
  }

  private static String at(SqlParserPos pos) {
    return String.format(
        Locale.ROOT, " at line %d, column %d", pos.getLineNum(), pos.getColumnNum());
  }
}
