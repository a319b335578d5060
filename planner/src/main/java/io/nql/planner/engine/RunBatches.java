package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * The rows one view run wrote, in a fixed order, cut into batches of a fixed size: the data files
 * its snapshot added (an appending view) or every data file of its snapshot (an overwriting view:
 * the view's whole content after the run), by file location, each file's rows in file order. The
 * files of a snapshot never change, so batch {@code n} always holds the same rows — a retried batch
 * is the batch first sent. Reads the view's own files: nothing is bought or charged.
 *
 * <p>Batches read one after the other continue one pass over the files; asking for another batch
 * reads from the start again. Not thread-safe; close it.
 */
final class RunBatches implements AutoCloseable {
  private final Table table;
  private final Schema schema;
  private final List<DataFile> files;
  private final long rows;
  private final int batchRows;

  private int fileIndex;
  private CloseableIterable<Record> open;
  private Iterator<Record> records;

  /** The number of rows read (or skipped) so far by the current pass. */
  private long position;

  /** Whether a pass has started (the first batch asked for starts one). */
  private boolean started;

  private RunBatches(Table table, List<DataFile> files, int batchRows) {
    this.table = table;
    this.schema = table.schema();
    this.files = files;
    this.batchRows = batchRows;
    long n = 0;
    for (DataFile f : files) {
      n += f.recordCount();
    }
    this.rows = n;
  }

  /**
   * The batches of the run that committed {@code snapshotId}.
   *
   * @throws NqlException 55000 when the view no longer has that snapshot
   */
  static RunBatches of(Table table, long snapshotId, boolean overwrite, int batchRows) {
    Snapshot snapshot = table.snapshot(snapshotId);
    if (snapshot == null) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot read run snapshot %d: the view no longer has it",
          snapshotId);
    }
    List<DataFile> files = new ArrayList<>();
    if (overwrite) {
      files.addAll(DmlStatements.dataFiles(table, snapshotId));
    } else {
      SnapshotChanges.builderFor(table)
          .snapshot(snapshot)
          .build()
          .addedDataFiles()
          .forEach(files::add);
    }
    files.sort(Comparator.comparing(DataFile::location));
    return new RunBatches(table, files, batchRows);
  }

  /** The run's rows. */
  long rows() {
    return rows;
  }

  /** The number of batches, the last one possibly smaller. */
  int batches() {
    return (int) ((rows + batchRows - 1) / batchRows);
  }

  /** The view's columns, in order. */
  List<Types.NestedField> columns() {
    return schema.columns();
  }

  /** Batch {@code n} (from 1). */
  List<Record> batch(int n) {
    long start = (long) (n - 1) * batchRows;
    if (n < 1 || start >= rows) {
      throw new IllegalArgumentException("no batch " + n + " in " + batches());
    }
    if (!started || position > start) {
      restart();
    }
    while (position < start && skipFile(start)) {
      // whole files before the batch are skipped unread
    }
    List<Record> out = new ArrayList<>(batchRows);
    while (out.size() < batchRows) {
      Record r = next();
      if (r == null) {
        break;
      }
      if (position > start) {
        out.add(r);
      }
    }
    return out;
  }

  private void restart() {
    closeOpen();
    started = true;
    fileIndex = -1;
    position = 0;
    records = null;
  }

  /**
   * Skips the rest of the current file, or the next file when none is open, if the batch starts
   * after it; whether anything was skipped.
   */
  private boolean skipFile(long start) {
    if (records == null) {
      int nextFile = fileIndex + 1;
      if (nextFile < files.size() && position + files.get(nextFile).recordCount() <= start) {
        fileIndex = nextFile;
        position += files.get(nextFile).recordCount();
        return true;
      }
      return false;
    }
    return false;
  }

  /** The next row of the pass, or null after the last; counts it in {@link #position}. */
  private Record next() {
    while (records == null || !records.hasNext()) {
      closeOpen();
      fileIndex++;
      if (fileIndex >= files.size()) {
        return null;
      }
      records = read(files.get(fileIndex)).iterator();
    }
    position++;
    return records.next();
  }

  private CloseableIterable<Record> read(DataFile file) {
    if (file.format() != FileFormat.PARQUET) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot read a data file in %s: only Parquet is supported",
          file.format().name());
    }
    open =
        Parquet.read(table.io().newInputFile(file.location()))
            .project(schema)
            .caseSensitive(true)
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
            .build();
    return open;
  }

  private void closeOpen() {
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      open = null;
    }
    records = null;
  }

  @Override
  public void close() {
    closeOpen();
  }
}
