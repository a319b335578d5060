package io.nql.server.gateway;

import java.util.concurrent.ScheduledFuture;

/**
 * What the gateway knows about one open Avatica connection: who opened it, when it was last used,
 * how many requests are using it now, and the statement it is running (with its timeout).
 */
final class OpenConnection {
  final String id;
  final String owner;
  private long lastUsedNanos = System.nanoTime();
  private int busy;
  private int running = -1;
  private ScheduledFuture<?> timeout;
  private boolean timedOut;
  private long executions;

  OpenConnection(String id, String owner) {
    this.id = id;
    this.owner = owner;
  }

  synchronized void enter() {
    busy++;
    lastUsedNanos = System.nanoTime();
  }

  synchronized void exit() {
    busy--;
    lastUsedNanos = System.nanoTime();
  }

  /** Whether no request uses the connection and it was last used before {@code nanos} ago. */
  synchronized boolean idleFor(long nanos, long now) {
    return busy == 0 && now - lastUsedNanos > nanos;
  }

  /** A statement starts executing; a previous one's timeout no longer applies. */
  synchronized void started(int statementId, ScheduledFuture<?> newTimeout) {
    clearTimeout();
    running = statementId;
    timeout = newTimeout;
    timedOut = false;
    executions++;
  }

  /**
   * Which execution of the connection runs now (a statement id is reused when a JDBC statement is
   * executed again): a cancel repeated later applies only to the execution it was meant for.
   */
  synchronized long execution() {
    return executions;
  }

  /** Whether {@code execution} of {@code statementId} still runs with a request in flight. */
  synchronized boolean computing(int statementId, long execution) {
    return running == statementId && executions == execution && busy > 0;
  }

  /** The statement's result is complete, failed or closed. */
  synchronized void finished(int statementId) {
    if (running == statementId) {
      running = -1;
      clearTimeout();
    }
  }

  /** Marks the running statement as timed out; false when it already finished. */
  synchronized boolean timeOut(int statementId) {
    if (running != statementId) {
      return false;
    }
    timedOut = true;
    return true;
  }

  synchronized boolean timedOut(int statementId) {
    return timedOut && running == statementId;
  }

  /** The statement with an open result or in execution, or -1. */
  synchronized int running() {
    return running;
  }

  /** Whether a request is in flight or a result is still open. */
  synchronized boolean active() {
    return busy > 0 || running >= 0;
  }

  synchronized void clearTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}
