package io.nql.planner.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.util.BuiltInMethod;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs the inner equi-joins of a row-engine plan, and projections of their fields, without
 * generating code for them; every other part of the plan (scans, rule barriers and meters, filters,
 * aggregates, sorts) is compiled as before, part by part. A join of many small tables is then
 * compiled as one small class per table — which recurs from statement to statement, so the
 * compiled-plan cache serves it — instead of one class per statement whose compilation (Janino)
 * costs more than running it.
 *
 * <p>The interpreted join is Calcite's own hash join, operation for operation ({@code
 * EnumerableDefaults.hashEquiJoin_} for an inner join without non-equi conditions): when its
 * enumerator is made it reads the whole right input into a lookup of key → rows in arrival order;
 * it then streams the left input and, for each left row, emits the matching right rows in that
 * order, concatenated. A key is the field's value, or the list of values for several fields,
 * compared with {@code equals}; a row with a null key matches nothing (every condition is {@code
 * =}, never {@code IS NOT DISTINCT FROM}). So it reads its inputs — and the rule meters below them
 * charge for rows — exactly when and as often as the compiled join does, and emits the same rows in
 * the same order.
 *
 * <p>Rows flow in Calcite's physical format for {@code Prefer.ARRAY}: {@code Object[]}, or the bare
 * value for a one-field row. A compiled part above an interpreted one reads it through {@link
 * ProvidedInput}, a leaf that takes the interpreted rows from the {@code DataContext}; each
 * compiled part stashes its values (scan specs) in a map of its own, so its source does not depend
 * on the rest of the plan.
 */
final class InterpretedJoins {
  /** Context key under which {@code Boolean.FALSE} turns interpretation off for a statement. */
  static final String CONTEXT_KEY = QueryExecutor.INTERPRETED_JOINS;

  private static final String INPUT = "nql_interpreted_";

  private final Part root;

  private InterpretedJoins(Part root) {
    this.root = root;
  }

  /** Whether the statement's context allows interpreting its joins (the default). */
  static boolean enabled(DataContext context) {
    return !Boolean.FALSE.equals(context.get(CONTEXT_KEY));
  }

  /**
   * The plan with its inner equi-joins interpreted (when {@code joins}) and the aggregations the
   * batch executor runs handed to it, or null when it has neither (it then compiles as one class).
   */
  static @Nullable InterpretedJoins of(
      EnumerableRel plan, CompiledPlans compiledPlans, BatchExecution batches, boolean joins) {
    Builder builder = new Builder(compiledPlans, batches, joins);
    Part root = builder.part(plan);
    return builder.parts == 0 ? null : new InterpretedJoins(root);
  }

  /** The rows of one execution: binding compiles the compiled parts not compiled yet. */
  Enumerable<Object> bind(DataContext context) {
    return root.bind(context);
  }

  /** A part of the plan: its rows for one execution. */
  private interface Part {
    Enumerable<Object> bind(DataContext context);
  }

  private static final class Builder {
    private final CompiledPlans compiledPlans;
    private final BatchExecution batches;
    private final boolean joins;
    private int parts;

    Builder(CompiledPlans compiledPlans, BatchExecution batches, boolean joins) {
      this.compiledPlans = compiledPlans;
      this.batches = batches;
      this.joins = joins;
    }

    Part part(RelNode rel) {
      Part special = special(rel);
      if (special != null) {
        return special;
      }
      List<Part> inputs = new ArrayList<>();
      RelNode compiled = withProvidedInputs(rel, inputs);
      return new CompiledPart(compiledPlans, (EnumerableRel) compiled, inputs);
    }

    /**
     * The part of a node that is not compiled with the nodes around it — an interpreted join, or a
     * part the batch executor runs — or null.
     */
    private @Nullable Part special(RelNode rel) {
      if (rel instanceof EnumerableCancelCheck check) {
        Part inner = special(check.getInput());
        return inner == null ? null : context -> CancelChecks.checked(inner.bind(context), context);
      }
      if (joins && interpretable(rel)) {
        return interpreted(rel);
      }
      if (rel instanceof Aggregate) {
        BatchExecution.Subplan subplan = batches.subplan(EnumerableCancelCheck.without(rel));
        if (subplan != null) {
          parts++;
          return new SubplanPart(
              subplan, new CompiledPart(compiledPlans, (EnumerableRel) rel, List.of()));
        }
      }
      return null;
    }

    private Part interpreted(RelNode rel) {
      if (rel instanceof EnumerableHashJoin join) {
        parts++;
        JoinInfo info = join.analyzeCondition();
        return new HashJoinPart(
            part(join.getLeft()),
            part(join.getRight()),
            info.leftKeys.toIntArray(),
            info.rightKeys.toIntArray(),
            join.getLeft().getRowType().getFieldCount(),
            join.getRight().getRowType().getFieldCount());
      }
      EnumerableCalc calc = (EnumerableCalc) rel;
      return new ProjectPart(
          part(calc.getInput()),
          projected(calc.getProgram()),
          calc.getInput().getRowType().getFieldCount());
    }

    /**
     * {@code rel} with each interpretable descendant replaced by a {@link ProvidedInput}, whose
     * part is added to {@code inputs}.
     */
    private RelNode withProvidedInputs(RelNode rel, List<Part> inputs) {
      List<RelNode> children = new ArrayList<>();
      boolean changed = false;
      for (RelNode child : rel.getInputs()) {
        RelNode replaced;
        Part special = special(child);
        if (special != null) {
          replaced =
              new ProvidedInput(
                  child.getCluster(),
                  child.getTraitSet(),
                  child.getRowType(),
                  INPUT + inputs.size());
          inputs.add(special);
        } else {
          replaced = withProvidedInputs(child, inputs);
        }
        changed |= replaced != child;
        children.add(replaced);
      }
      return changed ? rel.copy(rel.getTraitSet(), children) : rel;
    }
  }

  /**
   * Whether a node is interpreted: an inner hash join whose condition is only {@code =} of fields,
   * or a projection of fields (no condition, no expression) above one; all inputs of a simple row
   * type (no collection, map or structured field, so a one-field row's bare value is never mistaken
   * for a row).
   */
  static boolean interpretable(RelNode rel) {
    if (rel instanceof EnumerableHashJoin join) {
      if (join.getJoinType() != JoinRelType.INNER) {
        return false;
      }
      JoinInfo info = join.analyzeCondition();
      return !info.leftKeys.isEmpty()
          && info.nonEquiConditions.isEmpty()
          && !info.nullExclusionFlags.contains(false)
          && simple(join.getLeft().getRowType())
          && simple(join.getRight().getRowType());
    }
    if (rel instanceof EnumerableCalc calc) {
      RelNode input =
          calc.getInput() instanceof EnumerableCancelCheck check
              ? check.getInput()
              : calc.getInput();
      return calc.getRowType().getFieldCount() > 0
          && projected(calc.getProgram()) != null
          && interpretable(input);
    }
    return false;
  }

  private static boolean simple(RelDataType rowType) {
    if (rowType.getFieldCount() == 0) {
      return false;
    }
    for (RelDataTypeField f : rowType.getFieldList()) {
      RelDataType t = f.getType();
      if (t.isStruct() || t.getComponentType() != null || t.getKeyType() != null) {
        return false;
      }
    }
    return true;
  }

  /** The input fields a program projects, or null when it filters or computes anything. */
  private static int @Nullable [] projected(RexProgram program) {
    if (program.getCondition() != null) {
      return null;
    }
    List<RexLocalRef> projects = program.getProjectList();
    int[] fields = new int[projects.size()];
    for (int i = 0; i < fields.length; i++) {
      RexNode e = program.expandLocalRef(projects.get(i));
      if (!(e instanceof RexInputRef ref)) {
        return null;
      }
      fields[i] = ref.getIndex();
    }
    return fields;
  }

  /** Field {@code i} of a row of {@code count} fields in Calcite's {@code Prefer.ARRAY} format. */
  private static Object field(Object row, int i, int count) {
    if (row instanceof Object[] array) {
      return array[i];
    }
    if (row instanceof List<?> list) {
      return list.get(i);
    }
    if (count != 1) {
      throw new IllegalStateException("a row of " + count + " fields is a " + row.getClass());
    }
    return row;
  }

  /** A row of the given fields in Calcite's {@code Prefer.ARRAY} format. */
  private static Object row(Object[] fields) {
    return fields.length == 1 ? fields[0] : fields;
  }

  private record ProjectPart(Part input, int[] fields, int inputCount) implements Part {
    @Override
    public Enumerable<Object> bind(DataContext context) {
      Enumerable<Object> rows = input.bind(context);
      return rows.select(
          r -> {
            Object[] out = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
              out[i] = field(r, fields[i], inputCount);
            }
            return row(out);
          });
    }
  }

  private record HashJoinPart(
      Part left, Part right, int[] leftKeys, int[] rightKeys, int leftCount, int rightCount)
      implements Part {
    @Override
    public Enumerable<Object> bind(DataContext context) {
      Enumerable<Object> outer = left.bind(context);
      Enumerable<Object> inner = right.bind(context);
      return new AbstractEnumerable<>() {
        @Override
        public Enumerator<Object> enumerator() {
          // As Calcite's hash join: the right input is read when the enumerator is made.
          Map<Object, List<Object>> lookup = new HashMap<>();
          try (Enumerator<Object> rows = inner.enumerator()) {
            while (rows.moveNext()) {
              Object r = rows.current();
              Object key = key(r, rightKeys, rightCount);
              if (key != null) {
                lookup.computeIfAbsent(key, k -> new ArrayList<>(2)).add(r);
              }
            }
          }
          return new Joined(outer.enumerator(), lookup);
        }
      };
    }

    private static @Nullable Object key(Object row, int[] keys, int count) {
      if (keys.length == 1) {
        return field(row, keys[0], count);
      }
      Object[] values = new Object[keys.length];
      for (int i = 0; i < keys.length; i++) {
        Object v = field(row, keys[i], count);
        if (v == null) {
          return null;
        }
        values[i] = v;
      }
      return Arrays.asList(values);
    }

    private final class Joined implements Enumerator<Object> {
      private final Enumerator<Object> outers;
      private final Map<Object, List<Object>> lookup;
      private @Nullable List<Object> matches;
      private int next;
      private @Nullable Object current;

      Joined(Enumerator<Object> outers, Map<Object, List<Object>> lookup) {
        this.outers = outers;
        this.lookup = lookup;
      }

      @Override
      public Object current() {
        return current;
      }

      @Override
      public boolean moveNext() {
        for (; ; ) {
          if (matches != null && next < matches.size()) {
            current = joined(outers.current(), matches.get(next++));
            return true;
          }
          if (!outers.moveNext()) {
            matches = null;
            return false;
          }
          Object key = key(outers.current(), leftKeys, leftCount);
          matches = key == null ? null : lookup.get(key);
          next = 0;
        }
      }

      private Object joined(Object l, Object r) {
        Object[] out = new Object[leftCount + rightCount];
        for (int i = 0; i < leftCount; i++) {
          out[i] = field(l, i, leftCount);
        }
        for (int i = 0; i < rightCount; i++) {
          out[leftCount + i] = field(r, i, rightCount);
        }
        return out;
      }

      @Override
      public void reset() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {
        outers.close();
      }
    }
  }

  /** A part the batch executor runs, or, when a statement must not, the same part compiled. */
  private record SubplanPart(BatchExecution.Subplan subplan, Part compiled) implements Part {
    @Override
    public Enumerable<Object> bind(DataContext context) {
      Enumerable<Object> rows = subplan.run(context);
      return rows != null ? rows : compiled.bind(context);
    }
  }

  /**
   * A compiled part of the plan, compiled at its first execution and kept when it may serve later
   * ones (as {@link CompiledRun}), with the interpreted parts it reads.
   */
  private static final class CompiledPart implements Part {
    private final CompiledPlans compiledPlans;
    private final EnumerableRel rel;
    private final List<Part> inputs;
    private org.apache.calcite.runtime.@Nullable Bindable<Object> kept;
    private @Nullable Map<String, Object> keptStash;

    CompiledPart(CompiledPlans compiledPlans, EnumerableRel rel, List<Part> inputs) {
      this.compiledPlans = compiledPlans;
      this.rel = rel;
      this.inputs = inputs;
    }

    @Override
    public Enumerable<Object> bind(DataContext context) {
      Map<String, Object> values = new HashMap<>();
      org.apache.calcite.runtime.Bindable<Object> bindable = compiled(values);
      for (int i = 0; i < inputs.size(); i++) {
        values.put(INPUT + i, inputs.get(i).bind(context));
      }
      return bindable.bind(new Overlay(context, values));
    }

    /** The compiled class; its stashed values are added to {@code values}. */
    private synchronized org.apache.calcite.runtime.Bindable<Object> compiled(
        Map<String, Object> values) {
      if (kept != null) {
        values.putAll(keptStash);
        return kept;
      }
      // Another statement may have compiled a part of the same digest: its class and scan specs
      // serve this one (see CompiledPlans.digest), without generating the code again.
      String digest = CompiledPlans.digest(rel);
      CompiledPlans.Part shared = compiledPlans.part(digest);
      if (shared != null) {
        kept = shared.bindable();
        keptStash = shared.stash();
        values.putAll(keptStash);
        return kept;
      }
      Map<String, Object> stash = new HashMap<>();
      CompiledPlans.Compiled compiled = compiledPlans.toCompiled(stash, rel);
      boolean immutable = compiled.reusable();
      for (Object v : stash.values()) {
        immutable &= v instanceof io.nql.planner.iceberg.IcebergScanSpec;
      }
      if (immutable) {
        kept = compiled.bindable();
        keptStash = Map.copyOf(stash);
        compiledPlans.keepPart(digest, new CompiledPlans.Part(kept, keptStash));
      }
      values.putAll(stash);
      return compiled.bindable();
    }
  }

  /** The statement's context with a compiled part's own values (stash, interpreted inputs). */
  private record Overlay(DataContext context, Map<String, Object> values) implements DataContext {
    @Override
    public SchemaPlus getRootSchema() {
      return context.getRootSchema();
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
      return context.getTypeFactory();
    }

    @Override
    public @Nullable QueryProvider getQueryProvider() {
      return context.getQueryProvider();
    }

    @Override
    public @Nullable Object get(String name) {
      Object v = values.get(name);
      return v != null ? v : context.get(name);
    }
  }

  /**
   * A leaf that reads the rows of an interpreted part from the {@code DataContext}, in the format
   * of its row type for {@code Prefer.ARRAY}.
   */
  static final class ProvidedInput extends AbstractRelNode implements EnumerableRel {
    private final String name;

    ProvidedInput(RelOptCluster cluster, RelTraitSet traits, RelDataType rowType, String name) {
      super(cluster, traits);
      this.rowType = rowType;
      this.name = name;
    }

    @Override
    protected RelDataType deriveRowType() {
      return rowType;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return new ProvidedInput(getCluster(), traitSet, getRowType(), name);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
      return super.explainTerms(pw).item("name", name);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      PhysType physType =
          PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, true);
      return implementor.result(
          physType,
          Blocks.toBlock(
              Expressions.convert_(
                  Expressions.call(
                      implementor.getRootExpression(),
                      BuiltInMethod.DATA_CONTEXT_GET.method,
                      Expressions.constant(name)),
                  Enumerable.class)));
    }
  }
}
