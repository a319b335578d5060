package io.nql.planner.plan;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's convertlets, with exact integer arithmetic and casts to exact integers checked as they
 * are converted ({@link CheckedArithmetic}), and SUM and AVG of exact integers in window aggregates
 * made exact ({@link ExactAggregates}; plain aggregates are built by {@link SqlToRel}). Converting
 * to the checked form here, as each expression is built, means nothing simplifies an expression
 * while it may still wrap around.
 */
final class NqlConvertletTable implements SqlRexConvertletTable {
  static final NqlConvertletTable INSTANCE = new NqlConvertletTable();

  private NqlConvertletTable() {}

  @Override
  public @Nullable SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet standard = StandardConvertletTable.INSTANCE.get(call);
    if (standard == null) {
      return null;
    }
    switch (call.getKind()) {
      case PLUS, MINUS, TIMES, DIVIDE, MINUS_PREFIX, CAST -> {
        return (cx, c) ->
            CheckedArithmetic.checked(cx.getRexBuilder(), standard.convertCall(cx, c));
      }
      case SUM -> {
        // reached only for a window aggregate: the converter builds plain aggregates itself
        return (cx, c) -> {
          RexNode sum = standard.convertCall(cx, c);
          if (sum instanceof RexCall r
              && r.getOperator() == SqlStdOperatorTable.SUM
              && r.getOperands().size() == 1) {
            SqlAggFunction exact =
                ExactAggregates.exact(SqlStdOperatorTable.SUM, r.getOperands().get(0).getType());
            if (exact != null) {
              return cx.getRexBuilder()
                  .makeCall(r.getParserPosition(), r.getType(), exact, r.getOperands());
            }
          }
          return sum;
        };
      }
      case AVG, STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP -> {
        // reached only for a window aggregate; Calcite's expands it into SUMs and COUNTs, and the
        // arithmetic on them, in the argument's type
        return (cx, c) -> {
          RelDataType argument =
              c.operandCount() == 1
                  ? cx.getValidator().getValidatedNodeTypeIfKnown(c.operand(0))
                  : null;
          RelDataType type = cx.getValidator().getValidatedNodeTypeIfKnown(c);
          SqlAggFunction exact =
              argument == null || type == null || !(c.getOperator() instanceof SqlAggFunction f)
                  ? null
                  : ExactAggregates.exact(f, argument);
          if (exact == null || !ExactAggregates.fits(exact, type)) {
            return standard.convertCall(cx, c);
          }
          return cx.getRexBuilder()
              .makeCall(
                  c.getParserPosition(), type, exact, List.of(cx.convertExpression(c.operand(0))));
        };
      }
      default -> {
        if (call.getOperator() == SqlStdOperatorTable.ABS) {
          return (cx, c) ->
              CheckedArithmetic.checked(cx.getRexBuilder(), standard.convertCall(cx, c));
        }
        return standard;
      }
    }
  }
}
