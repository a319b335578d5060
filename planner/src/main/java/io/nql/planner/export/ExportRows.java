package io.nql.planner.export;

import org.apache.iceberg.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The rows an export writes: a schema, and its rows as Iceberg generic values. */
public interface ExportRows extends AutoCloseable {
  /** The columns: their names, Iceberg types and whether they may be NULL. */
  Schema schema();

  /**
   * The next row, or null at the end.
   *
   * @return one Iceberg generic value per column of {@link #schema()}, in order (null for NULL):
   *     {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code BigDecimal} with the
   *     column's scale, {@code String}, {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime}
   *     (timestamp), {@code OffsetDateTime} (timestamptz), {@code UUID}, {@code ByteBuffer}
   * @throws io.nql.planner.error.NqlException when producing the row fails
   */
  Object @Nullable [] next();

  /** How many rows are expected, for progress; -1 when unknown. */
  long expected();

  @Override
  void close();
}
