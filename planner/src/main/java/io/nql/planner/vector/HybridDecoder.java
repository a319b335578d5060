package io.nql.planner.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices) a
 * run at a time into int arrays: a repeated run becomes one {@code Arrays.fill}, a bit-packed run
 * is unpacked from 64-bit little-endian words.
 */
final class HybridDecoder {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private int pos;
  private final int end;
  private final int bitWidth;
  private final int valueBytes;
  private final long mask;

  /** Values left in the current run. */
  private int left;

  private boolean repeated;
  private int value;

  /** Bit-packed run: the bit offset of its next value from the start of {@link #buf}. */
  private long bitPos;

  /** Bit-packed run: the bit offset of its first value (groups of eight values start there). */
  private long runStart;

  /**
   * @param buf the encoded bytes, from {@code start} to {@code end}
   * @param bitWidth bits per value, 0..32
   */
  HybridDecoder(byte[] buf, int start, int end, int bitWidth) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new IllegalArgumentException("bit width " + bitWidth);
    }
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.bitWidth = bitWidth;
    this.valueBytes = (bitWidth + 7) / 8;
    this.mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
  }

  /** Decodes the next {@code n} values into {@code dst[off..off+n)}. */
  void read(int[] dst, int off, int n) {
    if (bitWidth == 0) {
      Arrays.fill(dst, off, off + n, 0);
      return;
    }
    while (n > 0) {
      if (left == 0) {
        nextRun();
      }
      int k = Math.min(n, left);
      if (repeated) {
        Arrays.fill(dst, off, off + k, value);
      } else {
        unpack(dst, off, k);
      }
      off += k;
      n -= k;
      left -= k;
    }
  }

  /** Passes over the next {@code n} values without decoding them. */
  void skip(int n) {
    if (bitWidth == 0) {
      return;
    }
    while (n > 0) {
      if (left == 0) {
        nextRun();
      }
      int k = Math.min(n, left);
      if (!repeated) {
        bitPos += (long) k * bitWidth;
      }
      n -= k;
      left -= k;
    }
  }

  /**
   * Decodes the next {@code n} values and counts those equal to {@code target} (definition levels:
   * how many values are present).
   */
  int readCounting(int[] dst, int off, int n, int target) {
    int count = 0;
    if (bitWidth == 0) {
      Arrays.fill(dst, off, off + n, 0);
      return target == 0 ? n : 0;
    }
    while (n > 0) {
      if (left == 0) {
        nextRun();
      }
      int k = Math.min(n, left);
      if (repeated) {
        Arrays.fill(dst, off, off + k, value);
        if (value == target) {
          count += k;
        }
      } else {
        unpack(dst, off, k);
        for (int i = off; i < off + k; i++) {
          if (dst[i] == target) {
            count++;
          }
        }
      }
      off += k;
      n -= k;
      left -= k;
    }
    return count;
  }

  private void unpack(int[] dst, int off, int k) {
    long p = bitPos;
    int w = bitWidth;
    long m = mask;
    // a value spans at most 5 bytes; whole 8-byte words are read while they stay inside the array
    int fastEnd = buf.length - 8;
    int end = off + k;
    int i = off;
    if (w <= 8) {
      // whole groups: eight values of w bits are w bytes, read as one word
      long groupBits = 8L * w;
      while (i < end && (p - runStart) % groupBits != 0) {
        dst[i++] = (int) ((word(p, fastEnd) >>> (int) (p & 7)) & m);
        p += w;
      }
      while (end - i >= 8) {
        long word = word(p, fastEnd); // p is byte-aligned here
        for (int j = 0; j < 8; j++) {
          dst[i + j] = (int) ((word >>> (j * w)) & m);
        }
        i += 8;
        p += groupBits;
      }
    }
    for (; i < end; i++) {
      dst[i] = (int) ((word(p, fastEnd) >>> (int) (p & 7)) & m);
      p += w;
    }
    bitPos = p;
  }

  /** The 8 bytes from the one holding bit {@code p}, little-endian (zero past the array). */
  private long word(long p, int fastEnd) {
    int byteIndex = (int) (p >>> 3);
    return byteIndex <= fastEnd ? (long) LONG_LE.get(buf, byteIndex) : tailWord(byteIndex);
  }

  private long tailWord(int byteIndex) {
    long word = 0;
    for (int b = 0; b < 8 && byteIndex + b < buf.length; b++) {
      word |= (buf[byteIndex + b] & 0xFFL) << (8 * b);
    }
    return word;
  }

  private void nextRun() {
    if (pos >= end) {
      throw new IllegalStateException("RLE/bit-packed data ends before its values");
    }
    int header = readVarInt();
    if ((header & 1) == 0) {
      repeated = true;
      left = header >>> 1;
      int v = 0;
      for (int b = 0; b < valueBytes; b++) {
        v |= (buf[pos++] & 0xFF) << (8 * b);
      }
      value = v;
    } else {
      repeated = false;
      int groups = header >>> 1;
      left = groups * 8;
      bitPos = (long) pos * 8;
      runStart = bitPos;
      pos += groups * bitWidth;
    }
    if (left <= 0) {
      throw new IllegalStateException("empty RLE/bit-packed run");
    }
  }

  private int readVarInt() {
    int result = 0;
    int shift = 0;
    while (true) {
      int b = buf[pos++] & 0xFF;
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
      if (shift > 28) {
        throw new IllegalStateException("varint too long");
      }
    }
  }
}
