package io.nql.planner.ingest;

import java.nio.file.Path;

/** Opens the {@link RowSource} for a file and its options. */
final class RowSources {
  private RowSources() {}

  static RowSource open(Path file, CopyOptions options) {
    switch (options.formatFor(file)) {
      case CSV:
        return new CsvRowSource(file, options);
      case PARQUET:
        return new ParquetRowSource(file);
      case JSON:
        return new JsonLinesRowSource(file);
      default:
        throw new IllegalStateException("unknown format");
    }
  }
}
