package io.nql.bench.scan;

/**
 * What a client read of one scenario's result, summarized so that systems can be compared: a scan's
 * {@link Checksum} or an aggregate's {@link GroupSums}.
 */
sealed interface Answer permits Checksum, GroupSums {
  /** Rows the result had (groups, for an aggregate). */
  long rowsReturned();

  /** Rows a rate counts: a scan's returned rows, the rows an aggregate summed up. */
  long rowsCounted();

  /** Bytes of the values read, for MB/s; 0 when not meaningful (aggregates). */
  long valueBytes();

  /** Null when {@code other} is the same answer, else a one-line description of a difference. */
  String differenceFrom(Answer other);
}
