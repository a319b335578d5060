package io.nql.planner.engine;

import io.nql.planner.ingest.CopySource;
import io.nql.planner.ingest.LoadResult;
import java.util.List;

/**
 * What a {@code COPY INTO} says besides its update count (the rows loaded): a notice ({@code
 * 00000}) of the files and rows a directory load read, and a warning ({@code 01N02}) when it loaded
 * no file because every file was loaded before ({@code INCREMENTAL}) or the directory has none.
 */
final class CopyNotices {
  /** SQLSTATE of the notice of a directory load: successful completion, as PostgreSQL's NOTICE. */
  static final String LOADED = "00000";

  /** SQLSTATE of the warning that a load found no new file. */
  static final String NO_NEW_FILES = "01N02";

  private CopyNotices() {}

  static List<StatementWarning> of(CopySource source, LoadResult result, String dataset) {
    if (result.filesLoaded() == 0) {
      int n = result.filesSkipped();
      String why;
      if (!source.directory()) {
        why = "the file was loaded before";
      } else if (n > 0) {
        why =
            (n == 1 ? "the 1 file selected was" : "all " + n + " files selected were")
                + " loaded before";
      } else if (source.pattern() != null) {
        why = "no file matches PATTERN '" + source.pattern() + "'";
      } else {
        why = "the directory has no files";
      }
      return List.of(
          new StatementWarning(
              NO_NEW_FILES, "No new files to load from '" + source.asWritten() + "': " + why));
    }
    if (!source.directory()) {
      return List.of();
    }
    String message =
        "Loaded "
            + plural(result.rowsLoaded(), "row")
            + " from "
            + plural(result.filesLoaded(), "file")
            + " into company_data."
            + dataset
            + (result.filesSkipped() == 0
                ? ""
                : "; skipped " + plural(result.filesSkipped(), "file") + " loaded before");
    return List.of(new StatementWarning(LOADED, message));
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
