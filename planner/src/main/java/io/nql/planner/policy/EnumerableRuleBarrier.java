package io.nql.planner.policy;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;

/** The barrier in the Enumerable convention: a pass-through of its input's rows. */
final class EnumerableRuleBarrier extends RuleBarrier implements EnumerableRel {
  EnumerableRuleBarrier(RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule) {
    super(cluster, traits, input, rule);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableRuleBarrier(getCluster(), traitSet, sole(inputs), rule());
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    return implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
  }
}
