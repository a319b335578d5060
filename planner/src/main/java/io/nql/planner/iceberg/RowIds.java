package io.nql.planner.iceberg;

import java.util.HashMap;
import java.util.Map;

/**
 * Identities of the rows one statement reads, for charging each rule row once: a row is its data
 * file (numbered in the order the statement first reads each file) and its position in the file. A
 * row of a dataset in a data plane is its primary key instead ({@link #key}). One instance per
 * statement, in the statement's context under {@link #CONTEXT_KEY}; all scans of the statement
 * number files through it, so the same row has the same id in every scan.
 */
public final class RowIds {
  /** Where the statement's context keeps its instance. */
  public static final String CONTEXT_KEY = "nql.rowIds";

  /** Name of the row-id column a scan appends when asked (see {@code IcebergTableScan}). */
  public static final String COLUMN = "_row_id";

  /** Bits of a row id that hold the position within the file. */
  private static final int POSITION_BITS = 40;

  private final Map<String, Long> files = new HashMap<>();

  /** The number of a data file in this statement. */
  public synchronized long file(String location) {
    return files.computeIfAbsent(location, l -> (long) files.size());
  }

  private final Map<Long, Map<java.util.List<Object>, Long>> keys = new HashMap<>();

  /**
   * The id of a row of a dataset in a data plane, identified by its primary key's values: the
   * dataset counts as one file of the statement, and each distinct key is numbered in the order the
   * statement first reads it, so a row read twice (in one scan or two) has one id.
   *
   * @param datasetId the dataset
   * @param key the row's primary key values (Calcite internal values), in key order
   */
  public synchronized long key(long datasetId, java.util.List<Object> key) {
    long file = file("plane dataset " + datasetId);
    Map<java.util.List<Object>, Long> numbered =
        keys.computeIfAbsent(datasetId, d -> new HashMap<>());
    long position = numbered.computeIfAbsent(key, k -> (long) numbered.size());
    return id(file, position);
  }

  /** The id of the row at {@code position} of the file numbered {@code file}. */
  public static long id(long file, long position) {
    if (position >= (1L << POSITION_BITS) || file >= (1L << (63 - POSITION_BITS))) {
      throw new IllegalStateException("row position " + position + " of file " + file);
    }
    return (file << POSITION_BITS) | position;
  }
}
