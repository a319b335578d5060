package io.nql.planner.engine;

import io.nql.planner.error.NqlException;
import io.nql.planner.maintenance.Compaction;
import io.nql.planner.maintenance.MaintenanceSettings;
import io.nql.planner.maintenance.Retention;
import io.nql.planner.maintenance.Vacuum;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.DatasetMaintenance;
import io.nql.planner.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** The audit action of a scheduled pass that changed a dataset or failed. */
  static final String AUDIT_ACTION = "SCHEDULED MAINTENANCE";

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
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("actor", "gateway");
        detail.put("gateway", engine.instanceId());
        try {
          maintain(company, dataset, now, detail);
          if (detail.size() > 2) {
            audit(dataset, "ok", detail); // something changed
          }
          done++;
        } catch (NqlException e) {
          LOG.warn(
              "event=maintenance_failed dataset={} company={} sqlstate={} message={}",
              dataset.id(),
              company.id(),
              e.sqlState(),
              e.getMessage());
          audit(dataset, e.sqlState(), detail);
        } catch (RuntimeException e) {
          LOG.warn("event=maintenance_failed dataset={} company={}", dataset.id(), company.id(), e);
          audit(dataset, "XX000", detail);
        } finally {
          store.maintenance().release(dataset.id(), engine.instanceId(), engine.clock().instant());
        }
      }
    }
    return done;
  }

  /**
   * Appends the audit event of one dataset's pass: kind {@code ddl}, action {@link #AUDIT_ACTION},
   * no user nor company as actor (the gateway acts: {@code detail.actor} is {@code gateway}, {@code
   * detail.gateway} its instance id), the dataset as object, and in {@code detail} what the pass
   * changed. Written only for a pass that changed the dataset or failed; a lost event is logged.
   */
  private void audit(Dataset dataset, String outcome, Map<String, Object> detail) {
    try {
      engine
          .store()
          .audit()
          .append(
              AuditEvent.of(
                  "ddl",
                  AUDIT_ACTION,
                  new AuditEvent.Actor(null, null, null),
                  new AuditEvent.Target(
                      "dataset", dataset.id(), dataset.name(), dataset.companyId()),
                  outcome,
                  null,
                  detail));
    } catch (RuntimeException e) {
      LOG.error("event=maintenance_audit_failed dataset={}", dataset.id(), e);
    }
  }

  /**
   * Maintains one dataset, adding to {@code detail} what changed: {@code retention_rows_deleted},
   * {@code files_before}/{@code files_after}/{@code rows_rewritten} of a compaction that committed,
   * {@code snapshots_expired}/{@code files_deleted}/{@code bytes_freed} of an expiry that removed
   * something.
   */
  private void maintain(Company company, Dataset dataset, Instant now, Map<String, Object> detail) {
    Table table = engine.warehouse().loadTable(dataset);
    Optional<DatasetMaintenance.Retention> retention =
        engine.store().maintenance().retention(dataset.id());
    if (retention.isPresent()) {
      Retention.Result r =
          Retention.apply(table, dataset.name(), retention.get(), now, sql -> delete(company, sql));
      if (r.rowsDeleted() > 0) {
        detail.put("retention_rows_deleted", r.rowsDeleted());
      }
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
      detail.put("files_before", c.filesBefore());
      detail.put("files_after", c.filesAfter());
      detail.put("rows_rewritten", c.rows());
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
    if (v.snapshotsExpired() > 0 || v.filesDeleted() > 0) {
      detail.put("snapshots_expired", v.snapshotsExpired());
      detail.put("files_deleted", v.filesDeleted());
      detail.put("bytes_freed", v.bytesFreed());
    }
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
