package io.nql.planner.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the query log: statements' starts and ends are queued and written by one thread,
 * everything queued in one transaction, so a small statement does not wait for two commits of its
 * own. A statement that ends before its start was written is written once, already finished.
 *
 * <p>Reads of the log {@link #flush} first, so they see every statement logged before them. What is
 * still queued when the process is killed is lost (at most one batch, written within milliseconds);
 * the ledger does not go through here and keeps its own guarantees. A batch the store refuses is
 * retried once, then dropped with a warning: the log must never hold statements back.
 */
final class QueryLogWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryLogWriter.class);

  /** Entries queued at most; beyond it, callers wait for the writer (back-pressure). */
  static final int MAX_QUEUED = 50_000;

  /** A statement's start, its end, or both, waiting to be written. */
  static final class Pending {
    Started start;
    Finished finish;
  }

  record Started(long companyId, long userId, String sqlText, Instant startedAt) {}

  record Finished(
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats) {}

  /** Writes one batch in one transaction. */
  @FunctionalInterface
  interface Sink {
    void write(Map<String, Pending> batch);
  }

  private final Sink sink;
  private final Object lock = new Object();
  private LinkedHashMap<String, Pending> queued = new LinkedHashMap<>();
  private long enqueued;
  private long written;
  private boolean closed;
  private final Thread thread;

  QueryLogWriter(Sink sink) {
    this.sink = sink;
    this.thread = new Thread(this::loop, "nql-query-log");
    thread.setDaemon(true);
    thread.start();
  }

  void started(String statementId, Started start) {
    enqueue(statementId, p -> p.start = start);
  }

  void finished(String statementId, Finished finish) {
    enqueue(statementId, p -> p.finish = finish);
  }

  private void enqueue(String statementId, java.util.function.Consumer<Pending> set) {
    synchronized (lock) {
      while (queued.size() >= MAX_QUEUED && !closed) {
        waitQuietly();
      }
      if (closed) {
        // After close (shutdown): write on the caller's thread.
        Pending p = new Pending();
        set.accept(p);
        writeQuietly(Map.of(statementId, p));
        return;
      }
      set.accept(queued.computeIfAbsent(statementId, id -> new Pending()));
      enqueued++;
      lock.notifyAll();
    }
  }

  /** Waits until everything queued before this call is written (or given up). */
  void flush() {
    synchronized (lock) {
      long target = enqueued;
      while (written < target && !closed) {
        waitQuietly();
      }
    }
  }

  private void loop() {
    while (true) {
      Map<String, Pending> batch;
      long upTo;
      synchronized (lock) {
        while (queued.isEmpty() && !closed) {
          waitQuietly();
        }
        if (queued.isEmpty()) {
          return;
        }
        batch = queued;
        queued = new LinkedHashMap<>();
        upTo = enqueued;
        lock.notifyAll();
      }
      writeQuietly(batch);
      synchronized (lock) {
        written = upTo;
        lock.notifyAll();
      }
    }
  }

  private void writeQuietly(Map<String, Pending> batch) {
    if (write(batch) || batch.size() == 1) {
      return;
    }
    // One statement the store refuses must not cost the others their entries.
    for (Map.Entry<String, Pending> e : batch.entrySet()) {
      write(Map.of(e.getKey(), e.getValue()));
    }
  }

  private boolean write(Map<String, Pending> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        sink.write(batch);
        return true;
      } catch (RuntimeException e) {
        if (attempt >= 2) {
          if (batch.size() == 1) {
            LOG.warn("Cannot write statement {} to the query log", batch.keySet(), e);
          }
          return false;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private void waitQuietly() {
    try {
      lock.wait(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the query log", e);
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The statements of a batch split by what must be written: inserts and updates. */
  static List<List<Object[]>> rows(Map<String, Pending> batch) {
    List<Object[]> inserts = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    for (Map.Entry<String, Pending> e : batch.entrySet()) {
      Pending p = e.getValue();
      Finished f = p.finish;
      QueryStats s = f == null || f.stats() == null ? QueryStats.NONE : f.stats();
      if (p.start != null) {
        Started st = p.start;
        inserts.add(
            new Object[] {
              e.getKey(),
              st.companyId(),
              st.userId(),
              st.sqlText(),
              st.startedAt(),
              f == null ? null : f.finishedAt(),
              (f == null ? QueryStatus.RUNNING : f.status()).dbValue(),
              f == null ? null : f.sqlState(),
              f == null ? null : f.errorMessage(),
              s.rowsReturned(),
              s.filesPlanned(),
              s.filesSkipped(),
              s.bytesScanned(),
              s.rowsScanned()
            });
      } else if (f != null) {
        updates.add(
            new Object[] {
              f.finishedAt(),
              f.status().dbValue(),
              f.sqlState(),
              f.errorMessage(),
              s.rowsReturned(),
              s.filesPlanned(),
              s.filesSkipped(),
              s.bytesScanned(),
              s.rowsScanned(),
              e.getKey()
            });
      }
    }
    return List.of(inserts, updates);
  }
}
