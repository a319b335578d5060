package io.nql.planner.plan;

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
