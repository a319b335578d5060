package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.policy.Deliveries;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One statement's reports to the engine's {@link StatementListener}: its settlements, and its end
 * exactly once, timed from when the session received it.
 */
final class StatementReport {
  private static final Logger LOG = LoggerFactory.getLogger(StatementReport.class);

  private final StatementListener listener;
  private final FrontEnd frontEnd;
  private final long startNanos;
  private final AtomicBoolean ended;

  private StatementReport(
      StatementListener listener, FrontEnd frontEnd, long startNanos, AtomicBoolean ended) {
    this.listener = listener;
    this.frontEnd = frontEnd;
    this.startNanos = startNanos;
    this.ended = ended;
  }

  /** The report of a statement starting now. */
  static StatementReport start(StatementListener listener, FrontEnd frontEnd) {
    return new StatementReport(listener, frontEnd, System.nanoTime(), new AtomicBoolean());
  }

  /**
   * The report of a query inside this statement (a view's run, {@code INSERT … SELECT}): its
   * settlements are reported, its end is not (the statement reports its own).
   */
  StatementReport part() {
    return new StatementReport(listener, frontEnd, startNanos, new AtomicBoolean(true));
  }

  /** Nanoseconds since the statement started. */
  long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /** Reports what settling a query's deliveries charged, when it charged or cut anything. */
  void settled(Deliveries deliveries, long buyerCompanyId) {
    Settlement s = Settlement.of(deliveries, buyerCompanyId);
    if (s.matters()) {
      tell(() -> listener.settled(s));
    }
  }

  /**
   * Reports a statement that succeeded without reading rows through a result of its own.
   *
   * @param rows the rows of its fixed answer (SHOW, DESCRIBE, …), handed out in full
   */
  void ok(boolean query, long rows) {
    ended(FinishedStatement.Outcome.OK, null, query, -1, -1, rows);
  }

  /** Reports a statement that failed before it returned a result. */
  void failed(NqlException e) {
    ended(outcome(e), e.sqlState(), false, -1, -1, 0);
  }

  /** The outcome a statement's error stands for. */
  static FinishedStatement.Outcome outcome(NqlException e) {
    return e == null
        ? FinishedStatement.Outcome.OK
        : e.code() == ErrorCode.QUERY_CANCELED
            ? FinishedStatement.Outcome.CANCELLED
            : FinishedStatement.Outcome.ERROR;
  }

  /** Reports the statement's end, unless it was reported already. */
  void ended(
      FinishedStatement.Outcome outcome,
      String sqlState,
      boolean query,
      long planningNanos,
      long firstRowNanos,
      long rows) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    FinishedStatement f =
        new FinishedStatement(
            frontEnd, outcome, sqlState, query, planningNanos, firstRowNanos, elapsedNanos(), rows);
    tell(() -> listener.finished(f));
  }

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("The statement listener failed", e);
    }
  }
}
