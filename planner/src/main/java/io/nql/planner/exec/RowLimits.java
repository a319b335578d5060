package io.nql.planner.exec;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * LIMIT and OFFSET values beyond what the row engine counts. Calcite's Enumerable limit counts rows
 * in an {@code int}; clients write {@code LIMIT 9223372036854775807} to mean "no limit" (often with
 * an OFFSET). A value of 2^62 or more is larger than any result can be, so it is exact to read it
 * as no limit (FETCH) or as "past the end" (OFFSET); a value between 2^31 and 2^62 on the row
 * engine is refused with a clear error rather than counted wrongly.
 */
final class RowLimits {
  /** At least this many rows is more than any result can have. */
  private static final BigDecimal UNREACHABLE = BigDecimal.valueOf(1L << 62);

  private static final BigDecimal ROW_ENGINE_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

  private RowLimits() {}

  /** The logical plan with unreachable FETCH values removed and unreachable OFFSETs emptied. */
  static RelNode normalize(RelNode logical) {
    return logical.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(LogicalSort sort) {
            RelNode input = sort.getInput().accept(this);
            if (atLeast(sort.offset, UNREACHABLE)) {
              return LogicalValues.createEmpty(sort.getCluster(), sort.getRowType());
            }
            RexNode fetch = atLeast(sort.fetch, UNREACHABLE) ? null : sort.fetch;
            if (fetch == null
                && sort.offset == null
                && sort.getCollation().getFieldCollations().isEmpty()) {
              return input;
            }
            return sort.copy(sort.getTraitSet(), input, sort.getCollation(), sort.offset, fetch);
          }
        });
  }

  /**
   * Refuses a row-engine plan that would count a LIMIT or OFFSET beyond {@code int}.
   *
   * @throws NqlException NOT_SUPPORTED naming the value
   */
  static void checkRowEngine(RelNode physical) {
    if (physical instanceof Sort sort) {
      for (RexNode n : new RexNode[] {sort.fetch, sort.offset}) {
        if (atLeast(n, ROW_ENGINE_MAX.add(BigDecimal.ONE))) {
          throw NqlException.of(
              ErrorCode.NOT_SUPPORTED,
              "Cannot run LIMIT or OFFSET %s: this statement's plan counts at most %d rows there;"
                  + " use a smaller value, or one of 4611686018427387904 or more for no limit",
              ((RexLiteral) n).getValueAs(BigDecimal.class).toPlainString(),
              Integer.MAX_VALUE);
        }
      }
    }
    for (RelNode input : physical.getInputs()) {
      checkRowEngine(input);
    }
  }

  private static boolean atLeast(@Nullable RexNode n, BigDecimal bound) {
    return n instanceof RexLiteral lit
        && lit.getValue() instanceof BigDecimal d
        && d.compareTo(bound) >= 0;
  }
}
