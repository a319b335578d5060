package io.nql.planner.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Materialized views in the metadata store: each is a dataset of its company (same id and name)
 * with the query that fills it, its options, and the history of its runs. Thread-safe; each write
 * is one transaction.
 */
public interface MaterializedViews {

  /**
   * A view's definition.
   *
   * @param datasetId its dataset
   * @param companyId the company that owns it
   * @param ownerUserId the user who created it (whose company's rules its runs read)
   * @param name the dataset's name
   * @param query the query, as NQL text (without budget clause)
   * @param budget the budget clause of every run, as NQL text
   * @param schedule {@code @once}, {@code @hourly}, … or a cron expression
   * @param displayName DISPLAY_NAME, or null
   * @param description DESCRIPTION, or null
   * @param expire EXPIRE: an ISO-8601 period or duration, {@code retain_everything} or {@code
   *     expire_everything}
   * @param tags TAGS, in order
   * @param writeMode {@code append} or {@code overwrite}
   * @param createdAt when it was created
   * @param nextRunAt when the scheduler runs it next, or null for none
   */
  record View(
      long datasetId,
      long companyId,
      long ownerUserId,
      String name,
      String query,
      String budget,
      String schedule,
      @Nullable String displayName,
      @Nullable String description,
      String expire,
      List<String> tags,
      String writeMode,
      Instant createdAt,
      @Nullable Instant nextRunAt) {
    public View {
      tags = List.copyOf(tags);
    }
  }

  /**
   * One run of a view.
   *
   * @param trigger {@code create}, {@code refresh} or {@code schedule}
   * @param status {@code running}, {@code ok} or {@code error}
   * @param snapshotId the snapshot the run committed, or null (none: an error, or nothing new)
   */
  record Run(
      long id,
      long datasetId,
      String statementId,
      String trigger,
      Instant startedAt,
      @Nullable Instant finishedAt,
      String status,
      long rowsWritten,
      long spentMicros,
      boolean budgetCut,
      @Nullable Long snapshotId,
      @Nullable String sqlState,
      @Nullable String errorMessage) {}

  /** How a run ended. */
  record Outcome(
      String status,
      long rowsWritten,
      long spentMicros,
      boolean budgetCut,
      @Nullable Long snapshotId,
      @Nullable String sqlState,
      @Nullable String errorMessage) {}

  /** Records a new view of an existing dataset (a catalog change). */
  void create(View view);

  /** The view of a company's dataset, if that dataset is a view. */
  Optional<View> get(long companyId, long datasetId);

  /** A company's views, by name. */
  List<View> ofCompany(long companyId);

  /**
   * Claims a view for one run and records the run as running: at most one run of a view at a time,
   * also across gateways sharing this store.
   *
   * @param dueBy for a scheduled run, the time its next run must be due by (else the claim fails:
   *     another gateway ran it meanwhile); null for a run a statement asked for
   * @return the run's id, or empty when another run holds the view (or it is not due)
   */
  Optional<Long> startRun(
      long companyId,
      long datasetId,
      String statementId,
      String trigger,
      String instanceId,
      @Nullable Instant dueBy);

  /** Views of every company whose next scheduled run is due at {@code now} and not running. */
  List<View> due(Instant now, int limit);

  /** Records how a run ended, releases its view and sets the view's next scheduled run. */
  void finishRun(long runId, long datasetId, Outcome outcome, @Nullable Instant nextRunAt);

  /**
   * Ends the runs a gateway instance left running (it stopped without finishing them: their
   * commits, if any, were not recorded) as errors and releases their views.
   *
   * @return how many runs were ended
   */
  int abandonRuns(String instanceId);

  /** A view's runs, newest first, at most {@code limit}. */
  List<Run> runs(long datasetId, int limit);
}
