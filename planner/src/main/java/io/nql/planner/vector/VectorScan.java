package io.nql.planner.vector;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.iceberg.SnapshotFiles;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads an Iceberg table scan as batches: plans the files for the scan's filter as the row engine's
 * scan does (same snapshot and filter, same metrics; from the snapshot's file list kept in memory,
 * see {@link SnapshotFiles}), then reads one unit at a time: a file, or a split of a file of many
 * row groups (about {@link #SPLIT_BYTES} each, in offset order), so that the rest of a long scan
 * can be handed to {@link ReadAhead} unit by unit.
 */
final class VectorScan implements AutoCloseable {
  private final Table table;
  private final List<Types.NestedField> fields;
  private final List<RelDataType> types;
  private final @Nullable Expression filter;
  private final ScanMetrics metrics;
  private final BufferAllocator allocator;

  /** The columns the plan reads (all when null); the others are left null by the Parquet reader. */
  private final boolean @Nullable [] wanted;

  /** Target size of a unit of a file with several row groups. */
  static final long SPLIT_BYTES = 16L * 1024 * 1024;

  private List<FileScanTask> tasks;

  /** The pin of the snapshot read (snapshot expiry keeps it), released at {@link #close}. */
  private io.nql.planner.iceberg.ReadPins.@Nullable Pin pin;

  private int nextTask;
  private FileBatches open;
  private final java.util.concurrent.atomic.AtomicInteger genericFiles =
      new java.util.concurrent.atomic.AtomicInteger();

  VectorScan(
      Table table,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      @Nullable Expression filter,
      ScanMetrics metrics,
      BufferAllocator allocator,
      boolean @Nullable [] wanted) {
    this.wanted = wanted;
    this.table = table;
    this.fields = fields;
    this.types = types;
    this.filter = filter;
    this.metrics = metrics;
    this.allocator = allocator;
  }

  /** The next non-empty batch of at most {@code maxRows} rows, or null at the end. */
  @Nullable Batch next(int maxRows) {
    while (true) {
      Batch b = nextInOpenUnit(maxRows);
      if (b != null) {
        return b;
      }
      if (nextTask >= units().size()) {
        return null;
      }
      open = openFile(tasks.get(nextTask++));
    }
  }

  /** The next non-empty batch of the unit being read, or null when none is open or it ended. */
  @Nullable Batch nextInOpenUnit(int maxRows) {
    while (open != null) {
      Batch b = open.next(maxRows);
      if (b == null) {
        open.close();
        open = null;
      } else if (b.rows == 0) {
        b.close();
      } else {
        return b;
      }
    }
    return null;
  }

  /** The scan's units, in order (planned at the first call). */
  List<FileScanTask> units() {
    if (tasks == null) {
      List<FileScanTask> units = new java.util.ArrayList<>();
      for (FileScanTask task : plan()) {
        List<Long> offsets = task.file().splitOffsets();
        if (offsets != null && offsets.size() > 1 && task.length() > SPLIT_BYTES) {
          task.split(SPLIT_BYTES).forEach(units::add);
        } else {
          units.add(task);
        }
      }
      tasks = units;
    }
    return tasks;
  }

  /** The index of the first unit not yet opened. */
  int nextUnit() {
    units();
    return nextTask;
  }

  /** The units not yet opened; the scan then reads none of them (see {@link ReadAhead}). */
  List<FileScanTask> takeRest() {
    List<FileScanTask> rest = List.copyOf(units().subList(nextTask, tasks.size()));
    nextTask = tasks.size();
    return rest;
  }

  /** Files read by the generic reader because the vector reader does not handle them. */
  int genericFiles() {
    return genericFiles.get();
  }

  /** Opens a unit for reading (from any thread). */
  FileBatches openFile(FileScanTask task) {
    FileBatches b =
        ParquetFileBatches.open(
            table.io(), task, table.schema(), fields, types, filter, metrics, allocator, wanted);
    if (b == null) {
      genericFiles.incrementAndGet();
      return new GenericFileBatches(table.io(), task, fields, types, metrics, allocator);
    }
    return b;
  }

  private List<FileScanTask> plan() {
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      metrics.recordPlan(0, 0, 0);
      return List.of();
    }
    pin =
        io.nql.planner.iceberg.ReadPins.shared()
            .pin(table.uuid().toString(), snapshot.snapshotId());
    List<FileScanTask> planned = SnapshotFiles.plan(table, snapshot, filter);
    long bytes = 0;
    for (FileScanTask task : planned) {
      if (!task.deletes().isEmpty()) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot read table %s: row-level deletes are not supported",
            table.name());
      }
      bytes += task.file().fileSizeInBytes();
    }
    String total = snapshot.summary() == null ? null : snapshot.summary().get("total-data-files");
    metrics.recordPlan(
        total == null ? planned.size() : Long.parseLong(total), planned.size(), bytes);
    return planned;
  }

  @Override
  public void close() {
    try {
      if (open != null) {
        open.close();
        open = null;
      }
    } finally {
      if (pin != null) {
        pin.close();
      }
    }
  }
}
