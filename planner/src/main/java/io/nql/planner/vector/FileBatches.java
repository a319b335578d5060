package io.nql.planner.vector;

/** The rows of one planned data file as batches. */
interface FileBatches extends AutoCloseable {
  /** The next batch of at most {@code maxRows} rows, or null at the end of the file. */
  Batch next(int maxRows);

  @Override
  void close();
}
