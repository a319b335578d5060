package io.nql.planner.maintenance;

import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.ReadPins;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;

/**
 * Snapshot expiry of one table: the snapshots replaced longer ago than the retention are removed
 * from its metadata in one commit, and the files only they referenced are deleted.
 *
 * <p>Expiry never breaks a reader. It keeps, besides the current snapshot, every snapshot at or
 * after the oldest of: a snapshot a scan of this gateway reads now ({@link ReadPins}); the snapshot
 * that was current {@code readGrace} ago (a statement that loaded the table just before may not
 * have pinned its snapshot yet); the latest snapshot that holds a materialized view's incremental
 * positions ({@link DeltaRead#positionsOf} walks back to it from the current one, so it and every
 * snapshot after it must stay); and the snapshots the caller names ({@code keep}: runs a webhook
 * delivery still has to send). Keeping everything from the oldest such snapshot on, rather than the
 * snapshots alone, is what Iceberg's expiry by age offers, and it keeps their parents' chain whole.
 *
 * <p>The positions of incremental views in the datasets they read need no snapshot: a {@code DELTA}
 * read selects rows by their row id ({@link DeltaRead}), never by the position's snapshot, so
 * expiring it changes nothing a later refresh reads.
 */
public final class SnapshotExpiry {
  /**
   * What an expiry did.
   *
   * @param snapshotsExpired snapshots removed from the table's metadata
   * @param filesDeleted data, delete, manifest and manifest-list files deleted
   * @param bytesFreed their size
   */
  public record Result(long snapshotsExpired, long filesDeleted, long bytesFreed) {
    public static final Result NONE = new Result(0, 0, 0);
  }

  private SnapshotExpiry() {}

  /**
   * Expires the snapshots of {@code table} replaced before {@code now - retention}, but none that a
   * reader may still need (see the class comment).
   *
   * @param keep snapshot ids that must stay (with every snapshot after them)
   */
  public static Result expire(
      Table table, Instant now, Duration retention, Duration readGrace, Set<Long> keep) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Result.NONE;
    }
    long cutoff = cutoff(table, current, now, retention, readGrace, keep);
    long expirable = 0;
    for (Snapshot s : table.snapshots()) {
      if (s.snapshotId() != current.snapshotId() && s.timestampMillis() < cutoff) {
        expirable++;
      }
    }
    if (expirable == 0) {
      return Result.NONE;
    }
    int before = size(table.snapshots());
    FileIO io = table.io();
    AtomicLong files = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    table
        .expireSnapshots()
        .expireOlderThan(cutoff)
        .retainLast(1)
        .deleteWith(
            path -> {
              long size = sizeOf(io, path);
              io.deleteFile(path);
              files.incrementAndGet();
              bytes.addAndGet(size);
            })
        .commit();
    table.refresh();
    return new Result(before - size(table.snapshots()), files.get(), bytes.get());
  }

  /** The time before which a snapshot may be expired: the oldest that must stay bounds it. */
  static long cutoff(
      Table table,
      Snapshot current,
      Instant now,
      Duration retention,
      Duration readGrace,
      Set<Long> keep) {
    long cutoff = now.minus(retention).toEpochMilli();
    String uuid = table.uuid().toString();
    for (long id : ReadPins.shared().pinned(uuid)) {
      cutoff = Math.min(cutoff, timestampOf(table, id, cutoff));
    }
    for (long id : keep) {
      cutoff = Math.min(cutoff, timestampOf(table, id, cutoff));
    }
    long graceStart = now.minus(readGrace).toEpochMilli();
    long atGraceStart =
        -1; // the snapshot current at graceStart: a table loaded since saw it or later
    long oldest = current.timestampMillis();
    boolean positionsSeen = false;
    for (Snapshot s = current; s != null; s = parent(table, s)) {
      oldest = s.timestampMillis();
      if (!positionsSeen
          && s.summary() != null
          && s.summary().containsKey(DeltaRead.SUMMARY_PROPERTY)) {
        cutoff = Math.min(cutoff, s.timestampMillis());
        positionsSeen = true;
      }
      if (atGraceStart < 0 && s.timestampMillis() <= graceStart) {
        atGraceStart = s.timestampMillis();
      }
    }
    cutoff = Math.min(cutoff, atGraceStart < 0 ? oldest : atGraceStart);
    return cutoff;
  }

  private static Snapshot parent(Table table, Snapshot s) {
    return s.parentId() == null ? null : table.snapshot(s.parentId());
  }

  private static long timestampOf(Table table, long snapshotId, long otherwise) {
    Snapshot s = table.snapshot(snapshotId);
    return s == null ? otherwise : s.timestampMillis();
  }

  private static long sizeOf(FileIO io, String path) {
    try {
      return io.newInputFile(path).getLength();
    } catch (RuntimeException e) {
      return 0; // already gone: nothing freed, nothing to fail for
    }
  }

  private static int size(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
