package io.nql.planner.iceberg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.function.Supplier;
import org.apache.iceberg.FileScanTask;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The decoded rows of small data files, kept for every later scan that reads the same file the same
 * way. A join of many small tables opened each table's Parquet file in every statement — footer,
 * schema, row-group filters, page decoding — for ten rows; the open cost more than the rows.
 *
 * <p>Reuse is exact because an Iceberg data file never changes once written (a new write is a new
 * file at a new location): the key is the file's location and split, the projected schema (field
 * ids and types, so a schema change reads afresh) and the row-group filter written as {@link
 * PlannedFiles#filterKey} writes it (field ids, operations, literals with type and length). An
 * entry holds exactly what a read with that filter returns — the rows of the row groups it does not
 * skip, converted as the scan converts them, each with its position in the file — and the number of
 * row groups that read decoded, which a cached scan reports again; so a scan reads the same rows
 * and reports the same counts whether its file was cached or not, and the rows are filtered above
 * the scan as always (the filter only skips row groups).
 *
 * <p>Only files of at most {@link #MAX_ROWS} records and {@link #MAX_BYTES} bytes are kept, within
 * a bound on the values held in total. The cache is shared by every caller and holds rows no caller
 * sees except through the policy above the scan; what one can learn from it is at most that some
 * statement read the same file with the same pushed filter before (a faster open), as from {@link
 * PlannedFiles}. Thread-safe: concurrent scans of one key decode it once.
 */
final class SmallFileRows {
  /** Largest file kept, in records. */
  static final long MAX_ROWS = 4_096;

  /** Largest file kept, in bytes. */
  static final long MAX_BYTES = 256 * 1024;

  /** Values kept in total (rows times their width), about 40 MB at most. */
  private static final long MAX_VALUES = 1_000_000;

  private static final SmallFileRows SHARED = new SmallFileRows(MAX_VALUES);

  /**
   * The rows of one read of a file.
   *
   * @param rows each row's values in the scan's column order, then its position in the file (a
   *     {@code Long}); never modified once built
   * @param rowGroupsRead row groups the read decoded
   */
  record Rows(List<Object[]> rows, long rowGroupsRead) {
    Rows {
      rows = List.copyOf(rows);
    }
  }

  record Key(String location, long start, long length, String projection, String filter) {}

  private final Cache<Key, Rows> cache;

  SmallFileRows(long maxValues) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxValues)
            .<Key, Rows>weigher(
                (k, r) -> 1 + (r.rows().isEmpty() ? 0 : r.rows().size() * r.rows().get(0).length))
            .build();
  }

  static SmallFileRows shared() {
    return SHARED;
  }

  /** Whether a task's rows may be kept: a whole small file. */
  static boolean keeps(FileScanTask task) {
    return task.file().recordCount() <= MAX_ROWS
        && task.file().fileSizeInBytes() <= MAX_BYTES
        && task.start() == 0
        && task.length() == task.file().fileSizeInBytes();
  }

  /**
   * The rows of {@code task} read with {@code projection} and {@code filter} (keys written by the
   * caller), decoded by {@code read} unless kept.
   */
  Rows rows(FileScanTask task, String projection, @Nullable String filter, Supplier<Rows> read) {
    if (filter == null) {
      return read.get();
    }
    Key key = new Key(task.file().location(), task.start(), task.length(), projection, filter);
    return cache.get(key, k -> read.get());
  }

  /** Forgets every kept file (tests). */
  void clear() {
    cache.invalidateAll();
  }
}
