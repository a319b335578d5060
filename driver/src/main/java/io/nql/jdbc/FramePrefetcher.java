package io.nql.jdbc;

import io.nql.jdbc.ColumnarFrameReader.Decoded;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;

/**
 * The frames of one columnar result: the first, which came with the execution, then each next one
 * fetched and decoded on a background thread while the application reads the one before, so that
 * the gateway produces rows while the client consumes them.
 *
 * <p>One frame ahead at most: the fetch of frame n + 1 starts when frame n is handed out. An error
 * in a fetch is thrown by {@link #take} once the rows before it have been read, and again on every
 * later call: a failed result never looks like a complete one. {@link #close} stops the fetching: a
 * fetch in flight finishes on its own and its frame is dropped; the gateway stops producing it when
 * the statement is executed again or closed.
 */
final class FramePrefetcher {
  private static final class Fetchers {
    static final ExecutorService INSTANCE =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "nql-jdbc-prefetch");
              t.setDaemon(true);
              return t;
            });
  }

  private final Meta meta;
  private final Meta.StatementHandle handle;
  private final List<ColumnMetaData> columns;
  private final IntSupplier fetchRows;
  private Decoded first;
  private final long result;
  private long offset;
  private Future<Decoded> next;
  private volatile boolean closed;

  /**
   * Starts fetching the frame after {@code first} unless {@code first} is the last.
   *
   * @param fetchRows the most rows the application wants per frame (its fetch size; 0 for any)
   */
  FramePrefetcher(
      Meta meta,
      Meta.StatementHandle handle,
      List<ColumnMetaData> columns,
      Decoded first,
      IntSupplier fetchRows) {
    this.meta = meta;
    this.handle = handle;
    this.columns = columns;
    this.fetchRows = fetchRows;
    this.first = first;
    this.result = first.result();
    this.offset = first.result() + first.rows();
    if (!first.done()) {
      next = fetch(offset);
    }
  }

  /**
   * The next frame, waiting for it if need be; null after the last one.
   *
   * @throws RuntimeException the error of fetching the frame (Avatica's, or one carrying a
   *     SQLException), each time it is called again
   */
  Decoded take() {
    if (first != null) {
      Decoded f = first;
      first = null;
      return f;
    }
    if (next == null || closed) {
      return null;
    }
    Decoded f = await(next);
    if (f.result() != result) {
      throw new RuntimeException(
          new SQLException(
              "Cannot read a result frame from the gateway: it belongs to another result",
              "08P01"));
    }
    offset += f.rows();
    next = f.done() ? null : fetch(offset);
    return f;
  }

  /** Stops fetching; idempotent. */
  void close() {
    closed = true;
    first = null;
    Future<Decoded> f = next;
    if (f != null) {
      f.cancel(false);
    }
  }

  private Future<Decoded> fetch(long at) {
    int rows = fetchRows.getAsInt();
    return Fetchers.INSTANCE.submit(
        () -> {
          if (closed) {
            throw new SQLException("Cannot fetch rows: the result set is closed", "24000");
          }
          Meta.Frame frame;
          try {
            frame = meta.fetch(handle, at, rows);
          } catch (NoSuchStatementException | MissingResultsException e) {
            throw new SQLException(
                "Cannot fetch rows: the gateway no longer has this statement's result", "24000", e);
          }
          return ColumnarFrameReader.decode(frame, columns);
        });
  }

  private static Decoded await(Future<Decoded> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(
          new SQLException("Cannot fetch rows: interrupted while waiting for them", "HY008", e));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new RuntimeException(cause);
    }
  }
}
