package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.MaterializedViews.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs materialized views when their {@code REFRESH_SCHEDULE} says: every interval it asks the
 * metadata store for the views whose next run is due and runs each, one after the other, as a
 * {@code REFRESH MATERIALIZED VIEW} of the view's owner (the user who created it, or another user
 * of its company once that one is gone): the run reads and pays as the company's statements do and
 * is logged as its statement.
 *
 * <p>Schedules live in the metadata store ({@code next_run_at}), so several gateways sharing a
 * PostgreSQL store share them: a run claims its view only while the view is due and not running, so
 * a due time is run once, by whichever gateway claims it first. Runs missed while no gateway was
 * running are not replayed: a view due in the past runs once, then at its next time after that run.
 * A scheduled run that fails is retried after 1, 2 and 4 minutes, then waits for its next time.
 */
public final class ViewScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("gateway");

  /** Most views one pass runs; the rest wait for the next pass. */
  private static final int PER_PASS = 100;

  private final NqlEngine engine;
  private final ScheduledExecutorService timer;

  /** The session of the run in progress, cancelled by {@link #close}. */
  private volatile EngineSession running;

  private ViewScheduler(NqlEngine engine, ScheduledExecutorService timer) {
    this.engine = engine;
    this.timer = timer;
  }

  /** A scheduler that runs a pass every {@code interval}, on a thread of its own. */
  public static ViewScheduler start(NqlEngine engine, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-view-scheduler");
              t.setDaemon(true);
              return t;
            });
    ViewScheduler scheduler = new ViewScheduler(engine, timer);
    long millis = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(scheduler::passQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** A scheduler without a timer: {@link #pass} runs when called (tests). */
  static ViewScheduler manual(NqlEngine engine) {
    return new ViewScheduler(engine, null);
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.error("event=view_scheduler_failed", e);
    }
  }

  /** Runs every view due now; how many runs succeeded. */
  public int pass() {
    Instant now = engine.clock().instant();
    List<View> due = engine.store().views().due(now, PER_PASS);
    int ran = 0;
    for (View view : due) {
      Optional<EngineSession> session = owner(view);
      if (session.isEmpty()) {
        LOG.warn(
            "event=view_run_skipped view={} company={} reason=no_user_in_company",
            view.name(),
            view.companyId());
        continue;
      }
      try (EngineSession s = session.get()) {
        running = s;
        s.execute("REFRESH MATERIALIZED VIEW \"" + view.name() + "\"").close();
        ran++;
      } catch (NqlException e) {
        if (e.code() == ErrorCode.OBJECT_IN_USE) {
          continue; // another gateway (or a statement) runs it now
        }
        LOG.warn(
            "event=view_run_failed view={} company={} sqlstate={} message={}",
            view.name(),
            view.companyId(),
            e.sqlState(),
            e.getMessage());
      }
    }
    running = null;
    return ran;
  }

  private Optional<EngineSession> owner(View view) {
    Optional<EngineSession> owner = engine.schedulerSession(view.companyId(), view.ownerUserId());
    if (owner.isPresent()) {
      return owner;
    }
    return engine.store().users(view.companyId()).stream()
        .findFirst()
        .flatMap(u -> engine.schedulerSession(view.companyId(), u.id()));
  }

  /**
   * Stops: no pass starts any more, and a run in progress is cancelled (it writes nothing; the view
   * keeps its rows and runs again at its next due time). Waits up to ten seconds for it.
   */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    EngineSession run = running;
    if (run != null) {
      run.cancel();
    }
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }
}
