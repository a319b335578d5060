package io.nql.planner.ingest;

import java.io.Closeable;

/** Reads the rows of one file, in order. Not thread-safe. */
interface RowSource extends Closeable {
  /**
   * The next row, or {@code null} at the end.
   *
   * @throws io.nql.planner.error.NqlException {@code BAD_COPY_FILE_FORMAT} for a malformed row
   */
  SourceRow next();

  /** The word used for {@link SourceRow#position()} in messages: "line" or "row". */
  String positionWord();

  /** Bytes of the file consumed so far (compressed bytes for .gz). */
  long bytesRead();

  /** Size of the file in bytes. */
  long totalBytes();

  @Override
  void close();
}
