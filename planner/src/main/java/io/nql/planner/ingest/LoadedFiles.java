package io.nql.planner.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Table;

/**
 * The files a table was loaded from, recorded in the summary of the very snapshot that appended
 * their rows (property {@value #PROPERTY}: a JSON array of {@code {"path", "size", "modified"}},
 * the path relative to the company's area). The record commits atomically with the data, so a crash
 * can never separate them, and it lives as long as the snapshot history: every snapshot in the
 * ancestry of the current one is read, whatever was committed after it.
 *
 * <p>{@code INCREMENTAL} loads use it to skip files loaded before, and to refuse a commit when a
 * statement running at the same time committed some of the same files first (see {@link
 * #validator}).
 */
public final class LoadedFiles {
  /** Snapshot summary property listing the files a snapshot loaded. */
  public static final String PROPERTY = "nql.copy-files";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One loaded file as recorded. */
  record Entry(String path, long size, long modified) {}

  /** The newest entry of every path loaded in the ancestry of {@link #snapshotId}. */
  private final Map<String, Entry> byPath;

  /** The snapshot the record was read at; null for a table without snapshots. */
  private final Long snapshotId;

  private LoadedFiles(Map<String, Entry> byPath, Long snapshotId) {
    this.byPath = byPath;
    this.snapshotId = snapshotId;
  }

  /** The record of {@code table} at its current snapshot (refresh the table first). */
  public static LoadedFiles of(Table table) {
    Map<String, Entry> byPath = new HashMap<>();
    Snapshot current = table.currentSnapshot();
    // Newest first: a file loaded again (without INCREMENTAL) after it changed keeps its newest
    // size and time.
    for (Snapshot s = current; s != null; s = parent(table, s)) {
      for (Entry e : entries(s)) {
        byPath.putIfAbsent(e.path(), e);
      }
    }
    return new LoadedFiles(byPath, current == null ? null : current.snapshotId());
  }

  /** How many files are recorded. */
  public int size() {
    return byPath.size();
  }

  /**
   * The files of {@code files} not loaded before, in their order.
   *
   * @throws NqlException {@link ErrorCode#OBJECT_NOT_IN_PREREQUISITE_STATE} for a file loaded
   *     before whose size or modification time has changed since: loading it again would repeat the
   *     rows it had, skipping it would lose its new ones
   */
  public List<SourceFile> notLoaded(List<SourceFile> files) {
    List<SourceFile> fresh = new ArrayList<>();
    for (SourceFile f : files) {
      Entry e = f.key() == null ? null : byPath.get(f.key());
      if (e == null) {
        fresh.add(f);
      } else if (e.size() != f.size() || e.modified() != f.modifiedMillis()) {
        throw NqlException.of(
            ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "Cannot load '%s': it changed since it was loaded (then %d bytes, modified %s; now %d"
                + " bytes, modified %s); give the new version a new name, or load it without"
                + " INCREMENTAL to load it again",
            f.name(),
            e.size(),
            Instant.ofEpochMilli(e.modified()),
            f.size(),
            Instant.ofEpochMilli(f.modifiedMillis()));
      }
    }
    return fresh;
  }

  /** The summary value recording {@code files}; null when none of them has a key. */
  static String summaryValue(List<SourceFile> files) {
    List<Entry> entries = new ArrayList<>();
    for (SourceFile f : files) {
      if (f.key() != null) {
        entries.add(new Entry(f.key(), f.size(), f.modifiedMillis()));
      }
    }
    if (entries.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(entries);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A check for the commit of {@code files}, run by Iceberg against the table's history before the
   * commit and again before every retry of it (after another statement committed first): it fails
   * when a snapshot committed after the one this record was read at loaded one of the same files.
   * Two {@code INCREMENTAL} loads of one directory at the same time then load each file once: the
   * second to commit fails instead of loading the files again.
   */
  public Validator validator(List<SourceFile> files) {
    Set<String> keys = new HashSet<>();
    for (SourceFile f : files) {
      if (f.key() != null) {
        keys.add(f.key());
      }
    }
    return new Validator(keys, snapshotId);
  }

  /** See {@link #validator}; says afterwards whether it refused the commit. */
  public static final class Validator implements SnapshotAncestryValidator {
    private final Set<String> keys;
    private final Long readAt;
    private volatile boolean refused;

    private Validator(Set<String> keys, Long readAt) {
      this.keys = keys;
      this.readAt = readAt;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestors) {
      for (Snapshot s : ancestors) {
        if (readAt != null && s.snapshotId() == readAt) {
          break;
        }
        for (Entry e : entries(s)) {
          if (keys.contains(e.path())) {
            refused = true;
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public String errorMessage() {
      return "another statement loaded some of the same files first";
    }

    /** Whether {@link #validate} refused a commit. */
    public boolean refused() {
      return refused;
    }
  }

  private static List<Entry> entries(Snapshot s) {
    String value = s.summary() == null ? null : s.summary().get(PROPERTY);
    if (value == null) {
      return List.of();
    }
    try {
      return List.of(JSON.readValue(value, Entry[].class));
    } catch (JsonProcessingException e) {
      // Failing is safer than guessing: a record that cannot be read could double-load files.
      throw new NqlException(
          ErrorCode.INTERNAL_ERROR,
          "Cannot read the record of loaded files of snapshot " + s.snapshotId(),
          e);
    }
  }

  private static Snapshot parent(Table table, Snapshot s) {
    return s.parentId() == null ? null : table.snapshot(s.parentId());
  }
}
