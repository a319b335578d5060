package io.nql.planner.maintenance;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.ingest.RecordWriter;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.store.Dataset;
import io.nql.planner.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.iceberg.util.StructLikeWrapper;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Compaction of a dataset's small data files ({@code OPTIMIZE}, and the scheduler's maintenance):
 * the rows of the small files of each partition are read and written again into files of about the
 * target size, in the table's sort order when it has one, and the new files replace the old ones in
 * one Iceberg {@code RewriteFiles} snapshot. The table's rows do not change.
 *
 * <p><b>Row lineage.</b> Every row keeps its {@linkplain Lineage row id} and the sequence number of
 * its last update: both are read (an id a row inherits from its file is materialized) and written
 * as the new files' lineage columns. A materialized view's {@code DELTA} read positions on row ids,
 * so a compacted row is never read, nor charged, again.
 *
 * <p><b>Concurrency.</b> The rewrite is validated against what committed since the snapshot it
 * read: rows appended meanwhile stay (they are not in the rewritten files), and a {@code DELETE} or
 * {@code UPDATE} that replaced one of the rewritten files makes the rewrite fail rather than bring
 * its rows back. Such a conflict is retried on the new snapshot up to {@link #ATTEMPTS} times in
 * all, then reported as 40001. A failure deletes every file written: no partial state.
 *
 * <p>Which files: the data files of the current snapshot smaller than {@link Options#smallFile}
 * (75% of the target size), grouped by partition; a group is rewritten when it has two files or
 * more. With {@link Options#rewriteAll}, every file is rewritten (a new sort order or partition
 * spec applied to all rows). Files with delete files attached are left as they are (datasets are
 * written copy-on-write, so they have none). Nothing to rewrite commits nothing (no new snapshot).
 *
 * <p>Rows are sorted in runs of {@link RecordWriter#DEFAULT_RUN_BYTES} estimated bytes: a
 * partition's rows beyond that are written as several sorted runs.
 */
public final class Compaction {
  /** Tries of a compaction whose commit conflicts with a concurrent change. */
  static final int ATTEMPTS = 3;

  /** The snapshot summary's {@code nql.operation} of a compaction. */
  public static final String OPERATION = "optimize";

  private Compaction() {}

  /**
   * How a compaction chooses and writes files.
   *
   * @param targetFileSize the size new files roll over at, in bytes
   * @param rewriteAll whether every file is rewritten, small or not (a new layout applied)
   */
  public record Options(long targetFileSize, boolean rewriteAll) {
    /** The defaults: {@link RecordWriter#DEFAULT_TARGET_FILE_SIZE}, small files only. */
    public static final Options DEFAULT = new Options(RecordWriter.DEFAULT_TARGET_FILE_SIZE, false);

    /** Files below this size (75% of the target) are small. */
    public long smallFile() {
      return targetFileSize / 4 * 3;
    }
  }

  /**
   * What a compaction did.
   *
   * @param filesBefore data files of the dataset before
   * @param filesAfter data files after
   * @param filesRewritten files replaced
   * @param filesWritten files written in their place
   * @param rows rows rewritten
   * @param bytesBefore bytes of the data files before
   * @param bytesAfter bytes of the data files after
   * @param snapshotId the rewrite's snapshot; empty when nothing was rewritten
   */
  public record Result(
      int filesBefore,
      int filesAfter,
      int filesRewritten,
      int filesWritten,
      long rows,
      long bytesBefore,
      long bytesAfter,
      OptionalLong snapshotId) {}

  /**
   * Compacts a dataset's small files (see the class comment). The caller has checked that the
   * dataset is its own; after a commit it records the data change as any writer does (cached tables
   * and plans are checked against the new snapshot).
   *
   * @param progress told the bytes and files read so far of the files rewritten, after each file; a
   *     listener that throws (a cancel) stops the compaction with nothing committed
   * @throws NqlException 40001 when concurrent changes conflicted {@link #ATTEMPTS} times; 58030 on
   *     I/O errors; the dataset is unchanged
   */
  public static Result run(
      Warehouse warehouse, Dataset dataset, Options options, ProgressListener progress) {
    return attempts(warehouse, dataset, "optimize", options, null, progress);
  }

  /**
   * Changes a dataset's layout and rewrites every data file into it, in one Iceberg transaction:
   * {@code layout} makes its changes in the transaction ({@code replaceSortOrder()}, {@code
   * updateSpec()}, each committed to the transaction only), the files are read, written in the new
   * order and spec (at the default target size) and swapped in by a {@code RewriteFiles} of the
   * same transaction, which is then committed: one new snapshot and the new layout together, or
   * nothing at all (a conflict, a cancel, an I/O error leave the table's sort order, spec and
   * snapshot as they were). Conflicts are retried as {@link #run}'s; row lineage is kept the same
   * way. A table with no data files gets the new layout alone (a metadata commit).
   *
   * @param layout the changes of layout, applied to a new transaction at each attempt
   */
  public static Result relayout(
      Warehouse warehouse,
      Dataset dataset,
      Consumer<Transaction> layout,
      ProgressListener progress) {
    return attempts(
        warehouse,
        dataset,
        "apply the recommendation for",
        new Options(Options.DEFAULT.targetFileSize(), true),
        layout,
        progress);
  }

  private static Result attempts(
      Warehouse warehouse,
      Dataset dataset,
      String verb,
      Options options,
      @Nullable Consumer<Transaction> layout,
      ProgressListener progress) {
    String name = verb + " company_data." + dataset.name();
    for (int attempt = 1; ; attempt++) {
      Table table = warehouse.loadTable(dataset);
      Transaction transaction = null;
      if (layout != null) {
        transaction = table.newTransaction();
        layout.accept(transaction);
      }
      try {
        return once(table, name, options, progress, transaction);
      } catch (NqlException e) {
        if (e.code() != ErrorCode.SERIALIZATION_FAILURE || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * One compaction of {@code table}'s current snapshot; with a transaction (begun on {@code table}
   * at that snapshot), the files are written in the transaction's layout and the rewrite commits
   * it.
   *
   * @param name what is done to which dataset, for messages ({@code optimize company_data.x})
   */
  static Result once(
      Table table,
      String name,
      Options options,
      ProgressListener progress,
      @Nullable Transaction transaction) {
    Snapshot snapshot = table.currentSnapshot();
    List<FileScanTask> tasks = snapshot == null ? List.of() : tasks(table, snapshot);
    long bytesBefore = tasks.stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
    List<FileScanTask> chosen = chosen(table, tasks, options);
    if (chosen.isEmpty()) {
      if (transaction != null) {
        commitLayoutOnly(transaction, name);
      }
      return new Result(
          tasks.size(), tasks.size(), 0, 0, 0, bytesBefore, bytesBefore, OptionalLong.empty());
    }
    if (!Lineage.tracked(table)) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot %s: its rows have no row lineage, which a rewrite must keep",
          name);
    }
    Schema read = Lineage.withLineage(table.schema());
    long total = chosen.stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
    long done = 0;
    int filesDone = 0;
    List<DataFile> replaced = new ArrayList<>();
    // a transaction's table writes in the new layout (but cannot plan scans: those use the table)
    Table written = transaction == null ? table : transaction.table();
    try (RecordWriter writer = RecordWriter.openWithLineage(written, options.targetFileSize())) {
      for (FileScanTask task : chosen) {
        try (CloseableIterable<Record> rows = reader(table, task, read)) {
          for (Record r : rows) {
            writer.write(r);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        replaced.add(task.file());
        done += task.file().fileSizeInBytes();
        filesDone++;
        progress.progress(done, total, filesDone, chosen.size());
      }
      Map<String, String> summary = Map.of("nql.operation", OPERATION);
      RecordWriter.AppendResult result =
          writer.commitRewriting(snapshot.snapshotId(), replaced, summary, transaction);
      int after = tasks.size() - replaced.size() + result.dataFiles().size();
      return new Result(
          tasks.size(),
          after,
          replaced.size(),
          result.dataFiles().size(),
          result.rows(),
          bytesBefore,
          bytesBefore - total + result.bytes(),
          result.snapshotId());
    } catch (UncheckedIOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR, "Cannot " + name + ": I/O error while rewriting it", e);
    } catch (NqlException e) {
      if (e.code() == ErrorCode.SERIALIZATION_FAILURE) { // named as the user names the dataset
        throw new NqlException(
            e.code(),
            "Cannot "
                + name
                + ": another statement changed it while it was rewritten; run it again",
            e);
      }
      throw e;
    }
  }

  /** Commits a transaction that only changes the layout (no files to rewrite). */
  private static void commitLayoutOnly(Transaction transaction, String name) {
    try {
      transaction.commitTransaction();
    } catch (CommitFailedException e) {
      throw new NqlException(
          ErrorCode.SERIALIZATION_FAILURE,
          "Cannot " + name + ": another statement changed it at the same time; run it again",
          e);
    }
  }

  /** The data files of a snapshot, one whole-file task each. */
  private static List<FileScanTask> tasks(Table table, Snapshot snapshot) {
    List<FileScanTask> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (FileScanTask t : planned) {
        if (seen.add(t.file().location())) {
          out.add(t);
        }
      }
    } catch (IOException e) {
      throw new NqlException(ErrorCode.IO_ERROR, "Cannot read the files of the dataset", e);
    }
    return out;
  }

  /** The files to rewrite: per partition, its small files when there are two or more. */
  private static List<FileScanTask> chosen(Table table, List<FileScanTask> tasks, Options options) {
    Map<Object, List<FileScanTask>> groups = new LinkedHashMap<>();
    for (FileScanTask t : tasks) {
      boolean candidate =
          t.deletes().isEmpty()
              && t.file().format() == FileFormat.PARQUET
              && (options.rewriteAll() || t.file().fileSizeInBytes() < options.smallFile());
      if (candidate) {
        groups.computeIfAbsent(group(table, t), k -> new ArrayList<>()).add(t);
      }
    }
    List<FileScanTask> out = new ArrayList<>();
    for (List<FileScanTask> g : groups.values()) {
      if (g.size() >= 2 || options.rewriteAll()) {
        out.addAll(g);
      }
    }
    return out;
  }

  /** A file's partition: its spec and partition values. */
  private static Object group(Table table, FileScanTask t) {
    int spec = t.file().specId();
    StructLike partition = t.file().partition();
    StructLikeWrapper wrapped =
        StructLikeWrapper.forType(table.specs().get(spec).partitionType()).set(partition);
    return List.of(spec, wrapped);
  }

  /** The rows of a file with their lineage (ids inherited from the file materialized). */
  private static CloseableIterable<Record> reader(Table table, FileScanTask task, Schema read) {
    Map<Integer, ?> constants =
        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    return Parquet.read(table.io().newInputFile(task.file().location()))
        .project(read)
        .caseSensitive(true)
        .createReaderFunc(
            fileSchema -> GenericParquetReaders.buildReader(read, fileSchema, constants))
        .build();
  }
}
