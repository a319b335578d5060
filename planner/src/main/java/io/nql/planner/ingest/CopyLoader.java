package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ProgressListener;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;

/**
 * Loads one file into an existing Iceberg table as one append snapshot, all or nothing.
 *
 * <p>File columns are matched to table columns by name: exactly, then ignoring case, then after
 * {@link ColumnNames} normalization. A file column without a table column is an error; a table
 * column without a file column is NULL (an error when the column is required).
 */
public final class CopyLoader {
  private static final long PROGRESS_STEP = 1 << 20;
  private static final int MAX_SHOWN_VALUE = 100;

  private CopyLoader() {}

  /**
   * Reads {@code file} and appends its rows to {@code table} in one snapshot.
   *
   * @param table the target table; its current schema and partition spec are used
   * @param file a canonical path, usually from {@link IngestRoots#resolve(String, String)}
   * @param options format and CSV options
   * @param progress receives bytes read / total bytes
   * @return rows, files and bytes written and the new snapshot id
   * @throws NqlException on any error, after deleting every data file written; the table is
   *     unchanged. Codes: {@link ErrorCode#BAD_COPY_FILE_FORMAT} (malformed file), {@link
   *     ErrorCode#INVALID_TEXT_REPRESENTATION} / {@link ErrorCode#NUMERIC_VALUE_OUT_OF_RANGE} (a
   *     value that does not fit its column), {@link ErrorCode#DATA_EXCEPTION} (NULL in a required
   *     column), {@link ErrorCode#UNKNOWN_COLUMN} (file columns the table lacks), {@link
   *     ErrorCode#IO_ERROR}
   */
  public static LoadResult load(
      Table table, Path file, CopyOptions options, ProgressListener progress) {
    return load(table, tableName(table), file, options, progress);
  }

  /**
   * Like {@link #load(Table, Path, CopyOptions, ProgressListener)}, naming the table in error
   * messages as the user knows it (the dataset name) rather than by its Iceberg identifier.
   *
   * @param displayName the table's name in error messages
   */
  public static LoadResult load(
      Table table, String displayName, Path file, CopyOptions options, ProgressListener progress) {
    String fileName = file.getFileName().toString();
    Schema schema = table.schema();
    List<Types.NestedField> fields = schema.columns();
    ValueConverter.Conversion[] conversions = new ValueConverter.Conversion[fields.size()];
    for (int i = 0; i < conversions.length; i++) {
      conversions[i] = ValueConverter.forType(fields.get(i).type());
    }
    ColumnMatcher matcher = new ColumnMatcher(fields);
    try (RowSource source = RowSources.open(file, options);
        RecordWriter writer = RecordWriter.open(table)) {
      Map<List<String>, int[]> fixedMappings = new IdentityHashMap<>();
      Map<String, Integer> keyMappings = new HashMap<>();
      long nextReport = PROGRESS_STEP;
      progress.progress(0, source.totalBytes());
      if (source instanceof CsvRowSource) {
        List<String> names = ((CsvRowSource) source).names();
        if (!names.isEmpty()) {
          fixedMappings.put(names, fixedMapping(names, matcher, fields, fileName, displayName));
        }
      } else if (source instanceof ParquetRowSource) {
        List<String> names = ((ParquetRowSource) source).names();
        fixedMappings.put(names, fixedMapping(names, matcher, fields, fileName, displayName));
      }
      for (SourceRow row = source.next(); row != null; row = source.next()) {
        int[] targets = fixedMappings.get(row.names());
        if (targets == null) {
          targets = keyMapping(row, matcher, keyMappings, fileName, source, displayName);
        }
        GenericRecord record = GenericRecord.create(schema);
        Object[] values = row.values();
        for (int i = 0; i < values.length; i++) {
          Object value = values[i];
          if (value == null) {
            continue;
          }
          int target = targets[i];
          ValueConverter.Conversion conversion = conversions[target];
          if (conversion == null) {
            throw NqlException.of(
                ErrorCode.NOT_SUPPORTED,
                "Cannot load '%s': column '%s' has a type that files cannot be loaded into",
                fileName,
                fields.get(target).name());
          }
          try {
            record.set(target, conversion.apply(value));
          } catch (ValueConverter.Failure f) {
            throw NqlException.of(
                f.code,
                "Cannot load '%s': %s %d, column '%s': '%s' %s",
                fileName,
                source.positionWord(),
                row.position(),
                fields.get(target).name(),
                shown(value),
                f.getMessage());
          }
        }
        for (int t = 0; t < fields.size(); t++) {
          if (fields.get(t).isRequired() && record.get(t) == null) {
            throw NqlException.of(
                ErrorCode.DATA_EXCEPTION,
                "Cannot load '%s': %s %d, column '%s': NULL is not allowed in a required column",
                fileName,
                source.positionWord(),
                row.position(),
                fields.get(t).name());
          }
        }
        writer.write(record);
        if (source.bytesRead() >= nextReport) {
          progress.progress(source.bytesRead(), source.totalBytes());
          nextReport = source.bytesRead() + PROGRESS_STEP;
        }
      }
      progress.progress(source.totalBytes(), source.totalBytes());
      RecordWriter.AppendResult result =
          writer.commit(Map.of("nql.source-file", fileName, "nql.operation", "copy-into"));
      return new LoadResult(
          result.rows(), result.dataFiles().size(), result.bytes(), result.snapshotId());
    } catch (NqlException e) {
      throw e;
    } catch (UncheckedIOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR,
          String.format(
              Locale.ROOT, "Cannot load '%s': I/O error while writing the table", fileName),
          e);
    } catch (RuntimeException e) {
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR,
          String.format(Locale.ROOT, "Cannot load '%s': internal error", fileName),
          e);
    }
  }

  private static int[] fixedMapping(
      List<String> names,
      ColumnMatcher matcher,
      List<Types.NestedField> fields,
      String fileName,
      String tableName) {
    List<String> normalized = ColumnNames.normalizeAll(names);
    int[] targets = new int[names.size()];
    List<String> unknown = new ArrayList<>();
    boolean[] covered = new boolean[fields.size()];
    for (int i = 0; i < targets.length; i++) {
      int t = matcher.match(names.get(i), normalized.get(i));
      targets[i] = t;
      if (t < 0) {
        unknown.add("'" + names.get(i) + "'");
      } else if (covered[t]) {
        // Headers such as "Name,name" match one column twice when compared loosely, yet they are
        // the names schema inference gives distinct columns (name, name_2): use those if they fit.
        int[] inferred = exactMapping(normalized, fields);
        if (inferred != null) {
          return checkRequired(inferred, fields, fileName);
        }
        throw NqlException.of(
            ErrorCode.BAD_COPY_FILE_FORMAT,
            "Cannot load '%s': two file columns match column '%s'",
            fileName,
            fields.get(t).name());
      } else {
        covered[t] = true;
      }
    }
    if (!unknown.isEmpty()) {
      throw unknownColumns(fileName, unknown, tableName);
    }
    return checkRequired(targets, fields, fileName);
  }

  /**
   * The mapping of file columns whose normalized, disambiguated names are each exactly a distinct
   * table column, or null.
   */
  private static int[] exactMapping(List<String> normalized, List<Types.NestedField> fields) {
    Map<String, Integer> byName = new HashMap<>();
    for (int t = 0; t < fields.size(); t++) {
      byName.put(fields.get(t).name(), t);
    }
    int[] targets = new int[normalized.size()];
    boolean[] used = new boolean[fields.size()];
    for (int i = 0; i < targets.length; i++) {
      Integer t = byName.get(normalized.get(i));
      if (t == null || used[t]) {
        return null;
      }
      used[t] = true;
      targets[i] = t;
    }
    return targets;
  }

  /** Checks that every required column is covered by {@code targets}. */
  private static int[] checkRequired(
      int[] targets, List<Types.NestedField> fields, String fileName) {
    boolean[] covered = new boolean[fields.size()];
    for (int t : targets) {
      covered[t] = true;
    }
    for (int t = 0; t < fields.size(); t++) {
      if (!covered[t] && fields.get(t).isRequired()) {
        throw NqlException.of(
            ErrorCode.DATA_EXCEPTION,
            "Cannot load '%s': required column '%s' is missing from the file",
            fileName,
            fields.get(t).name());
      }
    }
    return targets;
  }

  private static int[] keyMapping(
      SourceRow row,
      ColumnMatcher matcher,
      Map<String, Integer> cache,
      String fileName,
      RowSource source,
      String tableName) {
    List<String> names = row.names();
    int[] targets = new int[names.size()];
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      String name = names.get(i);
      Integer t = cache.get(name);
      if (t == null) {
        t = matcher.match(name, ColumnNames.normalize(name, i + 1));
        cache.put(name, t);
      }
      targets[i] = t;
      if (t < 0) {
        unknown.add("'" + name + "'");
      }
    }
    if (!unknown.isEmpty()) {
      throw NqlException.of(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot load '%s': %s %d: %s %s not in table '%s'",
          fileName,
          source.positionWord(),
          row.position(),
          unknown.size() == 1 ? "key" : "keys",
          String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are"),
          tableName);
    }
    return targets;
  }

  private static NqlException unknownColumns(
      String fileName, List<String> unknown, String tableName) {
    return NqlException.of(
        ErrorCode.UNKNOWN_COLUMN,
        "Cannot load '%s': %s %s not in table '%s'",
        fileName,
        unknown.size() == 1 ? "column" : "columns",
        String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are"),
        tableName);
  }

  private static String tableName(Table table) {
    String name = table.name();
    int slash = name.lastIndexOf('/');
    return slash >= 0 ? name.substring(slash + 1) : name;
  }

  private static String shown(Object value) {
    String text =
        value instanceof java.math.BigDecimal
            ? ((java.math.BigDecimal) value).toPlainString()
            : String.valueOf(value);
    return text.length() > MAX_SHOWN_VALUE ? text.substring(0, MAX_SHOWN_VALUE) + "…" : text;
  }

  /** Finds the table column for a file column name. */
  private static final class ColumnMatcher {
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> folded = new HashMap<>();

    ColumnMatcher(List<Types.NestedField> fields) {
      for (int i = 0; i < fields.size(); i++) {
        exact.put(fields.get(i).name(), i);
        folded.putIfAbsent(fields.get(i).name().toLowerCase(Locale.ROOT), i);
      }
    }

    int match(String raw, String normalized) {
      Integer t = exact.get(raw);
      if (t == null) {
        t = folded.get(raw.toLowerCase(Locale.ROOT));
      }
      if (t == null) {
        t = exact.get(normalized);
      }
      if (t == null) {
        t = folded.get(normalized);
      }
      return t == null ? -1 : t;
    }
  }
}
