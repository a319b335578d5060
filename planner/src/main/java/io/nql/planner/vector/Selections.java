package io.nql.planner.vector;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/** Copies selected rows, or a range of rows, of a batch into a new batch. */
final class Selections {
  private Selections() {}

  /** The rows at {@code selection} (ascending), copied. */
  static Batch compact(Batch in, int[] selection, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[in.vectors.length];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        FieldVector from = in.vectors[c];
        FieldVector to = (FieldVector) from.getTransferPair(allocator).getTo();
        out[c] = to;
        if (from instanceof BaseFixedWidthVector f && !(from instanceof BitVector)) {
          compactFixed(f, (BaseFixedWidthVector) to, selection);
        } else if (from instanceof BaseVariableWidthVector w) {
          compactVariable(w, (BaseVariableWidthVector) to, selection);
        } else {
          to.setInitialCapacity(selection.length);
          to.allocateNew();
          for (int i = 0; i < selection.length; i++) {
            to.copyFromSafe(selection[i], i, from);
          }
        }
        to.setValueCount(selection.length);
      }
      done = true;
      return new Batch(out, selection.length);
    } finally {
      if (!done) {
        new Batch(out, 0).close();
      }
    }
  }

  /** Copies the selected values' bytes run by run (consecutive selected rows in one copy). */
  private static void compactFixed(
      BaseFixedWidthVector from, BaseFixedWidthVector to, int[] selection) {
    int n = selection.length;
    to.allocateNew(n);
    int w = from.getTypeWidth();
    ArrowBuf src = from.getDataBuffer();
    ArrowBuf dst = to.getDataBuffer();
    int i = 0;
    while (i < n) {
      int start = selection[i];
      int run = 1;
      while (i + run < n && selection[i + run] == start + run) {
        run++;
      }
      dst.setBytes((long) i * w, src, (long) start * w, (long) run * w);
      i += run;
    }
    copyValidity(from.getValidityBuffer(), to.getValidityBuffer(), selection);
  }

  /** Copies the selected strings' bytes run by run, rebasing their offsets. */
  private static void compactVariable(
      BaseVariableWidthVector from, BaseVariableWidthVector to, int[] selection) {
    int n = selection.length;
    ArrowBuf srcOffsets = from.getOffsetBuffer();
    long bytes = 0;
    for (int row : selection) {
      bytes += srcOffsets.getInt((long) row * 4 + 4) - srcOffsets.getInt((long) row * 4);
    }
    to.allocateNew(Math.max(bytes, 1), n);
    ArrowBuf src = from.getDataBuffer();
    ArrowBuf dst = to.getDataBuffer();
    ArrowBuf dstOffsets = to.getOffsetBuffer();
    dstOffsets.setInt(0, 0);
    int end = 0;
    int i = 0;
    while (i < n) {
      int start = selection[i];
      int run = 1;
      while (i + run < n && selection[i + run] == start + run) {
        run++;
      }
      int first = srcOffsets.getInt((long) start * 4);
      int last = srcOffsets.getInt((long) (start + run) * 4);
      dst.setBytes(end, src, first, last - first);
      for (int k = 1; k <= run; k++) {
        dstOffsets.setInt(
            (long) (i + k) * 4, end + srcOffsets.getInt((long) (start + k) * 4) - first);
      }
      end += last - first;
      i += run;
    }
    copyValidity(from.getValidityBuffer(), to.getValidityBuffer(), selection);
    to.setLastSet(n - 1);
  }

  private static void copyValidity(ArrowBuf from, ArrowBuf to, int[] selection) {
    int n = selection.length;
    int full = n >>> 3;
    for (int b = 0; b <= full; b++) {
      int bits = 0;
      int base = b << 3;
      int m = Math.min(8, n - base);
      for (int j = 0; j < m; j++) {
        int row = selection[base + j];
        bits |= ((from.getByte(row >>> 3) >>> (row & 7)) & 1) << j;
      }
      if (m > 0) {
        to.setByte(b, bits);
      }
    }
  }

  /** Rows {@code start..start+count-1}, sharing buffers where Arrow can. */
  static Batch slice(Batch in, int start, int count, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[in.vectors.length];
    for (int c = 0; c < out.length; c++) {
      TransferPair pair = in.vectors[c].getTransferPair(allocator);
      pair.splitAndTransfer(start, count);
      out[c] = (FieldVector) pair.getTo();
    }
    return new Batch(out, count);
  }
}
