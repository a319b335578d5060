package io.nql.planner.vector;

import io.nql.planner.iceberg.PlannedFiles;
import io.nql.planner.iceberg.ScanMetrics;
import java.util.ArrayList;
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
 * Reads an Iceberg table scan as batches: plans the files as the row engine's scan does (same
 * snapshot, columns and filter, same file order, same metrics), then reads one file at a time.
 */
final class VectorScan implements AutoCloseable {
  private final Table table;
  private final List<Types.NestedField> fields;
  private final List<RelDataType> types;
  private final @Nullable Expression filter;
  private final ScanMetrics metrics;
  private final BufferAllocator allocator;
  private List<FileScanTask> tasks;
  private int nextTask;
  private FileBatches open;
  private int genericFiles;

  VectorScan(
      Table table,
      List<Types.NestedField> fields,
      List<RelDataType> types,
      @Nullable Expression filter,
      ScanMetrics metrics,
      BufferAllocator allocator) {
    this.table = table;
    this.fields = fields;
    this.types = types;
    this.filter = filter;
    this.metrics = metrics;
    this.allocator = allocator;
  }

  /** The next non-empty batch of at most {@code maxRows} rows, or null at the end. */
  @Nullable Batch next(int maxRows) {
    if (tasks == null) {
      tasks = plan();
    }
    while (true) {
      if (open == null) {
        if (nextTask >= tasks.size()) {
          return null;
        }
        open = openFile(tasks.get(nextTask++));
      }
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
  }

  /** Files read by the generic reader because the vector reader does not handle them. */
  int genericFiles() {
    return genericFiles;
  }

  private FileBatches openFile(FileScanTask task) {
    FileBatches b =
        ParquetFileBatches.open(
            table.io(), task, table.schema(), fields, types, filter, metrics, allocator);
    if (b == null) {
      genericFiles++;
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
    List<String> columns = new ArrayList<>();
    for (Types.NestedField f : fields) {
      columns.add(f.name());
    }
    PlannedFiles.Plan plan = PlannedFiles.shared().plan(table, snapshot, columns, filter, metrics);
    metrics.recordPlan(plan.snapshotFiles(), plan.tasks().size(), plan.bytes());
    return plan.tasks();
  }

  @Override
  public void close() {
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
