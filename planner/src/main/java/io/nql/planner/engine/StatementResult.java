package io.nql.planner.engine;

import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The outcome of one statement: either a forward-only cursor over rows, or an update count.
 *
 * <p>Row values use these Java types, by column JDBC type: BOOLEAN {@code Boolean}; TINYINT,
 * SMALLINT, INTEGER {@code Integer}; BIGINT {@code Long}; REAL {@code Float}; DOUBLE {@code
 * Double}; DECIMAL {@code java.math.BigDecimal}; CHAR/VARCHAR {@code String}; BINARY/VARBINARY
 * {@code byte[]}; DATE {@code java.time.LocalDate}; TIME {@code java.time.LocalTime}; TIMESTAMP
 * {@code java.time.LocalDateTime} (a wall clock: Iceberg {@code timestamp}); TIMESTAMP WITH TIME
 * ZONE {@code java.time.OffsetDateTime} in UTC (an instant: Iceberg {@code timestamptz}). A
 * timestamp read as stored by the vector path keeps its microseconds; one the row engine produced
 * has milliseconds (docs/reference/nql.md, "Timestamps"). NULL is {@code null}. Closing the result
 * releases its resources; it is safe to close twice.
 */
public interface StatementResult extends AutoCloseable {

  /** The statement's id, as recorded in the query log. */
  String statementId();

  /** True when the statement produced rows (possibly none); false for an update count. */
  boolean isQuery();

  /** Columns of the rows; empty when {@link #isQuery()} is false. */
  List<ResultColumn> columns();

  /** Number of rows changed or loaded, or -1 for a query. */
  long updateCount();

  /**
   * The next row, or {@code null} at the end. The array is owned by the caller.
   *
   * @throws io.nql.planner.error.NqlException when producing the row fails
   */
  Object[] next();

  /**
   * Streams the remaining rows as Arrow record batches of at most {@code batchRows} rows, allocated
   * from {@code allocator}. The reader owns its vectors; close it to release them.
   */
  ArrowReader arrow(BufferAllocator allocator, int batchRows);

  /** Warnings raised so far (e.g. a budget cut); grows while rows are consumed. */
  List<StatementWarning> warnings();

  /**
   * What the statement has charged the caller so far; final once the rows are consumed or the
   * result closed. {@link Charge#NONE} for statements that deliver no rule rows.
   */
  default Charge charge() {
    return Charge.NONE;
  }

  /**
   * Nanoseconds the statement took to plan — the lookup of a kept plan, or planning — or -1 when
   * not measured (statements that are not queries, EXPLAIN).
   */
  default long planningNanos() {
    return -1;
  }

  /** Whether the statement ran a plan the plan cache kept. */
  default boolean planCacheHit() {
    return false;
  }

  /** Releases the result; unconsumed rows are abandoned. */
  @Override
  void close();
}
