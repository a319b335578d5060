package io.nql.planner.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Webhook deliveries in the metadata store: each posts the rows the runs of one materialized view
 * write, run after run and batch after batch, to one URL; with where it stands, who works on it
 * now, and the log of its attempts. A delivery lives and dies with its view's dataset. Thread-safe;
 * each write is one transaction.
 *
 * <p>A gateway works on a delivery only while it holds the delivery's claim: {@link #claim} takes a
 * free or expired claim until a lease time, {@link #record} renews it with each attempt it records,
 * and both fail once another gateway has taken the claim over — so no two gateways post batches of
 * one delivery at once, as long as a request ends within the lease.
 */
public interface WebhookDeliveries {

  /**
   * A delivery's definition and where it stands.
   *
   * @param key random, fixed at creation: the first part of every idempotency key it sends
   * @param datasetId the view's dataset
   * @param viewName the view's name
   * @param url the URL as given (it may hold secrets: never shown as is)
   * @param format {@code ndjson} or {@code csv}
   * @param createdBy the user who created it
   */
  record Delivery(
      long id,
      String key,
      long companyId,
      long datasetId,
      String viewName,
      String name,
      String url,
      String format,
      int batchRows,
      long createdBy,
      Instant createdAt,
      Progress progress) {}

  /**
   * Where a delivery stands. Every batch of every run up to {@code doneRunId} was delivered (or the
   * run had none); of run {@code runId}, when not null, the batches before {@code batch}.
   *
   * @param status {@code active}, or {@code failed}: stopped by a failure that retrying will not
   *     mend, until {@code RESUME DELIVERY}
   * @param runId the run being delivered, or null between runs
   * @param snapshotId that run's snapshot, or null
   * @param batch the next batch of that run to send, from 1 (0 between runs)
   * @param batches that run's number of batches (0 between runs)
   * @param attempts the failed attempts of that batch so far
   * @param nextAttemptAt no attempt before this time (a retry's wait), or null
   * @param lastRunId the last run delivered whole, or null
   * @param lastError the last failed attempt's error (kept after later successes), or null
   */
  record Progress(
      String status,
      long doneRunId,
      @Nullable Long runId,
      @Nullable Long snapshotId,
      int batch,
      int batches,
      int attempts,
      @Nullable Instant nextAttemptAt,
      long rowsDelivered,
      long batchesDelivered,
      long failedAttempts,
      @Nullable Long lastRunId,
      @Nullable String lastError,
      @Nullable Instant lastAttemptAt) {}

  /**
   * One attempt to post one batch.
   *
   * @param outcome {@code delivered}, {@code retry} or {@code failed}
   * @param httpStatus the receiver's status, or null when none came
   * @param error why it failed (one line, truncated), or null
   */
  record Attempt(
      long runId,
      long snapshotId,
      int batch,
      int batches,
      long rows,
      String idempotencyKey,
      int attempt,
      Instant attemptedAt,
      long durationMillis,
      @Nullable Integer httpStatus,
      String outcome,
      @Nullable String error) {}

  /** A view run with rows to deliver, or the run in progress that comes before any such run. */
  record PendingRun(long runId, @Nullable Long snapshotId, boolean running) {}

  /**
   * Records a new delivery that delivers the runs of its view that end after now.
   *
   * @throws io.nql.planner.error.NqlException 42710 when the company has a delivery of that name
   */
  Delivery create(
      long companyId,
      long datasetId,
      String name,
      String url,
      String format,
      int batchRows,
      long createdBy);

  /** A company's delivery of that name. */
  Optional<Delivery> get(long companyId, String name);

  /** A company's deliveries, by name. */
  List<Delivery> ofCompany(long companyId);

  /** Drops a company's delivery and its log; whether there was one. */
  boolean drop(long companyId, String name);

  /**
   * Makes a failed delivery active again: its next attempt, the first of a new series, is due now.
   *
   * @return whether the company has a delivery of that name
   */
  boolean resume(long companyId, String name);

  /**
   * Active deliveries of every company with something to send at {@code now} (a run in progress, or
   * a finished run with a snapshot after {@code doneRunId}), whose retry wait is over and whose
   * claim is free or expired, the longest waiting first.
   */
  List<Delivery> due(Instant now, int limit);

  /** The first run of a view after {@code afterRunId} that is in progress or has a snapshot. */
  Optional<PendingRun> nextRun(long datasetId, long afterRunId);

  /**
   * Claims an active delivery for {@code claimant} until {@code until}, if its claim is free or
   * expired at {@code now}: at most one claimant wins.
   *
   * @return the delivery as claimed, or empty
   */
  Optional<Delivery> claim(long id, String claimant, Instant now, Instant until);

  /**
   * Records an attempt (if not null) and the delivery's new progress, and renews the claim until
   * {@code until}, in one transaction — if {@code claimant} still holds the claim.
   *
   * @return false when the claim was lost (or the delivery dropped): nothing was recorded
   */
  boolean record(
      long id, String claimant, @Nullable Attempt attempt, Progress progress, Instant until);

  /** Releases {@code claimant}'s claim on a delivery (no-op when it does not hold it). */
  void release(long id, String claimant);

  /** A delivery's attempts, newest first, at most {@code limit}. */
  List<Attempt> log(long deliveryId, int limit);
}
