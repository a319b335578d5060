package io.nql.planner.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Places the conjuncts of a filter over a tree of inner joins — the WHERE clause of a comma join —
 * and those of the joins' own conditions at the joins, in one pass: each conjunct in the condition
 * of the lowest join that has every input it reads, or in a filter directly above the one join
 * input it reads (a conjunct that reads nothing: above the first input). This is where Calcite's
 * {@code FILTER_INTO_JOIN} and {@code JOIN_CONDITION_PUSH} bring them one join at a time, each
 * firing simplifying the whole remaining condition and restarting the placement program: for a join
 * of forty tables, about as many firings over a condition of as many conjuncts.
 *
 * <p>Equalities between two columns of one type form equal sets, as the rules' {@code
 * inferJoinEqualConditions} derives them: each set is placed as a spanning tree, its members within
 * one input equated above that input, and at each join one member of the left side equated with one
 * of the right side when both sides have some. A row satisfies the spanning tree exactly when it
 * satisfies the written equalities (equality of one type is transitive, and a NULL member fails an
 * equality either way), and every equality lands at the lowest join that can evaluate it.
 *
 * <p>The policy rewriter runs the pass before its placement program, which then moves the filters
 * above rule meters into them (and leak-proof ones into barriers) as before, and still runs the
 * join rules for what the pass leaves: outer joins, correlated conjuncts, filters between joins.
 *
 * <p><b>Why this is safe with access rules.</b> As {@code FILTER_INTO_JOIN}, the pass only places a
 * caller's conjunct in a join condition or in a new filter directly above a join input; a join
 * input is a node that is not an inner join (a meter, a barrier, a projection, a scan...), and the
 * pass never descends into a {@link RuleMeter} or {@link RuleBarrier}: nothing is placed below a
 * meter or barrier here, that stays the placement rules' business, with their leak-proof checks.
 * Only inner joins are entered (moving a conjunct across an outer join would change the result);
 * conjuncts with correlation variables or sub-queries stay where they are. The inputs keep their
 * order and the joins their shape.
 */
final class JoinConjuncts {
  private JoinConjuncts() {}

  /** {@code plan} with the conjuncts over and in its inner joins placed at their lowest joins. */
  static RelNode place(RelNode plan) {
    return plan.accept(new Placement());
  }

  private static final class Placement extends RelShuttleImpl {
    @Override
    public RelNode visit(LogicalFilter filter) {
      if (!(filter.getInput() instanceof LogicalJoin join)
          || !entered(join)
          || !filter.getVariablesSet().isEmpty()) {
        return super.visit(filter);
      }
      List<RexNode> stay = new ArrayList<>();
      List<RexNode> down = new ArrayList<>();
      for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
        (movable(conjunct) ? down : stay).add(conjunct);
      }
      RelNode placed = new Tree(this, join, down).build();
      return stay.isEmpty() ? placed : filter.copy(filter.getTraitSet(), placed, and(filter, stay));
    }

    @Override
    public RelNode visit(LogicalJoin join) {
      return entered(join) ? new Tree(this, join, List.of()).build() : super.visit(join);
    }

    @Override
    public RelNode visit(RelNode other) {
      if (other instanceof RuleMeter || other instanceof RuleBarrier) {
        return other; // a rule's plan is the placement rules' business
      }
      return super.visit(other);
    }
  }

  /**
   * One tree of inner joins, its conjuncts in the fields of its top join: those still to place, the
   * equal sets of column equalities, and the conjuncts each join keeps where it is.
   */
  private static final class Tree {
    private final Placement placement;
    private final LogicalJoin top;
    private final RexBuilder rex;
    private final List<Pending> pending = new ArrayList<>();

    /** The written equality of two fields, by {@link #pair}. */
    private final Map<Long, RexNode> written = new java.util.HashMap<>();

    private final int[] parent;
    private final RelDataType[] fieldTypes;

    /** Each field's equal set (a field of it), once all conjuncts are collected. */
    private final int[] set;

    /** The number of fields in each equal set, by {@link #set}. */
    private final int[] setSize;

    Tree(Placement placement, LogicalJoin top, List<RexNode> incoming) {
      this.placement = placement;
      this.top = top;
      this.rex = top.getCluster().getRexBuilder();
      int fields = top.getRowType().getFieldCount();
      this.parent = new int[fields];
      this.fieldTypes = new RelDataType[fields];
      this.set = new int[fields];
      this.setSize = new int[fields];
      for (int i = 0; i < fields; i++) {
        parent[i] = i;
        fieldTypes[i] = top.getRowType().getFieldList().get(i).getType();
      }
      incoming.forEach(this::collect);
      collectConditions(top, 0);
    }

    private void collectConditions(RelNode node, int offset) {
      if (node instanceof LogicalJoin join && entered(join)) {
        for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
          if (movable(c)) {
            collect(RexUtil.shift(c, offset));
          }
        }
        collectConditions(join.getLeft(), offset);
        collectConditions(join.getRight(), offset + join.getLeft().getRowType().getFieldCount());
      }
    }

    /** Takes a conjunct over the top join's fields: into an equal set, or to place. */
    private void collect(RexNode conjunct) {
      if (conjunct.isAlwaysTrue()) {
        return;
      }
      if (conjunct.getKind() == SqlKind.EQUALS
          && conjunct instanceof RexCall call
          && call.getOperands().get(0) instanceof RexInputRef a
          && call.getOperands().get(1) instanceof RexInputRef b
          && a.getIndex() != b.getIndex()
          && sameType(a.getType(), b.getType())) {
        parent[root(a.getIndex())] = root(b.getIndex());
        written.putIfAbsent(pair(a.getIndex(), b.getIndex()), conjunct);
      } else {
        pending.add(new Pending(conjunct, RelOptUtil.InputFinder.bits(conjunct)));
      }
    }

    private int root(int field) {
      int r = field;
      while (parent[r] != r) {
        r = parent[r];
      }
      parent[field] = r;
      return r;
    }

    RelNode build() {
      for (int f = 0; f < parent.length; f++) {
        set[f] = root(f);
        setSize[set[f]]++;
      }
      return build(top, 0);
    }

    /** {@code node} (at {@code offset} in the top join's fields) with its conjuncts placed. */
    private RelNode build(RelNode node, int offset) {
      int end = offset + node.getRowType().getFieldCount();
      if (!(node instanceof LogicalJoin join && entered(join))) {
        RelNode input = node.accept(placement);
        List<RexNode> here = take(offset, end);
        // the members of each equal set within this input, equated with its first
        Map<Integer, TreeSet<Integer>> sets = members(offset, end);
        for (TreeSet<Integer> members : sets.values()) {
          int first = members.first();
          for (int m : members.tailSet(first, false)) {
            here.add(equal(first, m, offset));
          }
        }
        return here.isEmpty()
            ? input
            : LogicalFilter.create(input, RexUtil.composeConjunction(rex, here));
      }
      int middle = offset + join.getLeft().getRowType().getFieldCount();
      RelNode left = build(join.getLeft(), offset);
      RelNode right = build(join.getRight(), middle);
      List<RexNode> condition = new ArrayList<>();
      for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
        if (!movable(c)) {
          condition.add(c); // stays at its join, in the join's own fields
        }
      }
      // one member of the left side equated with one of the right, for each set on both sides
      Map<Integer, TreeSet<Integer>> leftSets = members(offset, middle);
      Map<Integer, TreeSet<Integer>> rightSets = members(middle, end);
      for (Map.Entry<Integer, TreeSet<Integer>> set : leftSets.entrySet()) {
        TreeSet<Integer> onTheRight = rightSets.get(set.getKey());
        if (onTheRight != null) {
          condition.add(equal(set.getValue().first(), onTheRight.first(), offset));
        }
      }
      condition.addAll(take(offset, end));
      return join.copy(
          join.getTraitSet(),
          RexUtil.composeConjunction(rex, condition),
          left,
          right,
          join.getJoinType(),
          join.isSemiJoinDone());
    }

    /**
     * Removes from the pending conjuncts those that read only fields in [from, to) and returns them
     * shifted to fields counted from {@code from}. Inputs are built before their join and the left
     * before the right, so each conjunct is taken by the lowest node that has its fields (one that
     * reads none: by the first input).
     */
    private List<RexNode> take(int from, int to) {
      ImmutableBitSet range = ImmutableBitSet.range(from, to);
      List<RexNode> taken = new ArrayList<>();
      pending.removeIf(
          c -> {
            if (range.contains(c.reads())) {
              taken.add(RexUtil.shift(c.conjunct(), -from));
              return true;
            }
            return false;
          });
      return taken;
    }

    /** The members in [from, to) of each equal set with some there, by set, in field order. */
    private Map<Integer, TreeSet<Integer>> members(int from, int to) {
      Map<Integer, TreeSet<Integer>> sets = new TreeMap<>();
      for (int f = from; f < to; f++) {
        if (setSize[set[f]] > 1) {
          sets.computeIfAbsent(set[f], k -> new TreeSet<>()).add(f);
        }
      }
      return sets;
    }

    private static long pair(int a, int b) {
      return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    /** {@code a = b} in fields counted from {@code offset}: as written, if it was written. */
    private RexNode equal(int a, int b, int offset) {
      RexNode asWritten = written.get(pair(a, b));
      if (asWritten != null) {
        return RexUtil.shift(asWritten, -offset);
      }
      return rex.makeCall(
          SqlStdOperatorTable.EQUALS,
          new RexInputRef(a - offset, fieldTypes[a]),
          new RexInputRef(b - offset, fieldTypes[b]));
    }

    private boolean sameType(RelDataType a, RelDataType b) {
      return top.getCluster()
          .getTypeFactory()
          .createTypeWithNullability(a, true)
          .equals(top.getCluster().getTypeFactory().createTypeWithNullability(b, true));
    }
  }

  /** A conjunct still to place and the fields it reads. */
  private record Pending(RexNode conjunct, ImmutableBitSet reads) {}

  /** An inner join whose condition the pass may take apart. */
  private static boolean entered(LogicalJoin join) {
    return join.getJoinType() == JoinRelType.INNER
        && join.getVariablesSet().isEmpty()
        && !RexUtil.containsCorrelation(join.getCondition());
  }

  /** A conjunct that may be evaluated at another join: no correlation, no sub-query. */
  private static boolean movable(RexNode conjunct) {
    return !RexUtil.containsCorrelation(conjunct) && RexUtil.SubQueryFinder.find(conjunct) == null;
  }

  private static RexNode and(RelNode node, List<RexNode> conjuncts) {
    return RexUtil.composeConjunction(node.getCluster().getRexBuilder(), conjuncts);
  }
}
