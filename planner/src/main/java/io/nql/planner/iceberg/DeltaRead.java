package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The incremental reads of one materialized view run ({@code DELTA(TABLE …)}): for each dataset,
 * where the view's last run read it up to (its <em>position</em>: the snapshot, and the table's
 * next {@linkplain Lineage row id} as of that snapshot), and where this run reads it. A delta scan
 * reads the rows of the scan's snapshot whose row id is at least the position's: the rows committed
 * since the last run that are still in the table, with their current values. Row ids survive the
 * owner's {@code DELETE} and {@code UPDATE} (copy-on-write keeps each row's id), so what a delta
 * scan reads depends only on which rows were added and which of them remain, never on the rows the
 * owner rewrote around them: a provider's change to rows an access rule hides cannot add, drop or
 * repeat a row a buyer's incremental view receives. With no position (the view's first run) it
 * reads every row. The positions after the run are written with the run's rows, in the same Iceberg
 * commit, so a crash never reads rows twice or skips them.
 */
public final class DeltaRead {
  /**
   * Where a view read a dataset up to.
   *
   * @param snapshotId the snapshot it read
   * @param nextRowId the dataset's next row id as of that snapshot; negative when the position was
   *     written before the dataset had row lineage
   */
  public record Position(long snapshotId, long nextRowId) {}

  /**
   * What a delta scan reads of its snapshot.
   *
   * @param tasks the files that may hold new rows
   * @param minRowId the smallest row id it reads; negative: every row (a first run)
   */
  record Selection(List<FileScanTask> tasks, long minRowId) {}

  private final Map<Long, Position> positions;
  private final ConcurrentMap<Long, Position> read = new ConcurrentHashMap<>();

  /**
   * @param positions per dataset id, where the view's last run read it up to
   */
  public DeltaRead(Map<Long, Position> positions) {
    this.positions = Map.copyOf(positions);
  }

  /** The position of a dataset, or null when the view never read it incrementally. */
  public @Nullable Position position(long datasetId) {
    return positions.get(datasetId);
  }

  /** The positions after this run: the last run's, advanced to the snapshots this run read. */
  public Map<Long, Position> positionsAfter() {
    Map<Long, Position> out = new TreeMap<>(positions);
    out.putAll(read);
    return out;
  }

  /** Whether this run read a dataset at a snapshot other than its position. */
  public boolean advanced() {
    return !positionsAfter().equals(new TreeMap<>(positions));
  }

  /**
   * What a delta scan of {@code table} reads at {@code snapshot}.
   *
   * @param datasetId the dataset the table holds
   * @param name the table as the caller names it, in errors
   * @param live the files of {@code snapshot} the scan's filter keeps
   * @throws NqlException 55000 when the dataset's rows have no ids (yet), or the view's position
   *     was written before they had
   */
  Selection tasks(
      long datasetId, String name, Table table, Snapshot snapshot, List<FileScanTask> live) {
    Long next = Lineage.nextRowId(snapshot);
    if (next == null || !Lineage.tracked(table)) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot read DELTA(%s): its rows have no row lineage, which incremental reads need",
          name);
    }
    Position now = new Position(snapshot.snapshotId(), next);
    read.merge(datasetId, now, (a, b) -> a.equals(b) ? a : conflict(name));
    Position from = positions.get(datasetId);
    if (from == null) {
      return new Selection(live, -1);
    }
    if (from.nextRowId() < 0) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot read DELTA(%s): the view's last run predates row lineage; drop and create the"
              + " view again",
          name);
    }
    if (from.nextRowId() >= next) {
      return new Selection(List.of(), from.nextRowId());
    }
    List<FileScanTask> out = new ArrayList<>();
    for (FileScanTask t : live) {
      Long first = t.file().firstRowId();
      // a file's ids are below its first row id (rows it carries) or from it on (rows it added)
      if (first == null || first + t.file().recordCount() > from.nextRowId()) {
        out.add(t);
      }
    }
    return new Selection(out, from.nextRowId());
  }

  private static Position conflict(String name) {
    // One statement reads each table at one snapshot; two would make the position ambiguous.
    throw new IllegalStateException("two snapshots of " + name + " in one run");
  }

  /**
   * The positions as a snapshot summary value: {@code datasetId:snapshotId:nextRowId} triples
   * ({@code datasetId:snapshotId} pairs were written before row lineage).
   */
  public static String format(Map<Long, Position> positions) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(positions)
        .forEach(
            (k, v) ->
                b.append(b.length() == 0 ? "" : ",")
                    .append(k)
                    .append(':')
                    .append(v.snapshotId())
                    .append(':')
                    .append(v.nextRowId()));
    return b.toString();
  }

  /** Positions written by {@link #format} (or, without next row ids, before row lineage). */
  public static Map<Long, Position> parse(String text) {
    Map<Long, Position> out = new TreeMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String entry : text.split(",")) {
      String[] parts = entry.split(":");
      long next = parts.length > 2 ? Long.parseLong(parts[2]) : -1;
      out.put(Long.parseLong(parts[0]), new Position(Long.parseLong(parts[1]), next));
    }
    return out;
  }

  /** The snapshot summary property that keeps a view's positions. */
  public static final String SUMMARY_PROPERTY = "nql.delta-positions";

  /**
   * The positions a view's table keeps: those of its latest snapshot that has them (snapshots of
   * other writes in between have none).
   */
  public static Map<Long, Position> positionsOf(Table view) {
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
