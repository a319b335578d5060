package io.nql.planner.policy;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Filter;

/** {@code Filter(Meter(x))} → {@code Meter(Filter(x))}: same rows, metered after the filter. */
final class FilterIntoMeterRule extends RelOptRule {
  @SuppressWarnings("deprecation")
  FilterIntoMeterRule() {
    super(operand(Filter.class, operand(RuleMeter.Logical.class, any())), "FilterIntoMeterRule");
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    RuleMeter.Logical meter = call.rel(1);
    call.transformTo(
        RuleMeter.Logical.create(
            filter.copy(filter.getTraitSet(), meter.getInput(), filter.getCondition()),
            meter.rule(),
            meter.maxRows()));
  }
}
