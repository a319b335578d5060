package io.nql.planner.vector;

import io.nql.planner.exec.BatchExecution;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.policy.Deliveries;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.calcite.rel.type.RelDataType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The result of a vectorized statement, read either row by row ({@link #next()}, external Java
 * values as {@code QueryResult#next()}) or as Arrow batches ({@link #load}). The first call decides
 * which: batches are allocated from the allocator of the first {@link #load}, rows from a private
 * one. Not thread-safe.
 */
public final class VectorCursor implements BatchExecution.Cursor {
  private static final BufferAllocator ROWS_ROOT = new RootAllocator();

  /** Rows read at a time from the files when the result is read row by row. */
  private static final int ROW_MODE_BATCH = 4096;

  private final VectorPlan plan;
  private final ScanMetrics metrics;
  private final @Nullable Deliveries deliveries;
  private final int columns;
  private final long meterCap;
  private final AtomicBoolean cancel;
  private final int threads;
  private BufferAllocator allocator;
  private VectorPipeline pipeline;
  private boolean batchMode;
  private Object[] row;
  private boolean closed;

  VectorCursor(
      VectorPlan plan,
      ScanMetrics metrics,
      @Nullable Deliveries deliveries,
      List<RelDataType> resultTypes,
      long meterCap,
      AtomicBoolean cancel,
      int threads) {
    this.cancel = cancel;
    this.threads = threads;
    this.plan = plan;
    this.meterCap = meterCap;
    this.metrics = metrics;
    this.deliveries = deliveries;
    this.columns = resultTypes.size();
  }

  /** Whether rows were read one at a time (then {@link #load} is not available). */
  @Override
  public boolean startedRows() {
    return pipeline != null && !batchMode;
  }

  /** Advances to the next row; false at the end. */
  @Override
  public boolean next() {
    if (closed) {
      return false;
    }
    if (pipeline == null) {
      allocator = ROWS_ROOT.newChildAllocator("nql-vector-rows", 0, Long.MAX_VALUE);
      pipeline =
          new VectorPipeline(
              plan, metrics, deliveries, allocator, ROW_MODE_BATCH, meterCap, cancel, threads);
    } else if (batchMode) {
      throw new IllegalStateException("result already read as batches");
    }
    if (pipeline.advance(1) == 0) {
      row = null;
      return false;
    }
    Batch b = pipeline.batch();
    int i = pipeline.start();
    Object[] r = new Object[columns];
    for (int c = 0; c < columns; c++) {
      r[c] = VectorValues.external(b.vectors[c], i);
    }
    row = r;
    return true;
  }

  /** The current row (a fresh array per row), or null. */
  @Override
  public Object @Nullable [] row() {
    return row;
  }

  /**
   * Loads the next batch of at most {@code batchRows} rows into {@code root} (whose vectors must
   * have the result's types, as {@code ArrowBatchReader.schema} gives them).
   *
   * @return the rows loaded; 0 at the end
   */
  @Override
  public int load(VectorSchemaRoot root, BufferAllocator rootAllocator, int batchRows) {
    if (closed) {
      return 0;
    }
    if (pipeline == null) {
      batchMode = true;
      allocator = rootAllocator.newChildAllocator("nql-vector", 0, Long.MAX_VALUE);
      pipeline =
          new VectorPipeline(
              plan, metrics, deliveries, allocator, batchRows, meterCap, cancel, threads);
    } else if (!batchMode) {
      throw new IllegalStateException("result already read row by row");
    }
    List<FieldVector> targets = root.getFieldVectors();
    for (FieldVector v : targets) {
      v.clear();
    }
    int n = pipeline.advance(batchRows);
    if (n == 0) {
      root.setRowCount(0);
      return 0;
    }
    Batch b = pipeline.batch();
    int start = pipeline.start();
    if (start == 0 && n == b.rows) {
      try (Batch whole = pipeline.takeBatch()) {
        for (int c = 0; c < columns; c++) {
          whole.vectors[c].makeTransferPair(targets.get(c)).transfer();
        }
      }
    } else {
      for (int c = 0; c < columns; c++) {
        TransferPair pair = b.vectors[c].makeTransferPair(targets.get(c));
        pair.splitAndTransfer(start, n);
      }
    }
    root.setRowCount(n);
    return n;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    row = null;
    try {
      if (pipeline != null) {
        pipeline.close();
      }
    } finally {
      if (allocator != null) {
        allocator.close();
      }
    }
  }
}
