package io.nql.planner.exec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * LIMIT and OFFSET literals beyond {@code int}, turned into hidden statement parameters before
 * optimization. Calcite's planner rules read a literal limit as an {@code int} (a larger one sends
 * its optimizer into a loop or an overflow); a parameter they leave alone, and the executors count
 * it in {@code long} ({@link EnumerableLongLimit}, the vector path).
 */
final class LargeLimits {
  private final int firstIndex;
  private final List<Long> values = new ArrayList<>();

  /**
   * @param firstIndex the index of the first hidden parameter: after the statement's own
   */
  LargeLimits(int firstIndex) {
    this.firstIndex = firstIndex;
  }

  /** The plan with each large literal limit or offset replaced by a hidden parameter. */
  RelNode rewrite(RelNode logical) {
    return logical.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(LogicalSort sort) {
            RelNode input = sort.getInput().accept(this);
            RexBuilder rex = sort.getCluster().getRexBuilder();
            RexNode offset = hide(rex, sort.offset);
            RexNode fetch = hide(rex, sort.fetch);
            if (input == sort.getInput() && offset == sort.offset && fetch == sort.fetch) {
              return sort;
            }
            return sort.copy(sort.getTraitSet(), input, sort.getCollation(), offset, fetch);
          }
        });
  }

  private @Nullable RexNode hide(RexBuilder rex, @Nullable RexNode n) {
    if (!(n instanceof RexLiteral lit && lit.getValue() instanceof BigDecimal d)
        || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
      return n;
    }
    long value =
        d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.longValue();
    RelDataType bigint = rex.getTypeFactory().createSqlType(SqlTypeName.BIGINT);
    values.add(value);
    return rex.makeDynamicParam(bigint, firstIndex + values.size() - 1);
  }

  /** Puts the hidden parameters' values where the executors read parameters. */
  void bind(java.util.Map<String, Object> context) {
    for (int i = 0; i < values.size(); i++) {
      context.put("?" + (firstIndex + i), values.get(i));
    }
  }
}
