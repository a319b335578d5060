package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.CancelFlag;
import org.junit.jupiter.api.Test;

/**
 * {@link JoinOrdering} on comma joins of small relations: from {@link JoinOrdering#MIN_JOINS} joins
 * the filter's equalities become join conditions, the joins are reordered into a tree without
 * cartesian products, and the statement's planner loses the join-order search; below, plan and
 * planner are left alone; a cancelled statement stops in the ordering.
 */
class JoinOrderingTest {
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final VolcanoPlanner planner =
      new VolcanoPlanner(null, Contexts.of(new CancelFlag(cancel)));
  private final RelOptCluster cluster =
      RelOptCluster.create(planner, new RexBuilder(new JavaTypeFactoryImpl()));

  JoinOrderingTest() {
    RelOptUtil.registerDefaultRules(planner, false, false);
  }

  /**
   * {@code SELECT * FROM r0, r1, …, r<n-1> WHERE r<n-1>.a = r<n-2>.b AND … AND r1.a = r0.b}: a
   * chain written against the FROM order, so the written join tree is all cartesian products.
   */
  private RelNode commaChain(int relations) {
    RelBuilder b = RelBuilder.proto(Contexts.empty()).create(cluster, null);
    for (int i = 0; i < relations; i++) {
      b.values(new String[] {"a" + i, "b" + i}, 1, 2, 2, 3, 3, 1);
      if (i > 0) {
        b.join(JoinRelType.INNER);
      }
    }
    List<RexNode> chain = new ArrayList<>();
    for (int i = relations - 1; i > 0; i--) {
      chain.add(b.equals(b.field("a" + i), b.field("b" + (i - 1))));
    }
    return b.filter(chain).build();
  }

  private static List<Join> joins(RelNode plan) {
    List<Join> joins = new ArrayList<>();
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof Join j) {
          joins.add(j);
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return joins;
  }

  @Test
  void manyJoinsAreOrderedWithEveryEqualityAsAJoinCondition() {
    RelNode ordered = JoinOrdering.apply(planner, commaChain(JoinOrdering.MIN_JOINS + 1));
    assertThat(RelOptUtil.toString(ordered)).doesNotContain("MultiJoin");
    List<Join> joins = joins(ordered);
    assertThat(joins).hasSize(JoinOrdering.MIN_JOINS);
    for (Join j : joins) {
      assertThat(j.getCondition().isAlwaysTrue()).as(RelOptUtil.toString(ordered)).isFalse();
      assertThat(j.analyzeCondition().isEqui()).as(j.getCondition().toString()).isTrue();
    }
    assertThat(planner.getRules())
        .doesNotContain(
            CoreRules.JOIN_COMMUTE,
            JoinPushThroughJoinRule.LEFT,
            JoinPushThroughJoinRule.RIGHT,
            EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE)
        .contains(CoreRules.FILTER_INTO_JOIN, EnumerableRules.ENUMERABLE_JOIN_RULE);
  }

  @Test
  void fewerJoinsAreLeftToTheOptimizer() {
    RelNode written = commaChain(JoinOrdering.MIN_JOINS);
    assertThat(JoinOrdering.apply(planner, written)).isSameAs(written);
    assertThat(planner.getRules())
        .contains(CoreRules.JOIN_COMMUTE, EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
  }

  @Test
  void aCancelledStatementStopsInTheOrdering() {
    RelNode written = commaChain(12);
    cancel.set(true);
    assertThatThrownBy(() -> JoinOrdering.apply(planner, written)).hasMessageContaining("aborted");
  }
}
