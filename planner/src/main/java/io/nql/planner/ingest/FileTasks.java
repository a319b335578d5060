package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.error.StorageErrors;
import io.nql.planner.result.ProgressListener;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs one task per file on a few threads of its own, for a statement's thread that waits, reports
 * the progress and stops the tasks at a cancel.
 *
 * <p>The files are dealt to the workers before they start, largest first to the worker with the
 * fewest bytes so far, and each worker takes its files in their order: which worker reads which
 * file does not depend on timing (a load's data files do not either). When a task fails, the tasks
 * of later files stop, those of earlier files go on: the failure reported is the one of the first
 * failing file in order, whatever the timing.
 *
 * <p>The statement's thread alone calls the {@link ProgressListener}, every {@link #REPORT_MILLIS}
 * ms: a listener that throws (a cancel, a timeout) stops every task, and the run ends, with that
 * error, once they all have. No task outlives {@link #run}.
 */
final class FileTasks {
  /** Milliseconds between two reports of progress. */
  static final long REPORT_MILLIS = 200;

  /** The most threads one statement uses, however many cores: each holds a file's buffers. */
  static final int MAX_THREADS = 8;

  private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

  private FileTasks() {}

  /** What a task sees of the run. */
  interface Context {
    /** True once the task should stop: the statement was cancelled, or an earlier file failed. */
    boolean stopped();

    /** Adds bytes read to the progress. */
    void read(long bytes);
  }

  /** The work on one file. */
  @FunctionalInterface
  interface Task {
    /**
     * @param worker the worker running it, {@code 0 ≤ worker < } the threads of the run: a worker
     *     runs its tasks one after the other, so per-worker state needs no lock
     * @param index the file's position in the list
     * @throws RowConverter.Stopped when the context said to stop
     */
    void run(int worker, int index, Context context);
  }

  /** Threads for {@code files} files: one per core, at most {@link #MAX_THREADS}. */
  static int defaultThreads(int files) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(1, Math.min(Math.min(cores, MAX_THREADS), files));
  }

  /**
   * Runs {@code task} for every file.
   *
   * @param threads workers; 1 runs every task on the calling thread
   * @param progress receives {@code (base + bytes read, total, files done, files)}
   * @param countFiles whether to count the files done (else 0: a first pass over the files)
   * @throws NqlException the failure of the first failing file in order, named as {@link
   *     SourceFile#named} does, or what {@code progress} threw
   */
  static void run(
      List<SourceFile> files,
      int threads,
      ProgressListener progress,
      long base,
      long total,
      boolean countFiles,
      Task task) {
    int workers = Math.max(1, Math.min(threads, files.size()));
    new Run(files, workers, progress, base, total, countFiles).execute(task);
  }

  /** The state of one run, shared by its workers. */
  private static final class Run implements Context {
    private final List<SourceFile> files;
    private final int threads;
    private final ProgressListener progress;
    private final long base;
    private final long total;
    private final boolean countFiles;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger filesDone = new AtomicInteger();
    private final AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicReferenceArray<Throwable> failures;
    private volatile boolean stop;
    private long reported = -1;

    Run(
        List<SourceFile> files,
        int threads,
        ProgressListener progress,
        long base,
        long total,
        boolean countFiles) {
      this.files = files;
      this.countFiles = countFiles;
      this.threads = threads;
      this.progress = progress;
      this.base = base;
      this.total = total;
      this.failures = new AtomicReferenceArray<>(files.size());
    }

    @Override
    public boolean stopped() {
      return stop || CURRENT.get() > firstFailed.get();
    }

    @Override
    public void read(long n) {
      bytes.addAndGet(n);
      if (threads == 1 && bytes.get() - reported >= RowConverter.PROGRESS_STEP) {
        report();
      }
    }

    /** The file the calling worker is on, for {@link #stopped}. */
    private static final ThreadLocal<Integer> CURRENT = ThreadLocal.withInitial(() -> -1);

    private void report() {
      reported = bytes.get();
      progress.progress(base + reported, total, countFiles ? filesDone.get() : 0, files.size());
    }

    void execute(Task task) {
      List<List<Integer>> plan = deal();
      report();
      if (threads == 1) {
        work(0, plan.get(0), task);
      } else {
        parallel(plan, task);
      }
      int failed = firstFailed.get();
      if (failed != Integer.MAX_VALUE) {
        Throwable t = failures.get(failed);
        if (t instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) t;
      }
      report();
    }

    private void parallel(List<List<Integer>> plan, Task task) {
      CountDownLatch done = new CountDownLatch(threads);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "nql-copy-" + THREAD_NUMBERS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      try {
        for (int w = 0; w < threads; w++) {
          int worker = w;
          pool.execute(
              () -> {
                try {
                  work(worker, plan.get(worker), task);
                } finally {
                  done.countDown();
                }
              });
        }
        while (!done.await(REPORT_MILLIS, TimeUnit.MILLISECONDS)) {
          report();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
        throw new NqlException(ErrorCode.QUERY_CANCELED, "Statement was cancelled", e);
      } catch (RuntimeException e) {
        stop = true;
        throw e;
      } finally {
        pool.shutdown();
        awaitQuietly(pool);
      }
    }

    private void work(int worker, List<Integer> indexes, Task task) {
      try {
        for (int index : indexes) {
          CURRENT.set(index);
          if (stopped()) {
            return;
          }
          try {
            task.run(worker, index, this);
            filesDone.incrementAndGet();
          } catch (RowConverter.Stopped s) {
            return;
          } catch (RuntimeException | Error e) {
            // An Error too (out of memory): a worker that died silently would leave its file's
            // rows out of a commit that goes on without them.
            failures.set(index, e instanceof RuntimeException r ? named(r, files.get(index)) : e);
            firstFailed.accumulateAndGet(index, Math::min);
            return;
          }
        }
      } finally {
        CURRENT.remove();
      }
    }

    /** The files of each worker: largest first to the worker with the fewest bytes so far. */
    private List<List<Integer>> deal() {
      List<List<Integer>> plan = new ArrayList<>();
      long[] load = new long[threads];
      for (int w = 0; w < threads; w++) {
        plan.add(new ArrayList<>());
      }
      List<Integer> bySize = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        bySize.add(i);
      }
      bySize.sort(
          Comparator.comparingLong((Integer i) -> -files.get(i).size()).thenComparing(i -> i));
      for (int i : bySize) {
        int least = 0;
        for (int w = 1; w < threads; w++) {
          if (load[w] < load[least]) {
            least = w;
          }
        }
        plan.get(least).add(i);
        load[least] += Math.max(1, files.get(i).size());
      }
      plan.forEach(list -> list.sort(null));
      return plan;
    }
  }

  /** A task's failure as the statement reports it: an NqlException naming the file. */
  private static RuntimeException named(RuntimeException e, SourceFile file) {
    if (e instanceof NqlException n) {
      return file.named(n);
    }
    if (e instanceof UncheckedIOException) {
      return StorageErrors.writeFailed(
          String.format(Locale.ROOT, "Cannot load '%s'", file.name()),
          "I/O error while writing the table",
          e);
    }
    return new NqlException(
        ErrorCode.INTERNAL_ERROR,
        String.format(Locale.ROOT, "Cannot load '%s': internal error", file.name()),
        e);
  }

  /** Waits for the workers, who stop within a few hundred rows once told to. */
  private static void awaitQuietly(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
