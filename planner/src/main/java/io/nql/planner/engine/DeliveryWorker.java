package io.nql.planner.engine;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.MaterializedViews.View;
import io.nql.planner.store.WebhookDeliveries;
import io.nql.planner.store.WebhookDeliveries.Attempt;
import io.nql.planner.store.WebhookDeliveries.Delivery;
import io.nql.planner.store.WebhookDeliveries.PendingRun;
import io.nql.planner.store.WebhookDeliveries.Progress;
import io.nql.planner.webhook.BatchFormat;
import io.nql.planner.webhook.WebhookHosts;
import io.nql.planner.webhook.WebhookSender;
import io.nql.planner.webhook.WebhookSettings;
import io.nql.planner.webhook.WebhookUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.data.Record;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what one claimed delivery has to send: the batches of its view's runs in run order, each
 * batch after the one before it was delivered. Every attempt is recorded with the delivery's new
 * progress in one transaction, so a gateway that stops resumes at the first batch not recorded as
 * delivered: a batch is sent again only when its outcome was not recorded (the receiver drops the
 * duplicate by its idempotency key).
 *
 * <p>A 2xx moves on to the next batch; 408, 429, 5xx and a missing answer wait and retry the same
 * batch (same body, same key), waiting longer after each failure; any other answer, a host the
 * operator no longer allows, or a run whose rows cannot be read stops the delivery ({@code failed})
 * until {@code RESUME DELIVERY}: later batches are not sent past a batch the receiver refused, so
 * nothing is skipped unnoticed.
 */
final class DeliveryWorker {
  private static final Logger LOG = LoggerFactory.getLogger("gateway");

  private final NqlEngine engine;
  private final WebhookSender sender;
  private final WebhookSettings settings;
  private final String claimant;
  private final BooleanSupplier stopping;

  DeliveryWorker(
      NqlEngine engine,
      WebhookSender sender,
      WebhookSettings settings,
      String claimant,
      BooleanSupplier stopping) {
    this.engine = engine;
    this.sender = sender;
    this.settings = settings;
    this.claimant = claimant;
    this.stopping = stopping;
  }

  private WebhookDeliveries store() {
    return engine.store().webhookDeliveries();
  }

  /**
   * Works on a delivery this worker's claimant holds, until it has nothing more to send, an attempt
   * fails, {@link WebhookSettings#batchesPerPass} batches went, the claim is lost or the gateway
   * stops.
   *
   * @return the batches delivered
   */
  int work(Delivery d) {
    Optional<View> view = engine.store().views().get(d.companyId(), d.datasetId());
    Optional<Dataset> dataset = engine.warehouse().datasetById(d.companyId(), d.datasetId());
    if (view.isEmpty() || dataset.isEmpty()) {
      return 0; // dropped meanwhile: the delivery goes with it
    }
    boolean overwrite = view.get().writeMode().equals("overwrite");
    WebhookUrl url = WebhookUrl.parse(d.url()); // checked at CREATE
    BatchFormat format = BatchFormat.of(d.format());
    Progress p = d.progress();
    int delivered = 0;
    RunBatches batches = null;
    try {
      while (delivered < settings.batchesPerPass() && !stopping.getAsBoolean()) {
        if (p.runId() == null) {
          Optional<PendingRun> next = store().nextRun(d.datasetId(), p.doneRunId());
          if (next.isEmpty() || next.get().running()) {
            break; // up to date, or the next run has not ended
          }
          PendingRun run = next.get();
          p = started(p, run.runId(), run.snapshotId(), 0);
        }
        if (batches == null) {
          try {
            batches =
                RunBatches.of(
                    engine.warehouse().loadTable(dataset.get()),
                    p.snapshotId(),
                    overwrite,
                    d.batchRows());
          } catch (NqlException e) {
            fail(d, p, 0, e.getMessage());
            return delivered;
          }
          if (p.batches() == 0) {
            if (batches.batches() == 0) { // nothing written (rows expired only): next run
              p = runDone(p);
              batches.close();
              batches = null;
              if (!record(d, null, p)) {
                return delivered;
              }
              continue;
            }
            p = started(p, p.runId(), p.snapshotId(), batches.batches());
          }
        }
        Progress after = send(d, url, format, batches, p);
        if (after == null) {
          return delivered; // claim lost
        }
        if (after.attempts() > 0) {
          return delivered; // failed: the retry waits, or the delivery stopped
        }
        delivered++;
        if (after.runId() == null) {
          batches.close();
          batches = null;
        }
        p = after;
      }
      return delivered;
    } finally {
      if (batches != null) {
        batches.close();
      }
    }
  }

  /** Sends batch {@code p.batch()} once; the progress after it, or null when the claim was lost. */
  private @Nullable Progress send(
      Delivery d, WebhookUrl url, BatchFormat format, RunBatches batches, Progress p) {
    long runId = p.runId();
    long snapshotId = p.snapshotId();
    String key = d.key() + "-" + runId + "-" + p.batch();
    List<Record> rows;
    try {
      rows = batches.batch(p.batch());
    } catch (RuntimeException e) {
      LOG.error("event=webhook_read_failed delivery={} company={}", d.name(), d.companyId(), e);
      return fail(d, p, 0, "Cannot read the rows of run " + runId + "; see the gateway log");
    }
    Instant at = now();
    WebhookSender.Result r;
    WebhookHosts.Verdict verdict = engine.webhookHosts().check(url);
    if (verdict == WebhookHosts.Verdict.REFUSED) {
      r =
          new WebhookSender.Result(
              WebhookSender.Outcome.FAILED,
              null,
              null,
              "the gateway does not allow webhooks to host " + url.host() + " (--webhook-hosts)",
              0);
    } else if (verdict == WebhookHosts.Verdict.UNRESOLVED) {
      r =
          new WebhookSender.Result(
              WebhookSender.Outcome.RETRY,
              null,
              null,
              "host " + url.host() + " did not resolve",
              0);
    } else {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Idempotency-Key", key);
      headers.put("NQL-Delivery", d.name());
      headers.put("NQL-View", d.viewName());
      headers.put("NQL-Run", Long.toString(runId));
      headers.put("NQL-Snapshot", Long.toString(snapshotId));
      headers.put("NQL-Batch", Integer.toString(p.batch()));
      headers.put("NQL-Batch-Count", Integer.toString(p.batches()));
      headers.put("NQL-Rows", Integer.toString(rows.size()));
      byte[] body = format.encode(batches.columns(), rows);
      r = sender.post(url, format.contentType(), headers, body);
    }
    Attempt attempt =
        new Attempt(
            runId,
            snapshotId,
            p.batch(),
            p.batches(),
            rows.size(),
            key,
            p.attempts() + 1,
            at,
            r.millis(),
            r.status(),
            switch (r.outcome()) {
              case DELIVERED -> "delivered";
              case RETRY -> "retry";
              case FAILED -> "failed";
            },
            r.message());
    Progress next =
        switch (r.outcome()) {
          case DELIVERED -> delivered(p, rows.size(), at);
          case RETRY ->
              retry(p, at, settings.backoff(p.attempts() + 1, r.retryAfter()), r.message());
          case FAILED -> failed(p, at, r.message());
        };
    if (r.outcome() != WebhookSender.Outcome.DELIVERED) {
      LOG.warn(
          "event=webhook_attempt_failed delivery={} company={} run={} batch={} attempt={}"
              + " outcome={} status={} error={}",
          d.name(),
          d.companyId(),
          runId,
          p.batch(),
          attempt.attempt(),
          attempt.outcome(),
          r.status(),
          r.message());
    }
    return record(d, attempt, next) ? next : null;
  }

  /**
   * Stops the delivery at its current batch for a reason that is no answer of the receiver (its
   * rows cannot be read), logged as a failed attempt; the progress, or null when the claim was
   * lost.
   */
  private @Nullable Progress fail(Delivery d, Progress p, long rows, String error) {
    Instant at = now();
    Progress failed = failed(p, at, error);
    Attempt a =
        new Attempt(
            p.runId(),
            p.snapshotId() == null ? 0 : p.snapshotId(),
            p.batch(),
            p.batches(),
            rows,
            d.key() + "-" + p.runId() + "-" + p.batch(),
            p.attempts() + 1,
            at,
            0,
            null,
            "failed",
            error);
    return record(d, a, failed) ? failed : null;
  }

  private boolean record(Delivery d, @Nullable Attempt a, Progress after) {
    return store().record(d.id(), claimant, a, after, now().plus(settings.lease()));
  }

  private Instant now() {
    return engine.clock().instant();
  }

  /** Progress at the start of run {@code runId}: its first batch, no failure yet. */
  static Progress started(Progress p, long runId, @Nullable Long snapshotId, int batches) {
    return new Progress(
        p.status(),
        p.doneRunId(),
        runId,
        snapshotId,
        batches == 0 ? 0 : 1,
        batches,
        0,
        p.nextAttemptAt(),
        p.rowsDelivered(),
        p.batchesDelivered(),
        p.failedAttempts(),
        p.lastRunId(),
        p.lastError(),
        p.lastAttemptAt());
  }

  /** Progress once the current run is wholly delivered (or had nothing to deliver). */
  static Progress runDone(Progress p) {
    return new Progress(
        p.status(),
        p.runId(),
        null,
        null,
        0,
        0,
        0,
        null,
        p.rowsDelivered(),
        p.batchesDelivered(),
        p.failedAttempts(),
        p.batches() == 0 ? p.lastRunId() : p.runId(),
        p.lastError(),
        p.lastAttemptAt());
  }

  /** Progress after the current batch was delivered: the next batch, or the next run. */
  static Progress delivered(Progress p, long rows, Instant at) {
    Progress next =
        new Progress(
            p.status(),
            p.doneRunId(),
            p.runId(),
            p.snapshotId(),
            p.batch() + 1,
            p.batches(),
            0,
            null,
            p.rowsDelivered() + rows,
            p.batchesDelivered() + 1,
            p.failedAttempts(),
            p.lastRunId(),
            p.lastError(),
            at);
    return p.batch() >= p.batches() ? runDone(next) : next;
  }

  /** Progress after a failed attempt that is worth retrying after {@code wait}. */
  static Progress retry(Progress p, Instant at, Duration wait, @Nullable String error) {
    return new Progress(
        p.status(),
        p.doneRunId(),
        p.runId(),
        p.snapshotId(),
        p.batch(),
        p.batches(),
        p.attempts() + 1,
        at.plus(wait),
        p.rowsDelivered(),
        p.batchesDelivered(),
        p.failedAttempts() + 1,
        p.lastRunId(),
        error,
        at);
  }

  /** Progress after a failure that retrying will not mend: the delivery stops. */
  static Progress failed(Progress p, Instant at, @Nullable String error) {
    return new Progress(
        "failed",
        p.doneRunId(),
        p.runId(),
        p.snapshotId(),
        p.batch(),
        p.batches(),
        p.attempts() + 1,
        null,
        p.rowsDelivered(),
        p.batchesDelivered(),
        p.failedAttempts() + 1,
        p.lastRunId(),
        error,
        at);
  }
}
