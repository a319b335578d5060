package io.nql.planner.iceberg;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Scan counters of one statement, summed over every Iceberg scan the statement runs.
 *
 * <p>The caller creates one collector per statement and passes it to execution; scans add to it
 * while they plan and read. Values are final once the statement's result is fully read or closed.
 * Thread-safe.
 */
public final class ScanMetrics {
  /** Key under which execution places the collector in Calcite's {@code DataContext}. */
  public static final String CONTEXT_KEY = "nql.scanMetrics";

  private final AtomicLong filesInSnapshot = new AtomicLong();
  private final AtomicLong filesPlanned = new AtomicLong();
  private final AtomicLong bytesPlanned = new AtomicLong();
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsDecoded = new AtomicLong();
  private final AtomicLong rowGroupsPlanned = new AtomicLong();
  private final AtomicLong rowGroupsRead = new AtomicLong();
  private final AtomicLong pagesRead = new AtomicLong();
  private final AtomicLong scans = new AtomicLong();
  private final AtomicLong filePlannings = new AtomicLong();
  private final AtomicLong batchAggregations = new AtomicLong();
  private final AtomicLong readAheads = new AtomicLong();

  /** Records one planned scan: data files of the snapshot, files and bytes left after pruning. */
  public void recordPlan(long snapshotFiles, long plannedFiles, long plannedBytes) {
    scans.incrementAndGet();
    filesInSnapshot.addAndGet(snapshotFiles);
    filesPlanned.addAndGet(plannedFiles);
    bytesPlanned.addAndGet(plannedBytes);
  }

  /**
   * Records that a scan read a snapshot's manifests to plan its files (see {@link PlannedFiles}).
   */
  public void addFilePlanning() {
    filePlannings.incrementAndGet();
  }

  /**
   * Scans whose files were planned from the snapshot's manifests; the others reused the files an
   * earlier scan of the same snapshot, columns and filter planned ({@link PlannedFiles}).
   */
  public long filePlannings() {
    return filePlannings.get();
  }

  /** Records an aggregation the vector path ran on batches for a row-engine plan. */
  public void addBatchAggregation() {
    batchAggregations.incrementAndGet();
  }

  /** Aggregations the vector path ran on batches (the rest of the plan ran on the row engine). */
  public long batchAggregations() {
    return batchAggregations.get();
  }

  /** Records a scan whose rest was read ahead on several threads. */
  public void addReadAhead() {
    readAheads.incrementAndGet();
  }

  /** Scans whose rest was read ahead on several threads. */
  public long readAheads() {
    return readAheads.get();
  }

  /** Adds Parquet row groups of the planned files (their splits). */
  public void addRowGroupsPlanned(long rowGroups) {
    rowGroupsPlanned.addAndGet(rowGroups);
  }

  /** Adds Parquet row groups that readers decoded. */
  public void addRowGroupsRead(long rowGroups) {
    rowGroupsRead.addAndGet(rowGroups);
  }

  /**
   * Parquet row groups in the planned files (counted from the row-group offsets that Iceberg
   * records for the Parquet files it writes; a file without them counts none).
   */
  public long rowGroupsPlanned() {
    return rowGroupsPlanned.get();
  }

  /**
   * Parquet row groups decoded by the readers. Fewer than {@link #rowGroupsPlanned()} when the
   * pushed filter ruled row groups out (or the result was closed before the end).
   */
  public long rowGroupsRead() {
    return rowGroupsRead.get();
  }

  /** Adds Parquet data pages that readers decoded. */
  public void addPagesRead(long pages) {
    pagesRead.addAndGet(pages);
  }

  /**
   * Parquet data pages (of every column read) decoded by the vector path's reader: fewer than the
   * row groups read hold when the page index let it skip pages. The row engine does not count
   * pages.
   */
  public long pagesRead() {
    return pagesRead.get();
  }

  /** Adds rows returned by data file readers. */
  public void addRowsRead(long rows) {
    rowsRead.addAndGet(rows);
  }

  /**
   * Adds rows of which every projected column was decoded: fewer than {@link #rowsRead} when the
   * vector reader decoded the filter's key columns first and the others only around the rows that
   * pass.
   */
  public void addRowsDecoded(long rows) {
    rowsDecoded.addAndGet(rows);
  }

  /** Rows of which every projected column was decoded (see {@link #addRowsDecoded}). */
  public long rowsDecoded() {
    return rowsDecoded.get();
  }

  /** Number of table scans planned. */
  public long scans() {
    return scans.get();
  }

  /** Data files in the scanned snapshots (summed over scans). */
  public long filesInSnapshot() {
    return filesInSnapshot.get();
  }

  /** Data files left to read after partition pruning and column-bound skipping. */
  public long filesPlanned() {
    return filesPlanned.get();
  }

  /** Data files skipped by planning: {@code filesInSnapshot() - filesPlanned()}. */
  public long filesSkipped() {
    return filesInSnapshot.get() - filesPlanned.get();
  }

  /** Total size in bytes of the planned data files. */
  public long bytesPlanned() {
    return bytesPlanned.get();
  }

  /** Rows returned by the data file readers (before residual filters above the scan). */
  public long rowsRead() {
    return rowsRead.get();
  }

  @Override
  public String toString() {
    return "ScanMetrics{scans="
        + scans()
        + ", filePlannings="
        + filePlannings()
        + ", filesInSnapshot="
        + filesInSnapshot()
        + ", filesPlanned="
        + filesPlanned()
        + ", filesSkipped="
        + filesSkipped()
        + ", bytesPlanned="
        + bytesPlanned()
        + ", rowGroupsPlanned="
        + rowGroupsPlanned()
        + ", rowGroupsRead="
        + rowGroupsRead()
        + ", pagesRead="
        + pagesRead()
        + ", rowsRead="
        + rowsRead()
        + "}";
  }
}
