package io.nql.planner.exec;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.List;
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
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
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
              int.class,
              long.class,
              int.class);
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
                Expressions.constant(fixed(offset)),
                Expressions.constant(param(offset)),
                Expressions.constant(fixed(fetch)),
                Expressions.constant(param(fetch)))));
    return implementor.result(child.physType, builder.toBlock());
  }

  /** A literal's value (saturated at {@code Long.MAX_VALUE}), or -1 when none or a parameter. */
  private static long fixed(@Nullable RexNode n) {
    if (n instanceof RexLiteral lit && lit.getValue() instanceof BigDecimal d) {
      return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0
          ? Long.MAX_VALUE
          : Math.max(0, d.longValue());
    }
    if (n == null || n instanceof RexDynamicParam) {
      return -1;
    }
    throw new IllegalStateException("LIMIT or OFFSET is neither a literal nor a parameter: " + n);
  }

  private static int param(@Nullable RexNode n) {
    return n instanceof RexDynamicParam p ? p.getIndex() : -1;
  }

  /**
   * Skips {@code offset} rows, then yields at most {@code fetch} rows without reading one more. A
   * part is its literal value, or the value of the {@code ?} parameter of that index; absent (-1,
   * -1) or a NULL parameter means no offset or no limit.
   */
  public static <T> Enumerable<T> apply(
      Enumerable<T> input,
      DataContext root,
      long offsetFixed,
      int offsetParam,
      long fetchFixed,
      int fetchParam) {
    long offset = Math.max(0, value(root, offsetFixed, offsetParam));
    long fetch = value(root, fetchFixed, fetchParam);
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

  private static long value(DataContext root, long fixed, int param) {
    if (param < 0) {
      return fixed;
    }
    Object v = root.get("?" + param);
    return v instanceof Number n ? Math.max(0, n.longValue()) : -1;
  }
}
