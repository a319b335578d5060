package io.nql.planner.engine;

/**
 * Told what statements did, for the gateway's metrics ({@link NqlEngine#listen}). Called on the
 * statement's thread, so an implementation must be quick, thread-safe and must not throw (what it
 * throws is logged and dropped; the statement is not affected). Events carry no statement text, no
 * user and no rule: only what an operator may see of every company.
 */
public interface StatementListener {
  /** A listener that ignores everything. */
  StatementListener NONE = new StatementListener() {};

  /**
   * A statement ended, once per statement a session ran: a query when its result was read to the
   * end, closed, failed or cancelled; any other statement when it returned or failed.
   */
  default void finished(FinishedStatement statement) {}

  /**
   * A query's deliveries through access rules were settled in the ledger: a statement's own query,
   * or one inside another statement (a materialized view's run, {@code INSERT … SELECT}, {@code
   * EXPORT}). Only settlements that charged something or were cut by a budget are reported.
   */
  default void settled(Settlement settlement) {}
}
