package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes the rows of a statement to an existing table as one snapshot, all or nothing: appended
 * ({@code INSERT INTO … VALUES | SELECT}) or in place of the files they were read from ({@code
 * DELETE}, {@code UPDATE}). Each value is converted to its column's type as {@code COPY INTO}
 * converts a file's values (numbers, text, dates and timestamps; a DECIMAL rounded half up to its
 * scale, a value that does not fit its type an error); a column the statement does not name is
 * NULL, an error when the column is required.
 */
public final class RowAppender {
  private static final int MAX_SHOWN_VALUE = 100;

  private RowAppender() {}

  /**
   * Appends {@code rows} to {@code table}.
   *
   * @param displayName the table as the user names it, in error messages
   * @param targets for each value of a row, the index of its table column
   * @param rows the next row, or null at the end (a failure it throws stops the append)
   * @return rows appended and the new snapshot (none when there were no rows)
   * @throws NqlException on any error, after deleting every data file written; the table is
   *     unchanged
   */
  public static LoadResult append(
      Table table, String displayName, int[] targets, Supplier<Object @Nullable []> rows) {
    return append(table, displayName, targets, rows, Map::of);
  }

  /** {@link #append} with more snapshot summary properties, asked for once every row is written. */
  public static LoadResult append(
      Table table,
      String displayName,
      int[] targets,
      Supplier<Object @Nullable []> rows,
      Supplier<Map<String, String>> summary) {
    return write(
        table,
        "insert into " + displayName,
        targets,
        false,
        rows,
        writer -> writer.commit(with(summary.get(), "insert")));
  }

  private static Map<String, String> with(Map<String, String> summary, String operation) {
    Map<String, String> out = new java.util.HashMap<>(summary);
    out.put("nql.operation", operation);
    return out;
  }

  /**
   * Appends {@code rows} to {@code table} for a statement other than INSERT (an import); arguments
   * and errors as {@link #append}.
   *
   * @param what the statement's verb and the table, in error messages ({@code import into
   *     company_data.orders})
   * @param summary snapshot summary properties (e.g. {@code nql.operation})
   */
  public static LoadResult appendAs(
      Table table,
      String what,
      int[] targets,
      Supplier<Object @Nullable []> rows,
      Map<String, String> summary) {
    return write(table, what, targets, false, rows, writer -> writer.commit(summary));
  }

  /**
   * Writes {@code rows} to new files that replace {@code replaced}, the data files of {@code
   * fromSnapshot} (a view's overwrite, an ingest's replace), in one overwrite snapshot; arguments
   * and errors as {@link #append}, and 40001 when the table changed since {@code fromSnapshot}.
   *
   * @param operation the snapshot summary's {@code nql.operation}, and the verb of error messages
   * @param changed asked once every row is written: whether any row changed (else nothing is
   *     committed and the files written are deleted)
   */
  public static LoadResult replace(
      Table table,
      String displayName,
      int[] targets,
      Supplier<Object @Nullable []> rows,
      long fromSnapshot,
      List<org.apache.iceberg.DataFile> replaced,
      String operation,
      java.util.function.BooleanSupplier changed) {
    return replace(
        table,
        displayName,
        targets,
        false,
        rows,
        fromSnapshot,
        replaced,
        operation,
        changed,
        Map::of);
  }

  /**
   * {@link #replace} with more snapshot summary properties, asked for once every row is written.
   */
  public static LoadResult replace(
      Table table,
      String displayName,
      int[] targets,
      Supplier<Object @Nullable []> rows,
      long fromSnapshot,
      List<org.apache.iceberg.DataFile> replaced,
      String operation,
      java.util.function.BooleanSupplier changed,
      Supplier<Map<String, String>> summary) {
    return replace(
        table,
        displayName,
        targets,
        false,
        rows,
        fromSnapshot,
        replaced,
        operation,
        changed,
        summary);
  }

  /**
   * {@link #replace} of rows that keep their lineage (Iceberg row lineage) (copy-on-write {@code
   * DELETE} and {@code UPDATE}) or not.
   *
   * @param lineage whether each row ends with the row id and the last-updated sequence number it
   *     keeps (after its values; null: a new one), written to the files' lineage columns
   */
  public static LoadResult replace(
      Table table,
      String displayName,
      int[] targets,
      boolean lineage,
      Supplier<Object @Nullable []> rows,
      long fromSnapshot,
      List<org.apache.iceberg.DataFile> replaced,
      String operation,
      java.util.function.BooleanSupplier changed,
      Supplier<Map<String, String>> summary) {
    return write(
        table,
        (operation.equals("delete") ? "delete from " : operation + " ") + displayName,
        targets,
        lineage,
        rows,
        writer -> {
          if (!changed.getAsBoolean()) { // nothing to replace: the table stays as it is
            writer.abort();
            return new RecordWriter.AppendResult(0, List.of(), 0, java.util.OptionalLong.empty());
          }
          return writer.commitReplacing(fromSnapshot, replaced, with(summary.get(), operation));
        });
  }

  /**
   * @param what the statement's verb and the table, in error messages ({@code insert into
   *     company_data.events})
   */
  private static LoadResult write(
      Table table,
      String what,
      int[] targets,
      boolean lineage,
      Supplier<Object @Nullable []> rows,
      java.util.function.Function<RecordWriter, RecordWriter.AppendResult> commit) {
    List<Types.NestedField> fields = table.schema().columns();
    org.apache.iceberg.Schema written =
        lineage
            ? org.apache.iceberg.MetadataColumns.schemaWithRowLineage(table.schema())
            : table.schema();
    ValueConverter.Conversion[] conversions = new ValueConverter.Conversion[targets.length];
    for (int i = 0; i < targets.length; i++) {
      conversions[i] = ValueConverter.forType(fields.get(targets[i]).type());
      if (conversions[i] == null) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot %s: column '%s' has a type that rows cannot be inserted into",
            what,
            fields.get(targets[i]).name());
      }
    }
    try (RecordWriter writer =
        lineage ? RecordWriter.openWithLineage(table) : RecordWriter.open(table)) {
      long position = 0;
      for (Object[] row = rows.get(); row != null; row = rows.get()) {
        position++;
        GenericRecord record = GenericRecord.create(written);
        if (lineage) {
          record.set(fields.size(), row[targets.length]);
          record.set(fields.size() + 1, row[targets.length + 1]);
        }
        for (int i = 0; i < targets.length; i++) {
          Object value = row[i];
          if (value == null) {
            continue;
          }
          try {
            record.set(targets[i], conversions[i].apply(value));
          } catch (ValueConverter.Failure f) {
            throw NqlException.of(
                f.code,
                "Cannot %s: row %d, column '%s': '%s' %s",
                what,
                position,
                fields.get(targets[i]).name(),
                shown(value),
                f.getMessage());
          }
        }
        for (int t = 0; t < fields.size(); t++) {
          if (fields.get(t).isRequired() && record.get(t) == null) {
            throw NqlException.of(
                ErrorCode.NOT_NULL_VIOLATION,
                "Cannot %s: row %d, column '%s': NULL is not allowed in a required" + " column",
                what,
                position,
                fields.get(t).name());
          }
        }
        writer.write(record);
      }
      RecordWriter.AppendResult result = commit.apply(writer);
      return new LoadResult(
          result.rows(), result.dataFiles().size(), result.bytes(), result.snapshotId());
    } catch (NqlException e) {
      if (e.code() == ErrorCode.SERIALIZATION_FAILURE) { // named as the user names the table
        throw new NqlException(
            e.code(),
            "Cannot "
                + what
                + ": another statement changed it while this one ran; run the statement again",
            e);
      }
      throw e;
    } catch (UncheckedIOException e) {
      throw io.nql.planner.error.StorageErrors.writeFailed(
          "Cannot " + what, "I/O error while writing the table", e);
    }
  }

  private static String shown(Object value) {
    String text =
        value instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(value);
    return text.length() > MAX_SHOWN_VALUE ? text.substring(0, MAX_SHOWN_VALUE) + "…" : text;
  }
}
