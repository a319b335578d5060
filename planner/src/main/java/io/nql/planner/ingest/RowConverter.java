package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;

/**
 * Turns the rows of files into records of one table: file columns are matched to table columns by
 * name (exactly, then ignoring case, then after {@link ColumnNames} normalization) and values are
 * converted to the columns' types. A file column without a table column is an error; a table column
 * without a file column is NULL (an error when the column is required).
 *
 * <p>Immutable once built, so the threads of a load share one; each call of {@link #copy} keeps its
 * own per-file state.
 */
final class RowConverter {
  /** Bytes read between two reports of progress. */
  static final long PROGRESS_STEP = 1 << 20;

  /** Rows between two looks at the stop signal. */
  private static final int STOP_CHECK_ROWS = 256;

  private static final int MAX_SHOWN_VALUE = 100;

  private final Schema schema;
  private final String tableName;
  private final List<Types.NestedField> fields;
  private final ValueConverter.Conversion[] conversions;
  private final ColumnMatcher matcher;

  /**
   * @param schema the table's schema; records are built in it
   * @param tableName the table's name in error messages (the dataset name)
   */
  RowConverter(Schema schema, String tableName) {
    this.schema = schema;
    this.tableName = tableName;
    this.fields = schema.columns();
    this.conversions = new ValueConverter.Conversion[fields.size()];
    for (int i = 0; i < conversions.length; i++) {
      conversions[i] = ValueConverter.forType(fields.get(i).type());
    }
    this.matcher = new ColumnMatcher(fields);
  }

  /**
   * Thrown out of {@link #copy} when its stop signal is raised: the file was not read to its end.
   */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopped", null, false, false);
    }
  }

  /**
   * Reads every row of {@code source}, converts it and writes it to {@code writer}.
   *
   * @param fileName the file's name in error messages
   * @param bytesRead receives {@link RowSource#bytesRead()} every {@link #PROGRESS_STEP} bytes or
   *     so (not at the end: the caller knows the size)
   * @param stop looked at every few hundred rows
   * @return rows written
   * @throws NqlException for a malformed row or a value that does not fit its column, naming the
   *     file and the line (or row)
   * @throws Stopped when {@code stop} said so
   */
  long copy(
      RowSource source,
      String fileName,
      RecordWriter writer,
      LongConsumer bytesRead,
      BooleanSupplier stop) {
    Map<List<String>, int[]> fixedMappings = new IdentityHashMap<>();
    Map<String, Integer> keyMappings = new HashMap<>();
    long nextReport = PROGRESS_STEP;
    long rows = 0;
    if (source instanceof CsvRowSource csv) {
      List<String> names = csv.names();
      if (!names.isEmpty()) {
        fixedMappings.put(names, fixedMapping(names, fileName));
      }
    } else if (source instanceof ParquetRowSource parquet) {
      List<String> names = parquet.names();
      fixedMappings.put(names, fixedMapping(names, fileName));
    }
    for (SourceRow row = source.next(); row != null; row = source.next()) {
      int[] targets = fixedMappings.get(row.names());
      if (targets == null) {
        targets = keyMapping(row, keyMappings, fileName, source);
      }
      writer.write(record(row, targets, fileName, source));
      rows++;
      if (source.bytesRead() >= nextReport) {
        bytesRead.accept(source.bytesRead());
        nextReport = source.bytesRead() + PROGRESS_STEP;
      }
      if (rows % STOP_CHECK_ROWS == 0 && stop.getAsBoolean()) {
        throw new Stopped();
      }
    }
    return rows;
  }

  private GenericRecord record(SourceRow row, int[] targets, String fileName, RowSource source) {
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
    return record;
  }

  private int[] fixedMapping(List<String> names, String fileName) {
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
        int[] inferred = exactMapping(normalized);
        if (inferred != null) {
          return checkRequired(inferred, fileName);
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
      throw NqlException.of(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot load '%s': %s %s not in table '%s'",
          fileName,
          unknown.size() == 1 ? "column" : "columns",
          String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are"),
          tableName);
    }
    return checkRequired(targets, fileName);
  }

  /**
   * The mapping of file columns whose normalized, disambiguated names are each exactly a distinct
   * table column, or null.
   */
  private int[] exactMapping(List<String> normalized) {
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
  private int[] checkRequired(int[] targets, String fileName) {
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

  private int[] keyMapping(
      SourceRow row, Map<String, Integer> cache, String fileName, RowSource source) {
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
