package io.nql.planner.policy;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.sql.SqlExplainLevel;

/**
 * The security barrier of one rule scan: its input is the rule's restricted plan (dataset scan,
 * rule filter, rule projection and pseudo-columns). No optimizer rule moves anything across it;
 * only {@link PolicyRules#FILTER_INTO_BARRIER} may place leak-proof predicates below it. Rows pass
 * through unchanged.
 */
public abstract class RuleBarrier extends SingleRel {
  private final RuleRef rule;

  protected RuleBarrier(RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule) {
    super(cluster, traits, input);
    this.rule = rule;
  }

  /** The rule this barrier guards. */
  public RuleRef rule() {
    return rule;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    if (pw.getDetailLevel() == SqlExplainLevel.DIGEST_ATTRIBUTES) {
      pw.item("rule_id", rule.ruleId());
    }
    return super.explainTerms(pw)
        .item("rule", rule.qualifiedName())
        .item("version", rule.version());
  }

  /** The logical barrier, as the rewriter creates it. */
  public static final class Logical extends RuleBarrier {
    public Logical(RelOptCluster cluster, RelTraitSet traits, RelNode input, RuleRef rule) {
      super(cluster, traits, input, rule);
    }

    /** A logical barrier over a rule's restricted plan. */
    public static Logical create(RelNode input, RuleRef rule) {
      return new Logical(input.getCluster(), input.getTraitSet(), input, rule);
    }

    @Override
    public String getRelTypeName() {
      // The nested class's simple name ("Logical") would not say which node this is in a plan.
      return "LogicalRuleBarrier";
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
