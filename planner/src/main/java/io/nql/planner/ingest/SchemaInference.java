package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Infers the schema of a new dataset from a file: column names normalized by {@link ColumnNames},
 * types chosen over every value of the file (one full pass), every column nullable. The rules are
 * documented in {@code docs/reference/copy-into.md}.
 */
public final class SchemaInference {
  private static final int STOP_CHECK_ROWS = 1024;

  private SchemaInference() {}

  /**
   * Reads the whole file and returns its inferred schema, with field ids 1..n in file order.
   *
   * @param file a canonical path, usually from {@link IngestRoots#resolve(String, String)}
   * @param options the format and CSV options
   * @throws NqlException {@link ErrorCode#BAD_COPY_FILE_FORMAT} when the file is malformed or has
   *     no columns, {@link ErrorCode#NOT_SUPPORTED} for nested Parquet columns
   */
  public static Schema inferSchema(Path file, CopyOptions options) {
    return columns(file, file.getFileName().toString(), options, () -> false).schema();
  }

  /**
   * Reads every file, on up to {@code threads} threads, and returns the schema of all of them: the
   * files must have the same columns (in any order; the first file's order is kept) and each
   * column's type holds the values of every file, as if they were one file ({@link
   * InferredColumns}).
   *
   * @param files at least one file
   * @param progress receives the bytes of the files read so far of twice their size (a load that
   *     infers its schema reads each file twice), and 0 files done
   * @throws NqlException as {@link #inferSchema(Path, CopyOptions)}, naming the file; {@link
   *     ErrorCode#UNKNOWN_COLUMN} when a file's columns differ from the first file's
   */
  public static Schema inferSchema(
      List<SourceFile> files, CopyOptions options, int threads, ProgressListener progress) {
    InferredColumns[] each = new InferredColumns[files.size()];
    long bytes = files.stream().mapToLong(SourceFile::size).sum();
    FileTasks.run(
        files,
        threads,
        progress,
        0,
        2 * bytes,
        false,
        (worker, index, context) -> {
          SourceFile f = files.get(index);
          each[index] = columns(f.path(), f.name(), options, context::stopped);
          context.read(f.size());
        });
    InferredColumns all = each[0];
    for (int i = 1; i < each.length; i++) {
      all.merge(each[i]);
    }
    return all.schema();
  }

  /**
   * The columns of one file with the evidence for their types.
   *
   * @param name the file in messages
   * @param stop looked at every thousand rows; when true, {@link RowConverter.Stopped} is thrown
   */
  static InferredColumns columns(
      Path file, String name, CopyOptions options, BooleanSupplier stop) {
    CopyFormat format = options.formatFor(file);
    if (format == CopyFormat.PARQUET) {
      try (ParquetRowSource source = new ParquetRowSource(file)) {
        List<String> raw = new ArrayList<>();
        List<Type> types = new ArrayList<>();
        for (Types.NestedField f : source.schema().columns()) {
          raw.add(f.name());
          types.add(f.type());
        }
        return InferredColumns.typed(name, ColumnNames.normalizeAll(raw), types);
      }
    }
    List<String> rawNames = new ArrayList<>();
    List<ColumnGuess> guesses = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    boolean textMode = format == CopyFormat.CSV;
    long rows = 0;
    try (RowSource source = RowSources.open(file, options)) {
      if (source instanceof CsvRowSource) {
        for (String n : ((CsvRowSource) source).names()) {
          rawNames.add(n);
          guesses.add(new ColumnGuess(true));
        }
      }
      for (SourceRow row = source.next(); row != null; row = source.next()) {
        List<String> names = row.names();
        Object[] values = row.values();
        for (int i = 0; i < values.length; i++) {
          int column = i;
          if (!textMode) {
            Integer known = index.get(names.get(i));
            if (known == null) {
              known = rawNames.size();
              index.put(names.get(i), known);
              rawNames.add(names.get(i));
              guesses.add(new ColumnGuess(false));
            }
            column = known;
          }
          guesses.get(column).offer(values[i]);
        }
        if (++rows % STOP_CHECK_ROWS == 0 && stop.getAsBoolean()) {
          throw new RowConverter.Stopped();
        }
      }
    }
    if (rawNames.isEmpty()) {
      throw NqlException.of(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          "Cannot infer a schema from '%s': the file has no columns",
          file.getFileName());
    }
    return InferredColumns.guessed(name, ColumnNames.normalizeAll(rawNames), guesses);
  }
}
