package io.nql.planner.engine;

/**
 * How one statement ended, for metrics.
 *
 * @param frontEnd where the statement came from
 * @param outcome how it ended
 * @param sqlState the SQLSTATE of its error; null when it succeeded
 * @param query whether it produced rows (a query, SHOW, EXPLAIN) rather than an update count
 * @param planningNanos time spent planning (or looking up a kept plan); -1 when not measured (not a
 *     query, or it failed before planning)
 * @param firstRowNanos time from its start to its first row; -1 when it produced none
 * @param totalNanos time from its start (the session received it) to its end; for a query the end
 *     is when its client has read the last row or closed the result
 * @param rows rows handed to the client
 */
public record FinishedStatement(
    FrontEnd frontEnd,
    Outcome outcome,
    String sqlState,
    boolean query,
    long planningNanos,
    long firstRowNanos,
    long totalNanos,
    long rows) {

  /** How a statement ended. */
  public enum Outcome {
    OK,
    ERROR,
    CANCELLED
  }

  /** Time after planning: from its start to its end, less the planning. */
  public long executionNanos() {
    return totalNanos - Math.max(0, planningNanos);
  }
}
