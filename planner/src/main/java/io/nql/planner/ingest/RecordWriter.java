package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Writes Iceberg {@link Record}s of a table's current schema into Parquet data files and appends
 * them as one snapshot. Partitioned tables get one file (or more, rolling at the target size) per
 * partition. Nothing is visible until {@link #commit}; {@link #abort} (or {@link #close} without a
 * commit) deletes every file written.
 *
 * <p>When the table has a sort order, every file's rows are in that order: records are buffered in
 * runs of about {@link #DEFAULT_RUN_BYTES} (estimated from their values), each run is sorted and
 * written to files of its own. A file's rows then span a narrow range of the sort key, so the
 * statistics, page indexes and bloom filters of its row groups and pages let a filtered read skip
 * most of them. Rows with equal keys keep their input order.
 *
 * <p>Usage: {@code try (RecordWriter w = RecordWriter.open(table)) { w.write(r)…; w.commit(); }}
 * Not thread-safe.
 */
public final class RecordWriter implements AutoCloseable {
  /** Files roll over at about this size unless another is given. */
  public static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;

  /** Estimated bytes of the records a sorted run buffers before it is sorted and written. */
  public static final long DEFAULT_RUN_BYTES = 256L * 1024 * 1024;

  /** Snapshot summary property holding the id of the write that produced the snapshot. */
  public static final String WRITE_ID_PROPERTY = "nql.write-id";

  private final Table table;
  private final PartitionSpec spec;
  private final String writeId = UUID.randomUUID().toString();
  private final GenericFileWriterFactory factory;
  private final OutputFileFactory outputs;
  private final long targetFileSize;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper wrapper;

  /** The order of each file's rows, or null when the table has none. */
  private final Comparator<Record> order;

  private final long runBytes;
  private final List<Record> run = new ArrayList<>();
  private long runSize;
  private FanoutDataWriter<Record> fanout;
  private RollingDataWriter<Record> rolling;
  private final List<DataFile> written = new ArrayList<>();
  private long rows;
  private boolean closed;
  private List<DataFile> files = List.of();

  private RecordWriter(Table table, long targetFileSize, long runBytes) {
    this(table, targetFileSize, runBytes, table.schema());
  }

  /**
   * @param written the schema of the records and files: the table's, or the table's with its
   *     lineage columns after it ({@link #openWithLineage})
   */
  private RecordWriter(Table table, long targetFileSize, long runBytes, Schema written) {
    this.table = table;
    this.spec = table.spec();
    this.targetFileSize = targetFileSize;
    this.runBytes = runBytes;
    SortOrder sortOrder = table.sortOrder();
    this.factory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(written)
            .dataSortOrder(sortOrder)
            .build();
    this.outputs =
        OutputFileFactory.builderFor(table, 1, 0)
            .format(FileFormat.PARQUET)
            .operationId(writeId)
            .build();
    if (spec.isUnpartitioned()) {
      this.partitionKey = null;
      this.wrapper = null;
    } else {
      this.partitionKey = new PartitionKey(spec, table.schema());
      this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
    }
    this.order = sortOrder.isSorted() ? comparator(table.schema(), sortOrder) : null;
  }

  /** Compares records by the sort order, on Iceberg's internal values (as the order defines). */
  private static Comparator<Record> comparator(Schema schema, SortOrder sortOrder) {
    Comparator<StructLike> internal = SortOrderComparators.forSchema(schema, sortOrder);
    InternalRecordWrapper left = new InternalRecordWrapper(schema.asStruct());
    InternalRecordWrapper right = new InternalRecordWrapper(schema.asStruct());
    return (a, b) -> internal.compare(left.wrap(a), right.wrap(b));
  }

  private void openWriter() {
    FileIO io = table.io();
    if (spec.isUnpartitioned()) {
      rolling = new RollingDataWriter<>(factory, outputs, io, targetFileSize, spec, null);
    } else {
      fanout = new FanoutDataWriter<>(factory, outputs, io, targetFileSize);
    }
  }

  /** A writer for {@code table} rolling files at {@link #DEFAULT_TARGET_FILE_SIZE}. */
  public static RecordWriter open(Table table) {
    return open(table, DEFAULT_TARGET_FILE_SIZE);
  }

  /** A writer for {@code table} rolling files at about {@code targetFileSize} bytes. */
  public static RecordWriter open(Table table, long targetFileSize) {
    return new RecordWriter(table, targetFileSize, DEFAULT_RUN_BYTES);
  }

  /**
   * A writer of records that carry their lineage (Iceberg row lineage): the table's columns, then
   * the row id and the last-updated sequence number (each null for a new one), written as the
   * files' lineage columns. For rows written again by a copy-on-write change.
   */
  public static RecordWriter openWithLineage(Table table) {
    return openWithLineage(table, DEFAULT_TARGET_FILE_SIZE);
  }

  /** {@link #openWithLineage(Table)} rolling files at about {@code targetFileSize} bytes. */
  public static RecordWriter openWithLineage(Table table, long targetFileSize) {
    return new RecordWriter(
        table,
        targetFileSize,
        DEFAULT_RUN_BYTES,
        org.apache.iceberg.MetadataColumns.schemaWithRowLineage(table.schema()));
  }

  /**
   * A writer for {@code table} rolling files at about {@code targetFileSize} bytes that sorts (when
   * the table has a sort order) runs of about {@code runBytes} estimated bytes of records.
   */
  public static RecordWriter open(Table table, long targetFileSize, long runBytes) {
    return new RecordWriter(table, targetFileSize, runBytes);
  }

  /**
   * Writes all records and commits them as one append.
   *
   * @throws NqlException {@link ErrorCode#IO_ERROR} when writing or committing fails (the files
   *     written are deleted first)
   */
  public static AppendResult appendAll(Table table, Iterable<Record> records) {
    try (RecordWriter writer = open(table)) {
      for (Record r : records) {
        writer.write(r);
      }
      return writer.commit(Map.of());
    }
  }

  /**
   * Writes one record of the table's schema (values as Iceberg's generic Java types: {@code
   * OffsetDateTime} for timestamptz, {@code BigDecimal} with the column's scale for decimals, …).
   * With a sort order, the record is kept (it may be changed only after the commit).
   */
  public void write(Record record) {
    if (closed) {
      throw new IllegalStateException("writer is closed");
    }
    if (order == null) {
      append(record);
    } else {
      run.add(record);
      runSize += estimate(record);
      if (runSize >= runBytes) {
        writeRun();
      }
    }
    rows++;
  }

  private void append(Record record) {
    if (rolling == null && fanout == null) {
      openWriter();
    }
    if (fanout != null) {
      partitionKey.partition(wrapper.wrap(record));
      fanout.write(record, spec, partitionKey);
    } else {
      rolling.write(record);
    }
  }

  /** Sorts the buffered run and writes it to files of its own. */
  private void writeRun() {
    if (run.isEmpty()) {
      return;
    }
    run.sort(order);
    for (Record r : run) {
      append(r);
    }
    run.clear();
    runSize = 0;
    closeWriter();
  }

  /** Closes the current writer, if one is open, and keeps its files. */
  private void closeWriter() {
    try {
      if (fanout != null) {
        fanout.close();
        written.addAll(fanout.result().dataFiles());
        fanout = null;
      } else if (rolling != null) {
        rolling.close();
        DataWriteResult result = rolling.result();
        written.addAll(result.dataFiles());
        rolling = null;
      }
    } catch (IOException | UncheckedIOException e) {
      throw io.nql.planner.error.StorageErrors.writeFailed(
          "Cannot write to table '" + table.name() + "'", "write failed", e);
    }
  }

  /** A rough size of a record's values in memory, to bound a sorted run. */
  private static long estimate(Record record) {
    long bytes = 48;
    for (int i = 0; i < record.size(); i++) {
      Object v = record.get(i);
      if (v instanceof CharSequence c) {
        bytes += 48 + c.length();
      } else if (v instanceof ByteBuffer b) {
        bytes += 48 + b.remaining();
      } else if (v != null) {
        bytes += 32;
      }
    }
    return bytes;
  }

  /** Records written so far. */
  public long rowCount() {
    return rows;
  }

  /** The id written into the snapshot summary as {@link #WRITE_ID_PROPERTY}. */
  public String writeId() {
    return writeId;
  }

  /**
   * Closes the files and appends them as one snapshot. With no rows written nothing is committed.
   *
   * @param summary extra snapshot summary properties
   * @throws NqlException {@link ErrorCode#IO_ERROR} (or {@link ErrorCode#DISK_FULL}) when the files
   *     cannot be finished or the commit fails, {@link ErrorCode#SERIALIZATION_FAILURE} when
   *     concurrent commits kept winning the race for the table; the files are deleted unless the
   *     commit's outcome is unknown
   */
  public AppendResult commit(Map<String, String> summary) {
    return commitWith(List.of(), summary, null);
  }

  /**
   * Closes the files of this writer and of {@code others} (writers of the same table, e.g. one per
   * thread of a load) and appends them all as one snapshot, marked with this writer's write id.
   * With no rows in any of them nothing is committed. Whatever happens, no writer's files are left
   * behind uncommitted: on a failure every writer's files are deleted (unless the outcome of the
   * commit is unknown).
   *
   * @param summary extra snapshot summary properties
   * @param validator checked by Iceberg against the table's history before the commit and before
   *     each retry of it; null for none
   * @throws NqlException {@link ErrorCode#SERIALIZATION_FAILURE} when the validator refused the
   *     commit; otherwise as {@link #commit}
   */
  AppendResult commitWith(
      List<RecordWriter> others, Map<String, String> summary, SnapshotAncestryValidator validator) {
    List<RecordWriter> all = new ArrayList<>();
    all.add(this);
    all.addAll(others);
    try {
      all.forEach(RecordWriter::finish);
    } catch (RuntimeException e) {
      all.forEach(RecordWriter::abort);
      throw e;
    }
    long total = all.stream().mapToLong(w -> w.rows).sum();
    if (total == 0) {
      all.forEach(RecordWriter::deleteFiles);
      return new AppendResult(0, List.of(), 0, OptionalLong.empty());
    }
    // Appends never conflict, but Iceberg gives up after a few lost races for the table's
    // metadata (many writers of one dataset on a busy machine): the append is built anew and tried
    // again, its files kept, before the statement is told to run again.
    for (int attempt = 1; ; attempt++) {
      AppendFiles append = table.newAppend();
      long bytes = 0;
      for (RecordWriter w : all) {
        w.files.forEach(append::appendFile);
        bytes += w.files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
      }
      summary.forEach(append::set);
      if (validator != null) {
        append.validateWith(validator);
      }
      try {
        return commitSnapshot(append, bytes, others, attempt < APPEND_ATTEMPTS);
      } catch (CommitFailedException lostRace) {
        table.refresh();
      }
    }
  }

  /** How many times an append whose commit lost every race (CommitFailedException) is rebuilt. */
  private static final int APPEND_ATTEMPTS = 5;

  /**
   * Closes the files and commits them in place of {@code replaced} — data files of {@code
   * fromSnapshot}, the snapshot the rows were read from — as one overwrite snapshot, which fails if
   * another write committed to the table since {@code fromSnapshot} (new data or deletes).
   *
   * @throws NqlException {@link ErrorCode#SERIALIZATION_FAILURE} when the table changed since
   *     {@code fromSnapshot} (the files are deleted); otherwise as {@link #commit}
   */
  public AppendResult commitReplacing(
      long fromSnapshot, List<DataFile> replaced, Map<String, String> summary) {
    finish();
    long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    OverwriteFiles overwrite = table.newOverwrite();
    replaced.forEach(overwrite::deleteFile);
    files.forEach(overwrite::addFile);
    overwrite
        .validateFromSnapshot(fromSnapshot)
        .conflictDetectionFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue())
        .validateNoConflictingData()
        .validateNoConflictingDeletes();
    summary.forEach(overwrite::set);
    return commitSnapshot(overwrite, bytes, List.of(), false);
  }

  /**
   * Closes the files and commits them in place of {@code replaced} (data files of {@code
   * fromSnapshot} holding the same rows) as one rewrite snapshot (Iceberg {@code RewriteFiles}: the
   * table's rows do not change). Rows appended since {@code fromSnapshot} stay; the commit fails if
   * one of {@code replaced} was deleted since, or rows of them were deleted by delete files.
   *
   * @throws NqlException {@link ErrorCode#SERIALIZATION_FAILURE} when such a change conflicts (the
   *     files are deleted); otherwise as {@link #commit}
   */
  public AppendResult commitRewriting(
      long fromSnapshot, List<DataFile> replaced, Map<String, String> summary) {
    return commitRewriting(fromSnapshot, replaced, summary, null);
  }

  /**
   * As {@link #commitRewriting(long, List, Map)}, inside {@code transaction} when it is not null:
   * this writer was opened on {@code transaction.table()} (so its files follow the layout the
   * transaction set), the rewrite joins the transaction's other changes (a new sort order or
   * partition spec) and the transaction is committed here, all of it or nothing.
   */
  public AppendResult commitRewriting(
      long fromSnapshot,
      List<DataFile> replaced,
      Map<String, String> summary,
      org.apache.iceberg.Transaction transaction) {
    finish();
    long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    org.apache.iceberg.RewriteFiles rewrite = table.newRewrite();
    replaced.forEach(rewrite::deleteFile);
    files.forEach(rewrite::addFile);
    rewrite.validateFromSnapshot(fromSnapshot);
    summary.forEach(rewrite::set);
    this.transaction = transaction;
    return commitSnapshot(rewrite, bytes, List.of(), false);
  }

  /** The transaction {@link #commitSnapshot} commits after its update, or null. */
  private org.apache.iceberg.Transaction transaction;

  /**
   * Commits an append or overwrite of the files of this writer (and of {@code others}, already in
   * {@code update}) as one snapshot, marked with this writer's write id. A failed commit deletes
   * the files, unless its outcome is unknown (the snapshot may exist).
   */
  private AppendResult commitSnapshot(
      SnapshotUpdate<?> update, long bytes, List<RecordWriter> others, boolean retryLostRace) {
    update.set(WRITE_ID_PROPERTY, writeId);
    try {
      update.commit();
      if (transaction != null) {
        transaction.commitTransaction(); // validations run again on the table as it is now
      }
    } catch (CommitFailedException e) {
      if (retryLostRace) {
        throw e; // nothing committed, the files kept: the caller builds the update anew
      }
      abort();
      others.forEach(RecordWriter::abort);
      throw new NqlException(
          ErrorCode.SERIALIZATION_FAILURE,
          "Cannot change table '"
              + table.name()
              + "': other statements kept changing it at the same time; run the statement again",
          e);
    } catch (ValidationException e) {
      abort();
      others.forEach(RecordWriter::abort);
      throw new NqlException(
          ErrorCode.SERIALIZATION_FAILURE,
          "Cannot change table '"
              + table.name()
              + "': another statement changed it at the same time; run the statement again",
          e);
    } catch (CommitStateUnknownException e) {
      throw outcomeUnknown(others, e);
    } catch (RuntimeException e) {
      if (io.nql.planner.error.StorageErrors.connectionBrokeMidStatement(e)) {
        // The catalog's connection broke during the commit: it may have landed on the server.
        throw outcomeUnknown(others, e);
      }
      abort();
      others.forEach(RecordWriter::abort);
      throw io.nql.planner.error.StorageErrors.writeFailed(
          "Cannot commit to table '" + table.name() + "'", "commit failed", e);
    }
    List<DataFile> committed = new ArrayList<>(files);
    long total = rows;
    files = List.of();
    for (RecordWriter w : others) {
      committed.addAll(w.files);
      total += w.rows;
      w.files = List.of();
    }
    return new AppendResult(total, List.copyOf(committed), bytes, OptionalLong.of(snapshotId()));
  }

  /**
   * The error of a commit that may have landed: the files are kept (the snapshot may reference
   * them; deleting them could corrupt the table; orphan-file removal finds them if it did not).
   */
  private NqlException outcomeUnknown(List<RecordWriter> others, RuntimeException cause) {
    files = List.of();
    others.forEach(w -> w.files = List.of());
    return new NqlException(
        ErrorCode.IO_ERROR,
        "Cannot commit to table '"
            + table.name()
            + "': the outcome of the commit is unknown (check the table before running it again)",
        cause);
  }

  private long snapshotId() {
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (writeId.equals(s.summary().get(WRITE_ID_PROPERTY))) {
        return s.snapshotId();
      }
    }
    throw new IllegalStateException("committed snapshot not found");
  }

  /** Closes the files without committing and deletes every file this writer created. */
  public void abort() {
    try {
      finish();
    } catch (RuntimeException e) {
      // Files the writer lost track of are found by their write id below.
    }
    deleteFiles();
  }

  /** Aborts unless {@link #commit} succeeded. */
  @Override
  public void close() {
    if (!closed || !files.isEmpty()) {
      abort();
    }
  }

  private void finish() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (order != null) {
        writeRun();
      }
    } finally {
      closeWriter();
      files = List.copyOf(written);
    }
  }

  private void deleteFiles() {
    FileIO io = table.io();
    Set<String> deleted = new HashSet<>();
    for (DataFile f : files) {
      deleteQuietly(io, f.location());
      deleted.add(f.location());
    }
    files = List.of();
    if (io instanceof SupportsPrefixOperations) {
      String dataRoot =
          table
              .properties()
              .getOrDefault(TableProperties.WRITE_DATA_LOCATION, table.location() + "/data");
      List<String> leftovers = new ArrayList<>();
      try {
        for (FileInfo info : ((SupportsPrefixOperations) io).listPrefix(dataRoot)) {
          if (info.location().contains(writeId) && !deleted.contains(info.location())) {
            leftovers.add(info.location());
          }
        }
      } catch (RuntimeException e) {
        // Nothing written yet: the data directory may not exist.
      }
      leftovers.forEach(location -> deleteQuietly(io, location));
    }
  }

  private static void deleteQuietly(FileIO io, String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      // Best effort: an unreferenced file is harmless and removed by orphan-file cleanup.
    }
  }

  /**
   * The outcome of a commit.
   *
   * @param rows records appended
   * @param dataFiles the files appended
   * @param bytes their total size
   * @param snapshotId the new snapshot, empty when no rows were written
   */
  public record AppendResult(
      long rows, List<DataFile> dataFiles, long bytes, OptionalLong snapshotId) {}
}
