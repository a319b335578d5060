package io.nql.flight;

import io.nql.planner.engine.Charge;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A statement executed for one caller and waiting for (or being read by) its DoGet: its own
 * session, the result of its first parameter row, and the parameter rows still to run. Results of
 * several parameter rows are read one after the other, as one stream.
 */
final class Execution implements AutoCloseable {
  final Handles.Handle handle;
  private final NqlSession session;
  private final String sql;
  private final Iterator<List<Object>> moreRows;
  private final long createdAt;
  private final List<StatementWarning> earlierWarnings = new ArrayList<>();
  private long earlierRows;
  private long earlierMicros;
  private boolean earlierCut;
  private StatementResult current;
  private boolean streaming;
  private boolean closed;
  private volatile boolean cancelled;
  private final StatementTimeouts.Deadline deadline;

  Execution(
      Handles.Handle handle,
      NqlSession session,
      String sql,
      StatementResult first,
      Iterator<List<Object>> moreRows,
      long createdAt,
      StatementTimeouts.Deadline deadline) {
    this.handle = handle;
    this.session = session;
    this.sql = sql;
    this.current = first;
    this.moreRows = moreRows;
    this.createdAt = createdAt;
    this.deadline = deadline;
    deadline.onExpiry(this::cancel);
  }

  /** The statement's clock: its error is the timeout's when the clock ran out. */
  StatementTimeouts.Deadline deadline() {
    return deadline;
  }

  /** The result being read. */
  synchronized StatementResult current() {
    return current;
  }

  /** Moves to the result of the next parameter row; false when there is none (or cancelled). */
  synchronized boolean advance() {
    if (cancelled || closed || !moreRows.hasNext()) {
      return false;
    }
    settle(current);
    current = session.execute(sql, moreRows.next());
    return true;
  }

  private void settle(StatementResult r) {
    r.close();
    earlierWarnings.addAll(r.warnings());
    Charge c = r.charge();
    earlierRows += c.rows();
    earlierMicros += c.micros();
    earlierCut |= c.budgetCut();
  }

  /** What every result read so far has charged. */
  synchronized Charge charge() {
    Charge c = current.charge();
    return new Charge(
        earlierRows + c.rows(), earlierMicros + c.micros(), earlierCut || c.budgetCut());
  }

  /** Warnings of every result read so far. */
  synchronized List<StatementWarning> warnings() {
    List<StatementWarning> out = new ArrayList<>(earlierWarnings);
    out.addAll(current.warnings());
    return out;
  }

  /** Marks the execution as being streamed; false when a DoGet already took it. */
  synchronized boolean claim() {
    if (streaming || closed) {
      return false;
    }
    streaming = true;
    return true;
  }

  synchronized boolean expired(long now, long ttlMillis) {
    return !streaming && now - createdAt > ttlMillis;
  }

  /** Stops the running statement: its next fetch fails with 57014. Any thread. */
  void cancel() {
    cancelled = true;
    session.cancel();
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    deadline.end();
    try {
      current.close();
    } finally {
      session.close();
    }
  }
}
