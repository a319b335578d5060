package io.nql.planner.ingest;

import java.util.OptionalLong;

/**
 * What one {@code COPY INTO} did.
 *
 * @param rowsLoaded rows appended
 * @param dataFiles data files written and committed
 * @param bytesWritten total size of those files
 * @param snapshotId the appended snapshot, empty when the file had no rows (nothing committed)
 */
public record LoadResult(
    long rowsLoaded, int dataFiles, long bytesWritten, OptionalLong snapshotId) {}
