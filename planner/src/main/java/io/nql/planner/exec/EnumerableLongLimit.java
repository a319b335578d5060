package io.nql.planner.exec;

import io.nql.planner.plan.RowCap;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * LIMIT and OFFSET on the row engine, counted in {@code long}. Calcite's Enumerable limit counts in
 * an {@code int} (a value above 2^31 - 1 fails to compile) and its {@code take} pulls one row past
 * the limit before it stops; clients write {@code LIMIT 9223372036854775807} to mean "no limit".
 * {@link #everyLimit} swaps Calcite's operator for this one in an optimized plan.
 */
public final class EnumerableLongLimit extends EnumerableLimit {
  private static final Method APPLY;

  static {
    try {
      APPLY =
          EnumerableLongLimit.class.getMethod(
              "apply",
              Enumerable.class,
              DataContext.class,
              long.class,
              String.class,
              long.class,
              String.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private EnumerableLongLimit(
      RelOptCluster cluster,
      RelTraitSet traits,
      RelNode input,
      @Nullable RexNode offset,
      @Nullable RexNode fetch) {
    super(cluster, traits, input, offset, fetch);
  }

  /** {@code plan} with every Enumerable limit counted in {@code long}. */
  static RelNode everyLimit(RelNode plan) {
    List<RelNode> inputs = plan.getInputs();
    boolean changed = false;
    RelNode[] replaced = new RelNode[inputs.size()];
    for (int i = 0; i < replaced.length; i++) {
      replaced[i] = everyLimit(inputs.get(i));
      changed |= replaced[i] != inputs.get(i);
    }
    RelNode node = changed ? plan.copy(plan.getTraitSet(), List.of(replaced)) : plan;
    if (node instanceof EnumerableLimit limit && !(node instanceof EnumerableLongLimit)) {
      return new EnumerableLongLimit(
          limit.getCluster(), limit.getTraitSet(), limit.getInput(), limit.offset, limit.fetch);
    }
    return node;
  }

  @Override
  public String getRelTypeName() {
    return "EnumerableLimit"; // plans read as before: the same operator, counted in long
  }

  @Override
  public EnumerableLongLimit copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableLongLimit(getCluster(), traitSet, sole(inputs), offset, fetch);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    BlockBuilder builder = new BlockBuilder();
    Expression input = builder.append("limited", child.block);
    builder.add(
        Expressions.return_(
            null,
            Expressions.call(
                APPLY,
                input,
                implementor.getRootExpression(),
                Expressions.constant(cap(offset).fixed()),
                Expressions.constant(params(cap(offset))),
                Expressions.constant(cap(fetch).fixed()),
                Expressions.constant(params(cap(fetch))))));
    return implementor.result(child.physType, builder.toBlock());
  }

  /** A LIMIT or OFFSET as literals and parameters (a planner rule may have summed them). */
  private static RowCap cap(@Nullable RexNode n) {
    if (n == null) {
      return RowCap.NONE;
    }
    RowCap cap = RowCap.of(n, null);
    if (cap == null) {
      throw new IllegalStateException("LIMIT or OFFSET is neither literals nor parameters: " + n);
    }
    return cap;
  }

  private static String params(RowCap cap) {
    return cap.params().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /**
   * Skips {@code offset} rows, then yields at most {@code fetch} rows without reading one more.
   * Each is a {@link RowCap} (a literal part, -1 for none, plus parameters); a NULL parameter means
   * no offset or no limit.
   */
  public static <T> Enumerable<T> apply(
      Enumerable<T> input,
      DataContext root,
      long offsetFixed,
      String offsetParams,
      long fetchFixed,
      String fetchParams) {
    long offset = Math.max(0, RowCap.parse(offsetFixed, offsetParams).sum(root));
    long fetch = RowCap.parse(fetchFixed, fetchParams).sum(root);
    return new AbstractEnumerable<T>() {
      @Override
      public Enumerator<T> enumerator() {
        Enumerator<T> in = input.enumerator();
        return new Enumerator<T>() {
          private long skipped;
          private long taken;

          @Override
          public T current() {
            return in.current();
          }

          @Override
          public boolean moveNext() {
            while (skipped < offset) {
              if (!in.moveNext()) {
                return false;
              }
              skipped++;
            }
            if (fetch >= 0 && taken >= fetch) {
              return false;
            }
            if (!in.moveNext()) {
              return false;
            }
            taken++;
            return true;
          }

          @Override
          public void reset() {
            in.reset();
            skipped = 0;
            taken = 0;
          }

          @Override
          public void close() {
            in.close();
          }
        };
      }
    };
  }
}
