package io.nql.flight;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * The gateway's statement timeout for Flight statements: a {@link Deadline} starts before a
 * statement executes and ends with its stream (or its update count); when it passes first, it
 * cancels the statement, which then fails with SQLSTATE 57014 and status TIMED_OUT.
 */
final class StatementTimeouts {
  private final Duration timeout;
  private final ScheduledExecutorService timers;

  StatementTimeouts(Duration timeout, ScheduledExecutorService timers) {
    this.timeout = timeout;
    this.timers = timers;
  }

  /** Starts the clock of a statement; {@code cancel} runs (once) when it runs out. */
  Deadline start(Runnable cancel) {
    Deadline d = new Deadline(cancel);
    if (!timeout.isZero()) {
      d.timer = timers.schedule(d::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return d;
  }

  private FlightRuntimeException timedOut() {
    String limit =
        timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
    return FlightErrors.timedOut(
        "Statement cancelled: it ran longer than the statement timeout of " + limit);
  }

  /** One statement's clock. */
  final class Deadline {
    private volatile Runnable cancel;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean expired;
    private volatile boolean ended;

    private Deadline(Runnable cancel) {
      this.cancel = cancel;
    }

    /** What to cancel from now on (the execution, once it exists, rather than the session). */
    void onExpiry(Runnable newCancel) {
      cancel = newCancel;
      if (expired) {
        newCancel.run();
      }
    }

    private void expire() {
      if (!ended) {
        expired = true;
        cancel.run();
      }
    }

    /**
     * The error to report for a failure of the statement: the timeout when the clock ran out (the
     * statement then failed because it was cancelled), else {@code failure} itself.
     */
    FlightRuntimeException error(Throwable failure) {
      return expired ? timedOut() : FlightErrors.of(failure);
    }

    /** The statement is over: the clock stops. */
    void end() {
      ended = true;
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
