package io.nql.planner.exec;

import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.runtime.Bindable;

/**
 * The row engine's compiled form of a kept plan, made once — with its inner equi-joins interpreted
 * when it has any ({@link InterpretedJoins}), else as one class: the generated class and the values
 * it looks up in the context (the stashed scan specs). Reused only when every stashed value is
 * immutable (a scan spec); otherwise each statement generates again (from the compiled-plan cache),
 * one at a time since plan nodes are not meant for concurrent code generation.
 */
final class CompiledRun {
  private Bindable<Object> bindable;
  private java.util.Map<String, Object> stash;

  /**
   * The plan with its joins interpreted (see {@link InterpretedJoins}); null when not yet known.
   */
  private java.util.Optional<InterpretedJoins> interpreted;

  synchronized Bindable<Object> bindable(
      CompiledPlans compiledPlans, EnumerableRel executable, StatementContext context) {
    if (InterpretedJoins.enabled(context)) {
      if (interpreted == null) {
        interpreted = java.util.Optional.ofNullable(InterpretedJoins.of(executable, compiledPlans));
      }
      if (interpreted.isPresent()) {
        return interpreted.get()::bind;
      }
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
