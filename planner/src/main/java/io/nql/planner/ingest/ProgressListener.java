package io.nql.planner.ingest;

/** Receives the progress of a load, e.g. to draw a progress bar. Called on the loading thread. */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = (bytesRead, totalBytes) -> {};

  /**
   * Reports progress; called at most about once per megabyte read, and once at the end.
   *
   * @param bytesRead bytes of the file consumed so far (compressed bytes for .gz files)
   * @param totalBytes the file's size in bytes
   */
  void onProgress(long bytesRead, long totalBytes);
}
