package io.nql.planner.export;

import java.io.IOException;

/** Writes rows of one schema to a file's stream, in one format. Not thread-safe. */
interface RowWriter {
  /**
   * Writes one row.
   *
   * @param row Iceberg generic values of the schema's columns, in order (null for NULL)
   */
  void write(Object[] row) throws IOException;

  /** Completes the file (a Parquet footer, the last buffered bytes) after the last row. */
  void finish() throws IOException;

  /** Releases what the writer holds, after {@link #finish()} or instead of it (a failure). */
  void abandon();
}
