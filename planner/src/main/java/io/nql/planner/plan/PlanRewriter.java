package io.nql.planner.plan;

import org.apache.calcite.rel.RelNode;

/**
 * The policy hook: transforms the logical plan after conversion (sub-queries removed, decorrelated)
 * and before field trimming, optimization and push-down.
 */
@FunctionalInterface
public interface PlanRewriter {
  /** Leaves the plan unchanged. */
  PlanRewriter IDENTITY = rel -> rel;

  /**
   * Rewrites a logical plan.
   *
   * @param logicalPlan the plan, in {@code Convention.NONE}
   * @return a plan with the same row type
   */
  RelNode rewrite(RelNode logicalPlan);

  /**
   * The text {@code EXPLAIN PLAN FOR} shows for an optimized plan. The policy overrides it to keep
   * other companies' rules opaque.
   */
  default String explain(RelNode plan) {
    return org.apache.calcite.plan.RelOptUtil.toString(
            plan, org.apache.calcite.sql.SqlExplainLevel.EXPPLAN_ATTRIBUTES)
        .trim();
  }
}
