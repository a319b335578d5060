package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.IncrementalAppendScan;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The incremental reads of one materialized view run ({@code DELTA(TABLE …)}): for each dataset,
 * the snapshot the view's last run read it at (its <em>position</em>), and the snapshots this run
 * reads. A delta scan reads the rows of the data files that <em>append</em> snapshots added after
 * the position and that the scan's snapshot still holds; with no position (the view's first run) it
 * reads every row. The positions after the run are written with the run's rows, in the same Iceberg
 * commit, so a crash never reads rows twice or skips them.
 *
 * <p>Rows that a {@code DELETE} or {@code UPDATE} rewrote are in files of an overwrite snapshot:
 * they are not read again, and rows appended since the position that such a statement rewrote are
 * not read at all; the run says so in a warning ({@link #rewritten()}).
 */
public final class DeltaRead {
  private final Map<Long, Long> positions;
  private final ConcurrentMap<Long, Long> read = new ConcurrentHashMap<>();
  private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

  /**
   * @param positions per dataset id, the snapshot the view's last run read it at
   */
  public DeltaRead(Map<Long, Long> positions) {
    this.positions = Map.copyOf(positions);
  }

  /** The position of a dataset, or null when the view never read it incrementally. */
  public @Nullable Long position(long datasetId) {
    return positions.get(datasetId);
  }

  /** The positions after this run: the last run's, advanced to the snapshots this run read. */
  public Map<Long, Long> positionsAfter() {
    Map<Long, Long> out = new TreeMap<>(positions);
    out.putAll(read);
    return out;
  }

  /** Whether this run read a dataset at a snapshot other than its position. */
  public boolean advanced() {
    return !positionsAfter().equals(new TreeMap<>(positions));
  }

  /** The tables (as named in errors) whose rows appended since the position were rewritten. */
  public List<String> rewritten() {
    return new ArrayList<>(new java.util.TreeSet<>(rewritten));
  }

  /**
   * The data files a delta scan of {@code table} reads at {@code snapshot}.
   *
   * @param datasetId the dataset the table holds
   * @param name the table as the caller names it, in errors and warnings
   * @param live the files of {@code snapshot} the scan's filter keeps
   * @param filter the pushed filter, or null
   * @throws NqlException 55000 when the position is not in the table's history any more
   */
  List<FileScanTask> tasks(
      long datasetId,
      String name,
      Table table,
      Snapshot snapshot,
      List<FileScanTask> live,
      @Nullable Expression filter) {
    read.merge(datasetId, snapshot.snapshotId(), (a, b) -> a.equals(b) ? a : conflict(name));
    Long from = positions.get(datasetId);
    if (from == null) {
      return live;
    }
    if (from == snapshot.snapshotId()) {
      return List.of();
    }
    if (!SnapshotUtil.isAncestorOf(table, snapshot.snapshotId(), from)) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot read DELTA(TABLE %s): the view's last run read a version no longer in its"
              + " history; drop and create the view again",
          name);
    }
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, snapshot.snapshotId(), from)) {
      if (!DataOperations.APPEND.equals(s.operation())) {
        rewritten.add(name);
      }
    }
    IncrementalAppendScan scan =
        table
            .newIncrementalAppendScan()
            .fromSnapshotExclusive(from)
            .toSnapshot(snapshot.snapshotId());
    if (filter != null) {
      scan = scan.filter(filter);
    }
    Set<String> appended = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      for (FileScanTask t : tasks) {
        appended.add(t.file().location());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<FileScanTask> out = new ArrayList<>();
    for (FileScanTask t : live) {
      if (appended.contains(t.file().location())) {
        out.add(t);
      }
    }
    return out;
  }

  private static Long conflict(String name) {
    // One statement reads each table at one snapshot; two would make the position ambiguous.
    throw new IllegalStateException("two snapshots of " + name + " in one run");
  }

  /** The positions as a snapshot summary value: {@code datasetId:snapshotId} pairs. */
  public static String format(Map<Long, Long> positions) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(positions)
        .forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append(':').append(v));
    return b.toString();
  }

  /** Positions written by {@link #format}. */
  public static Map<Long, Long> parse(String text) {
    Map<Long, Long> out = new TreeMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      out.put(Long.parseLong(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
    }
    return out;
  }

  /** The snapshot summary property that keeps a view's positions. */
  public static final String SUMMARY_PROPERTY = "nql.delta-positions";

  /**
   * The positions a view's table keeps: those of its latest snapshot that has them (snapshots of
   * other writes in between have none).
   */
  public static Map<Long, Long> positionsOf(Table view) {
    for (Snapshot s = view.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : view.snapshot(s.parentId())) {
      String kept = s.summary() == null ? null : s.summary().get(SUMMARY_PROPERTY);
      if (kept != null) {
        return parse(kept);
      }
    }
    return Map.of();
  }
}
