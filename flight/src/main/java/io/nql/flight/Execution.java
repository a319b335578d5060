package io.nql.flight;

import io.nql.planner.engine.Charge;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement of one caller waiting for (or being read by) its DoGet: its own session, the
 * parameter rows to run and, once executed, the result being read. A query is only described when
 * its FlightInfo is asked for and executes on its DoGet ({@link #start()}), so CancelFlightInfo can
 * name it while it computes; a statement that returns an update count was executed already. Results
 * of several parameter rows are read one after the other, as one stream.
 */
final class Execution implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Execution.class);

  /** How long after a cancel to repeat it while the statement is only starting to execute. */
  private static final long RECANCEL_MILLIS = 100;

  final Handles.Handle handle;
  private final NqlSession session;
  private final String sql;
  private final Iterator<List<Object>> moreRows;
  private final Schema schema;
  private final ScheduledExecutorService timers;
  private volatile boolean executing;
  private final long createdAt;
  private final List<StatementWarning> earlierWarnings = new ArrayList<>();
  private long earlierRows;
  private long earlierMicros;
  private boolean earlierCut;
  private StatementResult current;
  private volatile boolean streaming;
  private boolean closed;
  private volatile boolean cancelled;
  private final StatementTimeouts.Deadline deadline;

  private Execution(
      Handles.Handle handle,
      NqlSession session,
      String sql,
      StatementResult first,
      Schema schema,
      Iterator<List<Object>> rows,
      long createdAt,
      StatementTimeouts.Deadline deadline,
      ScheduledExecutorService timers) {
    this.handle = handle;
    this.session = session;
    this.sql = sql;
    this.current = first;
    this.schema = schema;
    this.moreRows = rows;
    this.createdAt = createdAt;
    this.deadline = deadline;
    this.timers = timers;
    deadline.onExpiry(this::cancel);
  }

  /** A statement executed already (its first parameter row): {@code first} is read on DoGet. */
  static Execution executed(
      Handles.Handle handle,
      NqlSession session,
      String sql,
      StatementResult first,
      Iterator<List<Object>> moreRows,
      long createdAt,
      StatementTimeouts.Deadline deadline,
      ScheduledExecutorService timers) {
    return new Execution(
        handle,
        session,
        sql,
        first,
        ArrowSchemas.of(first.columns()),
        moreRows,
        createdAt,
        deadline,
        timers);
  }

  /**
   * A query described as {@code columns}, to execute for each of {@code rows} (at least one) on its
   * DoGet.
   */
  static Execution deferred(
      Handles.Handle handle,
      NqlSession session,
      String sql,
      List<ResultColumn> columns,
      Iterator<List<Object>> rows,
      long createdAt,
      StatementTimeouts.Deadline deadline,
      ScheduledExecutorService timers) {
    return new Execution(
        handle, session, sql, null, ArrowSchemas.of(columns), rows, createdAt, deadline, timers);
  }

  /** The result schema announced in the FlightInfo. */
  Schema schema() {
    return schema;
  }

  /**
   * Executes the first parameter row of a deferred query (nothing when executed already). Runs on
   * the DoGet's thread and computes until the result's first row; a cancel before or during it
   * makes it fail with 57014.
   */
  void start() {
    List<Object> first;
    synchronized (this) {
      if (current != null) {
        return;
      }
      if (cancelled || closed) {
        throw cancelledError();
      }
      first = moreRows.next();
      executing = true;
    }
    StatementResult r;
    try {
      r = session.execute(sql, first);
    } finally {
      executing = false;
    }
    synchronized (this) {
      if (cancelled || closed) {
        r.close();
        throw cancelledError();
      }
      current = checked(r);
    }
  }

  private static NqlException cancelledError() {
    return new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled");
  }

  /** The result if its columns are the announced ones; else it is closed and a clean failure. */
  private StatementResult checked(StatementResult r) {
    Schema actual;
    try {
      actual = ArrowSchemas.of(r.columns());
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    if (!actual.equals(schema)) {
      r.close();
      LOG.error(
          "event=flight_schema_mismatch statement={} announced={} executed={}",
          handle.id(),
          schema,
          actual);
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR,
          "Internal error: the statement's result columns differ from those it was described with;"
              + " see the gateway log");
    }
    return r;
  }

  /** The statement's clock: its error is the timeout's when the clock ran out. */
  StatementTimeouts.Deadline deadline() {
    return deadline;
  }

  /** The result being read. */
  synchronized StatementResult current() {
    return current;
  }

  /**
   * Moves to the result of the next parameter row; false when there is none. A cancelled execution
   * fails with 57014 rather than end early: its stream must not look complete.
   */
  synchronized boolean advance() {
    if (cancelled || closed) {
      throw cancelledError();
    }
    if (!moreRows.hasNext()) {
      return false;
    }
    settle(current);
    executing = true;
    StatementResult r;
    try {
      r = session.execute(sql, moreRows.next());
    } finally {
      executing = false;
    }
    current = checked(r);
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

  /**
   * Marks the execution as being streamed; false when a DoGet already took it. A cancelled one is
   * taken too, so its DoGet fails with 57014.
   */
  synchronized boolean claim() {
    if (streaming || (closed && !cancelled)) {
      return false;
    }
    streaming = true;
    return true;
  }

  synchronized boolean expired(long now, long ttlMillis) {
    return !streaming && now - createdAt > ttlMillis;
  }

  /** Whether the execution still holds its session (not closed). */
  synchronized boolean open() {
    return !closed;
  }

  /**
   * Stops the statement: a deferred query not yet executing never starts, one executing or being
   * read fails with 57014. A statement nobody is reading yet releases its session at once. Any
   * thread.
   */
  void cancel() {
    cancelled = true;
    session.cancel();
    if (executing) {
      // The cancel may have landed just before the session started the statement (which resets
      // its cancel flag): repeat it while the statement starts.
      recancelLater();
    }
    if (!streaming) {
      synchronized (this) {
        if (!streaming) {
          close();
        }
      }
    }
  }

  private void recancelLater() {
    try {
      timers.schedule(
          () -> {
            if (executing) {
              session.cancel();
              recancelLater();
            }
          },
          RECANCEL_MILLIS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the endpoint is stopping; it closes every session
    }
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
      if (current != null) {
        current.close();
      }
    } finally {
      session.close();
    }
  }
}
