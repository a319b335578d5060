package io.nql.planner.vector;

import io.nql.planner.exec.BatchExecution;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.DataContext;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The switch of the vector path. Per statement, the executor's context value {@link #CONTEXT_KEY}
 * (a Boolean, set from the session property {@code vector_execution}) decides; its default is the
 * engine-wide setting: the system property {@code nql.vector_execution} or else the environment
 * variable {@code NQL_VECTOR_EXECUTION} ({@code true}/{@code false}, default true), an operator's
 * kill switch.
 */
public final class VectorExecution {
  /** Context value: Boolean.FALSE runs the statement on the row engine. */
  public static final String CONTEXT_KEY = "nql.vectorExecution";

  /**
   * The vector path as a {@link BatchExecution}: runs a plan when the statement's switch is on,
   * {@link VectorPlan#of} accepts the plan and {@link VectorPlan#bind} its parameter values;
   * declines otherwise (the row engine runs it).
   */
  public static final BatchExecution EXECUTION =
      new BatchExecution() {
        @Override
        public BatchExecution.@Nullable Cursor open(
            RelNode plan, DataContext context, List<RelDataType> resultTypes) {
          if (!enabled(context.get(CONTEXT_KEY))) {
            return null;
          }
          VectorPlan vector = VectorPlan.of(plan);
          return vector == null ? null : open(vector, context, resultTypes);
        }

        /** The vector form is compiled once; each statement's switch is still read at open. */
        @Override
        public BatchExecution.@Nullable Prepared prepare(RelNode plan) {
          VectorPlan vector = VectorPlan.of(plan);
          if (vector == null) {
            return null;
          }
          return (context, resultTypes) ->
              enabled(context.get(CONTEXT_KEY)) ? open(vector, context, resultTypes) : null;
        }

        /** An aggregation of a vector plan's rows (see {@link VectorAggregate}). */
        @Override
        public BatchExecution.@Nullable Subplan subplan(RelNode rel) {
          return VectorAggregate.of(rel);
        }

        /** Binds the statement's parameter values and opens; null when they must run by row. */
        private BatchExecution.@Nullable Cursor open(
            VectorPlan vector, DataContext context, List<RelDataType> resultTypes) {
          VectorPlan bound = vector.bind(context);
          return bound == null ? null : bound.open(context, resultTypes);
        }
      };

  private VectorExecution() {}

  /**
   * Context value: an Integer, the threads that read the rest of a long scan ({@link ReadAhead}); 1
   * reads on the statement's thread only.
   */
  public static final String SCAN_THREADS_KEY = "nql.scanThreads";

  /**
   * Threads per long scan: the statement's context value {@link #SCAN_THREADS_KEY}, else the
   * engine-wide setting — the system property {@code nql.scan_threads} or the environment variable
   * {@code NQL_SCAN_THREADS} — else the machine's cores.
   */
  public static int scanThreads(DataContext context) {
    if (context.get(SCAN_THREADS_KEY) instanceof Integer n) {
      return Math.max(1, n);
    }
    return DEFAULT_SCAN_THREADS;
  }

  private static final int DEFAULT_SCAN_THREADS = defaultScanThreads();

  private static int defaultScanThreads() {
    String v = System.getProperty("nql.scan_threads");
    if (v == null) {
      v = System.getenv("NQL_SCAN_THREADS");
    }
    if (v != null) {
      try {
        return Math.max(1, Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        // fall through to the machine's cores
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The engine-wide default. */
  public static boolean enabledByDefault() {
    String v = System.getProperty("nql.vector_execution");
    if (v == null) {
      v = System.getenv("NQL_VECTOR_EXECUTION");
    }
    return v == null || !v.trim().toLowerCase(Locale.ROOT).equals("false");
  }

  /** Whether a statement with these context values may run on the vector path. */
  public static boolean enabled(Object contextValue) {
    return contextValue instanceof Boolean b ? b : enabledByDefault();
  }
}
