package io.nql.planner.policy;

import io.nql.planner.plan.RowCap;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;

/** The meter in the Enumerable convention: wraps its input's enumerable with {@link Deliveries}. */
final class EnumerableRuleMeter extends RuleMeter implements EnumerableRel {
  private static final Method METER = method("meter");
  private static final Method METER_ROWS = method("meterRows");

  private static Method method(String name) {
    for (Method m : Deliveries.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new ExceptionInInitializerError("Deliveries." + name + " is missing");
  }

  EnumerableRuleMeter(
      RelOptCluster cluster,
      RelTraitSet traits,
      RelNode input,
      RuleRef rule,
      RowCap maxRows,
      boolean rowIds) {
    super(cluster, traits, input, rule, maxRows, rowIds);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableRuleMeter(
        getCluster(), traitSet, sole(inputs), rule(), maxRows(), rowIds());
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    // With row ids the input's rows are read as Object[] (the id is their last element) and the
    // meter emits them without it, in the format of its own row type.
    Result child =
        implementor.visitChild(this, 0, (EnumerableRel) getInput(), rowIds() ? Prefer.ARRAY : pref);
    BlockBuilder builder = new BlockBuilder();
    Expression input = builder.append("metered", child.block);
    List<Expression> args = new ArrayList<>();
    args.add(input);
    args.add(implementor.getRootExpression());
    args.add(Expressions.constant(rule().ruleId()));
    args.add(Expressions.constant(rule().version()));
    args.add(Expressions.constant(rule().ownerCompanyId()));
    args.add(Expressions.constant(rule().priceCpmUsd().toPlainString()));
    args.add(Expressions.constant(maxRows().fixed()));
    args.add(
        Expressions.constant(
            maxRows().params().stream().map(String::valueOf).collect(Collectors.joining(","))));
    PhysType physType = child.physType;
    if (rowIds()) {
      if (child.physType.getFormat() != JavaRowFormat.ARRAY) {
        throw new IllegalStateException("a metered input with row ids must be rows of Object[]");
      }
      physType =
          PhysTypeImpl.of(
              implementor.getTypeFactory(),
              getRowType(),
              JavaRowFormat.ARRAY.optimize(getRowType()) == JavaRowFormat.SCALAR
                  ? JavaRowFormat.SCALAR
                  : JavaRowFormat.ARRAY);
      args.add(Expressions.constant(physType.getFormat() == JavaRowFormat.SCALAR));
    }
    builder.add(Expressions.return_(null, Expressions.call(rowIds() ? METER_ROWS : METER, args)));
    return implementor.result(physType, builder.toBlock());
  }
}
