package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.BoundPredicate;
import org.apache.iceberg.expressions.BoundReference;
import org.apache.iceberg.expressions.BoundTerm;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionVisitors;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.io.CloseableIterable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The files a scan of a table snapshot reads, chosen from the snapshot's files that {@link
 * SnapshotFiles} reads once per snapshot and keeps (shared with the vector scan and retention): a
 * nested-loop join re-opens its inner scan once per outer row, statements repeat, and a filter
 * chooses among the kept files in memory by partition and column bounds as Iceberg's planning does.
 * Only Iceberg's own tables ({@link BaseTable}, what catalogs load) use the kept files, because
 * only their planning is a function of the snapshot alone: any other {@link Table} (e.g. the view
 * of an append's files that incremental statistics scan), and a filter that does not bind to the
 * table's schema (Iceberg then reports the problem), is planned by Iceberg every time. The kept
 * files are shared by every caller, which can learn from them at most that some statement read the
 * same snapshot before (a faster first open). {@link #filterKey} writes a filter as unambiguous
 * text for the caches of rows keyed by filter ({@link SmallFileRows}). Thread-safe.
 */
public final class PlannedFiles {
  /**
   * The files of one scan.
   *
   * @param tasks the planned files (splits), without row-level deletes
   * @param snapshotFiles data files in the snapshot (from its summary, else the planned count)
   * @param bytes total size of the planned files
   * @param rowGroups Parquet row groups in the planned splits (from the offsets Iceberg records)
   */
  public record Plan(List<FileScanTask> tasks, long snapshotFiles, long bytes, long rowGroups) {
    public Plan {
      tasks = List.copyOf(tasks);
    }
  }

  private static final PlannedFiles SHARED = new PlannedFiles();

  private PlannedFiles() {}

  /** The instance every scan of the process uses. */
  public static PlannedFiles shared() {
    return SHARED;
  }

  /**
   * The files to read for {@code columns} of {@code table} at {@code snapshot} under {@code filter}
   * (null: every file), chosen from the snapshot's files as {@link SnapshotFiles} keeps them; when
   * no earlier scan read the snapshot's manifests they are read now and {@code metrics} counts one
   * {@linkplain ScanMetrics#filePlannings() file planning}.
   *
   * @throws NqlException {@code NOT_SUPPORTED} when a planned file has row-level deletes
   * @throws UncheckedIOException when a manifest cannot be read
   */
  public Plan plan(
      Table table,
      Snapshot snapshot,
      List<String> columns,
      @Nullable Expression filter,
      ScanMetrics metrics) {
    if (filterKey(table, filter) == null || !(table instanceof BaseTable)) {
      metrics.addFilePlanning();
      return planFiles(table, snapshot, columns, filter);
    }
    return plan(
        table, snapshot, SnapshotFiles.plan(table, snapshot, filter, metrics::addFilePlanning));
  }

  private static Plan plan(Table table, Snapshot snapshot, List<FileScanTask> tasks) {
    long bytes = 0;
    long rowGroups = 0;
    for (FileScanTask task : tasks) {
      refuseDeletes(table, task);
      bytes += task.file().fileSizeInBytes();
      rowGroups += rowGroups(task);
    }
    String total = snapshot.summary() == null ? null : snapshot.summary().get("total-data-files");
    long snapshotFiles = total == null ? tasks.size() : Long.parseLong(total);
    return new Plan(tasks, snapshotFiles, bytes, rowGroups);
  }

  private static void refuseDeletes(Table table, FileScanTask task) {
    if (!task.deletes().isEmpty()) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot read table %s: row-level deletes are not supported",
          table.name());
    }
  }

  private static Plan planFiles(
      Table table, Snapshot snapshot, List<String> columns, @Nullable Expression filter) {
    TableScan scan =
        table.newScan().useSnapshot(snapshot.snapshotId()).caseSensitive(true).select(columns);
    if (filter != null) {
      scan = scan.filter(filter);
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return plan(table, snapshot, tasks);
  }

  /** Row groups in a task's split, from the row-group offsets Iceberg records for Parquet files. */
  private static long rowGroups(FileScanTask task) {
    List<Long> offsets = task.file().splitOffsets();
    if (offsets == null) {
      return 0;
    }
    long start = task.start();
    long end = start + task.length();
    return offsets.stream().filter(o -> o >= start && o < end).count();
  }

  /**
   * The filter bound to the table's schema as unambiguous text, or null when it does not bind (then
   * the scan is planned without the cache, and Iceberg reports the problem).
   */
  static @Nullable String filterKey(Table table, @Nullable Expression filter) {
    if (filter == null) {
      return "";
    }
    Expression bound;
    try {
      bound = Binder.bind(table.schema().asStruct(), filter, true);
    } catch (ValidationException e) {
      return null;
    }
    return ExpressionVisitors.visit(bound, new KeyWriter());
  }

  /** Writes a bound expression: operations by name, fields by id, literals length-prefixed. */
  private static final class KeyWriter extends ExpressionVisitors.ExpressionVisitor<String> {
    @Override
    public String alwaysTrue() {
      return "true";
    }

    @Override
    public String alwaysFalse() {
      return "false";
    }

    @Override
    public String not(String result) {
      return "not(" + result + ")";
    }

    @Override
    public String and(String left, String right) {
      return "and(" + left + "," + right + ")";
    }

    @Override
    public String or(String left, String right) {
      return "or(" + left + "," + right + ")";
    }

    @Override
    public <T> String predicate(BoundPredicate<T> pred) {
      StringBuilder sb = new StringBuilder(pred.op().name()).append('(').append(term(pred.term()));
      if (pred.isLiteralPredicate()) {
        sb.append(',').append(literal(pred.asLiteralPredicate().literal().value()));
      } else if (pred.isSetPredicate()) {
        Set<String> values = new TreeSet<>();
        for (T v : pred.asSetPredicate().literalSet()) {
          values.add(literal(v));
        }
        sb.append(",{").append(String.join(",", values)).append('}');
      }
      return sb.append(')').toString();
    }

    @Override
    public <T> String predicate(UnboundPredicate<T> pred) {
      throw new IllegalStateException("a bound expression has no unbound predicate: " + pred);
    }

    private static String term(BoundTerm<?> term) {
      if (term instanceof BoundReference<?> ref) {
        return "#" + ref.fieldId();
      }
      // A transform of a field (bucket, day, …): its text names the transform and the field only.
      return term.getClass().getSimpleName() + "[" + term + "]";
    }

    private static String literal(Object value) {
      String text = String.valueOf(value);
      if (value instanceof ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        text = HexFormat.of().formatHex(bytes);
      }
      return value.getClass().getSimpleName() + ":" + text.length() + ":" + text;
    }
  }
}
