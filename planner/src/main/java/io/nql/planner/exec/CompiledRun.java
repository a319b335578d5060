package io.nql.planner.exec;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.runtime.Bindable;

/**
 * The row engine's compiled form of a kept plan, made once — with its inner equi-joins interpreted
 * and its aggregations of rule rows run on batches when it has any ({@link InterpretedJoins}), else
 * as one class: the generated class and the values it looks up in the context (the stashed scan
 * specs). Reused only when every stashed value is immutable (a scan spec); otherwise each statement
 * generates again (from the compiled-plan cache), one at a time since plan nodes are not meant for
 * concurrent code generation.
 */
final class CompiledRun {
  private Bindable<Object> bindable;
  private java.util.Map<String, Object> stash;

  /**
   * The plan with its joins interpreted and its aggregations run by the batch executor (see {@link
   * InterpretedJoins}), by whether joins are interpreted; empty when it has no such part; null when
   * not yet known.
   */
  private java.util.Optional<InterpretedJoins> interpreted;

  private java.util.Optional<InterpretedJoins> interpretedWithoutJoins;

  synchronized Bindable<Object> bindable(
      CompiledPlans compiledPlans,
      BatchExecution batches,
      EnumerableRel executable,
      StatementContext context) {
    boolean joins = InterpretedJoins.enabled(context);
    java.util.Optional<InterpretedJoins> parts = joins ? interpreted : interpretedWithoutJoins;
    if (parts == null) {
      parts =
          java.util.Optional.ofNullable(
              InterpretedJoins.of(executable, compiledPlans, batches, joins));
      if (joins) {
        interpreted = parts;
      } else {
        interpretedWithoutJoins = parts;
      }
    }
    if (parts.isPresent()) {
      return parts.get()::bind;
    }
    if (bindable != null) {
      context.values().putAll(stash);
      return bindable;
    }
    java.util.Map<String, Object> before = new java.util.HashMap<>(context.values());
    CompiledPlans.Compiled compiled = compiledPlans.toCompiled(context.values(), executable);
    Bindable<Object> made = compiled.bindable();
    java.util.Map<String, Object> added = new java.util.HashMap<>();
    boolean immutable = compiled.reusable();
    for (java.util.Map.Entry<String, Object> e : context.values().entrySet()) {
      if (!before.containsKey(e.getKey())) {
        added.put(e.getKey(), e.getValue());
        immutable &= e.getValue() instanceof io.nql.planner.iceberg.IcebergScanSpec;
      }
    }
    if (immutable) {
      bindable = made;
      stash = java.util.Map.copyOf(added);
    }
    return made;
  }
}
