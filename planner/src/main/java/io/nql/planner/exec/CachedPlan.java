package io.nql.planner.exec;

import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A plan ready to run again: what the statement returns, its parameters' types, the vector form
 * when the vector path runs it, and the row engine's plan (compiled once, on first use).
 *
 * @param tables the dataset tables it reads, at the snapshots it was planned with
 * @param dataVersion the catalog data version it is known to be valid at
 * @param validatedNanos when it was last found valid ({@link System#nanoTime})
 * @param cacheable whether it may be kept (it reads only datasets, and no dynamic function)
 */
record CachedPlan(
    List<ResultColumn> columns,
    List<RelDataType> types,
    List<RelDataType> parameterTypes,
    LargeLimits largeLimits,
    JavaTypeFactory typeFactory,
    BatchExecution.@org.checkerframework.checker.nullness.qual.Nullable Prepared batch,
    EnumerableRel executable,
    List<PlanCache.ReadTable> tables,
    long dataVersion,
    long validatedNanos,
    boolean cacheable,
    CompiledRun compiled) {
  /** This plan, found valid now at data version {@code version}. */
  CachedPlan atDataVersion(long version) {
    return new CachedPlan(
        columns,
        types,
        parameterTypes,
        largeLimits,
        typeFactory,
        batch,
        executable,
        tables,
        version,
        System.nanoTime(),
        cacheable,
        compiled);
  }
}
