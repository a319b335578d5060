package io.nql.planner.exec;

import io.nql.planner.plan.HepPlanners;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rel.rules.MultiJoinOptimizeBushyRule;

/**
 * Heuristic join ordering for statements with many joins, as Calcite's {@code
 * Programs.heuristicJoinOrder} does it: the optimizer's exhaustive search over join orders
 * (commuting and associating joins in the Volcano planner) grows exponentially with the number of
 * joins — a 15-table join of ten-row tables took seconds to plan — so from {@link #MIN_JOINS} joins
 * on, a Hep program fixes the order first and the statement's Volcano planner only picks the
 * physical operators.
 *
 * <p>The program, over the logical plan after the policy rewrite and field trimming:
 *
 * <ol>
 *   <li>{@code FILTER_INTO_JOIN}: moves the conjuncts of a filter directly above a join into its
 *       condition, or into a new filter directly above one of its inputs. An equality chain in the
 *       WHERE of a comma join becomes the join conditions (hash-join keys), not a filter over a
 *       cartesian product.
 *   <li>{@code JOIN_TO_MULTI_JOIN} (bottom up): flattens a tree of joins into one {@link MultiJoin}
 *       whose inputs are the subtrees that are not joins (outer joins keep their null-generating
 *       side as a separate input).
 *   <li>{@code FILTER_MULTI_JOIN_MERGE}, {@code PROJECT_MULTI_JOIN_MERGE}: a filter directly above
 *       a {@code MultiJoin} becomes its post-join filter (applied above every join); a projection
 *       directly above it records which of its fields are read (the projection stays).
 *   <li>{@code MULTI_JOIN_OPTIMIZE_BUSHY} ({@code MultiJoinOptimizeBushyRule}), only for a {@code
 *       MultiJoin} of inner joins without a post-join filter (that rule handles neither), then
 *       {@code MULTI_JOIN_OPTIMIZE} ({@code LoptOptimizeJoinRule}) for any other: each turns the
 *       {@code MultiJoin} back into a tree of binary joins over the same inputs, every join
 *       condition at the lowest join that has all the inputs it reads. The bushy greedy ordering
 *       plans a 64-table join in a fraction of {@code LoptOptimizeJoinRule}'s time (which tries
 *       every input as the first).
 *   <li>{@code PROJECT_MERGE}: merges the field permutation the ordering puts on top into the
 *       statement's projection.
 * </ol>
 *
 * Then the statement's Volcano planner runs without {@code JOIN_COMMUTE}, {@code JOIN_ASSOCIATE}
 * and {@code JoinPushThroughJoinRule} (the exhaustive search) and without the merge-join rule: an
 * equi-join is implemented as a hash join (a merge join would sort both inputs and make the planner
 * search sort orders for every join), any other join as a nested loop.
 *
 * <p><b>Why this is safe with access rules.</b> The policy rewrite has already replaced every rule
 * scan by {@code RuleMeter(RuleBarrier(rule plan))} and placed the caller's filters (below the
 * meter; below the barrier only what {@code FilterIntoBarrierRule} found leak-proof). A rule plan
 * is row-local — projections and filters over one scan ({@code RuleTable#rowLocal}) — so there is
 * no join below a barrier, and every rule above only ever sees a meter and what is below it as (the
 * bottom of) one opaque input:
 *
 * <ul>
 *   <li>{@code JOIN_TO_MULTI_JOIN} takes inputs as they are; a meter or barrier is never a join, so
 *       it is never merged into a {@code MultiJoin} and stays a leaf of the join tree.
 *   <li>{@code FILTER_INTO_JOIN} places a conjunct in a join condition or in a filter directly
 *       above a join input, that is above the input's meter; it never creates a node below a meter
 *       or a barrier (only the policy's own placement rules, not used here, move filters there).
 *       The merge rules only move a filter or projection that is directly above a {@code
 *       MultiJoin}.
 *   <li>Both ordering rules only build joins, filters and projections above the {@code MultiJoin}'s
 *       inputs, so a caller's join condition is evaluated only on rows that left the barriers —
 *       rows the rules show. Of {@code LoptOptimizeJoinRule}'s further steps, semi-join filtering
 *       needs an index Calcite has none of (it never applies), and removing a self-join or an
 *       unused outer join needs the input's column origins or unique keys, which Calcite's metadata
 *       does not derive through a meter or barrier (unknown non-leaf nodes), so no input behind a
 *       rule is ever removed or merged with another: every meter still reads and charges its rows.
 *   <li>The order depends on the statement and on row-count estimates only, and a scan behind a
 *       rule has a fixed estimate ({@code IcebergTableScan#estimateRowCount}): the plan never
 *       depends on a provider's data, hidden rows included.
 * </ul>
 *
 * Reordering inner joins may evaluate a caller's join condition on pairs of visible rows that the
 * written order would have filtered earlier (SQL fixes no evaluation order); it never evaluates one
 * on a hidden row.
 */
final class JoinOrdering {
  /**
   * Statements with at least this many joins are ordered heuristically: five or more relations.
   * Below, the exhaustive search costs a few milliseconds and may find a cheaper plan.
   */
  static final int MIN_JOINS = 4;

  /** The Volcano rules that enumerate join orders, and the merge join. */
  private static final List<RelOptRule> EXHAUSTIVE =
      List.of(
          CoreRules.JOIN_COMMUTE,
          CoreRules.JOIN_ASSOCIATE,
          JoinPushThroughJoinRule.LEFT,
          JoinPushThroughJoinRule.RIGHT,
          EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);

  /** The bushy ordering, for what it handles: inner joins without a post-join filter. */
  private static final RelOptRule BUSHY =
      MultiJoinOptimizeBushyRule.Config.DEFAULT
          .withOperandSupplier(
              b ->
                  b.operand(MultiJoin.class)
                      .predicate(JoinOrdering::innerWithoutPostFilter)
                      .anyInputs())
          .as(MultiJoinOptimizeBushyRule.Config.class)
          .toRule();

  private static final HepProgram PROGRAM =
      HepProgram.builder()
          .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
          .addMatchOrder(HepMatchOrder.BOTTOM_UP)
          .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
          .addRuleCollection(
              List.of(CoreRules.FILTER_MULTI_JOIN_MERGE, CoreRules.PROJECT_MULTI_JOIN_MERGE))
          .addRuleInstance(BUSHY)
          .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
          .addRuleInstance(CoreRules.PROJECT_MERGE)
          .build();

  private JoinOrdering() {}

  /**
   * The plan with its joins ordered, when it has at least {@link #MIN_JOINS}; then also removes the
   * join-order search from {@code planner} (the statement's own Volcano planner, which is to
   * optimize the result). Otherwise the plan and the planner unchanged.
   */
  static RelNode apply(RelOptPlanner planner, RelNode logical) {
    if (RelOptUtil.countJoins(logical) < MIN_JOINS) {
      return logical;
    }
    EXHAUSTIVE.forEach(planner::removeRule);
    // The statement's context: its cancel flag stops a long ordering too.
    return HepPlanners.run(PROGRAM, planner.getContext(), logical);
  }

  private static boolean innerWithoutPostFilter(MultiJoin join) {
    return join.getPostJoinFilter() == null
        && !join.isFullOuterJoin()
        && join.getJoinTypes().stream().allMatch(t -> t == JoinRelType.INNER);
  }
}
