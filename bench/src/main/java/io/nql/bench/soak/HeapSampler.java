package io.nql.bench.soak;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap in use right after a full collection, measured every so often on a daemon thread: the memory
 * the gateway (and the soak's clients, in the same JVM) still hold, without the garbage between
 * collections that makes raw heap figures saw-toothed.
 */
final class HeapSampler implements AutoCloseable {
  /** One measurement: seconds since the start, bytes in use after GC. */
  record Sample(double seconds, long bytes) {}

  private final List<Sample> samples = new ArrayList<>();
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean stop;

  HeapSampler(long everyMillis) {
    thread =
        new Thread(
            () -> {
              while (!stop) {
                sample();
                try {
                  Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "soak-heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Collects and records the heap in use now. */
  synchronized Sample sample() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    Sample s = new Sample((System.nanoTime() - start) / 1e9, memory.getHeapMemoryUsage().getUsed());
    samples.add(s);
    return s;
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join();
  }

  /** The least-squares slope of {@code samples} in bytes per minute (0 for fewer than two). */
  static double slopePerMinute(List<Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (Sample s : samples) {
      mx += s.seconds();
      my += s.bytes();
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (Sample s : samples) {
      num += (s.seconds() - mx) * (s.bytes() - my);
      den += (s.seconds() - mx) * (s.seconds() - mx);
    }
    return den == 0 ? 0 : num / den * 60;
  }
}
