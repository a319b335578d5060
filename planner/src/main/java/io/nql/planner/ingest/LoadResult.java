package io.nql.planner.ingest;

import java.util.OptionalLong;

/**
 * What one {@code COPY INTO} did.
 *
 * @param rowsLoaded rows appended
 * @param dataFiles data files written and committed
 * @param bytesWritten total size of those files
 * @param snapshotId the appended snapshot, empty when the files had no rows (nothing committed)
 * @param filesLoaded source files read
 * @param filesSkipped source files skipped because they were loaded before ({@code INCREMENTAL})
 */
public record LoadResult(
    long rowsLoaded,
    int dataFiles,
    long bytesWritten,
    OptionalLong snapshotId,
    int filesLoaded,
    int filesSkipped) {

  /** The result of a load of one file. */
  public LoadResult(long rowsLoaded, int dataFiles, long bytesWritten, OptionalLong snapshotId) {
    this(rowsLoaded, dataFiles, bytesWritten, snapshotId, 1, 0);
  }
}
