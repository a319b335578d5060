package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.RowAppender;
import io.nql.planner.store.MaterializedViews.View;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a materialized view run writes its rows: appended or in place of the view's rows, the expired
 * rows removed and the positions of its incremental reads kept, all in one snapshot.
 */
final class ViewWrites {
  private ViewWrites() {}

  /** What a run's incremental reads did not read: when the budget cut the run, rows not bought. */
  static List<StatementWarning> deltaWarnings(DeltaRead delta, Charge charge) {
    List<StatementWarning> out = new ArrayList<>();
    if (charge.budgetCut() && charge.micros() > 0) {
      out.add(
          new StatementWarning(
              "01000",
              "DELTA: the budget cut this run; rows added before it that it did not buy are not"
                  + " read by later runs"));
    }
    return out;
  }

  /**
   * Writes a run's rows: appended, or in place of the view's rows (one snapshot either way; none
   * when an overwriting run's budget stopped it before its first row).
   */
  static LoadResult write(View view, Table table, StatementResult rows, @Nullable DeltaRead delta) {
    int width = table.schema().columns().size();
    if (rows.columns().size() != width) {
      throw NqlException.of(
          ErrorCode.DATATYPE_MISMATCH,
          "Cannot refresh materialized view %s: its query now returns %d columns for its %d;"
              + " drop and create it again",
          view.name(),
          rows.columns().size(),
          width);
    }
    int[] targets = new int[width];
    for (int i = 0; i < width; i++) {
      targets[i] = i;
    }
    String what = "materialized view " + view.name();
    // The positions the run read up to go into the snapshot of its rows: no crash can separate
    // them. A run its budget stopped before it bought anything keeps the old positions, so the
    // rows it could not buy are read by the next run.
    java.util.function.BooleanSupplier advance =
        () ->
            delta != null
                && delta.advanced()
                && (rows.charge().micros() > 0 || !rows.charge().budgetCut());
    Supplier<Map<String, String>> summary =
        () ->
            advance.getAsBoolean()
                ? Map.of(DeltaRead.SUMMARY_PROPERTY, DeltaRead.format(delta.positionsAfter()))
                : Map.of();
    LoadResult written = write(view, table, rows, targets, what, summary);
    if (written.snapshotId().isEmpty() && advance.getAsBoolean()) {
      // no row to write: the new positions alone, in a snapshot without files
      AppendFiles positions = table.newAppend();
      summary.get().forEach(positions::set);
      positions.set("nql.operation", "refresh");
      positions.commit();
    }
    return written;
  }

  /** Writes a run's rows as one snapshot with {@code summary}'s properties. */
  static LoadResult write(
      View view,
      Table table,
      StatementResult rows,
      int[] targets,
      String what,
      Supplier<Map<String, String>> summary) {
    long[] read = {0};
    Supplier<Object @Nullable []> next =
        () -> {
          Object[] row = rows.next();
          if (row != null) {
            read[0]++;
          }
          return row;
        };
    Snapshot current = table.currentSnapshot();
    if (view.writeMode().equals("overwrite") && current != null) {
      // A run its budget stopped before it got any row (a period budget already spent) leaves
      // the view's rows as they were: replacing them by nothing would lose what was bought.
      return RowAppender.replace(
          table,
          what,
          targets,
          next,
          current.snapshotId(),
          DmlStatements.dataFiles(table, current.snapshotId()),
          "refresh",
          () -> read[0] > 0 || !rows.charge().budgetCut(),
          summary);
    }
    List<DataFile> expired = current == null ? List.of() : expired(view, table, current);
    if (!expired.isEmpty()) {
      // the new rows and the expiry of the old ones in one snapshot
      return RowAppender.replace(
          table,
          what,
          targets,
          next,
          current.snapshotId(),
          expired,
          "refresh",
          () -> true,
          summary);
    }
    return RowAppender.append(table, what, targets, next, summary);
  }

  /**
   * The view's data files whose rows have expired by {@code EXPIRE}: all of them for {@code
   * expire_everything} (a run keeps only its own rows), those added by a snapshot committed more
   * than the period ago for a period, none for {@code retain_everything}.
   */
  private static List<DataFile> expired(View view, Table table, Snapshot current) {
    String expire = view.expire();
    if (expire.equals("retain_everything")) {
      return List.of();
    }
    List<DataFile> files = DmlStatements.dataFiles(table, current.snapshotId());
    if (expire.equals("expire_everything")) {
      return files;
    }
    String iso = expire.toUpperCase(Locale.ROOT);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    long cutoff =
        (iso.contains("T") ? now.minus(Duration.parse(iso)) : now.minus(Period.parse(iso)))
            .toInstant()
            .toEpochMilli();
    Map<Long, Long> committedAt = new HashMap<>(); // by sequence number
    for (Snapshot s : table.snapshots()) {
      committedAt.put(s.sequenceNumber(), s.timestampMillis());
    }
    List<DataFile> out = new ArrayList<>();
    for (DataFile f : files) {
      Long added = f.dataSequenceNumber() == null ? null : committedAt.get(f.dataSequenceNumber());
      if (added != null && added < cutoff) {
        out.add(f);
      }
    }
    return out;
  }
}
