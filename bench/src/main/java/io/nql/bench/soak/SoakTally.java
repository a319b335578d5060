package io.nql.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients did and saw, shared by all of them: operations and latencies per kind, errors
 * (with the first messages kept), budget cuts, and what each buyer observed it was charged.
 */
final class SoakTally {
  /** Messages of the first errors, for the report. */
  private static final int KEEP_ERRORS = 20;

  private final Map<SoakClient.Kind, List<long[]>> latencies = new EnumMap<>(SoakClient.Kind.class);
  private final LongAdder errors = new LongAdder();
  private final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
  final LongAdder budgetCuts = new LongAdder();
  final LongAdder rowsRead = new LongAdder();
  final AtomicLong feedRowsLoaded = new AtomicLong();

  /** Micro-USD each buyer observed it was charged (rows received × the rule's price), by index. */
  final AtomicLong[] observedMicros;

  /** Rows each buyer observed it bought through the priced rule. */
  final AtomicLong[] observedPricedRows;

  SoakTally(int buyers) {
    observedMicros = new AtomicLong[buyers];
    observedPricedRows = new AtomicLong[buyers];
    for (int i = 0; i < buyers; i++) {
      observedMicros[i] = new AtomicLong();
      observedPricedRows[i] = new AtomicLong();
    }
  }

  /** A client's latencies (nanoseconds), handed over when it stops. */
  synchronized void addLatencies(SoakClient.Kind kind, long[] nanos, int n) {
    latencies.computeIfAbsent(kind, k -> new ArrayList<>()).add(Arrays.copyOf(nanos, n));
  }

  /** Operations of {@code kind} that completed and passed their checks. */
  synchronized long count(SoakClient.Kind kind) {
    return latencies.getOrDefault(kind, List.of()).stream().mapToLong(a -> a.length).sum();
  }

  /** The {@code p}-th percentile latency of {@code kind} in milliseconds (0 when none ran). */
  synchronized double percentileMs(SoakClient.Kind kind, double p) {
    long[] all =
        latencies.getOrDefault(kind, List.of()).stream().flatMapToLong(Arrays::stream).toArray();
    if (all.length == 0) {
      return 0;
    }
    Arrays.sort(all);
    int i = (int) Math.min(all.length - 1, Math.max(0, Math.ceil(p / 100 * all.length) - 1));
    return all[i] / 1e6;
  }

  /** An error: counted, and its message kept when among the first. */
  void error(SoakClient.Kind kind, String message) {
    errors.increment();
    if (firstErrors.size() < KEEP_ERRORS) {
      firstErrors.add(kind.label() + ": " + message);
    }
  }

  long errors() {
    return errors.sum();
  }

  List<String> firstErrors() {
    synchronized (firstErrors) {
      return List.copyOf(firstErrors);
    }
  }

  /** Buyer {@code buyer} received {@code rows} rows of the priced rule. */
  void charged(int buyer, long rows) {
    observedPricedRows[buyer].addAndGet(rows);
    observedMicros[buyer].addAndGet(rows * SoakWorld.PRICED_MICROS_PER_ROW);
  }
}
