package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small, thread-safe pool of JDBC connections: at most {@code maxSize} are lent at once, idle
 * ones are kept for reuse and checked before they are lent again.
 */
final class ConnectionPool implements AutoCloseable {
  private static final long BORROW_TIMEOUT_SECONDS = 30;
  private static final int VALIDATION_TIMEOUT_SECONDS = 5;

  private final StoreConfig config;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  ConnectionPool(StoreConfig config, int maxSize) {
    this.config = config;
    this.permits = new Semaphore(maxSize, true);
  }

  /** Lends a connection in auto-commit mode; give it back with {@link #release}. */
  Connection borrow() throws SQLException {
    try {
      if (!permits.tryAcquire(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new NqlException(
            ErrorCode.IO_ERROR,
            "Cannot connect to metadata store: all connections are busy; try again later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NqlException(
          ErrorCode.QUERY_CANCELED, "Cannot connect to metadata store: interrupted", e);
    }
    try {
      Connection connection;
      while ((connection = pollIdle()) != null) {
        if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
          return connection;
        }
        closeQuietly(connection);
      }
      return open();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Takes a lent connection back. A connection that may be in a bad state ({@code broken}) is
   * closed instead of kept.
   */
  void release(Connection connection, boolean broken) {
    try {
      boolean keep = !broken;
      if (keep) {
        try {
          if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
          }
        } catch (SQLException e) {
          keep = false;
        }
      }
      synchronized (this) {
        if (keep && !closed) {
          idle.push(connection);
          return;
        }
      }
      closeQuietly(connection);
    } finally {
      permits.release();
    }
  }

  @Override
  public void close() {
    Deque<Connection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    toClose.forEach(ConnectionPool::closeQuietly);
  }

  private synchronized Connection pollIdle() {
    if (closed) {
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR, "Cannot connect to metadata store: the store is closed");
    }
    return idle.poll();
  }

  private Connection open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password());
    Connection connection = DriverManager.getConnection(config.url(), props);
    connection.setAutoCommit(true);
    return connection;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing useful to do: the connection is being discarded.
    }
  }
}
