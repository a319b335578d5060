package io.nql.planner.result;

/**
 * Receives the progress of a long statement (e.g. {@code COPY INTO}: bytes of the file read of its
 * size, compressed bytes for {@code .gz} files), e.g. to draw a progress bar.
 *
 * <p>A load of several files (a directory) reports through {@link #progress(long, long, int, int)}
 * the bytes of all its files and how many files are done; a listener that only implements {@link
 * #progress(long, long)} still sees the bytes.
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

  /**
   * The progress of a load of several files, called from the thread running the statement (never
   * from the threads that read the files), at most a few times per second. The default forwards the
   * bytes to {@link #progress(long, long)}.
   *
   * @param done bytes read so far, of all files
   * @param total bytes of all files
   * @param filesDone files read completely so far
   * @param filesTotal files the statement loads
   */
  default void progress(long done, long total, int filesDone, int filesTotal) {
    progress(done, total);
  }

  /**
   * This listener, running {@code check} before each report: a check that throws (e.g. at a cancel)
   * ends the statement where it reports its progress.
   *
   * @param check run before every report, of bytes or of files
   * @return a new listener forwarding both kinds of report to this one
   */
  default ProgressListener checkedBy(Runnable check) {
    ProgressListener inner = this;
    return new ProgressListener() {
      @Override
      public void progress(long done, long total) {
        check.run();
        inner.progress(done, total);
      }

      @Override
      public void progress(long done, long total, int filesDone, int filesTotal) {
        check.run();
        inner.progress(done, total, filesDone, filesTotal);
      }
    };
  }
}
