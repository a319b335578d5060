package io.nql.planner.exec;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;

/**
 * A pass-through operator that looks at the statement's cancel flag while rows flow through it
 * ({@link CancelChecks}). Added to an optimized plan by {@link #everyEdge} just before it is
 * compiled, so plans shown by {@code EXPLAIN PLAN FOR} do not contain it.
 */
final class EnumerableCancelCheck extends SingleRel implements EnumerableRel {
  private static final Method CHECKED;

  static {
    try {
      CHECKED = CancelChecks.class.getMethod("checked", Enumerable.class, DataContext.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private EnumerableCancelCheck(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
    super(cluster, traits, input);
  }

  /** {@code plan} with a check on the output of every operator that has inputs, and every leaf. */
  static EnumerableRel everyEdge(EnumerableRel plan) {
    return (EnumerableRel) withChecks(plan);
  }

  /** {@code rel} without the checks {@link #everyEdge} added. */
  static RelNode without(RelNode rel) {
    if (rel instanceof EnumerableCancelCheck check) {
      return without(check.getInput());
    }
    List<RelNode> inputs = rel.getInputs();
    List<RelNode> stripped = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (RelNode input : inputs) {
      RelNode s = without(input);
      changed |= s != input;
      stripped.add(s);
    }
    return changed ? rel.copy(rel.getTraitSet(), stripped) : rel;
  }

  private static RelNode withChecks(RelNode rel) {
    List<RelNode> inputs = rel.getInputs();
    if (inputs.isEmpty() || rel instanceof EnumerableInterpreter) {
      // An interpreter runs its (Bindable) inputs itself: it cannot run a check among them.
      return rel;
    }
    List<RelNode> checked = new ArrayList<>(inputs.size());
    for (RelNode input : inputs) {
      if (!(input instanceof EnumerableRel)) {
        checked.add(input);
        continue;
      }
      RelNode in = withChecks(input);
      checked.add(new EnumerableCancelCheck(in.getCluster(), in.getTraitSet(), in));
    }
    return rel.copy(rel.getTraitSet(), checked);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableCancelCheck(getCluster(), traitSet, sole(inputs));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    BlockBuilder builder = new BlockBuilder();
    Expression input = builder.append("checked", child.block);
    builder.add(
        Expressions.return_(
            null, Expressions.call(CHECKED, input, implementor.getRootExpression())));
    return implementor.result(child.physType, builder.toBlock());
  }
}
