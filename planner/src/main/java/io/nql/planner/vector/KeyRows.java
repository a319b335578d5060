package io.nql.planner.vector;

import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One batch of a file reader's key columns (the columns its {@link KeyFilter} tests): their values,
 * read first, the rows that pass, and those rows' key values copied into vectors. The reader then
 * decodes its other columns for the passing rows only ({@link ParquetFileBatches}).
 */
final class KeyRows {
  private final KeyFilter filter;

  // the batch's key values: integers raw with their NULLs, strings as references
  private long[][] values = new long[0][];
  private boolean[][] nulls = new boolean[0][];
  private BinaryRefs[] refs = new BinaryRefs[0];

  /** The passing rows, from the batch's first row; {@link #within} the same from the first. */
  private int[] selection = new int[0];

  private int[] relative = new int[0];
  private int rows;
  private int count;

  KeyRows(KeyFilter filter) {
    this.filter = filter;
  }

  /** The output columns the filter tests. */
  int[] columns() {
    return filter.columns();
  }

  /** Entry {@code k} of {@link #columns()} for output column {@code c}, or -1 for another. */
  int key(int c) {
    int[] keys = filter.columns();
    for (int k = 0; k < keys.length; k++) {
      if (keys[k] == c) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Reads the next {@code n} values of each key column (by bulk page readers, per output column)
   * and tests them.
   *
   * @return how many of the rows pass
   */
  int read(PageColumn[] pageColumns, int n) {
    int[] keys = filter.columns();
    if (values.length != keys.length || selection.length < n) {
      int size = Math.max(n, 1024);
      values = new long[keys.length][size];
      nulls = new boolean[keys.length][size];
      refs = new BinaryRefs[keys.length];
      for (int k = 0; k < keys.length; k++) {
        refs[k] = new BinaryRefs();
      }
      selection = new int[size];
      relative = new int[size];
    }
    for (int k = 0; k < keys.length; k++) {
      PageColumn key = pageColumns[keys[k]];
      if (filter.binary(k)) {
        key.readRefs(n, refs[k]);
      } else {
        key.readFixed(n, values[k], nulls[k]);
      }
    }
    rows = n;
    count = filter.select(values, nulls, refs, n, selection);
    if (count > 0 && count < last() - first() + 1) {
      int from = first();
      for (int i = 0; i < count; i++) {
        relative[i] = selection[i] - from;
      }
    }
    return count;
  }

  /** The first passing row of the batch (when one passes). */
  int first() {
    return selection[0];
  }

  /** The last passing row of the batch (when one passes). */
  int last() {
    return selection[count - 1];
  }

  /**
   * The passing rows counted from the first passing one ({@code count} of them), or null when every
   * row from the first to the last passing one passes.
   */
  int @Nullable [] within() {
    return count < last() - first() + 1 ? relative : null;
  }

  /** Writes key {@code k}'s values of the passing rows into rows {@code 0..count)} of {@code v}. */
  void copy(int k, FieldVector v) {
    int[] pass = count == rows ? null : selection;
    if (filter.binary(k)) {
      refs[k].copyTo((BaseVariableWidthVector) v, pass, count);
      return;
    }
    long[] raw = values[k];
    boolean[] isNull = nulls[k];
    if (v instanceof BigIntVector big) {
      for (int i = 0; i < count; i++) {
        int r = pass == null ? i : pass[i];
        if (isNull[r]) {
          big.setNull(i);
        } else {
          big.set(i, raw[r]);
        }
      }
    } else {
      IntVector ints = (IntVector) v;
      for (int i = 0; i < count; i++) {
        int r = pass == null ? i : pass[i];
        if (isNull[r]) {
          ints.setNull(i);
        } else {
          ints.set(i, (int) raw[r]);
        }
      }
    }
  }
}
