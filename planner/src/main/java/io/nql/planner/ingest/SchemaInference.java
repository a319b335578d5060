package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Infers the schema of a new dataset from a file: column names normalized by {@link ColumnNames},
 * types chosen over every value of the file (one full pass), every column nullable. The rules are
 * documented in {@code docs/reference/copy-into.md}.
 */
public final class SchemaInference {
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
    CopyFormat format = options.formatFor(file);
    if (format == CopyFormat.PARQUET) {
      try (ParquetRowSource source = new ParquetRowSource(file)) {
        return renamed(source.schema());
      }
    }
    List<String> rawNames = new ArrayList<>();
    List<ColumnGuess> guesses = new ArrayList<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    boolean textMode = format == CopyFormat.CSV;
    try (RowSource source = RowSources.open(file, options)) {
      if (source instanceof CsvRowSource) {
        for (String name : ((CsvRowSource) source).names()) {
          rawNames.add(name);
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
      }
    }
    if (rawNames.isEmpty()) {
      throw NqlException.of(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          "Cannot infer a schema from '%s': the file has no columns",
          file.getFileName());
    }
    List<String> names = ColumnNames.normalizeAll(rawNames);
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(Types.NestedField.optional(i + 1, names.get(i), guesses.get(i).type()));
    }
    return new Schema(fields);
  }

  private static Schema renamed(Schema fileSchema) {
    List<String> raw = new ArrayList<>();
    for (Types.NestedField f : fileSchema.columns()) {
      raw.add(f.name());
    }
    List<String> names = ColumnNames.normalizeAll(raw);
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(
          Types.NestedField.optional(i + 1, names.get(i), fileSchema.columns().get(i).type()));
    }
    return new Schema(fields);
  }
}
