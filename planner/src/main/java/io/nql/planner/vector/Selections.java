package io.nql.planner.vector;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Copies selected rows, or a range of rows, of a batch into a new batch. */
final class Selections {
  private Selections() {}

  /** The rows at {@code selection} (ascending), copied. */
  static Batch compact(Batch in, int[] selection, BufferAllocator allocator) {
    return compact(in, selection, null, allocator);
  }

  /**
   * The rows at {@code selection} (ascending) of the columns where {@code columns} is true (all
   * when null), copied; the other columns of the result are empty (zero rows).
   */
  static Batch compact(
      Batch in, int[] selection, boolean @Nullable [] columns, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[in.vectors.length];
    boolean done = false;
    try {
      for (int c = 0; c < out.length; c++) {
        FieldVector from = in.vectors[c];
        if (from == null) {
          continue; // a column nothing reads (see VectorCalc)
        }
        if (columns != null && !columns[c]) {
          out[c] = (FieldVector) from.getTransferPair(allocator).getTo();
          continue;
        }
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

  /**
   * Copies the selected values: 4-, 8- and 16-byte values one by one through unchecked memory
   * access (the selection and the buffers' capacities are checked once up front), other widths run
   * by run (consecutive selected rows in one copy).
   */
  private static void compactFixed(
      BaseFixedWidthVector from, BaseFixedWidthVector to, int[] selection) {
    int n = selection.length;
    to.allocateNew(n);
    int w = from.getTypeWidth();
    ArrowBuf src = from.getDataBuffer();
    ArrowBuf dst = to.getDataBuffer();
    checkSelection(selection, from.getValueCount());
    if (n > 0) {
      checkCapacity(src, (long) (selection[n - 1] + 1) * w);
      checkCapacity(dst, (long) n * w);
    }
    long s = src.memoryAddress();
    long d = dst.memoryAddress();
    switch (w) {
      case 8 -> {
        for (int i = 0; i < n; i++) {
          MemoryUtil.putLong(
              d + ((long) i << 3), MemoryUtil.getLong(s + ((long) selection[i] << 3)));
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          MemoryUtil.putInt(d + ((long) i << 2), MemoryUtil.getInt(s + ((long) selection[i] << 2)));
        }
      }
      case 16 -> {
        for (int i = 0; i < n; i++) {
          long a = s + ((long) selection[i] << 4);
          long b = d + ((long) i << 4);
          MemoryUtil.putLong(b, MemoryUtil.getLong(a));
          MemoryUtil.putLong(b + 8, MemoryUtil.getLong(a + 8));
        }
      }
      default -> {
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
      }
    }
    copyValidity(from, to.getValidityBuffer(), selection);
  }

  /**
   * Copies the selected strings' bytes run by run (consecutive selected rows in one copy), their
   * offsets rebased, through unchecked memory access after checking the capacities once.
   */
  private static void compactVariable(
      BaseVariableWidthVector from, BaseVariableWidthVector to, int[] selection) {
    int n = selection.length;
    checkSelection(selection, from.getValueCount());
    ArrowBuf srcOffsets = from.getOffsetBuffer();
    if (n > 0) {
      checkCapacity(srcOffsets, (long) (selection[n - 1] + 2) * 4);
    }
    long so = srcOffsets.memoryAddress();
    long bytes = 0;
    for (int row : selection) {
      long a = so + ((long) row << 2);
      bytes += MemoryUtil.getInt(a + 4) - MemoryUtil.getInt(a);
    }
    to.allocateNew(Math.max(bytes, 1), n);
    ArrowBuf src = from.getDataBuffer();
    ArrowBuf dst = to.getDataBuffer();
    ArrowBuf dstOffsets = to.getOffsetBuffer();
    checkCapacity(dst, bytes);
    checkCapacity(dstOffsets, (long) (n + 1) * 4);
    if (n > 0) {
      checkCapacity(src, MemoryUtil.getInt(so + ((long) (selection[n - 1] + 1) << 2)));
    }
    long s = src.memoryAddress();
    long d = dst.memoryAddress();
    long dof = dstOffsets.memoryAddress();
    MemoryUtil.putInt(dof, 0);
    int end = 0;
    int i = 0;
    while (i < n) {
      int start = selection[i];
      int run = 1;
      while (i + run < n && selection[i + run] == start + run) {
        run++;
      }
      long a = so + ((long) start << 2);
      int first = MemoryUtil.getInt(a);
      int last = MemoryUtil.getInt(a + ((long) run << 2));
      MemoryUtil.copyMemory(s + first, d + end, last - first);
      int shift = end - first;
      long o = dof + ((long) (i + 1) << 2);
      for (int k = 1; k <= run; k++) {
        MemoryUtil.putInt(o, MemoryUtil.getInt(a + ((long) k << 2)) + shift);
        o += 4;
      }
      end += last - first;
      i += run;
    }
    copyValidity(from, to.getValidityBuffer(), selection);
    to.setLastSet(n - 1);
  }

  /**
   * Writes the validity of the selected rows to rows 0..n-1 of {@code to}: whole bytes set at once
   * when the source has no NULLs, else gathered 64 rows to a word.
   */
  private static void copyValidity(FieldVector from, ArrowBuf to, int[] selection) {
    int n = selection.length;
    int fullBytes = n >>> 3;
    checkCapacity(to, (n + 7) >>> 3);
    if (from.getNullCount() == 0) {
      if (fullBytes > 0) {
        to.setOne(0, fullBytes);
      }
      if ((n & 7) != 0) {
        to.setByte(fullBytes, (1 << (n & 7)) - 1);
      }
      return;
    }
    ArrowBuf src = from.getValidityBuffer();
    if (n > 0) {
      checkCapacity(src, (selection[n - 1] >>> 3) + 1);
    }
    long sv = src.memoryAddress();
    long dv = to.memoryAddress();
    int i = 0;
    int wordEnd = n & ~63;
    for (; i < wordEnd; i += 64) {
      long bits = 0;
      for (int j = 0; j < 64; j++) {
        int row = selection[i + j];
        bits |= (long) ((MemoryUtil.getByte(sv + (row >>> 3)) >>> (row & 7)) & 1) << j;
      }
      MemoryUtil.putLong(dv + (i >>> 3), bits);
    }
    for (; i < n; i += 8) {
      int bits = 0;
      int m = Math.min(8, n - i);
      for (int j = 0; j < m; j++) {
        int row = selection[i + j];
        bits |= ((MemoryUtil.getByte(sv + (row >>> 3)) >>> (row & 7)) & 1) << j;
      }
      MemoryUtil.putByte(dv + (i >>> 3), (byte) bits);
    }
  }

  private static void checkSelection(int[] selection, int rows) {
    if (selection.length > 0 && (selection[0] < 0 || selection[selection.length - 1] >= rows)) {
      throw new IndexOutOfBoundsException("selection outside 0.." + rows);
    }
  }

  private static void checkCapacity(ArrowBuf buf, long bytes) {
    if (buf.capacity() < bytes) {
      throw new IndexOutOfBoundsException(
          "buffer of " + buf.capacity() + " bytes, " + bytes + " needed");
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
