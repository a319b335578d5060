package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.error.StorageErrors;
import io.nql.planner.result.ProgressListener;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.iceberg.Table;

/**
 * Loads files into an existing Iceberg table as one append snapshot, all or nothing.
 *
 * <p>File columns are matched to table columns by name: exactly, then ignoring case, then after
 * {@link ColumnNames} normalization ({@link RowConverter}). A file column without a table column is
 * an error; a table column without a file column is NULL (an error when the column is required).
 *
 * <p>Several files are read on several threads ({@link FileTasks}), each thread writing its own
 * data files, which are appended together as one snapshot. The snapshot's summary records which
 * files it loaded ({@link LoadedFiles}).
 */
public final class CopyLoader {
  /** Snapshot summary property naming the one file a snapshot loaded. */
  public static final String SOURCE_FILE_PROPERTY = "nql.source-file";

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
   *     ErrorCode#DISK_FULL} (no space left for the table's files), {@link ErrorCode#IO_ERROR}
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
    SourceFile source = SourceFile.of(file, file.getFileName().toString(), null);
    CopySource one = new CopySource(file.toString(), false, null, List.of(source));
    return load(
        table, displayName, new CopyPlan(one, one.files(), 0, null), options, 1, 0, progress);
  }

  /**
   * Reads the files of {@code plan} on up to {@code threads} threads and appends their rows to
   * {@code table} in one snapshot, whose summary records the files ({@link LoadedFiles#PROPERTY}).
   *
   * @param threads the most threads to read with (at most one per file)
   * @param alreadyRead bytes reported before this load by the same statement (the reading of the
   *     files to infer the schema); progress reports {@code alreadyRead + bytes read} of {@code
   *     alreadyRead + bytes of the files}
   * @return what was loaded; with no files, nothing is committed
   * @throws NqlException as {@link #load(Table, Path, CopyOptions, ProgressListener)}, naming the
   *     first failing file in order (and its line); {@link ErrorCode#SERIALIZATION_FAILURE} when an
   *     {@code INCREMENTAL} load finds at its commit that another statement loaded some of the same
   *     files first; {@link ErrorCode#QUERY_CANCELED} (or what else {@code progress} threw) at a
   *     cancel. The table is then unchanged and every data file written deleted.
   */
  public static LoadResult load(
      Table table,
      String displayName,
      CopyPlan plan,
      CopyOptions options,
      int threads,
      long alreadyRead,
      ProgressListener progress) {
    List<SourceFile> files = plan.files();
    if (files.isEmpty()) {
      return new LoadResult(0, 0, 0, OptionalLong.empty(), 0, plan.skipped());
    }
    int workers = Math.max(1, Math.min(threads, files.size()));
    RowConverter converter = new RowConverter(table.schema(), displayName);
    List<RecordWriter> writers = new ArrayList<>();
    String first = files.get(0).name();
    try {
      for (int w = 0; w < workers; w++) {
        // Each thread buffers a sorted run of its own: together they stay within one run's bound.
        writers.add(
            RecordWriter.open(
                table,
                RecordWriter.DEFAULT_TARGET_FILE_SIZE,
                RecordWriter.DEFAULT_RUN_BYTES / workers));
      }
      FileTasks.run(
          files,
          workers,
          progress,
          alreadyRead,
          alreadyRead + plan.bytes(),
          true,
          (worker, index, context) ->
              copyFile(files.get(index), options, converter, writers.get(worker), context));
      RecordWriter.AppendResult result =
          writers.get(0).commitWith(writers.subList(1, workers), summary(plan), plan.validator());
      return new LoadResult(
          result.rows(),
          result.dataFiles().size(),
          result.bytes(),
          result.snapshotId(),
          files.size(),
          plan.skipped());
    } catch (NqlException e) {
      if (e.code() == ErrorCode.DISK_FULL) { // named as the user wrote the load
        throw StorageErrors.writeFailed(
            String.format(Locale.ROOT, "Cannot load '%s'", first), "disk full", e);
      }
      if (plan.validator() != null && plan.validator().refused()) {
        throw new NqlException(
            ErrorCode.SERIALIZATION_FAILURE,
            String.format(
                Locale.ROOT,
                "Cannot load '%s': another statement loaded some of the same files into '%s' at"
                    + " the same time; nothing was loaded, run the statement again to load the"
                    + " files still new",
                plan.source().asWritten(),
                displayName),
            e);
      }
      throw e;
    } catch (UncheckedIOException e) {
      throw StorageErrors.writeFailed(
          String.format(Locale.ROOT, "Cannot load '%s'", first),
          "I/O error while writing the table",
          e);
    } catch (RuntimeException e) {
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR,
          String.format(Locale.ROOT, "Cannot load '%s': internal error", first),
          e);
    } finally {
      // Deletes the files of every writer unless they were committed.
      writers.forEach(RecordWriter::close);
    }
  }

  private static void copyFile(
      SourceFile file,
      CopyOptions options,
      RowConverter converter,
      RecordWriter writer,
      FileTasks.Context context) {
    long[] reported = {0};
    try (RowSource source = RowSources.open(file.path(), options)) {
      converter.copy(
          source,
          file.name(),
          writer,
          read -> {
            context.read(read - reported[0]);
            reported[0] = read;
          },
          context::stopped);
    }
    file.checkUnchanged();
    context.read(Math.max(0, file.size() - reported[0]));
  }

  private static Map<String, String> summary(CopyPlan plan) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("nql.operation", "copy-into");
    if (!plan.source().directory()) {
      summary.put(SOURCE_FILE_PROPERTY, plan.files().get(0).path().getFileName().toString());
    }
    String record = LoadedFiles.summaryValue(plan.files());
    if (record != null) {
      summary.put(LoadedFiles.PROPERTY, record);
    }
    return summary;
  }

  private static String tableName(Table table) {
    String name = table.name();
    int slash = name.lastIndexOf('/');
    return slash >= 0 ? name.substring(slash + 1) : name;
  }
}
