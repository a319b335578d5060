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

  /**
   * The Theil–Sen slope of {@code samples} in bytes per minute: the median of the slopes between
   * every two samples (0 for fewer than two). Robust where least squares is not: one sample taken
   * while a large scan's batches are still live (a transient spike, not retained memory) does not
   * tilt it, while a floor that keeps rising does.
   */
  static double slopePerMinute(List<Sample> samples) {
    java.util.List<Double> slopes = new java.util.ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        double dt = samples.get(j).seconds() - samples.get(i).seconds();
        if (dt != 0) {
          slopes.add((samples.get(j).bytes() - samples.get(i).bytes()) / dt * 60);
        }
      }
    }
    if (slopes.isEmpty()) {
      return 0;
    }
    java.util.Collections.sort(slopes);
    int n = slopes.size();
    return n % 2 == 1 ? slopes.get(n / 2) : (slopes.get(n / 2 - 1) + slopes.get(n / 2)) / 2;
  }
}
