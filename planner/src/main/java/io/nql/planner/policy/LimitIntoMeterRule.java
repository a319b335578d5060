package io.nql.planner.policy;

import io.nql.planner.plan.RowCap;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexOver;

/**
 * {@code LIMIT n [OFFSET m]} without ORDER BY directly above a meter (or above a projection of it):
 * the query takes at most n + m rows from the scan, so the meter stops there instead of pulling —
 * and charging — one row the limit would drop. The limit itself stays. n and m may be literals or
 * {@code ?} parameters ({@link RowCap}).
 *
 * <p>A projection with a window function is a barrier for the cap: the window reads every row of
 * the scan before the limit takes any, so capping the meter would change the window's values.
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
    if (throughProject && RexOver.containsOver(((Project) call.rel(1)).getProjects(), null)) {
      return;
    }
    RowCap cap = RowCap.of(sort.fetch, sort.offset);
    RowCap old = meter.maxRows();
    if (cap == null || (old.isCapped() && (!cap.atMost(old) || cap.equals(old)))) {
      return; // keep the tighter (or the only comparable) cap
    }
    RelNode capped = meter.over(meter.getInput(), cap);
    RelNode input = capped;
    if (throughProject) {
      Project project = call.rel(1);
      input =
          project.copy(project.getTraitSet(), capped, project.getProjects(), project.getRowType());
    }
    call.transformTo(
        sort.copy(sort.getTraitSet(), input, sort.getCollation(), sort.offset, sort.fetch));
  }
}
