package io.nql.planner.vector;

import java.math.BigDecimal;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** {@link Values} read straight from a vector's buffers. */
final class ColumnValues {
  /** Longs of a byte array in the platform's order, as {@code MemoryUtil.getLong} reads memory. */
  private static final java.lang.invoke.VarHandle NATIVE_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.nativeOrder());

  private ColumnValues() {}

  static Values of(FieldVector v) {
    ArrowBuf validity = v.getValidityBuffer();
    if (v instanceof BigIntVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          return data.getLong((long) row * 8);
        }
      };
    }
    if (v instanceof IntVector || v instanceof DateDayVector || v instanceof TimeMilliVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          return data.getInt((long) row * 4);
        }
      };
    }
    if (v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          // Calcite's value: the millisecond (the row engine computes with milliseconds)
          return Math.floorDiv(data.getLong((long) row * 8), 1000L);
        }
      };
    }
    if (v instanceof BitVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          return BitVectorHelper.get(data, row);
        }
      };
    }
    if (v instanceof SmallIntVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          return data.getShort((long) row * 2);
        }
      };
    }
    if (v instanceof TinyIntVector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public long getLong(int row) {
          return data.getByte(row);
        }
      };
    }
    if (v instanceof Float8Vector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public double getDouble(int row) {
          return data.getDouble((long) row * 8);
        }
      };
    }
    if (v instanceof Float4Vector) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public double getDouble(int row) {
          return data.getFloat((long) row * 4);
        }
      };
    }
    if (v instanceof DecimalVector d) {
      ArrowBuf data = v.getDataBuffer();
      return new Base(validity) {
        @Override
        public BigDecimal getDecimal(int row) {
          return d.getObjectNotNull(row);
        }

        @Override
        public long getUnscaled(int row) {
          // the low word, little-endian: the value when the precision is at most 18
          return data.getLong((long) row * 16);
        }

        @Override
        public double getDouble(int row) {
          return getDecimal(row).doubleValue();
        }
      };
    }
    if (v instanceof VarCharVector s) {
      ArrowBuf offsets = s.getOffsetBuffer();
      ArrowBuf data = s.getDataBuffer();
      return new Base(validity) {
        @Override
        public byte[] getBytes(int row) {
          return s.get(row);
        }

        @Override
        public boolean bytesEqual(int row, byte[] other) {
          return sameBytes(offsets, data, row, other);
        }

        @Override
        public int bytesHash(int row) {
          return hashBytes(offsets, data, row);
        }
      };
    }
    if (v instanceof VarBinaryVector b) {
      ArrowBuf offsets = b.getOffsetBuffer();
      ArrowBuf data = b.getDataBuffer();
      return new Base(validity) {
        @Override
        public byte[] getBytes(int row) {
          return b.get(row);
        }

        @Override
        public boolean bytesEqual(int row, byte[] other) {
          return sameBytes(offsets, data, row, other);
        }

        @Override
        public int bytesHash(int row) {
          return hashBytes(offsets, data, row);
        }
      };
    }
    throw new UnsupportedOperationException("vector " + v.getField());
  }

  /** Whether row {@code row} of a variable-width vector's buffers holds exactly {@code other}. */
  static boolean sameBytes(ArrowBuf offsets, ArrowBuf data, int row, byte[] other) {
    long span = span(offsets, data, row);
    int start = (int) (span >>> 32);
    int length = (int) span - start;
    if (length != other.length) {
      return false;
    }
    long d = data.memoryAddress() + start;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      if (MemoryUtil.getLong(d + k) != (long) NATIVE_LONG.get(other, k)) {
        return false;
      }
    }
    for (; k < length; k++) {
      if (MemoryUtil.getByte(d + k) != other[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A hash of row {@code row}'s bytes in a variable-width vector, eight bytes at a time: equal
   * bytes hash alike within this JVM (it is not {@link java.util.Arrays#hashCode(byte[])}, and
   * depends on the platform's byte order); used only where every hash comes from here.
   */
  static int hashBytes(ArrowBuf offsets, ArrowBuf data, int row) {
    long span = span(offsets, data, row);
    int start = (int) (span >>> 32);
    int length = (int) span - start;
    long d = data.memoryAddress() + start;
    long h = length;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      h = (h ^ MemoryUtil.getLong(d + k)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    for (; k < length; k++) {
      h = (h ^ (MemoryUtil.getByte(d + k) & 0xFF)) * 0x100000001B3L;
    }
    h ^= h >>> 32;
    return (int) h;
  }

  /** {@link #hashBytes} of the same bytes held in an array. */
  static int hashBytes(byte[] bytes) {
    int length = bytes.length;
    long h = length;
    int k = 0;
    for (; k + 8 <= length; k += 8) {
      h = (h ^ (long) NATIVE_LONG.get(bytes, k)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    for (; k < length; k++) {
      h = (h ^ (bytes[k] & 0xFF)) * 0x100000001B3L;
    }
    h ^= h >>> 32;
    return (int) h;
  }

  /** Where row {@code row}'s bytes start (high 32 bits) and end (low 32 bits), bounds checked. */
  private static long span(ArrowBuf offsets, ArrowBuf data, int row) {
    long at = (long) row * 4;
    if (row < 0 || at + 8 > offsets.capacity()) {
      throw new IndexOutOfBoundsException("row " + row);
    }
    long o = offsets.memoryAddress() + at;
    int start = MemoryUtil.getInt(o);
    int end = MemoryUtil.getInt(o + 4);
    if (start < 0 || end < start || end > data.capacity()) {
      throw new IndexOutOfBoundsException("bytes " + start + ".." + end);
    }
    return ((long) start << 32) | (end & 0xFFFFFFFFL);
  }

  private abstract static class Base implements Values {
    private final ArrowBuf validity;

    Base(ArrowBuf validity) {
      this.validity = validity;
    }

    @Override
    public boolean isNull(int row) {
      return BitVectorHelper.get(validity, row) == 0;
    }
  }
}
