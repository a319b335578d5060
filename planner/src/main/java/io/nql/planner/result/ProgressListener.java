package io.nql.planner.result;

/**
 * Receives the progress of a long statement (e.g. {@code COPY INTO}: bytes of the file read of its
 * size, compressed bytes for {@code .gz} files), e.g. to draw a progress bar.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * Called from the thread running the statement, at most a few times per second.
   *
   * @param done units processed so far
   * @param total total units, or -1 when unknown
   */
  void progress(long done, long total);
}
