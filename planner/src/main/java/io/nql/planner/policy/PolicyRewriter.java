package io.nql.planner.policy;

import io.nql.planner.plan.HepPlanners;
import io.nql.planner.plan.PlanRewriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.RepeatUnion;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.rules.CoreRules;

/**
 * The policy rewrite — the one place where access rules enter a plan. Before optimization it
 * replaces every scan of a {@link RuleTable} by the rule's restricted plan (behind a {@link
 * RuleBarrier}, under a {@link RuleMeter}), then moves the caller's filters down to the rule scans
 * they apply to: below the meter always, below the barrier only when leak-proof. Everything after
 * (optimizer, push-down into Iceberg, execution) sees only restricted plans.
 */
public final class PolicyRewriter implements PlanRewriter {
  private static final List<RelOptRule> PLACEMENT_RULES = placementRules();

  /** Receives every plan this rewriter returns (diagnostics, the golden-plan tests). */
  private final Consumer<RelNode> rewrittenPlans;

  /** A rewriter whose plans nobody observes. */
  public PolicyRewriter() {
    this(plan -> {});
  }

  /** A rewriter that hands every plan it returns to {@code rewrittenPlans}. */
  public PolicyRewriter(Consumer<RelNode> rewrittenPlans) {
    this.rewrittenPlans = rewrittenPlans;
  }

  private static List<RelOptRule> placementRules() {
    List<RelOptRule> rules = new ArrayList<>();
    rules.add(CoreRules.FILTER_PROJECT_TRANSPOSE);
    rules.add(CoreRules.FILTER_INTO_JOIN);
    rules.add(CoreRules.JOIN_CONDITION_PUSH);
    rules.add(CoreRules.FILTER_SET_OP_TRANSPOSE);
    rules.add(CoreRules.FILTER_AGGREGATE_TRANSPOSE);
    rules.add(CoreRules.FILTER_MERGE);
    rules.addAll(PolicyRules.PLACEMENT);
    return List.copyOf(rules);
  }

  @Override
  public RelNode rewrite(RelNode logicalPlan) {
    RelNode rewritten = rewriteRules(logicalPlan);
    rewrittenPlans.accept(rewritten);
    return rewritten;
  }

  private RelNode rewriteRules(RelNode logicalPlan) {
    boolean rowIds = mayReadARowTwice(logicalPlan);
    boolean[] found = {RosettaScans.scannedBy(logicalPlan)};
    // rosetta_stone scans become unions of rule plans (under their barriers and meters) first
    RelNode plan =
        RosettaScans.replaceScans(
            logicalPlan, (table, scan, used) -> table.expand(scan.getCluster(), used, rowIds));
    RelNode replaced =
        plan.accept(
            new RelShuttleImpl() {
              @Override
              public RelNode visit(TableScan scan) {
                RuleTable rule = scan.getTable().unwrap(RuleTable.class);
                if (rule == null) {
                  return super.visit(scan);
                }
                found[0] = true;
                return rule.restrictedPlan(scan.getCluster(), rowIds);
              }
            });
    if (!found[0]) {
      return replaced;
    }
    HepProgramBuilder program = HepProgram.builder().addMatchOrder(HepMatchOrder.TOP_DOWN);
    program.addRuleCollection(PLACEMENT_RULES);
    // a comma join's WHERE placed at its joins in one pass; the program does the rest
    RelNode placed = JoinConjuncts.place(replaced);
    return withoutEmptyMeters(HepPlanners.run(program.build(), null, placed));
  }

  /**
   * Whether a rule row could reach the statement more than once: the statement reads rules more
   * than once, or reads one under an operator that may read its input again (a join's inner side is
   * re-read per outer row by a nested-loop join, a correlate per left row, a recursive union per
   * iteration). Then every meter reads row ids and charges each row once per statement; a single
   * read of a single rule — the common case, and the vectorized path's — needs none.
   */
  private static boolean mayReadARowTwice(RelNode plan) {
    int[] ruleScans = {0};
    boolean[] rereads = {false};
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof TableScan scan && scan.getTable().unwrap(RuleTable.class) != null) {
          ruleScans[0]++;
        }
        if (node instanceof TableScan scan && scan.getTable().unwrap(RosettaTable.class) != null) {
          ruleScans[0] += 2; // several branches may read one rule
        }
        if (node instanceof Join || node instanceof Correlate || node instanceof RepeatUnion) {
          rereads[0] = true;
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return ruleScans[0] > 1 || (ruleScans[0] == 1 && rereads[0]);
  }

  /**
   * Replaces each meter whose rule plan is empty by construction (a filter that can never hold,
   * e.g. {@code _price_cpm_usd = 0} on a priced rule) by an empty relation: the statement then
   * reads nothing through that rule and needs no budget for it, so it carries no budget warning.
   * This depends only on the statement and the rule's definition, never on data.
   */
  private static RelNode withoutEmptyMeters(RelNode plan) {
    return plan.accept(
        new RelShuttleImpl() {
          @Override
          public RelNode visit(RelNode other) {
            if (other instanceof RuleMeter meter && emptyChain(meter.getInput())) {
              return LogicalValues.createEmpty(meter.getCluster(), meter.getRowType());
            }
            return super.visit(other);
          }
        });
  }

  private static boolean emptyChain(RelNode node) {
    for (RelNode n = node; ; n = n.getInput(0)) {
      if (n instanceof Values v) {
        return v.getTuples().isEmpty();
      }
      if (n instanceof Filter f && f.getCondition().isAlwaysFalse()) {
        return true;
      }
      if (n.getInputs().size() != 1) {
        return false;
      }
    }
  }

  @Override
  public String explain(RelNode plan) {
    return PlanText.of(plan);
  }
}
