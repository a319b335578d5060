package io.nql.planner.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Table maintenance state of datasets: the retention an owner sets and the lease of the scheduled
 * maintenance pass. Thread-safe; shared by every gateway of a store.
 */
public interface DatasetMaintenance {
  /**
   * A dataset's retention: rows whose {@code column} is older than now minus {@code days} days are
   * deleted by the maintenance pass.
   */
  record Retention(int days, String column) {}

  /** Sets (or, with null, removes) the retention of a company's dataset. */
  void setRetention(long companyId, long datasetId, Retention retention);

  /** The retention of a dataset, if its owner set one. */
  Optional<Retention> retention(long datasetId);

  /**
   * Claims a dataset's maintenance for {@code instance}: succeeds when no pass holds it, or the one
   * that holds it started before {@code staleBefore} (its gateway died), and no pass finished since
   * {@code doneSince} (another gateway just maintained it). At most one claimant wins.
   */
  boolean claim(
      long companyId,
      long datasetId,
      String instance,
      Instant now,
      Instant staleBefore,
      Instant doneSince);

  /** Releases {@code instance}'s claim and records the pass's end (no-op without the claim). */
  void release(long datasetId, String instance, Instant finishedAt);

  /** When a maintenance pass last finished for the dataset, if one did. */
  Optional<Instant> lastRun(long datasetId);
}
