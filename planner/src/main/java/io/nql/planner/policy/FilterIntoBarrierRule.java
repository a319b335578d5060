package io.nql.planner.policy;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;

/**
 * Splits a filter above a rule barrier: each conjunct, rewritten in terms of the rule's plan below
 * its projection, goes below the barrier only if it is {@link LeakProof leak-proof} there (so it
 * may be evaluated on rows the rule hides, and be pushed into the scan); every other conjunct stays
 * above, where it only ever sees the rule's visible rows.
 */
final class FilterIntoBarrierRule extends RelOptRule {
  @SuppressWarnings("deprecation")
  FilterIntoBarrierRule() {
    super(
        operand(Filter.class, operand(RuleBarrier.Logical.class, operand(Project.class, any()))),
        "FilterIntoBarrierRule");
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    RuleBarrier.Logical barrier = call.rel(1);
    Project project = call.rel(2);
    if (RexOver.containsOver(project.getProjects(), null)) {
      return; // a window reads other rows: a filter below it would change its values
    }
    List<RexNode> below = new ArrayList<>();
    List<RexNode> above = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      RexNode pushed = RelOptUtil.pushPastProject(conjunct, project);
      if (LeakProof.test(pushed)) {
        below.add(pushed);
      } else {
        above.add(conjunct);
      }
    }
    if (below.isEmpty()) {
      return;
    }
    RelBuilder b = call.builder();
    RelNode restricted =
        b.push(project.getInput())
            .filter(below)
            .project(project.getProjects(), project.getRowType().getFieldNames(), true)
            .build();
    RelNode result = RuleBarrier.Logical.create(restricted, barrier.rule());
    if (!above.isEmpty()) {
      result =
          filter.copy(
              filter.getTraitSet(),
              result,
              RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), above));
    }
    call.transformTo(result);
  }
}
