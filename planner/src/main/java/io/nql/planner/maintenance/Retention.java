package io.nql.planner.maintenance;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.SnapshotFiles;
import io.nql.planner.store.DatasetMaintenance;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A dataset's retention applied: the rows whose retention column is older than now minus the
 * retention (NULL is not older: such rows stay) are deleted in one snapshot. When every file that
 * may hold such a row holds only such rows (by its column bounds: a table partitioned or sorted by
 * the column), the files are dropped by a metadata-only delete; otherwise the owner's {@code
 * DELETE} runs ({@link Deleter}): copy-on-write through the DML path, which keeps the row ids of
 * the rows that stay. Either way the rows that stay keep their ids, so materialized views that read
 * the dataset incrementally neither lose nor repeat a row, and what buyers bought stays bought: the
 * ledger is not touched.
 */
public final class Retention {
  /**
   * What applying a retention did.
   *
   * @param rowsDeleted rows deleted
   * @param filesDropped whole files dropped by metadata (0 when the DELETE statement ran)
   * @param rewritten whether the rows were deleted by the copy-on-write {@code DELETE}
   */
  public record Result(long rowsDeleted, long filesDropped, boolean rewritten) {
    public static final Result NONE = new Result(0, 0, false);
  }

  /** Runs an NQL {@code DELETE} as the dataset's owner; the rows it deleted. */
  @FunctionalInterface
  public interface Deleter {
    long delete(String sql);
  }

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Retention() {}

  /**
   * Checks that {@code column} can carry a retention: a date or timestamp column of the table.
   *
   * @throws NqlException 42703 when the table has no such column, 42804 when it has another type
   */
  public static void check(Schema schema, String dataset, String column) {
    Types.NestedField f = schema.findField(column);
    if (f == null) {
      throw NqlException.of(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot set retention of dataset %s: it has no column %s",
          dataset,
          column);
    }
    Type.TypeID t = f.type().typeId();
    if (t != Type.TypeID.DATE && t != Type.TypeID.TIMESTAMP) {
      throw NqlException.of(
          ErrorCode.DATATYPE_MISMATCH,
          "Cannot set retention of dataset %s: column %s is %s, not a date or timestamp",
          dataset,
          column,
          f.type());
    }
  }

  /** The instant before which rows are expired: now minus the retention, in whole seconds. */
  public static Instant cutoff(Instant now, int days) {
    return now.minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * Deletes the rows of {@code table} (dataset {@code name} of its owner) that {@code retention}
   * expires at {@code now}, in one snapshot.
   */
  public static Result apply(
      Table table,
      String name,
      DatasetMaintenance.Retention retention,
      Instant now,
      Deleter deleter) {
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return Result.NONE;
    }
    Schema schema = table.schema();
    check(schema, name, retention.column());
    Instant cutoff = cutoff(now, retention.days());
    boolean date = schema.findField(retention.column()).type().typeId() == Type.TypeID.DATE;
    Expression expired =
        date
            ? Expressions.lessThan(
                retention.column(), (int) LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toEpochDay())
            : Expressions.lessThan(
                retention.column(), ChronoUnit.MICROS.between(Instant.EPOCH, cutoff));
    StrictMetricsEvaluator all = new StrictMetricsEvaluator(schema, expired);
    InclusiveMetricsEvaluator some = new InclusiveMetricsEvaluator(schema, expired, true);
    List<DataFile> whole = new ArrayList<>();
    boolean partly = false;
    long rows = 0;
    for (FileScanTask task : SnapshotFiles.plan(table, snapshot, null)) {
      DataFile f = task.file();
      if (!some.eval(f)) {
        continue;
      }
      if (task.deletes().isEmpty() && all.eval(f)) {
        whole.add(f);
        rows += f.recordCount();
      } else {
        partly = true;
      }
    }
    if (whole.isEmpty() && !partly) {
      return Result.NONE;
    }
    if (partly) {
      String literal =
          date
              ? "DATE '" + LocalDate.ofInstant(cutoff, ZoneOffset.UTC) + "'"
              : "TIMESTAMP '" + TIMESTAMP.format(cutoff.atOffset(ZoneOffset.UTC)) + "'";
      long deleted =
          deleter.delete(
              "DELETE FROM company_data."
                  + quoted(name)
                  + " WHERE "
                  + quoted(retention.column())
                  + " < "
                  + literal);
      return new Result(deleted, 0, true);
    }
    DeleteFiles delete = table.newDelete().validateFilesExist();
    whole.forEach(delete::deleteFile);
    delete.set("nql.operation", "retention");
    delete.commit();
    return new Result(rows, whole.size(), false);
  }

  private static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
