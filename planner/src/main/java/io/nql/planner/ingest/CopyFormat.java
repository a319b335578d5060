package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.Locale;

/** The file formats {@code COPY INTO} reads. */
public enum CopyFormat {
  /** Delimited text (RFC 4180 CSV, or TSV with a tab delimiter). */
  CSV,
  /** Apache Parquet, written by any writer. */
  PARQUET,
  /** JSON lines: one JSON object per line. */
  JSON;

  /**
   * The format named in a statement ({@code 'csv'}, {@code 'parquet'}, {@code 'json'}; case does
   * not matter; {@code 'tsv'}, {@code 'jsonl'} and {@code 'ndjson'} are accepted as aliases).
   *
   * @throws NqlException {@link ErrorCode#INVALID_PARAMETER_VALUE} for any other name
   */
  public static CopyFormat parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "csv":
      case "tsv":
        return CSV;
      case "parquet":
        return PARQUET;
      case "json":
      case "jsonl":
      case "ndjson":
        return JSON;
      default:
        throw NqlException.of(
            ErrorCode.INVALID_PARAMETER_VALUE,
            "Cannot use format '%s': expected 'csv', 'parquet' or 'json'",
            name);
    }
  }
}
