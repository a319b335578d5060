package io.nql.planner.maintenance;

import io.nql.planner.result.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.iceberg.Table;

/**
 * {@code VACUUM} of one table: {@link SnapshotExpiry snapshot expiry}, then {@link OrphanFiles
 * orphan-file removal}. The expiry is one metadata commit; the orphan files it then deletes were
 * part of no snapshot, so no reader can miss them.
 */
public final class Vacuum {
  /**
   * What a {@code VACUUM} did.
   *
   * @param snapshotsExpired snapshots removed from the table's metadata
   * @param filesDeleted files deleted: those only expired snapshots referenced, and orphans
   * @param bytesFreed their size
   */
  public record Result(long snapshotsExpired, long filesDeleted, long bytesFreed) {}

  private Vacuum() {}

  /**
   * Expires the snapshots of {@code table} replaced before {@code now - retention} (keeping those
   * readers need) and deletes its orphan files older than the settings' orphan age.
   *
   * @param keep snapshot ids that must stay (with every snapshot after them)
   * @param progress files examined of the files found, while orphans are removed
   */
  public static Result run(
      Table table,
      Instant now,
      Duration retention,
      MaintenanceSettings settings,
      Set<Long> keep,
      ProgressListener progress) {
    SnapshotExpiry.Result expired =
        SnapshotExpiry.expire(table, now, retention, settings.readGrace(), keep);
    OrphanFiles.Result orphans =
        OrphanFiles.remove(table, now.minus(settings.orphanAge()), progress);
    return new Result(
        expired.snapshotsExpired(),
        expired.filesDeleted() + orphans.filesDeleted(),
        expired.bytesFreed() + orphans.bytesFreed());
  }
}
