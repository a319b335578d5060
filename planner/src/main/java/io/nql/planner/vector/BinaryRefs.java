package io.nql.planner.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The byte-array values of a batch's rows of one column, left where they were decoded from: a
 * dictionary-encoded row is its dictionary index, a PLAIN-encoded one a start and length in its
 * page's bytes. A filter tests the rows where they lie (a dictionary entry once for all its rows,
 * see {@link KeyFilter}); {@link #copyTo} then writes the rows the batch keeps into an Arrow
 * vector, gathered into one copy.
 */
final class BinaryRefs {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Rows held. */
  int rows;

  /** {@link #ids} of a PLAIN-encoded row (its bytes are at {@link #start}, {@link #length}). */
  static final int PLAIN = -1;

  /** {@link #ids} of a NULL. */
  static final int NULL = -2;

  /** Per PLAIN row: where its bytes start in its source. */
  int[] start = new int[0];

  /** Per PLAIN row: its length in bytes. */
  int[] length = new int[0];

  /** Per row: its dictionary index, or {@link #PLAIN}, or {@link #NULL}. */
  int[] ids = new int[0];

  /** The dictionary of the rows with an index (its bytes, and where each entry starts). */
  byte @Nullable [] dictBytes;

  int @Nullable [] dictOffsets;

  /** Source {@code s} holds the bytes of rows {@code sourceEnd[s-1]..sourceEnd[s])}. */
  private byte[][] sources = new byte[4][];

  private int[] sourceEnd = new int[4];
  private int sourceCount;

  // scratch of copyTo
  private int[] offsets = new int[0];
  private long[] validWords = new long[0];
  private byte[] stage = new byte[0];

  /** Empties the refs for {@code n} rows of a chunk with this dictionary (or none). */
  void reset(int n, byte @Nullable [] dictBytes, int @Nullable [] dictOffsets) {
    if (start.length < n) {
      int size = Math.max(n, 1024);
      start = new int[size];
      length = new int[size];
      ids = new int[size];
    }
    rows = 0;
    sourceCount = 0;
    this.dictBytes = dictBytes;
    this.dictOffsets = dictOffsets;
  }

  /**
   * Copies the values of rows {@code selection[0..count)} to their places in {@code st} (at {@link
   * #offsets}). A method of its own: the JIT compiles the loop with all its word accesses inlined
   * whatever the caller's inlining depth.
   */
  private void gather(int @Nullable [] selection, int count, byte[] st) {
    int[] off = offsets;
    int[] id = ids;
    int[] dict = dictOffsets;
    byte[] dictionary = dictBytes;
    int[] from = start;
    int i = 0;
    for (int s = 0; s < sourceCount && i < count; s++) {
      byte[] plain = sources[s];
      int end = sourceEnd[s];
      int plainLimit = plain.length - 16;
      for (; i < count; i++) {
        int r = selection == null ? i : selection[i];
        if (r >= end) {
          break;
        }
        int d = id[r];
        byte[] src;
        int f;
        int wordLimit;
        if (d >= 0) {
          src = dictionary;
          f = dict[d];
          wordLimit = Integer.MAX_VALUE;
        } else if (d == PLAIN) {
          src = plain;
          f = from[r];
          wordLimit = plainLimit;
        } else {
          continue;
        }
        int e = off[i];
        int l = off[i + 1] - e;
        if (l <= 16 && f <= wordLimit) {
          LONG_LE.set(st, e, (long) LONG_LE.get(src, f));
          if (l > 8) {
            LONG_LE.set(st, e + 8, (long) LONG_LE.get(src, f + 8));
          }
        } else {
          System.arraycopy(src, f, st, e, l);
        }
      }
    }
  }

  /** Makes room for {@code n} rows, keeping those held. */
  void reserve(int n) {
    if (start.length < n) {
      int size = Math.max(n, start.length * 2);
      start = Arrays.copyOf(start, size);
      length = Arrays.copyOf(length, size);
      ids = Arrays.copyOf(ids, size);
    }
  }

  /** Records that the rows from the last recorded one to {@code endRow} have their bytes in src. */
  void source(byte[] src, int endRow) {
    if (sourceCount > 0 && sources[sourceCount - 1] == src) {
      sourceEnd[sourceCount - 1] = endRow;
    } else {
      if (sourceCount == sources.length) {
        sources = Arrays.copyOf(sources, sourceCount * 2);
        sourceEnd = Arrays.copyOf(sourceEnd, sourceCount * 2);
      }
      sources[sourceCount] = src;
      sourceEnd[sourceCount] = endRow;
      sourceCount++;
    }
    rows = endRow;
  }

  byte[] source(int s) {
    return sources[s];
  }

  int sourceEnd(int s) {
    return sourceEnd[s];
  }

  /**
   * Writes rows {@code selection[0..count)} (ascending; rows {@code 0..count)} when null) into rows
   * {@code 0..count)} of a variable-width vector allocated for at least {@code count} values; the
   * caller sets the value count. The values' bytes are gathered into a heap array and written to
   * the data buffer in one copy, offsets are written in one copy, and validity is built a 64-bit
   * word at a time.
   */
  void copyTo(BaseVariableWidthVector v, int @Nullable [] selection, int count) {
    if (offsets.length < count + 1) {
      offsets = new int[Math.max(count + 1, 1024)];
    }
    int words = (count + 63) >>> 6;
    if (validWords.length < words) {
      validWords = new long[words];
    } else {
      Arrays.fill(validWords, 0, words, 0L);
    }
    int[] len = length;
    int[] id = ids;
    int[] dict = dictOffsets;
    int[] off = offsets;
    long[] valid = validWords;
    // offsets and validity first: then each value's place in the data is known
    long total = 0;
    off[0] = 0;
    for (int i = 0; i < count; i++) {
      int r = selection == null ? i : selection[i];
      int d = id[r];
      if (d != NULL) {
        total += d >= 0 ? dict[d + 1] - dict[d] : len[r];
        valid[i >>> 6] |= 1L << i;
      }
      off[i + 1] = (int) Math.min(total, Integer.MAX_VALUE);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("string data of a batch exceeds 2 GB");
    }
    // values of up to 16 bytes move as one or two 8-byte words (the stage has 16 bytes of slack;
    // bytes written past a value are overwritten by the next one or never copied out; the
    // dictionary has 16 bytes of padding)
    if (stage.length < total + 16) {
      stage =
          new byte[(int) Math.max(total + 16, Math.min(Integer.MAX_VALUE - 8, stage.length * 2L))];
    }
    byte[] st = stage;
    gather(selection, count, st);
    while (v.getDataBuffer().capacity() < total) {
      v.reallocDataBuffer(Math.max(total, v.getDataBuffer().capacity() * 2));
    }
    v.getDataBuffer().setBytes(0, st, 0, total);
    ArrowBuf offsetBuffer = v.getOffsetBuffer();
    offsetBuffer
        .nioBuffer(0, (count + 1) * 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asIntBuffer()
        .put(off, 0, count + 1);
    ArrowBuf validity = v.getValidityBuffer();
    validity.setZero(0, validity.capacity());
    int fullWords = count >>> 6;
    validity
        .nioBuffer(0, fullWords * 8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asLongBuffer()
        .put(valid, 0, fullWords);
    int tailBytes = ((count & 63) + 7) >>> 3;
    if (tailBytes > 0) {
      long w = valid[fullWords];
      for (int b = 0; b < tailBytes; b++) {
        validity.setByte((long) fullWords * 8 + b, (int) (w >>> (8 * b)));
      }
    }
    v.setLastSet(count - 1);
  }
}
