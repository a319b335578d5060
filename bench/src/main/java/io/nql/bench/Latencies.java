package io.nql.bench;

import java.util.Arrays;

/**
 * The point queries of one system.
 *
 * @param nanos elapsed time of each query, from {@code executeQuery} to its last row, sorted
 * @param rows rows all the queries returned together
 */
public record Latencies(long[] nanos, long rows) {

  public Latencies {
    nanos = nanos.clone();
    Arrays.sort(nanos);
  }

  /** The smallest time at or above which lie {@code p} percent of the queries, in ms. */
  public double percentileMs(double p) {
    int rank = (int) Math.ceil(p / 100.0 * nanos.length);
    return nanos[Math.max(0, rank - 1)] / 1e6;
  }

  public double meanMs() {
    return Arrays.stream(nanos).average().orElse(0) / 1e6;
  }

  public double queriesPerSecond() {
    return nanos.length / (Arrays.stream(nanos).sum() / 1e9);
  }
}
