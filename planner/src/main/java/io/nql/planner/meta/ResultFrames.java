package io.nql.planner.meta;

import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.avatica.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One statement's rows, handed out a frame at a time, sized by {@link FrameSizes}: standard Avatica
 * frames built row by row, or {@link ColumnarFrame}s built from the result's Arrow batches (the
 * vector path's own, or the row engine's rows written into Arrow once).
 *
 * <p>A failure while producing rows is final: every later call fails the same way, so that no
 * client that asks again can take a failed result for a complete one. Not thread-safe, except
 * {@link #abandon} and {@link #warnings}.
 */
final class ResultFrames implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultFrames.class);

  /**
   * Most rows per Arrow batch read from the result (the vector path's batch size, as when it is
   * read row by row): a frame is cut from one or more batches, so batches need not be as large as
   * frames; small ones bring the first rows sooner.
   */
  private static final int MAX_BATCH_ROWS = 4096;

  /** How often a standard frame looks whether it was abandoned, in rows. */
  private static final int ABANDON_CHECK_ROWS = 1024;

  private final StatementResult result;
  private final List<ResultColumn> columns;
  private final FrameSizes sizes;
  private final BufferAllocator allocator;
  private final ArrowReader reader;
  private final VectorSchemaRoot root;
  private final int estimatedWidth;

  /**
   * The offset of the result's first row in fetch requests: 0 for standard frames, as Avatica
   * counts; for columnar ones a number drawn for this result (and written in its frames), so that a
   * fetch meant for another result of the same statement, arriving late, never matches.
   */
  private final long base;

  private int batchAt;
  private int batchRows;
  private long lastFrameBytes;
  private long position;
  private boolean first = true;
  private volatile boolean done;
  private boolean closed;
  private RuntimeException failure;
  private volatile boolean abandoned;

  private ResultFrames(
      StatementResult result, FrameSizes sizes, BufferAllocator allocator, int estimatedWidth) {
    this.result = result;
    this.columns = result.columns();
    this.sizes = sizes;
    this.allocator = allocator;
    this.estimatedWidth = estimatedWidth;
    this.base = allocator == null ? 0 : ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62);
    if (allocator == null) {
      this.reader = null;
      this.root = null;
    } else {
      int batch = Math.min(MAX_BATCH_ROWS, FrameSizes.rowsFor(sizes.targetBytes(), estimatedWidth));
      this.reader = result.arrow(allocator, batch);
      try {
        this.root = reader.getVectorSchemaRoot();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Standard frames: values as Avatica's protobuf and JSON serializations carry them. */
  static ResultFrames standard(StatementResult result, FrameSizes sizes) {
    return new ResultFrames(result, sizes, null, FrameSizes.standardWidth(result.columns()));
  }

  /**
   * Columnar frames, whose Arrow memory comes from a child of {@code parent} (closed with the
   * frames); the caller has checked {@link ColumnarFrameWriter#supports} of the columns.
   */
  static ResultFrames columnar(StatementResult result, FrameSizes sizes, BufferAllocator parent) {
    BufferAllocator child = parent.newChildAllocator("nql-frames", 0, Long.MAX_VALUE);
    try {
      return new ResultFrames(result, sizes, child, FrameSizes.columnarWidth(result.columns()));
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
  }

  /** Whether every row has been handed out. */
  boolean done() {
    return done;
  }

  /** Warnings the result has raised so far (e.g. a budget cut); safe from any thread. */
  List<StatementWarning> warnings() {
    return result.warnings();
  }

  /**
   * Asks a frame being produced to stop at its next batch, from any thread: its result was given up
   * (re-executed, closed). That frame then ends early and is not marked the last.
   */
  void abandon() {
    abandoned = true;
  }

  /** The result's first frame, of at most {@code fetchRows} rows when that is positive. */
  Meta.Frame first(int fetchRows) {
    return next(base, fetchRows);
  }

  /**
   * The next frame, of at most {@code fetchRows} rows when that is positive. After the last rows,
   * frames are empty and done.
   *
   * @param offset the rows the client has received so far (after the result's base for columnar
   *     frames, see {@link #base}): a request for any other rows (say, one meant for a result this
   *     statement had before) is refused and takes nothing from the result
   * @throws RuntimeException the engine's error while producing rows, now and on every later call
   */
  Meta.Frame next(long offset, int fetchRows) {
    if (failure != null) {
      throw failure;
    }
    if (offset != base + position) {
      throw new NqlException(
          ErrorCode.NOT_SUPPORTED,
          "Cannot fetch rows from offset "
              + offset
              + ": the result continues at offset "
              + (base + position)
              + " and is read forward only");
    }
    if (done || closed) {
      return allocator == null ? new Meta.Frame(offset, true, List.of()) : columnarEnd(offset);
    }
    try {
      Meta.Frame frame =
          allocator == null ? standardFrame(offset, fetchRows) : columnarFrame(offset, fetchRows);
      first = false;
      if (done) {
        close();
      }
      return frame;
    } catch (RuntimeException e) {
      failure = e;
      close();
      throw e;
    }
  }

  private Meta.Frame standardFrame(long offset, int fetchRows) {
    int limit =
        Math.min(
            sizes.rowLimit(fetchRows), FrameSizes.rowsFor(sizes.byteTarget(first), estimatedWidth));
    List<Object> rows = new ArrayList<>(Math.min(limit, 1024));
    while (rows.size() < limit) {
      if (rows.size() % ABANDON_CHECK_ROWS == 0 && abandoned) {
        return new Meta.Frame(offset, false, rows);
      }
      Object[] row = result.next();
      if (row == null) {
        done = true;
        break;
      }
      rows.add(Frames.row(row, columns));
    }
    position += rows.size();
    return new Meta.Frame(offset, done, rows);
  }

  private Meta.Frame columnarFrame(long offset, int fetchRows) {
    int limit = sizes.rowLimit(fetchRows);
    long target = sizes.byteTarget(first);
    // room for a frame like the previous one, which saves growing the buffer on a long result
    long guess = Math.min(target + (target >> 3), Math.max(1 << 16, lastFrameBytes + 1024));
    ColumnarFrameWriter out = new ColumnarFrameWriter(columns.size(), base, (int) guess);
    while (out.rows() < limit && out.size() < target && !abandoned) {
      if (batchAt == batchRows) {
        if (!loadBatch()) {
          done = true;
          break;
        }
        continue;
      }
      int n =
          ColumnarFrameWriter.rowsFitting(
              root,
              batchAt,
              (int) Math.min(batchRows - batchAt, limit - out.rows()),
              target - out.size());
      out.chunk(root, batchAt, n);
      batchAt += n;
    }
    lastFrameBytes = out.size();
    position += out.rows();
    return new ColumnarFrame(offset, done, out.toByteArray(), out.rows());
  }

  private Meta.Frame columnarEnd(long offset) {
    return new ColumnarFrame(
        offset, true, new ColumnarFrameWriter(columns.size(), base, 0).toByteArray(), 0);
  }

  private boolean loadBatch() {
    try {
      if (!reader.loadNextBatch()) {
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    batchAt = 0;
    batchRows = root.getRowCount();
    return batchRows > 0;
  }

  /** Releases the result and its Arrow memory; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (reader != null) {
        reader.close();
      } else {
        result.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      result.close();
      if (allocator != null) {
        try {
          allocator.close();
        } catch (IllegalStateException e) {
          // a leak is a bug to fix, not a reason to fail the client's call
          LOG.error("Arrow memory of a result was not released", e);
        }
      }
    }
  }
}
