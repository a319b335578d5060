package io.nql.planner.vector;

import java.util.Arrays;
import java.util.PrimitiveIterator;

/**
 * The rows of a row group that a page-filtered read delivers (parquet-mr's row indexes, as runs of
 * consecutive rows), and a cursor per column over them: a column whose pages were read for other
 * rows too skips the values of rows outside the selection, so every column delivers the same rows.
 */
final class RowSelection {
  /** First and last row (inclusive) of each run, in increasing order. */
  private final long[] first;

  private final long[] last;
  private final int runs;

  private RowSelection(long[] first, long[] last, int runs) {
    this.first = first;
    this.last = last;
    this.runs = runs;
  }

  /** The selection of increasing row indexes. */
  static RowSelection of(PrimitiveIterator.OfLong rows) {
    long[] first = new long[8];
    long[] last = new long[8];
    int n = 0;
    while (rows.hasNext()) {
      long r = rows.nextLong();
      if (n > 0 && r == last[n - 1] + 1) {
        last[n - 1] = r;
        continue;
      }
      if (n > 0 && r <= last[n - 1]) {
        throw new IllegalStateException("row indexes out of order: " + r);
      }
      if (n == first.length) {
        first = Arrays.copyOf(first, n * 2);
        last = Arrays.copyOf(last, n * 2);
      }
      first[n] = r;
      last[n] = r;
      n++;
    }
    return new RowSelection(first, last, n);
  }

  /** Rows selected. */
  long rows() {
    long total = 0;
    for (int i = 0; i < runs; i++) {
      total += last[i] - first[i] + 1;
    }
    return total;
  }

  /** A cursor at the first selected row. */
  Cursor cursor() {
    return new Cursor();
  }

  /** One column's position in the selection. */
  final class Cursor {
    private int run;
    private long row = runs == 0 ? Long.MAX_VALUE : first[0];

    /** The next selected row ({@code Long.MAX_VALUE} after the last). */
    long row() {
      return row;
    }

    /** Selected rows from {@link #row()} on without a gap. */
    long runLength() {
      return run < runs ? last[run] - row + 1 : 0;
    }

    /** Moves past {@code k} selected rows, at most {@link #runLength()}. */
    void advance(int k) {
      if (k == 0) {
        return;
      }
      if (k > runLength()) {
        throw new IllegalArgumentException("past the run: " + k);
      }
      row += k;
      if (row > last[run]) {
        run++;
        row = run < runs ? first[run] : Long.MAX_VALUE;
      }
    }
  }
}
