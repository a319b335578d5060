package io.nql.planner.iceberg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * The files Iceberg plans for scans of table snapshots (reading the snapshot's manifest list and
 * manifests), kept for every later scan of the same snapshot with the same columns and filter: a
 * nested-loop join re-opens its inner scan once per outer row, and statements repeat.
 *
 * <p>Reuse is exact because a snapshot never changes: the key is the table's UUID (not the name a
 * caller wrote), the snapshot id, the columns and the filter bound to the table's schema, written
 * so that two different filters never share a key (field ids, operations, and literals with their
 * type and length). A new snapshot (an append, a {@code COPY INTO}) has a new key, so its files are
 * planned when first read. Only Iceberg's own tables ({@link BaseTable}, what catalogs load) are
 * cached, because only their planning is a function of the snapshot alone: any other {@link Table}
 * (e.g. the view of an append's files that incremental statistics scan) is planned every time.
 * Entries hold file metadata only, never rows; the cache is shared by every caller, which can learn
 * from it at most that some statement planned the same snapshot with the same filter before (a
 * faster first open). Bounded by the number of planned files kept (Caffeine's weight bound).
 * Thread-safe: concurrent scans of one key plan once.
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

  private record Key(String table, long snapshot, List<String> columns, String filter) {}

  /**
   * Files kept over all entries by the shared instance. A planned file with its task and data-file
   * metadata costs a few KB of heap; 100,000 (the bound before) let the cache take several hundred
   * MB under continuous loads, where each new snapshot of a table plans all its files again
   * (docs/operations/soak.md).
   */
  static final long SHARED_MAX_FILES = 20_000;

  private static final PlannedFiles SHARED = new PlannedFiles(SHARED_MAX_FILES);

  private final Cache<Key, Plan> cache;

  PlannedFiles(long maxFiles) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxFiles)
            .<Key, Plan>weigher((k, plan) -> 1 + plan.tasks().size())
            .executor(Runnable::run)
            .build();
  }

  /** The instance every scan of the process uses. */
  public static PlannedFiles shared() {
    return SHARED;
  }

  /**
   * The files to read for {@code columns} of {@code table} at {@code snapshot} under {@code filter}
   * (null: every file), planned now only when no earlier scan planned them; then {@code metrics}
   * counts one {@linkplain ScanMetrics#filePlannings() file planning}.
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
    String filterKey = filterKey(table, filter);
    if (filterKey == null || !(table instanceof BaseTable)) {
      metrics.addFilePlanning();
      return planFiles(table, snapshot, columns, filter);
    }
    Key key =
        new Key(table.uuid().toString(), snapshot.snapshotId(), List.copyOf(columns), filterKey);
    return cache.get(
        key,
        k -> {
          metrics.addFilePlanning();
          return planFiles(table, snapshot, columns, filter);
        });
  }

  private static Plan planFiles(
      Table table, Snapshot snapshot, List<String> columns, @Nullable Expression filter) {
    TableScan scan =
        table.newScan().useSnapshot(snapshot.snapshotId()).caseSensitive(true).select(columns);
    if (filter != null) {
      scan = scan.filter(filter);
    }
    List<FileScanTask> tasks = new ArrayList<>();
    long bytes = 0;
    long rowGroups = 0;
    try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
      for (FileScanTask task : planned) {
        if (!task.deletes().isEmpty()) {
          throw NqlException.of(
              ErrorCode.NOT_SUPPORTED,
              "Cannot read table %s: row-level deletes are not supported",
              table.name());
        }
        tasks.add(task);
        bytes += task.file().fileSizeInBytes();
        rowGroups += rowGroups(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String total = snapshot.summary() == null ? null : snapshot.summary().get("total-data-files");
    long snapshotFiles = total == null ? tasks.size() : Long.parseLong(total);
    return new Plan(tasks, snapshotFiles, bytes, rowGroups);
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
