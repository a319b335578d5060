package io.nql.planner.engine;

import io.nql.planner.error.NqlException;
import io.nql.planner.maintenance.Compaction;
import io.nql.planner.maintenance.MaintenanceSettings;
import io.nql.planner.maintenance.Retention;
import io.nql.planner.maintenance.Vacuum;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.DatasetMaintenance;
import io.nql.planner.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled table maintenance of {@code nql serve} ({@code --maintenance-interval}): every
 * interval, each dataset of every company not maintained within the interval gets a maintenance
 * pass — its {@linkplain Retention retention} applied (when its owner set one), then its small
 * files {@linkplain Compaction compacted}, then its {@linkplain Vacuum snapshots expired and orphan
 * files removed} with the operator's {@link MaintenanceSettings}.
 *
 * <p>A pass claims its dataset in the metadata store first ({@link DatasetMaintenance#claim}), so
 * at most one of the gateways sharing a PostgreSQL store maintains a dataset at a time; a claim
 * older than {@link #LEASE} (its gateway died) is taken over. A failure is logged and the dataset
 * is tried again at the next pass; nothing a pass does can stop the gateway.
 */
public final class MaintenanceScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("gateway");

  /** A claim older than this belongs to a gateway that died: another may take it. */
  static final Duration LEASE = Duration.ofHours(1);

  private final NqlEngine engine;
  private final Duration interval;
  private final ScheduledExecutorService timer;

  private MaintenanceScheduler(
      NqlEngine engine, Duration interval, ScheduledExecutorService timer) {
    this.engine = engine;
    this.interval = interval;
    this.timer = timer;
  }

  /** A scheduler that runs a pass every {@code interval}, on a thread of its own. */
  public static MaintenanceScheduler start(NqlEngine engine, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-maintenance");
              t.setDaemon(true);
              return t;
            });
    MaintenanceScheduler scheduler = new MaintenanceScheduler(engine, interval, timer);
    long millis = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(scheduler::passQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** A scheduler without a timer: {@link #pass} runs when called (tests). */
  static MaintenanceScheduler manual(NqlEngine engine, Duration interval) {
    return new MaintenanceScheduler(engine, interval, null);
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException | Error e) {
      LOG.error("event=maintenance_pass_failed", e);
    }
  }

  /** Maintains every dataset due now; how many passes succeeded. */
  public int pass() {
    MetadataStore store = engine.store();
    int done = 0;
    for (Company company : store.companies()) {
      for (Dataset dataset : store.datasets(company.id())) {
        if (dataset.inPlane()) {
          continue; // its rows rest in the plane's table: the plane's operator maintains it
        }
        Instant now = engine.clock().instant();
        if (!store
            .maintenance()
            .claim(
                company.id(),
                dataset.id(),
                engine.instanceId(),
                now,
                now.minus(LEASE),
                now.minus(interval))) {
          continue; // maintained within the interval, or by another gateway now
        }
        try {
          maintain(company, dataset, now);
          done++;
        } catch (NqlException e) {
          LOG.warn(
              "event=maintenance_failed dataset={} company={} sqlstate={} message={}",
              dataset.id(),
              company.id(),
              e.sqlState(),
              e.getMessage());
        } catch (RuntimeException e) {
          LOG.warn("event=maintenance_failed dataset={} company={}", dataset.id(), company.id(), e);
        } finally {
          store.maintenance().release(dataset.id(), engine.instanceId(), engine.clock().instant());
        }
      }
    }
    return done;
  }

  private void maintain(Company company, Dataset dataset, Instant now) {
    Table table = engine.warehouse().loadTable(dataset);
    Optional<DatasetMaintenance.Retention> retention =
        engine.store().maintenance().retention(dataset.id());
    if (retention.isPresent()) {
      Retention.Result r =
          Retention.apply(table, dataset.name(), retention.get(), now, sql -> delete(company, sql));
      if (r.rowsDeleted() > 0 && !r.rewritten()) {
        engine.statistics().afterWrite(dataset);
        engine.dataChanged();
      }
      LOG.info(
          "event=retention_applied dataset={} company={} rows={} files_dropped={} rewritten={}",
          dataset.id(),
          company.id(),
          r.rowsDeleted(),
          r.filesDropped(),
          r.rewritten());
    }
    // Compaction after retention has dropped expired rows, before expiry removes the snapshots
    // (and files) the rewrite replaced; an already compact dataset commits nothing.
    Compaction.Result c =
        OptimizeStatements.optimize(
            engine, dataset, Compaction.Options.DEFAULT, ProgressListener.NONE);
    if (c.snapshotId().isPresent()) {
      LOG.info(
          "event=compaction_done dataset={} company={} files_before={} files_after={} rows={}",
          dataset.id(),
          company.id(),
          c.filesBefore(),
          c.filesAfter(),
          c.rows());
    }
    MaintenanceSettings settings = engine.maintenanceSettings();
    Vacuum.Result v =
        Vacuum.run(
            table,
            now,
            settings.snapshotRetention(),
            settings,
            MaintenanceStatements.deliverySnapshots(engine.store(), dataset),
            ProgressListener.NONE);
    LOG.info(
        "event=vacuum_done dataset={} company={} snapshots_expired={} files_deleted={}"
            + " bytes_freed={}",
        dataset.id(),
        company.id(),
        v.snapshotsExpired(),
        v.filesDeleted(),
        v.bytesFreed());
  }

  /** Runs the retention's {@code DELETE} as a user of the owning company: the DML path. */
  private long delete(Company company, String sql) {
    EngineSession session =
        engine.store().users(company.id()).stream()
            .findFirst()
            .flatMap(u -> engine.schedulerSession(company.id(), u.id()))
            .orElseThrow(
                () ->
                    NqlException.of(
                        io.nql.planner.error.ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
                        "Cannot apply retention of company %s: it has no user to run it as",
                        company.slug()));
    try (session;
        StatementResult result = session.execute(sql)) {
      return result.updateCount();
    }
  }

  /** Stops: no pass starts any more; waits up to ten seconds for the one running. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
  }
}
