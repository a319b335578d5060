package io.nql.planner.policy;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * {@code Filter(Meter(x))} → {@code Meter(Filter(x))}: same rows, metered after the filter, so the
 * caller pays for the rule rows its own filters keep.
 *
 * <p>Only conjuncts that are a fixed property of the rule row move: deterministic, and without
 * correlation variables. A conjunct that compares with an outer row ({@code e.k = $cor0.k}) stays
 * above the meter, so a rule row is charged the same whether the planner joins or re-scans per
 * outer row; the charge never depends on the plan.
 */
final class FilterIntoMeterRule extends RelOptRule {
  @SuppressWarnings("deprecation")
  FilterIntoMeterRule() {
    super(operand(Filter.class, operand(RuleMeter.Logical.class, any())), "FilterIntoMeterRule");
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    RuleMeter.Logical meter = call.rel(1);
    if (meter.maxRows().isCapped()) {
      return; // the cap counts the rows of a LIMIT above; a filter from above must stay above
    }
    List<RexNode> below = new ArrayList<>();
    List<RexNode> above = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (RexUtil.isDeterministic(conjunct) && !RexUtil.containsCorrelation(conjunct)) {
        below.add(conjunct);
      } else {
        above.add(conjunct);
      }
    }
    if (below.isEmpty()) {
      return;
    }
    var rex = filter.getCluster().getRexBuilder();
    RelNode result =
        meter.over(
            filter.copy(
                filter.getTraitSet(), meter.getInput(), RexUtil.composeConjunction(rex, below)),
            meter.maxRows());
    if (!above.isEmpty()) {
      result = filter.copy(filter.getTraitSet(), result, RexUtil.composeConjunction(rex, above));
    }
    call.transformTo(result);
  }
}
