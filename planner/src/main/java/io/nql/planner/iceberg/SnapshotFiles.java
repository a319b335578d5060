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
 *
 * <p>Snapshots of one table share their files: a file's task read for a snapshot is the task kept
 * for its parent snapshot when both have it without delete files (data files never change, and a
 * whole-file task without deletes is a function of the file and the snapshot's schema), so a table
 * loaded a thousand times keeps each file's metadata once, not once per snapshot (a soak with
 * continuous loads held 94,662 file metadata objects for 836 files before;
 * docs/operations/soak.md).
 */
public final class SnapshotFiles {
  /**
   * Files over all kept lists, each counted once per list that holds it: an upper bound on the file
   * metadata kept (a few KB per file), reached only when no two lists share files.
   */
  static final long MAX_FILES = 50_000;

  private record Key(String table, long snapshot) {}

  /** A snapshot's files, and the id of the schema its tasks were planned with. */
  private record Listing(int schemaId, List<FileScanTask> tasks) {}

  private static final Cache<Key, Listing> FILES =
      Caffeine.newBuilder()
          .maximumWeight(MAX_FILES)
          .weigher((Key k, Listing v) -> Math.max(1, v.tasks().size()))
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
    return plan(table, snapshot, filter, () -> {});
  }

  /**
   * As {@link #plan(Table, Snapshot, Expression)}; {@code onRead} runs when the snapshot's
   * manifests are read for this call (no earlier call kept its files).
   */
  public static List<FileScanTask> plan(
      Table table, Snapshot snapshot, @Nullable Expression filter, Runnable onRead) {
    List<FileScanTask> all;
    if (table.getClass() == BaseTable.class) {
      String uuid = table.uuid().toString();
      all =
          FILES
              .get(
                  new Key(uuid, snapshot.snapshotId()),
                  k -> {
                    onRead.run();
                    return read(table, snapshot, parent(uuid, snapshot));
                  })
              .tasks();
    } else {
      onRead.run();
      all = read(table, snapshot, null).tasks();
    }
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

  /** The kept listing of {@code snapshot}'s parent, whose tasks the new listing may share. */
  private static @Nullable Listing parent(String uuid, Snapshot snapshot) {
    Long parent = snapshot.parentId();
    return parent == null ? null : FILES.getIfPresent(new Key(uuid, parent));
  }

  private static Listing read(Table table, Snapshot snapshot, @Nullable Listing parent) {
    int schemaId = schemaId(table, snapshot);
    Map<String, FileScanTask> shared = new HashMap<>();
    if (parent != null && parent.schemaId() == schemaId) {
      for (FileScanTask t : parent.tasks()) {
        if (t.deletes().isEmpty()) {
          shared.put(t.file().location(), t);
        }
      }
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table
            .newScan()
            .useSnapshot(snapshot.snapshotId())
            .caseSensitive(true)
            .includeColumnStats()
            .planFiles()) {
      for (FileScanTask task : planned) {
        tasks.add(task.deletes().isEmpty() ? same(shared.get(task.file().location()), task) : task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Listing(schemaId, List.copyOf(tasks));
  }

  /**
   * The parent's task for the same file when it is one (same file, spec and extent), else {@code
   * task}.
   */
  private static FileScanTask same(@Nullable FileScanTask kept, FileScanTask task) {
    if (kept != null
        && kept.spec().specId() == task.spec().specId()
        && kept.file().fileSizeInBytes() == task.file().fileSizeInBytes()
        && kept.file().recordCount() == task.file().recordCount()
        && kept.start() == task.start()
        && kept.length() == task.length()) {
      return kept;
    }
    return task;
  }

  private static int schemaId(Table table, Snapshot snapshot) {
    Integer id = snapshot.schemaId();
    return id != null ? id : table.schema().schemaId();
  }
}
