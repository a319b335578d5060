package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.interpreter.Interpreter;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link JoinConjuncts} computes the placement Calcite's join rules reach one join at a time: on
 * random comma joins (chains, stars, single-relation and cross-relation predicates, constants, ORs,
 * inner joins with their own ON conditions, LEFT joins in the tree) the placed plan answers as the
 * rules' plan, and leaves no filter directly above an inner join and no inner join condition that
 * reads only one side (nothing for the rules to move).
 */
class JoinConjunctsTest {
  private static final HepProgram JOIN_RULES =
      HepProgram.builder()
          .addMatchOrder(HepMatchOrder.TOP_DOWN)
          .addRuleCollection(
              List.of(
                  CoreRules.FILTER_INTO_JOIN,
                  CoreRules.JOIN_CONDITION_PUSH,
                  CoreRules.FILTER_MERGE,
                  CoreRules.FILTER_PROJECT_TRANSPOSE))
          .build();

  private final RelOptCluster cluster =
      RelOptCluster.create(new HepPlanner(JOIN_RULES), new RexBuilder(new JavaTypeFactoryImpl()));

  private static RelNode rules(RelNode plan) {
    HepPlanner hep = new HepPlanner(JOIN_RULES);
    hep.setRoot(plan);
    return hep.findBestExp();
  }

  /** A random statement over {@code relations} two-column relations joined by {@code random}. */
  private RelNode statement(Random random, int relations, boolean outer) {
    RelBuilder b = RelBuilder.proto(Contexts.empty()).create(cluster, null);
    for (int i = 0; i < relations; i++) {
      b.values(new String[] {"a" + i, "b" + i}, 1, 1, 2, 2, 1, 2, 3, 1 + i % 3);
      if (i == 0) {
        continue;
      }
      int shape = random.nextInt(10);
      if (shape == 0 && outer) {
        b.join(JoinRelType.LEFT, b.equals(b.field(2, 0, "a" + (i - 1)), b.field(2, 1, "b" + i)));
      } else if (shape < 3) {
        // an ON condition: an equality and a predicate on the new relation alone
        int other = random.nextInt(i);
        b.join(
            JoinRelType.INNER,
            b.and(
                b.equals(b.field(2, 0, "a" + other), b.field(2, 1, "a" + i)),
                b.greaterThan(b.field(2, 1, "b" + i), b.literal(random.nextInt(3)))));
      } else {
        b.join(JoinRelType.INNER);
      }
    }
    List<RexNode> where = new ArrayList<>();
    for (int i = relations - 1; i > 0; i--) {
      int other = random.nextBoolean() ? i - 1 : random.nextInt(i);
      where.add(b.equals(b.field("a" + i), b.field("b" + other)));
    }
    for (int k = random.nextInt(4); k > 0; k--) {
      int r = random.nextInt(relations);
      where.add(b.lessThan(b.field("b" + r), b.literal(2 + k)));
    }
    if (random.nextBoolean()) {
      int r = random.nextInt(relations);
      int s = random.nextInt(relations);
      where.add(
          b.or(b.equals(b.field("a" + r), b.literal(1)), b.equals(b.field("b" + s), b.literal(3))));
    }
    if (random.nextInt(4) == 0) {
      where.add(b.equals(b.literal(1), b.literal(1)));
    }
    RexNode condition = RexUtilAnd.and(cluster.getRexBuilder(), where);
    return LogicalFilter.create(b.build(), condition);
  }

  /**
   * The rules applied alone, the pass alone and the pass followed by the rules answer the same rows
   * (run by Calcite's interpreter). The plans themselves may differ: the rules derive the
   * equalities of an equal set in an order that depends on the order they fire in, and turn a LEFT
   * join under a null-rejecting conjunct into an inner one.
   */
  @Test
  void answersAsTheJoinRules() {
    Random random = new Random(20261207);
    int answered = 0;
    for (int n = 0; n < 60; n++) {
      RelNode written = statement(random, 2 + random.nextInt(8), n % 2 == 0);
      List<String> byRules = rows(rules(written));
      RelNode placed = JoinConjuncts.place(written);
      assertThat(rows(placed)).as("statement %s", n).isEqualTo(byRules);
      assertThat(rows(rules(placed))).as("statement %s", n).isEqualTo(byRules);
      if (n % 2 == 1) { // inner joins only: the rules find nothing left to do
        assertThat(RelOptUtil.toString(rules(placed)))
            .as("statement %s", n)
            .isEqualTo(RelOptUtil.toString(placed));
      }
      answered += byRules.isEmpty() ? 0 : 1;
    }
    assertThat(answered).as("statements answering rows").isGreaterThan(15);
  }

  private static List<String> rows(RelNode plan) {
    List<String> rows = new ArrayList<>();
    for (Object[] row : new Interpreter(context(plan), plan)) {
      rows.add(Arrays.toString(row));
    }
    Collections.sort(rows);
    return rows;
  }

  private static DataContext context(RelNode plan) {
    JavaTypeFactory types = (JavaTypeFactory) plan.getCluster().getTypeFactory();
    return new DataContext() {
      @Override
      public SchemaPlus getRootSchema() {
        return null;
      }

      @Override
      public JavaTypeFactory getTypeFactory() {
        return types;
      }

      @Override
      public QueryProvider getQueryProvider() {
        return null;
      }

      @Override
      public Object get(String name) {
        return null;
      }
    };
  }

  @Test
  void leavesNoFilterOverAnInnerJoinAndNoOneSidedCondition() {
    Random random = new Random(7);
    for (int n = 0; n < 100; n++) {
      RelNode placed = JoinConjuncts.place(statement(random, 2 + random.nextInt(14), true));
      String text = RelOptUtil.toString(placed);
      new RelVisitor() {
        @Override
        public void visit(RelNode node, int ordinal, RelNode parent) {
          if (node instanceof Filter f
              && f.getInput() instanceof Join j
              && j.getJoinType() == JoinRelType.INNER) {
            throw new AssertionError("a filter stayed over an inner join:\n" + text);
          }
          if (node instanceof Join j && j.getJoinType() == JoinRelType.INNER) {
            int left = j.getLeft().getRowType().getFieldCount();
            for (RexNode c : RelOptUtil.conjunctions(j.getCondition())) {
              var read = RelOptUtil.InputFinder.bits(c);
              assertThat(read.nextSetBit(0) < left && read.length() > left)
                  .as("%s at %s in%n%s", c, j, text)
                  .isTrue();
            }
          }
          super.visit(node, ordinal, parent);
        }
      }.go(placed);
    }
  }

  /** The conjunction of {@code where}, not simplified (the rules under test simplify). */
  private static final class RexUtilAnd {
    static RexNode and(RexBuilder rex, List<RexNode> where) {
      return where.size() == 1 ? where.get(0) : rex.makeCall(SqlStdOperatorTable.AND, where);
    }
  }
}
