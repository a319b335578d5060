package io.nql.planner.ingest;

import io.nql.planner.error.NqlException;
import java.util.List;
import org.apache.iceberg.Table;

/**
 * What one {@code COPY INTO} loads: the files of its source, less those loaded before when it is
 * {@code INCREMENTAL}.
 *
 * @param source what the statement named
 * @param files the files to load, in order
 * @param skipped files of the source skipped because they were loaded before
 * @param validator for an {@code INCREMENTAL} load, the check that no statement loaded the same
 *     files meanwhile, run at the commit; null otherwise
 */
public record CopyPlan(
    CopySource source, List<SourceFile> files, int skipped, LoadedFiles.Validator validator) {
  /**
   * Plans the load of {@code source} into {@code table}.
   *
   * @param incremental skip the files recorded in the table's history ({@link LoadedFiles})
   * @throws NqlException as {@link CopySource#requireFiles()} when not incremental and there are no
   *     files; as {@link LoadedFiles#notLoaded} for a file that changed since it was loaded
   */
  public static CopyPlan of(Table table, CopySource source, boolean incremental) {
    if (!incremental) {
      return new CopyPlan(source.requireFiles(), source.files(), 0, null);
    }
    LoadedFiles loaded = LoadedFiles.of(table);
    List<SourceFile> fresh = loaded.notLoaded(source.files());
    return new CopyPlan(
        source, fresh, source.files().size() - fresh.size(), loaded.validator(fresh));
  }

  /** Total size of the files to load, in bytes. */
  public long bytes() {
    return files.stream().mapToLong(SourceFile::size).sum();
  }
}
