package io.nql.planner.ingest;

import java.util.List;

/**
 * One row read from a file: the names of its fields as the file spells them, their values, and
 * where the row starts.
 *
 * <p>Values are {@code String} for CSV; {@code String}, {@code Boolean}, {@code Long}, {@code
 * BigDecimal} or {@code Double} for JSON (nested values as their JSON text, {@link JsonText});
 * Iceberg's generic Java values for Parquet. NULL is {@code null}.
 *
 * @param position the 1-based line (text formats) or row number (Parquet) where the row starts
 * @param names field names, as written in the file (shared between rows where the file has a fixed
 *     set of columns)
 * @param values one value per name
 */
public record SourceRow(long position, List<String> names, Object[] values) {}
