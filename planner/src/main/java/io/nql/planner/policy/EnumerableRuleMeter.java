package io.nql.planner.policy;

import java.lang.reflect.Method;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;

/** The meter in the Enumerable convention: wraps its input's enumerable with {@link Deliveries}. */
final class EnumerableRuleMeter extends RuleMeter implements EnumerableRel {
  private static final Method METER;

  static {
    try {
      METER =
          Deliveries.class.getMethod(
              "meter",
              org.apache.calcite.linq4j.Enumerable.class,
              org.apache.calcite.DataContext.class,
              long.class,
              int.class,
              long.class,
              String.class,
              long.class,
              String.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  EnumerableRuleMeter(
      RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule, RowCap maxRows) {
    super(cluster, traits, input, rule, maxRows);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableRuleMeter(getCluster(), traitSet, sole(inputs), rule(), maxRows());
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    BlockBuilder builder = new BlockBuilder();
    Expression input = builder.append("metered", child.block);
    builder.add(
        Expressions.return_(
            null,
            Expressions.call(
                METER,
                input,
                implementor.getRootExpression(),
                Expressions.constant(rule().ruleId()),
                Expressions.constant(rule().version()),
                Expressions.constant(rule().ownerCompanyId()),
                Expressions.constant(rule().priceCpmUsd().toPlainString()),
                Expressions.constant(maxRows().fixed()),
                Expressions.constant(
                    maxRows().params().stream()
                        .map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(","))))));
    return implementor.result(child.physType, builder.toBlock());
  }
}
