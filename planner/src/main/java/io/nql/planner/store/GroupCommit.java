package io.nql.planner.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group commit: entries are queued by key (a later change of a queued entry updates it in place)
 * and written by one thread, everything queued in one transaction, so callers do not wait for a
 * commit of their own.
 *
 * <p>What is still queued when the process is killed is lost (at most the batch being gathered,
 * written within milliseconds), so only what may be lost goes through here: the query log, and
 * ledger records of free deliveries (no reservation, no amount). A batch the store refuses is
 * retried once, then written entry by entry so that one bad entry costs only itself; an entry the
 * store still refuses is dropped with a warning — writers must never hold statements back. Readers
 * {@link #flush} first to see everything queued before them.
 *
 * @param <V> a queued entry
 */
final class GroupCommit<V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** Entries queued at most; beyond it, callers wait for the writer (back-pressure). */
  static final int MAX_QUEUED = 50_000;

  /** Writes one batch in one transaction. */
  @FunctionalInterface
  interface Sink<V> {
    void write(Map<String, V> batch);
  }

  private final String name;
  private final Supplier<V> empty;
  private final Sink<V> sink;
  private final Object lock = new Object();
  private LinkedHashMap<String, V> queued = new LinkedHashMap<>();
  private long enqueued;
  private long written;
  private boolean closed;
  private final Thread thread;

  GroupCommit(String name, Supplier<V> empty, Sink<V> sink) {
    this.name = name;
    this.empty = empty;
    this.sink = sink;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a change of the entry under {@code key} (a new, empty entry when none is queued). */
  void enqueue(String key, Consumer<V> change) {
    synchronized (lock) {
      while (queued.size() >= MAX_QUEUED && !closed) {
        waitQuietly();
      }
      if (closed) {
        // After close (shutdown): written on the caller's thread.
        V entry = empty.get();
        change.accept(entry);
        writeQuietly(Map.of(key, entry));
        return;
      }
      change.accept(queued.computeIfAbsent(key, k -> empty.get()));
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
      Map<String, V> batch;
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

  private void writeQuietly(Map<String, V> batch) {
    if (write(batch) || batch.size() == 1) {
      return;
    }
    for (Map.Entry<String, V> e : batch.entrySet()) {
      write(Map.of(e.getKey(), e.getValue()));
    }
  }

  private boolean write(Map<String, V> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        sink.write(batch);
        return true;
      } catch (RuntimeException e) {
        if (attempt >= 2) {
          if (batch.size() == 1) {
            LOG.warn("{}: cannot write entry {}; it is dropped", name, batch.keySet(), e);
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
      throw new IllegalStateException(name + ": interrupted while waiting for the writer", e);
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
}
