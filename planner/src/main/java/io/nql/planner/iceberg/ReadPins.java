package io.nql.planner.iceberg;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The table snapshots that scans of this gateway are reading now, so that snapshot expiry keeps
 * them (and the files only they reference) until the last reader is done. A scan pins its snapshot
 * before it plans its files and unpins it when its rows are closed; a pin that is never released (a
 * result never closed) only keeps a snapshot longer, never loses one. One registry per JVM, as one
 * gateway is one JVM (the planned-file caches are shared the same way). Thread-safe.
 */
public final class ReadPins {
  private static final ReadPins SHARED = new ReadPins();

  private record Key(String table, long snapshot) {}

  private final Map<Key, Integer> readers = new ConcurrentHashMap<>();

  ReadPins() {}

  /** The gateway's registry. */
  public static ReadPins shared() {
    return SHARED;
  }

  /** A pin of one snapshot; closing it (once or more) releases it. */
  public interface Pin extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Pins {@code snapshotId} of the table with UUID {@code tableUuid} until the pin is closed.
   *
   * @param tableUuid the table's UUID ({@code Table.uuid()}), not a name a caller wrote
   */
  public Pin pin(String tableUuid, long snapshotId) {
    Key key = new Key(tableUuid, snapshotId);
    readers.merge(key, 1, Integer::sum);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        readers.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
      }
    };
  }

  /** The snapshots of a table that some scan reads now. */
  public Set<Long> pinned(String tableUuid) {
    Set<Long> out = new TreeSet<>();
    readers
        .keySet()
        .forEach(
            k -> {
              if (k.table().equals(tableUuid)) {
                out.add(k.snapshot());
              }
            });
    return out;
  }
}
