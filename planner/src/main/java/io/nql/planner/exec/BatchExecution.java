package io.nql.planner.exec;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An executor of optimized plans other than the row engine's generated code: the engine plugs in
 * the vector path ({@code io.nql.planner.vector.VectorExecution#EXECUTION}); the {@link
 * QueryExecutor} offers it each plan first and runs the plan itself when it declines.
 */
@FunctionalInterface
public interface BatchExecution {
  /** Declines every plan: the row engine runs everything. */
  BatchExecution NONE = (plan, context, resultTypes) -> null;

  /**
   * Starts a statement's plan, or declines it.
   *
   * @param plan the optimized plan (enumerable convention)
   * @param context the statement's context (parameters, deliveries, metrics, switches)
   * @param resultTypes the result's column types
   * @return a cursor over the result, or null when this executor does not run this plan
   */
  @Nullable Cursor open(RelNode plan, DataContext context, List<RelDataType> resultTypes);

  /**
   * Prepares a plan once for many statements (a kept plan): what {@link #open} decides from the
   * plan alone is decided here.
   *
   * @return the plan prepared, or null when this executor never runs it
   */
  default @Nullable Prepared prepare(RelNode plan) {
    return (context, resultTypes) -> open(plan, context, resultTypes);
  }

  /**
   * A part of a plan the row engine runs that this executor runs instead, its rows handed to the
   * compiled parts above it (see {@code InterpretedJoins}): e.g. an aggregation of a rule's rows.
   *
   * @param rel an operator of an optimized plan, without the engine's cancel checks
   * @return the part prepared, or null when this executor does not run it
   */
  default @Nullable Subplan subplan(RelNode rel) {
    return null;
  }

  /** A part of a plan prepared by {@link #subplan}: run once per statement, from any thread. */
  @FunctionalInterface
  interface Subplan {
    /**
     * Runs the part for a statement, as the compiled operator would when it is bound: reading its
     * inputs (and charging for rule rows) now.
     *
     * @return its rows in Calcite's physical format for {@code Prefer.ARRAY} (an {@code Object[]}
     *     of internal values, or the bare value of a one-column row); or null when this statement
     *     must run the part compiled (e.g. its session turned the batch executor off)
     */
    @Nullable Enumerable<Object> run(DataContext context);
  }

  /** A plan prepared by {@link #prepare}: opened once per statement, from any thread. */
  @FunctionalInterface
  interface Prepared {
    /**
     * Starts a statement's run of the prepared plan.
     *
     * @return a cursor over the result, or null when this statement must run on the row engine
     *     (e.g. its session turned the batch executor off)
     */
    @Nullable Cursor open(DataContext context, List<RelDataType> resultTypes);
  }

  /**
   * The result of a plan run by a batch executor, read either row by row or as Arrow batches (the
   * first call decides which).
   */
  interface Cursor extends AutoCloseable {
    /** Advances to the next row; false at the end. */
    boolean next();

    /** The current row (external Java values as {@link QueryResult#next()}), or null. */
    Object @Nullable [] row();

    /** Whether rows were read one at a time (then {@link #load} is not available). */
    boolean startedRows();

    /**
     * Loads the next batch of at most {@code batchRows} rows into {@code root}, whose vectors have
     * the result's types ({@link ArrowBatchReader#schema}).
     *
     * @return the rows loaded; 0 at the end
     */
    int load(VectorSchemaRoot root, BufferAllocator rootAllocator, int batchRows);

    @Override
    void close();
  }
}
