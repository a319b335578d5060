package io.nql.planner.engine;

/** Receives the progress of a long statement (e.g. {@code COPY INTO}): bytes read of the total. */
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
