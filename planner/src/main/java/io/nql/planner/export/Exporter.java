package io.nql.planner.export;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.CancelChecks;
import io.nql.planner.result.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/** Writes the rows of an export to its file in one format, and commits the file at their end. */
public final class Exporter {
  /** Rows written between two looks at the cancel flag. */
  private static final int CHECK_EVERY = 1024;

  /** Least time between two progress reports. */
  private static final long REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private Exporter() {}

  /**
   * What an export wrote.
   *
   * @param rows rows written
   * @param bytes size of the file
   * @param path the file's canonical path
   */
  public record Result(long rows, long bytes, Path path) {}

  /**
   * Refuses a schema the formats cannot write: nested columns (struct, list, map). Call it before
   * creating the file, so that such an export touches nothing.
   *
   * @param what the statement's object, for messages ({@code company_data.events})
   * @throws NqlException {@link ErrorCode#NOT_SUPPORTED} naming the first nested column
   */
  public static void checkFlat(Schema schema, String what) {
    for (Types.NestedField f : schema.columns()) {
      if (f.type().isNestedType()) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot export %s: column '%s' has a nested type (%s); only flat columns are supported",
            what,
            f.name(),
            f.type().typeId().toString().toLowerCase(java.util.Locale.ROOT));
      }
    }
  }

  /**
   * Writes every row to {@code file} and commits it. A failure of the rows, of the writing, or a
   * cancel leaves the file uncommitted (closing it then deletes it).
   *
   * @param header CSV: write the column names first
   * @param cancel the statement's cancel flag, looked at every {@value #CHECK_EVERY} rows and
   *     before the commit (57014)
   * @param progress told the rows written (of {@link ExportRows#expected()}) at the first look at
   *     the cancel flag, then at most four times a second
   */
  public static Result write(
      ExportRows rows,
      ExportFile file,
      ExportFormat format,
      boolean header,
      AtomicBoolean cancel,
      ProgressListener progress) {
    Schema schema = rows.schema();
    RowWriter writer = null;
    boolean finished = false;
    try {
      writer =
          format == ExportFormat.CSV
              ? new CsvRowWriter(file.stream(), schema, header)
              : new ParquetRowWriter(file.outputFile(), schema);
      long written = 0;
      long reported = System.nanoTime() - REPORT_NANOS; // the first check reports
      for (Object[] row = rows.next(); row != null; row = rows.next()) {
        writer.write(row);
        written++;
        if (written % CHECK_EVERY == 0) {
          CancelChecks.check(cancel);
          long now = System.nanoTime();
          if (now - reported >= REPORT_NANOS) {
            progress.progress(written, rows.expected());
            reported = now;
          }
        }
      }
      CancelChecks.check(cancel);
      writer.finish();
      finished = true;
      Path path = file.commit();
      return new Result(written, file.bytes(), path);
    } catch (IOException | UncheckedIOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR, "Cannot write '" + file.asWritten() + "': I/O error", e);
    } finally {
      if (writer != null && !finished) {
        writer.abandon();
      }
    }
  }
}
