package io.nql.planner.policy;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;

/** The planner rules of the policy: placing filters at rule scans, and the physical forms. */
public final class PolicyRules {
  /** Moves a filter from above a meter to below it (the caller pays for what it keeps). */
  public static final RelOptRule FILTER_INTO_METER = new FilterIntoMeterRule();

  /** Moves the leak-proof part of a filter above a barrier below it, into the rule's plan. */
  public static final RelOptRule FILTER_INTO_BARRIER = new FilterIntoBarrierRule();

  /** Caps a meter at the rows a LIMIT directly above it can take. */
  public static final RelOptRule LIMIT_INTO_METER = new LimitIntoMeterRule(false);

  /** The same through a projection between the LIMIT and the meter. */
  public static final RelOptRule LIMIT_INTO_METER_THROUGH_PROJECT = new LimitIntoMeterRule(true);

  /** The rules of the policy rewriter's placement phase. */
  public static final List<RelOptRule> PLACEMENT =
      List.of(
          FILTER_INTO_METER,
          FILTER_INTO_BARRIER,
          LIMIT_INTO_METER,
          LIMIT_INTO_METER_THROUGH_PROJECT);

  static final ConverterRule ENUMERABLE_BARRIER =
      enumerable(
          RuleBarrier.Logical.class,
          "EnumerableRuleBarrierRule",
          (b, input) ->
              new EnumerableRuleBarrier(
                  b.getCluster(),
                  b.getTraitSet().replace(EnumerableConvention.INSTANCE),
                  input,
                  ((RuleBarrier) b).rule()));

  static final ConverterRule ENUMERABLE_METER =
      enumerable(
          RuleMeter.Logical.class,
          "EnumerableRuleMeterRule",
          (m, input) ->
              new EnumerableRuleMeter(
                  m.getCluster(),
                  m.getTraitSet().replace(EnumerableConvention.INSTANCE),
                  input,
                  ((RuleMeter) m).rule(),
                  ((RuleMeter) m).maxRows(),
                  ((RuleMeter) m).rowIds()));

  /** A rule converting a logical policy node to its Enumerable form over an Enumerable input. */
  private static ConverterRule enumerable(
      Class<? extends RelNode> logical,
      String name,
      java.util.function.BiFunction<RelNode, RelNode, RelNode> physical) {
    return ConverterRule.Config.INSTANCE
        .withConversion(logical, Convention.NONE, EnumerableConvention.INSTANCE, name)
        .withRuleFactory(
            config ->
                new ConverterRule(config) {
                  @Override
                  public RelNode convert(RelNode rel) {
                    RelNode input = rel.getInput(0);
                    return physical.apply(
                        rel,
                        convert(input, input.getTraitSet().replace(EnumerableConvention.INSTANCE)));
                  }
                })
        .toRule(ConverterRule.class);
  }

  private PolicyRules() {}

  /** Adds the physical rules of barriers and meters to a planner (idempotent). */
  static void registerPhysical(RelOptPlanner planner) {
    planner.addRule(ENUMERABLE_BARRIER);
    planner.addRule(ENUMERABLE_METER);
  }
}
