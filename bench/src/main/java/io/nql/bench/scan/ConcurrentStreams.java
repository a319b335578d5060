package io.nql.bench.scan;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * N Flight SQL streams of the full scan at once, each on its own {@link FlightScan} (connection,
 * session and allocator), all released together by a barrier once every client has logged in. Then
 * the gateway's Flight root allocator must drain to zero.
 */
final class ConcurrentStreams {
  /** How long the gateway may take to release a finished stream's buffers. */
  private static final long DRAIN_MILLIS = 10_000;

  private ConcurrentStreams() {}

  /** One stream's answer and the nanoTime it started (after the barrier) and ended. */
  record Stream(Checksum sum, long startNanos, long endNanos) {
    double rowsPerSecond() {
      return sum.rows / ((endNanos - startNanos) / 1e9);
    }
  }

  /**
   * What the concurrent run measured.
   *
   * @param streams every stream, in start order
   * @param peakHeapBytes the sum over the JVM's heap pools of each pool's peak use during the run
   *     (an upper bound of the heap used at any one time: the pools may peak at different times)
   * @param peakOldBytes of which the old generation's peak (what survived collections)
   * @param peakArrowBytes the most Arrow memory the gateway's Flight endpoint was seen to hold
   *     (sampled every 10 ms)
   * @param allocatorBytesAfter Arrow memory the gateway's Flight root allocator held after every
   *     stream had closed (after up to 10 s for it to drain)
   * @param mismatches the streams whose rows differ from the single-stream answer
   */
  record Outcome(
      List<Stream> streams,
      long peakHeapBytes,
      long peakOldBytes,
      long peakArrowBytes,
      long allocatorBytesAfter,
      List<String> mismatches) {
    /** Rows of all streams over the time from the barrier to the last stream's end. */
    double aggregateRowsPerSecond() {
      long start = streams.stream().mapToLong(Stream::startNanos).min().orElseThrow();
      long end = streams.stream().mapToLong(Stream::endNanos).max().orElseThrow();
      long rows = streams.stream().mapToLong(s -> s.sum().rows).sum();
      return rows / ((end - start) / 1e9);
    }

    double slowestOverMean() {
      double slowest = streams.stream().mapToDouble(Stream::rowsPerSecond).min().orElseThrow();
      double mean = streams.stream().mapToDouble(Stream::rowsPerSecond).average().orElseThrow();
      return slowest / mean;
    }

    boolean failed() {
      return allocatorBytesAfter != 0 || !mismatches.isEmpty();
    }
  }

  /**
   * Runs {@code n} streams of the full scan.
   *
   * @param reference the single-stream answer every stream must match
   * @param gatewayArrowBytes the gateway's Flight root allocator's allocated memory
   */
  static Outcome run(
      int n,
      int port,
      String user,
      String password,
      String table,
      Checksum reference,
      LongSupplier gatewayArrowBytes)
      throws Exception {
    List<FlightScan> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong peakArrow = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                peakArrow.accumulateAndGet(gatewayArrowBytes.getAsLong(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "scan-arrow-sampler");
    List<Stream> streams = new ArrayList<>();
    long peakHeap;
    long peakOld;
    try {
      for (int i = 0; i < n; i++) {
        clients.add(new FlightScan(port, user, password, table));
      }
      CyclicBarrier barrier = new CyclicBarrier(n);
      resetHeapPeaks();
      sampler.start();
      List<Future<Stream>> futures = new ArrayList<>();
      for (FlightScan c : clients) {
        futures.add(
            pool.submit(
                () -> {
                  barrier.await();
                  long t0 = System.nanoTime();
                  Checksum sum = (Checksum) c.run(ScanQueries.FULL);
                  return new Stream(sum, t0, System.nanoTime());
                }));
      }
      for (Future<Stream> f : futures) {
        streams.add(f.get());
      }
      peakHeap = heapPeak(false);
      peakOld = heapPeak(true);
    } finally {
      running.set(false);
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
      closeAll(clients);
    }
    sampler.join();
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      String diff = streams.get(i).sum().differenceFrom(reference);
      if (diff != null) {
        mismatches.add("stream " + (i + 1) + ": " + diff);
      }
    }
    return new Outcome(
        streams,
        peakHeap,
        peakOld,
        peakArrow.get(),
        drained(gatewayArrowBytes),
        List.copyOf(mismatches));
  }

  /** Closes every client, each failing on a buffer it did not release; rethrows the first. */
  private static void closeAll(List<FlightScan> clients) throws Exception {
    Exception first = null;
    for (FlightScan c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The allocator's bytes once zero, or after {@link #DRAIN_MILLIS} if it never gets there. */
  private static long drained(LongSupplier bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    long now = bytes.getAsLong();
    while (now != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      now = bytes.getAsLong();
    }
    return now;
  }

  private static void resetHeapPeaks() {
    System.gc(); // start from the live heap, not from garbage of the single-stream runs
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the reset; of the old generation's only if asked. */
  private static long heapPeak(boolean oldOnly) {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      boolean old = p.getName().contains("Old Gen") || p.getName().contains("Tenured");
      if (p.getType() == MemoryType.HEAP && (old || !oldOnly)) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
