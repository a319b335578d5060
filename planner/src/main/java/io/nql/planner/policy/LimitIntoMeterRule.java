package io.nql.planner.policy;

import java.math.BigDecimal;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * {@code LIMIT n [OFFSET m]} without ORDER BY directly above a meter (or above a projection of it):
 * the query takes at most n + m rows from the scan, so the meter stops there instead of pulling —
 * and charging — one row the limit would drop. The limit itself stays.
 */
final class LimitIntoMeterRule extends RelOptRule {
  private final boolean throughProject;

  @SuppressWarnings("deprecation")
  LimitIntoMeterRule(boolean throughProject) {
    super(
        throughProject
            ? operand(Sort.class, operand(Project.class, operand(RuleMeter.Logical.class, any())))
            : operand(Sort.class, operand(RuleMeter.Logical.class, any())),
        throughProject ? "LimitIntoMeterThroughProjectRule" : "LimitIntoMeterRule");
    this.throughProject = throughProject;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Sort sort = call.rel(0);
    RuleMeter.Logical meter = call.rel(throughProject ? 2 : 1);
    if (!sort.getCollation().getFieldCollations().isEmpty() || sort.fetch == null) {
      return;
    }
    Long fetch = literal(sort.fetch);
    Long offset = sort.offset == null ? Long.valueOf(0) : literal(sort.offset);
    if (fetch == null || offset == null) {
      return;
    }
    long cap = fetch + offset;
    if (meter.maxRows() != RuleMeter.NO_CAP && meter.maxRows() <= cap) {
      return;
    }
    RelNode capped = RuleMeter.Logical.create(meter.getInput(), meter.rule(), cap);
    RelNode input = capped;
    if (throughProject) {
      Project project = call.rel(1);
      input =
          project.copy(project.getTraitSet(), capped, project.getProjects(), project.getRowType());
    }
    call.transformTo(
        sort.copy(sort.getTraitSet(), input, sort.getCollation(), sort.offset, sort.fetch));
  }

  private static Long literal(RexNode n) {
    if (n instanceof RexLiteral lit && lit.getValue() instanceof BigDecimal d) {
      return d.longValue();
    }
    return null;
  }
}
