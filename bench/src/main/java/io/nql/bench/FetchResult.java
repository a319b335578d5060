package io.nql.bench;

/**
 * One full fetch.
 *
 * @param rows rows read
 * @param bytes approximate size of the values read (8 bytes per number and timestamp, 1 per
 *     boolean, the characters of each string)
 * @param checksum sum of the ids and the amounts' cents, to check both systems return the same data
 * @param nanos elapsed time from {@code executeQuery} to the last row
 */
record FetchResult(long rows, long bytes, long checksum, long nanos) {

  double seconds() {
    return nanos / 1e9;
  }

  double rowsPerSecond() {
    return rows / seconds();
  }

  double megabytesPerSecond() {
    return bytes / 1e6 / seconds();
  }
}
