package io.nql.planner.iceberg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The data files of a table snapshot, read from its manifests once and kept, and the files a filter
 * may match, chosen in memory as Iceberg's scan planning chooses them: by the filter's inclusive
 * projection on each file's partition, then by the filter against the file's column bounds. A
 * snapshot never changes, so neither does its list; a point lookup then plans without reading and
 * decoding the manifest list and manifests each time.
 *
 * <p>Like Iceberg's planning, the choice only ever keeps a file that may hold a matching row (the
 * rows are filtered above the scan). Thread-safe; lists of at most {@link #MAX_FILES} files in all
 * are kept, the least recently used dropped first.
 */
public final class SnapshotFiles {
  /** Files (over all snapshots) whose tasks are kept. */
  static final long MAX_FILES = 200_000;

  private record Key(String table, long snapshot) {}

  private static final Cache<Key, List<FileScanTask>> FILES =
      Caffeine.newBuilder()
          .maximumWeight(MAX_FILES)
          .weigher((Key k, List<FileScanTask> v) -> Math.max(1, v.size()))
          .expireAfterAccess(Duration.ofHours(1))
          .executor(Runnable::run)
          .build();

  private SnapshotFiles() {}

  /**
   * The files of {@code snapshot} that may hold rows matching {@code filter}, in the order of the
   * snapshot's manifests, each a task over the whole file with its delete files.
   *
   * @param filter an unbound expression over the snapshot's schema, or null for every file
   */
  public static List<FileScanTask> plan(
      Table table, Snapshot snapshot, @Nullable Expression filter) {
    // Only a catalog's own table object lists a snapshot's files as they are: a view of the table
    // (the statistics' added-files view restricts planning) would poison the shared list.
    List<FileScanTask> all =
        table.getClass() == BaseTable.class
            ? FILES.get(
                new Key(table.uuid().toString(), snapshot.snapshotId()), k -> read(table, snapshot))
            : read(table, snapshot);
    if (filter == null) {
      return all;
    }
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    InclusiveMetricsEvaluator bounds = new InclusiveMetricsEvaluator(schema, filter, true);
    Map<Integer, Evaluator> partitions = new HashMap<>();
    List<FileScanTask> kept = new ArrayList<>();
    for (FileScanTask task : all) {
      PartitionSpec spec = task.spec();
      Evaluator partition =
          partitions.computeIfAbsent(
              spec.specId(),
              id ->
                  new Evaluator(
                      spec.partitionType(),
                      Projections.inclusive(spec, true).project(filter),
                      true));
      if (partition.eval(task.file().partition()) && bounds.eval(task.file())) {
        kept.add(task);
      }
    }
    return kept;
  }

  private static List<FileScanTask> read(Table table, Snapshot snapshot) {
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table
            .newScan()
            .useSnapshot(snapshot.snapshotId())
            .caseSensitive(true)
            .includeColumnStats()
            .planFiles()) {
      for (FileScanTask task : planned) {
        tasks.add(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(tasks);
  }
}
