package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
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
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes the payload of a columnar frame ({@link ColumnarFrame}) from Arrow vectors: their buffers
 * are copied as they are, a column at a time, without a Java object per value.
 *
 * <p>The format, version 1 (every number little-endian; the {@code jdbc:nql} driver's {@code
 * ColumnarFrameReader} reads it):
 *
 * <pre>
 * payload := "NQLF" version:u8 columns:i32 result:i64 chunk*     (chunks until the end)
 * chunk   := rows:i32 column{columns}
 * column  := kind:u8 nulls:u8 [validity] body
 *   validity: ceil(rows / 8) bytes when nulls = 1, bit i (LSB first) set when row i has a value
 *   body by kind: BOOLEAN ceil(rows / 8) bytes of bits; INT8, INT16, INT32, INT64, FLOAT32, FLOAT64
 *   rows values of that width; DECIMAL128 scale:i32 then rows 16-byte two's complement unscaled
 *   values; UTF8 and BINARY (rows + 1) i32 offsets from 0 then the bytes; DATE32 days since
 *   1970-01-01; TIME32 milliseconds of the day; TIMESTAMP64 microseconds since the epoch of the UTC
 *   wall clock; TIMESTAMPTZ64 microseconds since the epoch of the instant
 * </pre>
 *
 * A NULL's slot holds an unspecified value. A payload without chunks is a frame of no rows. {@code
 * result} names the result the frame belongs to: the client fetches the rows after the first {@code
 * n} with the offset {@code result + n} (see {@link ResultFrames#next}).
 */
final class ColumnarFrameWriter {
  static final byte[] MAGIC = {'N', 'Q', 'L', 'F'};
  static final int VERSION = 1;

  static final int BOOLEAN = 1;
  static final int INT8 = 2;
  static final int INT16 = 3;
  static final int INT32 = 4;
  static final int INT64 = 5;
  static final int FLOAT32 = 6;
  static final int FLOAT64 = 7;
  static final int DECIMAL128 = 8;
  static final int UTF8 = 9;
  static final int BINARY = 10;
  static final int DATE32 = 11;
  static final int TIME32 = 12;
  static final int TIMESTAMP64 = 13;
  static final int TIMESTAMPTZ64 = 14;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Bytes before the first chunk. */
  static final int HEADER = 17;

  private byte[] buf;
  private int pos;
  private long rows;

  /**
   * A payload for rows of {@code columns} columns of the result named {@code result}; {@code
   * capacity} is a first guess in bytes.
   */
  ColumnarFrameWriter(int columns, long result, int capacity) {
    buf = new byte[Math.max(64, capacity)];
    System.arraycopy(MAGIC, 0, buf, 0, MAGIC.length);
    buf[4] = VERSION;
    INT.set(buf, 5, columns);
    LONG.set(buf, 9, result);
    pos = HEADER;
  }

  /**
   * Whether results with these columns can travel in columnar frames: every column of a type the
   * format carries, as {@link io.nql.planner.exec.ArrowBatchReader#schema} types it, and not a lone
   * binary column (whose standard frame, one row of one byte string, would look like a columnar
   * one). The driver applies the same rule.
   */
  static boolean supports(List<ResultColumn> columns) {
    if (columns.isEmpty()) {
      return false;
    }
    for (ResultColumn c : columns) {
      if (!supports(c.jdbcType())) {
        return false;
      }
    }
    int only = columns.get(0).jdbcType();
    return columns.size() > 1 || !(only == Types.BINARY || only == Types.VARBINARY);
  }

  private static boolean supports(int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN,
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.CHAR,
          Types.VARCHAR,
          Types.BINARY,
          Types.VARBINARY,
          Types.DATE,
          Types.TIME,
          Types.TIMESTAMP,
          Types.TIMESTAMP_WITH_TIMEZONE ->
          true;
      default -> false;
    };
  }

  /** Bytes written so far. */
  int size() {
    return pos;
  }

  /** Rows written so far. */
  long rows() {
    return rows;
  }

  /**
   * How many of the {@code max} rows from {@code from} of the root's vectors fit in {@code bytes}
   * as a chunk: at least 1 (a row wider than that comes alone), found from the rows' actual widths
   * (the offsets of their strings).
   */
  static int rowsFitting(VectorSchemaRoot root, int from, int max, long bytes) {
    List<FieldVector> vectors = root.getFieldVectors();
    long fixed = 0;
    List<ArrowBuf> offsets = new java.util.ArrayList<>();
    for (FieldVector v : vectors) {
      if (v instanceof BaseVariableWidthVector var) {
        fixed += 4;
        offsets.add(var.getOffsetBuffer());
      } else if (v instanceof BitVector) {
        fixed += 1; // a bit, rounded up
      } else {
        fixed += ((BaseFixedWidthVector) v).getTypeWidth();
      }
    }
    int lo = 1;
    int hi = Math.max(1, max);
    while (lo < hi) {
      int mid = (int) (((long) lo + hi + 1) >>> 1);
      long size = fixed * mid;
      for (ArrowBuf o : offsets) {
        size += o.getInt((long) (from + mid) * 4) - o.getInt((long) from * 4);
      }
      if (size <= bytes) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Appends rows {@code from} to {@code from + count - 1} of the root's vectors as one chunk. */
  void chunk(VectorSchemaRoot root, int from, int count) {
    List<FieldVector> vectors = root.getFieldVectors();
    putInt(count);
    for (FieldVector v : vectors) {
      column(v, from, count);
    }
    rows += count;
  }

  /** The payload. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void column(FieldVector v, int from, int count) {
    int kind = kind(v);
    boolean nulls = v.getNullCount() > 0;
    ensure(2);
    buf[pos++] = (byte) kind;
    buf[pos++] = (byte) (nulls ? 1 : 0);
    if (nulls) {
      bits(v.getValidityBuffer(), from, count);
    }
    switch (kind) {
      case BOOLEAN -> bits(v.getDataBuffer(), from, count);
      case DECIMAL128 -> {
        putInt(((DecimalVector) v).getScale());
        fixed(v, from, count, 16);
      }
      case UTF8, BINARY -> variable((BaseVariableWidthVector) v, from, count);
      default -> fixed(v, from, count, ((BaseFixedWidthVector) v).getTypeWidth());
    }
  }

  private static int kind(FieldVector v) {
    if (v instanceof BitVector) {
      return BOOLEAN;
    } else if (v instanceof TinyIntVector) {
      return INT8;
    } else if (v instanceof SmallIntVector) {
      return INT16;
    } else if (v instanceof IntVector) {
      return INT32;
    } else if (v instanceof BigIntVector) {
      return INT64;
    } else if (v instanceof Float4Vector) {
      return FLOAT32;
    } else if (v instanceof Float8Vector) {
      return FLOAT64;
    } else if (v instanceof DecimalVector) {
      return DECIMAL128;
    } else if (v instanceof VarCharVector) {
      return UTF8;
    } else if (v instanceof VarBinaryVector) {
      return BINARY;
    } else if (v instanceof DateDayVector) {
      return DATE32;
    } else if (v instanceof TimeMilliVector) {
      return TIME32;
    } else if (v instanceof TimeStampMicroTZVector) {
      return TIMESTAMPTZ64;
    } else if (v instanceof TimeStampMicroVector) {
      return TIMESTAMP64;
    }
    throw new IllegalStateException("Cannot write a columnar frame of " + v.getField());
  }

  private void fixed(FieldVector v, int from, int count, int width) {
    int n = count * width;
    ensure(n);
    if (n > 0) {
      v.getDataBuffer().getBytes((long) from * width, buf, pos, n);
    }
    pos += n;
  }

  private void variable(BaseVariableWidthVector v, int from, int count) {
    ArrowBuf offsets = v.getOffsetBuffer();
    int base = count == 0 ? 0 : offsets.getInt((long) from * 4);
    ensure((count + 1) * 4);
    for (int i = 0; i <= count; i++) {
      int end = count == 0 ? 0 : offsets.getInt((long) (from + i) * 4);
      INT.set(buf, pos, end - base);
      pos += 4;
    }
    int n = count == 0 ? 0 : offsets.getInt((long) (from + count) * 4) - base;
    ensure(n);
    if (n > 0) {
      v.getDataBuffer().getBytes(base, buf, pos, n);
    }
    pos += n;
  }

  /** Copies bits {@code from} to {@code from + count - 1} of a bitmap, realigned to bit 0. */
  private void bits(ArrowBuf bitmap, int from, int count) {
    int n = (count + 7) >>> 3;
    ensure(n);
    long capacity = bitmap.capacity();
    long first = from >>> 3;
    int shift = from & 7;
    if (shift == 0) {
      bitmap.getBytes(first, buf, pos, (int) Math.min(n, capacity - first));
    } else {
      for (int i = 0; i < n; i++) {
        long at = first + i;
        int lo = at < capacity ? bitmap.getByte(at) & 0xff : 0;
        int hi = at + 1 < capacity ? bitmap.getByte(at + 1) & 0xff : 0;
        buf[pos + i] = (byte) ((lo >>> shift) | (hi << (8 - shift)));
      }
    }
    pos += n;
  }

  private void putInt(int value) {
    ensure(4);
    INT.set(buf, pos, value);
    pos += 4;
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) pos + n);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("Cannot write a frame of more than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
