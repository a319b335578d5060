package io.nql.planner.policy;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * Meters the rows a rule delivers to the caller's query: every row that leaves it is counted
 * against the statement's budget and priced at the rule's price; when the next row would exceed the
 * budget, it ends the stream. It sits above the caller's own filters on the rule scan, so the
 * caller pays for the rows those filters keep. Nothing moves across it but filters, downwards.
 */
public abstract class RuleMeter extends SingleRel {
  private final RuleRef rule;

  protected RuleMeter(RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule) {
    super(cluster, traits, input);
    this.rule = rule;
  }

  /** The rule whose rows this meter counts. */
  public RuleRef rule() {
    return rule;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw)
        .item("rule", rule.qualifiedName())
        .item("price_cpm_usd", rule.priceCpmUsd().toPlainString());
  }

  /** The logical meter, as the rewriter creates it. */
  public static final class Logical extends RuleMeter {
    public Logical(RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule) {
      super(cluster, traits, input, rule);
    }

    /** A logical meter over a rule scan. */
    public static Logical create(RelNode input, RuleRef rule) {
      return new Logical(input.getCluster(), input.getTraitSet(), input, rule);
    }

    @Override
    public String getRelTypeName() {
      // The nested class's simple name ("Logical") would not say which node this is in a plan.
      return "LogicalRuleMeter";
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new Logical(getCluster(), traitSet, sole(inputs), rule());
    }

    @Override
    public void register(org.apache.calcite.plan.RelOptPlanner planner) {
      PolicyRules.registerPhysical(planner);
    }
  }
}
