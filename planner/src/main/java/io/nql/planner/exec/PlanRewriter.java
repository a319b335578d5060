package io.nql.planner.exec;

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
}
