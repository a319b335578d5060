package io.nql.planner.exec;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.plan.ErrorMapper;
import io.nql.planner.result.ResultColumn;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The result of one statement: column metadata, a forward-only cursor over rows, and the scan
 * metrics of the statement. Rows are produced while the cursor advances (nothing is materialized
 * beyond what operators such as ORDER BY or GROUP BY need). Close it to release readers.
 *
 * <p>Row values use the external types described in {@link #next()}. Metrics are complete once the
 * cursor is exhausted or the result closed.
 */
public final class QueryResult implements AutoCloseable {
  private final List<ResultColumn> columns;
  private final List<RelDataType> types;
  private final Enumerator<Object> rows;
  private final BatchExecution.Cursor vector;
  private final ScanMetrics metrics;
  private Object[] current;
  private boolean done;
  private boolean closed;

  QueryResult(
      List<ResultColumn> columns,
      List<RelDataType> types,
      Enumerator<Object> rows,
      ScanMetrics metrics) {
    this.columns = List.copyOf(columns);
    this.types = List.copyOf(types);
    this.rows = rows;
    this.vector = null;
    this.metrics = metrics;
  }

  /** A result produced by a batch executor (the vector path). */
  QueryResult(
      List<ResultColumn> columns,
      List<RelDataType> types,
      BatchExecution.Cursor vector,
      ScanMetrics metrics) {
    this.columns = List.copyOf(columns);
    this.types = List.copyOf(types);
    this.rows = null;
    this.vector = vector;
    this.metrics = metrics;
  }

  /** Whether the vector path produces this result (else the row engine does). */
  public boolean vectorized() {
    return vector != null;
  }

  /**
   * Loads the next Arrow batch of a {@link #vectorized()} result into {@code root}, whose schema is
   * {@link ArrowBatchReader#schema} of the columns; buffers come from {@code allocator} (the
   * root's). Do not mix with {@link #next()}.
   *
   * @return the rows loaded; 0 at the end
   * @throws IllegalStateException if the result is not vectorized or was read row by row
   */
  public int loadBatch(VectorSchemaRoot root, BufferAllocator allocator, int batchRows) {
    if (vector == null) {
      throw new IllegalStateException("not a vectorized result");
    }
    if (done || closed) {
      return 0;
    }
    try {
      int n = vector.load(root, allocator, batchRows);
      if (n == 0) {
        done = true;
      }
      return n;
    } catch (RuntimeException e) {
      done = true;
      throw ErrorMapper.runtime(e);
    }
  }

  /** Whether {@link #loadBatch} can still be used (nothing was read row by row). */
  public boolean canLoadBatches() {
    return vector != null && !vector.startedRows();
  }

  /** The result's columns. */
  public List<ResultColumn> columns() {
    return columns;
  }

  private volatile long planningNanos = -1;
  private volatile boolean planCacheHit;

  /** Records how long the statement took to plan, and whether it ran a kept plan. */
  void planned(long nanos, boolean cacheHit) {
    this.planningNanos = nanos;
    this.planCacheHit = cacheHit;
  }

  /**
   * Nanoseconds from the executor receiving the statement to its plan being ready (a kept plan's
   * lookup, or planning), or -1 when not measured.
   */
  public long planningNanos() {
    return planningNanos;
  }

  /** Whether the statement ran a plan kept by the plan cache. */
  public boolean planCacheHit() {
    return planCacheHit;
  }

  /** The scan metrics of the statement (the collector passed to the executor). */
  public ScanMetrics metrics() {
    return metrics;
  }

  /**
   * Advances to the next row.
   *
   * <p>Values: DATE {@code LocalDate}, TIME {@code LocalTime}, TIMESTAMP {@code LocalDateTime},
   * TIMESTAMP WITH LOCAL TIME ZONE {@code OffsetDateTime} in UTC (microseconds when the vector path
   * read them as stored, else milliseconds), DECIMAL {@code BigDecimal},
   * TINYINT/SMALLINT/INTEGER/BIGINT {@code Byte/Short/Integer/Long}, REAL {@code Float}, DOUBLE
   * {@code Double}, BOOLEAN {@code Boolean}, CHAR/VARCHAR {@code String}, BINARY/VARBINARY {@code
   * byte[]}, ARRAY {@code List}; NULL is {@code null}.
   *
   * @return false when there are no more rows
   * @throws io.nql.planner.error.NqlException if evaluation fails (e.g. division by zero)
   */
  public boolean next() {
    if (done || closed) {
      return false;
    }
    if (vector != null) {
      try {
        if (!vector.next()) {
          done = true;
          current = null;
          return false;
        }
      } catch (RuntimeException e) {
        done = true;
        throw ErrorMapper.runtime(e);
      }
      current = vector.row();
      return true;
    }
    Object raw;
    try {
      if (!rows.moveNext()) {
        done = true;
        current = null;
        return false;
      }
      // Generated code may evaluate expressions lazily in current().
      raw = rows.current();
    } catch (RuntimeException | ExceptionInInitializerError e) {
      // ExceptionInInitializerError: a failing constant in a lazily initialized generated class
      done = true;
      throw ErrorMapper.runtime(e);
    }
    Object[] internal;
    if (columns.size() == 1
        && (!(raw instanceof Object[]) || types.get(0).getSqlTypeName() == SqlTypeName.ROW)) {
      // one column: the element is its value (a row value is itself an Object[])
      internal = new Object[] {raw};
    } else {
      internal = (Object[]) raw;
    }
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = ValueConverter.toExternal(internal[i], types.get(i));
    }
    current = row;
    return true;
  }

  /**
   * The current row (a fresh array per row).
   *
   * @throws NoSuchElementException if {@link #next()} has not returned true
   */
  public Object[] row() {
    if (current == null) {
      throw new NoSuchElementException("No current row");
    }
    return current;
  }

  /**
   * The remaining rows as Arrow batches of at most {@code batchSize} rows. The reader consumes this
   * result's cursor; closing the reader closes this result.
   */
  public ArrowReader arrowReader(BufferAllocator allocator, int batchSize) {
    if (canLoadBatches()) {
      return new ArrowBatchReader(columns, this::loadBatch, this::close, allocator, batchSize);
    }
    return ArrowBatchReader.ofRows(
        columns, () -> next() ? row() : null, this::close, allocator, batchSize);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (vector != null) {
        vector.close();
      } else {
        rows.close();
      }
    }
  }
}
