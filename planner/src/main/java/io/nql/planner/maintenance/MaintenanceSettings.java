package io.nql.planner.maintenance;

import java.time.Duration;

/**
 * The gateway operator's maintenance settings.
 *
 * @param snapshotRetention how long a replaced snapshot is kept when {@code VACUUM} names no {@code
 *     RETAIN} (and by the scheduled pass)
 * @param orphanAge an unreferenced file is deleted only when it is older than this: files a running
 *     load or write has written but not committed yet are younger; longer than any statement runs
 * @param readGrace a snapshot that was current less than this ago is kept: a statement that loaded
 *     the table then may not have pinned its snapshot yet ({@link io.nql.planner.iceberg.ReadPins})
 */
public record MaintenanceSettings(
    Duration snapshotRetention, Duration orphanAge, Duration readGrace) {
  /** Seven days of snapshots, orphans older than three days, ten minutes of read grace. */
  public static final MaintenanceSettings DEFAULTS =
      new MaintenanceSettings(Duration.ofDays(7), Duration.ofDays(3), Duration.ofMinutes(10));

  public MaintenanceSettings {
    if (snapshotRetention.isNegative() || orphanAge.isNegative() || readGrace.isNegative()) {
      throw new IllegalArgumentException("maintenance durations must not be negative");
    }
  }
}
