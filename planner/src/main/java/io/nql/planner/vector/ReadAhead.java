package io.nql.planner.vector;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.CancelChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.FileScanTask;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the rest of a scan on several threads and hands its batches over in scan order: each worker
 * takes the next unit (a split of a file: a run of row groups), decodes it and runs the Calcs below
 * the meter on its batches, and queues them in the unit's own queue; the consumer reads unit after
 * unit. So the statement sees exactly the batches, in exactly the order, that a sequential read
 * gives — the meter, LIMIT, budget cuts and aggregations above are unchanged — while decoding and
 * filtering use every core.
 *
 * <p>Memory is bounded: a worker holds at most {@code perUnit} batches of a unit queued and one
 * being made, and at most as many scans read ahead at once in the whole engine as the machine has
 * cores ({@link #start} declines beyond: the scan goes on on its statement's thread — when that
 * many scans run, the cores are busy anyway). Threads come from a shared cached pool and serve one
 * statement at a time (a worker waits only for its own statement's consumer, so statements never
 * wait for each other's workers). {@link #close} stops the workers, waits for them and frees every
 * batch not handed over, so the statement's allocator closes empty.
 */
final class ReadAhead implements AutoCloseable {
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "nql-scan-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
  private static final Object END = new Object();

  /** Scans that may read ahead at once, engine-wide. */
  private static final java.util.concurrent.Semaphore SLOTS =
      new java.util.concurrent.Semaphore(Runtime.getRuntime().availableProcessors());

  private final AtomicBoolean slotHeld = new AtomicBoolean(true);

  /** Opens a unit and turns its decoded batches into the batches the consumer takes. */
  interface Source {
    FileBatches open(FileScanTask unit);

    /** The batch after the Calcs below the meter, or null when no row is left (closes it). */
    @Nullable Batch process(Batch raw);
  }

  private final List<FileScanTask> units;
  private final Source source;
  private final int batchRows;
  private final List<BlockingQueue<Object>> queues;
  private final AtomicInteger claimed = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch finished;
  private int current;

  /**
   * Starts reading {@code units} ahead, or returns null when as many scans as the machine has cores
   * already read ahead (the caller then reads on).
   */
  static @Nullable ReadAhead start(
      List<FileScanTask> units, Source source, int workers, int batchRows, int perUnit) {
    if (!SLOTS.tryAcquire()) {
      return null;
    }
    try {
      return new ReadAhead(units, source, workers, batchRows, perUnit);
    } catch (RuntimeException | Error e) {
      SLOTS.release();
      throw e;
    }
  }

  private ReadAhead(
      List<FileScanTask> units, Source source, int workers, int batchRows, int perUnit) {
    this.units = List.copyOf(units);
    this.source = source;
    this.batchRows = batchRows;
    List<BlockingQueue<Object>> qs = new ArrayList<>(units.size());
    for (int i = 0; i < units.size(); i++) {
      qs.add(new ArrayBlockingQueue<>(perUnit + 1)); // room for the unit's end or failure
    }
    this.queues = qs;
    int n = Math.max(1, Math.min(workers, units.size()));
    this.finished = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      THREADS.execute(this::work);
    }
  }

  private void work() {
    try {
      int u;
      while (!stopped.get() && (u = claimed.getAndIncrement()) < units.size()) {
        BlockingQueue<Object> queue = queues.get(u);
        try (FileBatches batches = source.open(units.get(u))) {
          Batch raw;
          while (!stopped.get() && (raw = batches.next(batchRows)) != null) {
            Batch b = source.process(raw);
            if (b != null && !put(queue, b)) {
              return;
            }
          }
          put(queue, END);
        } catch (Throwable t) { // handed to the consumer, which fails the statement with it
          put(queue, t);
        }
      }
    } finally {
      finished.countDown();
    }
  }

  /** Queues {@code o} unless stopped first (then a batch is freed); whether it was queued. */
  private boolean put(BlockingQueue<Object> queue, Object o) {
    try {
      while (!stopped.get()) {
        if (queue.offer(o, 20, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (o instanceof Batch b) {
      b.close();
    }
    return false;
  }

  /** The next batch in scan order, or null at the end; looks at the cancel flag while waiting. */
  @Nullable Batch next(AtomicBoolean cancel) {
    while (current < units.size()) {
      Object o;
      try {
        o = queues.get(current).poll(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled");
      }
      if (o == null) {
        CancelChecks.check(cancel);
        continue;
      }
      if (o == END) {
        current++;
        continue;
      }
      if (o instanceof RuntimeException e) {
        throw e;
      }
      if (o instanceof Error e) {
        throw e;
      }
      if (o instanceof Throwable t) {
        throw new IllegalStateException(t);
      }
      return (Batch) o;
    }
    return null;
  }

  @Override
  public void close() {
    stopped.set(true);
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    for (BlockingQueue<Object> q : queues) {
      for (Object o; (o = q.poll()) != null; ) {
        if (o instanceof Batch b) {
          b.close();
        }
      }
    }
    if (slotHeld.compareAndSet(true, false)) {
      SLOTS.release();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
