package io.nql.planner.export;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The file formats {@code EXPORT} writes. */
public enum ExportFormat {
  /** RFC 4180 CSV, UTF-8; see {@link CsvRowWriter}. */
  CSV,
  /** Parquet with the Iceberg schema's types; see {@link ParquetRowWriter}. */
  PARQUET;

  /**
   * The format named by {@code FORMAT}, else the one of the target's extension ({@code .csv},
   * {@code .parquet}, any case).
   *
   * @param option {@code csv} or {@code parquet} (as the parser checked it), or null
   * @param asWritten the target as written, for the extension and for messages
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} when neither names a format
   */
  public static ExportFormat of(@Nullable String option, String asWritten) {
    if (option != null) {
      return valueOf(option.toUpperCase(Locale.ROOT));
    }
    String lower = asWritten.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".parquet")) {
      return PARQUET;
    }
    throw NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE,
        "Cannot infer the format of '%s': name the format with FORMAT = 'csv'|'parquet'",
        asWritten);
  }
}
