package io.nql.planner.policy.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the observations of one statement in several worlds at once, each within a time limit
 * ({@code nql.harness.timeoutSeconds}, default 120): a statement that does not finish (the planner
 * cannot be cancelled) ends the run with a report instead of hanging the build. Threads are
 * daemons, so a stuck one does not keep the JVM alive.
 */
public final class Observers implements AutoCloseable {
  private final ExecutorService pool;
  private final long timeoutSeconds = Long.getLong("nql.harness.timeoutSeconds", 120);

  public Observers(int threads) {
    pool =
        Executors.newFixedThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, "nql-harness");
              t.setDaemon(true);
              return t;
            });
  }

  /** A statement that did not finish in time. */
  public static final class Hang extends Exception {
    Hang(String message) {
      super(message);
    }
  }

  /** The observations, in the order of {@code calls}. */
  public List<Observation> all(List<Callable<Observation>> calls) throws Hang {
    List<Future<Observation>> futures = new ArrayList<>();
    for (Callable<Observation> c : calls) {
      futures.add(pool.submit(c));
    }
    List<Observation> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (Future<Observation> f : futures) {
      try {
        out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        throw new Hang("the statement did not finish within " + timeoutSeconds + " s");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Runs {@code call} on a pool thread (e.g. setting a world up). */
  public <T> Future<T> submit(Callable<T> call) {
    return pool.submit(call);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
