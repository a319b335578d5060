package io.nql.planner.vector;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.types.Type;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Copies the values of one Parquet column chunk into an Arrow vector, a batch at a time, through
 * parquet-column's {@link ColumnReader} (which decodes dictionary pages). Each conversion gives the
 * value Iceberg's generic reader gives: timestamps in microseconds (as stored; nanoseconds
 * floored), times cut to milliseconds (the row engine's TIME).
 */
final class ColumnFiller {
  /** How a Parquet physical value becomes the vector's value. */
  enum Kind {
    BOOLEAN,
    INT32_TO_INT32,
    INT32_TO_INT64,
    INT64_TO_INT64,
    INT32_TO_DECIMAL,
    INT64_TO_DECIMAL,
    BYTES_TO_DECIMAL,
    INT64_TIMESTAMP,
    INT64_TIME_MICROS,
    INT32_TIME_MILLIS,
    FLOAT_TO_FLOAT,
    FLOAT_TO_DOUBLE,
    DOUBLE_TO_DOUBLE,
    BYTES,
    UUID_TO_STRING
  }

  private final Kind kind;
  private final int maxDefinition;

  /** For timestamps: micros per unit (1000 for millis) or, when negative, units per micro. */
  private final long timestampFactor;

  private ColumnFiller(Kind kind, int maxDefinition, long timestampFactor) {
    this.kind = kind;
    this.maxDefinition = maxDefinition;
    this.timestampFactor = timestampFactor;
  }

  /**
   * The filler of a file column read as an Iceberg type, or null when the vector reader does not
   * handle the pair (the file is then read by the generic reader).
   */
  static ColumnFiller of(ColumnDescriptor column, Type icebergType) {
    if (column.getMaxRepetitionLevel() > 0) {
      return null;
    }
    PrimitiveType p = column.getPrimitiveType();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    int def = column.getMaxDefinitionLevel();
    Kind kind =
        switch (icebergType.typeId()) {
          case BOOLEAN ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN
                  ? Kind.BOOLEAN
                  : null;
          case INTEGER, DATE ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
                  ? Kind.INT32_TO_INT32
                  : null;
          case LONG ->
              switch (p.getPrimitiveTypeName()) {
                case INT32 -> Kind.INT32_TO_INT64;
                case INT64 -> Kind.INT64_TO_INT64;
                default -> null;
              };
          case FLOAT ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT
                  ? Kind.FLOAT_TO_FLOAT
                  : null;
          case DOUBLE ->
              switch (p.getPrimitiveTypeName()) {
                case FLOAT -> Kind.FLOAT_TO_DOUBLE;
                case DOUBLE -> Kind.DOUBLE_TO_DOUBLE;
                default -> null;
              };
          case DECIMAL ->
              decimalKind(p, logical, (org.apache.iceberg.types.Types.DecimalType) icebergType);
          case TIMESTAMP ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                      && timestampFactor(logical) != 0
                  ? Kind.INT64_TIMESTAMP
                  : null;
          case TIME -> timeKind(p, logical);
          case STRING, BINARY ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
                  ? Kind.BYTES
                  : null;
          case FIXED ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                  ? Kind.BYTES
                  : null;
          case UUID ->
              p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                      && p.getTypeLength() == 16
                  ? Kind.UUID_TO_STRING
                  : null;
          default -> null;
        };
    if (kind == null) {
      return null;
    }
    return new ColumnFiller(kind, def, kind == Kind.INT64_TIMESTAMP ? timestampFactor(logical) : 0);
  }

  private static Kind decimalKind(
      PrimitiveType p,
      LogicalTypeAnnotation logical,
      org.apache.iceberg.types.Types.DecimalType type) {
    if (!(logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d)
        || d.getScale() != type.scale()
        || d.getPrecision() > type.precision()) {
      return null;
    }
    return switch (p.getPrimitiveTypeName()) {
      case INT32 -> Kind.INT32_TO_DECIMAL;
      case INT64 -> Kind.INT64_TO_DECIMAL;
      case BINARY, FIXED_LEN_BYTE_ARRAY -> Kind.BYTES_TO_DECIMAL;
      default -> null;
    };
  }

  private static Kind timeKind(PrimitiveType p, LogicalTypeAnnotation logical) {
    if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t) {
      if (t.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS
          && p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64) {
        return Kind.INT64_TIME_MICROS;
      }
      if (t.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS
          && p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32) {
        return Kind.INT32_TIME_MILLIS;
      }
    }
    return null;
  }

  /** Micros per unit (positive) or units per micro (negative); 0 when unknown. */
  private static long timestampFactor(LogicalTypeAnnotation logical) {
    if (logical == null) {
      return 1;
    }
    if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
      return switch (t.getUnit()) {
        case MILLIS -> 1000;
        case MICROS -> 1;
        case NANOS -> -1000;
      };
    }
    return 0;
  }

  /** Reads the next {@code n} values of {@code in} into rows 0..n-1 of {@code v}. */
  void fill(ColumnReader in, FieldVector v, int n) {
    switch (kind) {
      case BOOLEAN -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            if (in.getBoolean()) {
              BitVectorHelper.setBit(data, i);
            }
          }
          in.consume();
        }
      }
      case INT32_TO_INT32, INT32_TIME_MILLIS -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setInt((long) i * 4, in.getInteger());
          }
          in.consume();
        }
      }
      case INT32_TO_INT64 -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setLong((long) i * 8, in.getInteger());
          }
          in.consume();
        }
      }
      case INT64_TO_INT64 -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setLong((long) i * 8, in.getLong());
          }
          in.consume();
        }
      }
      case INT64_TIMESTAMP -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            long raw = in.getLong();
            long micros =
                timestampFactor > 0 ? raw * timestampFactor : Math.floorDiv(raw, -timestampFactor);
            data.setLong((long) i * 8, micros);
          }
          in.consume();
        }
      }
      case INT64_TIME_MICROS -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setInt((long) i * 4, (int) (in.getLong() / 1000L));
          }
          in.consume();
        }
      }
      case INT32_TO_DECIMAL -> {
        DecimalVector d = (DecimalVector) v;
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            d.set(i, in.getInteger());
          }
          in.consume();
        }
      }
      case INT64_TO_DECIMAL -> {
        DecimalVector d = (DecimalVector) v;
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            d.set(i, in.getLong());
          }
          in.consume();
        }
      }
      case BYTES_TO_DECIMAL -> {
        DecimalVector d = (DecimalVector) v;
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            d.setBigEndian(i, in.getBinary().getBytes());
          }
          in.consume();
        }
      }
      case FLOAT_TO_FLOAT -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setFloat((long) i * 4, in.getFloat());
          }
          in.consume();
        }
      }
      case FLOAT_TO_DOUBLE -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setDouble((long) i * 8, in.getFloat());
          }
          in.consume();
        }
      }
      case DOUBLE_TO_DOUBLE -> {
        ArrowBuf validity = v.getValidityBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            BitVectorHelper.setBit(validity, i);
            data.setDouble((long) i * 8, in.getDouble());
          }
          in.consume();
        }
      }
      case BYTES -> {
        BaseVariableWidthVector w = (BaseVariableWidthVector) v;
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            ByteBuffer b = in.getBinary().toByteBuffer();
            w.setSafe(i, b, b.position(), b.remaining());
          } else {
            w.setNull(i);
          }
          in.consume();
        }
      }
      case UUID_TO_STRING -> {
        BaseVariableWidthVector w = (BaseVariableWidthVector) v;
        for (int i = 0; i < n; i++) {
          if (in.getCurrentDefinitionLevel() == maxDefinition) {
            ByteBuffer b = in.getBinary().toByteBuffer();
            UUID u = new UUID(b.getLong(b.position()), b.getLong(b.position() + 8));
            w.setSafe(i, u.toString().getBytes(StandardCharsets.US_ASCII));
          } else {
            w.setNull(i);
          }
          in.consume();
        }
      }
      default -> throw new IllegalStateException("Unhandled " + kind);
    }
  }

  /** Whether {@link #fill(PageColumn, FieldVector, int)} handles this conversion. */
  boolean bulk() {
    return switch (kind) {
      case BYTES_TO_DECIMAL, UUID_TO_STRING -> false;
      default -> true;
    };
  }

  /** A selection sparser than one row in this many is read run by run (see {@link #readRuns}). */
  private static final int SPARSE = 16;

  /**
   * What {@link #fill(PageColumn, FieldVector, int, int[], int)} decodes into before it writes a
   * vector, one per thread: a fill runs to its end on its thread, and many readers (each with a
   * filler per column) are open at once under concurrent scans, so the scratch is not theirs.
   */
  private static final class Scratch {
    long[] raw = new long[0];
    boolean[] nulls = new boolean[0];
    final BinaryRefs refs = new BinaryRefs();
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Reads the next {@code n} values of a page-decoded column into rows 0..n-1 of {@code v}
   * (allocated for {@code n} values): values are decoded a page run at a time, converted in a tight
   * loop and written to the Arrow buffers in bulk.
   */
  void fill(PageColumn in, FieldVector v, int n) {
    fill(in, v, n, null, n);
  }

  /**
   * Reads the next {@code n} values of a page-decoded column and writes those of rows {@code
   * selection[0..count)} (ascending; all {@code n} when null) into rows 0..count-1 of {@code v}
   * (allocated for {@code count} values): the values are decoded in bulk, and only the selected
   * ones are converted and written.
   */
  void fill(PageColumn in, FieldVector v, int n, int @Nullable [] selection, int count) {
    // few rows kept: the values between them are passed over, not decoded
    boolean sparse = selection != null && (long) count * SPARSE < n;
    Scratch scratch = SCRATCH.get();
    if (kind == Kind.BYTES) {
      BinaryRefs refs = scratch.refs;
      if (sparse) {
        in.readRefs(0, refs);
        readRuns(in, n, selection, count, null, null, refs);
        refs.copyTo((BaseVariableWidthVector) v, null, count);
      } else {
        in.readRefs(n, refs);
        refs.copyTo((BaseVariableWidthVector) v, selection, count);
      }
      return;
    }
    int size = sparse ? count : n;
    if (scratch.raw.length < size) {
      scratch.raw = new long[size];
      scratch.nulls = new boolean[size];
    }
    long[] r = scratch.raw;
    boolean[] nulls = scratch.nulls;
    int nullCount;
    if (sparse) {
      nullCount = readRuns(in, n, selection, count, r, nulls, null);
    } else {
      nullCount = in.readFixed(n, r, nulls);
      if (selection != null) {
        nullCount = 0;
        for (int i = 0; i < count; i++) {
          int from = selection[i];
          r[i] = r[from];
          boolean isNull = nulls[from];
          nulls[i] = isNull;
          nullCount += isNull ? 1 : 0;
        }
      }
    }
    int rows = count;
    ArrowBuf data = v.getDataBuffer();
    switch (kind) {
      case BOOLEAN -> putBits(data, r, rows);
      case INT32_TO_INT32, INT32_TIME_MILLIS, FLOAT_TO_FLOAT -> putInts(data, r, rows);
      case INT32_TO_INT64, INT64_TO_INT64, DOUBLE_TO_DOUBLE -> putLongs(data, r, rows);
      case INT64_TIMESTAMP -> {
        long f = timestampFactor;
        if (f != 1) {
          for (int i = 0; i < rows; i++) {
            r[i] = f > 0 ? r[i] * f : Math.floorDiv(r[i], -f);
          }
        }
        putLongs(data, r, rows);
      }
      case INT64_TIME_MICROS -> {
        for (int i = 0; i < rows; i++) {
          r[i] = r[i] / 1000L;
        }
        putInts(data, r, rows);
      }
      case FLOAT_TO_DOUBLE -> {
        for (int i = 0; i < rows; i++) {
          r[i] = Double.doubleToRawLongBits(Float.intBitsToFloat((int) r[i]));
        }
        putLongs(data, r, rows);
      }
      case INT32_TO_DECIMAL, INT64_TO_DECIMAL -> {
        // 128-bit little-endian two's complement: the value, then its sign extension
        java.nio.LongBuffer out =
            data.nioBuffer(0, rows * 16).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        for (int i = 0; i < rows; i++) {
          out.put(r[i]);
          out.put(r[i] >> 63);
        }
      }
      default -> throw new IllegalStateException("Unhandled " + kind);
    }
    setValidity(v.getValidityBuffer(), nulls, rows, nullCount);
  }

  /**
   * Reads the selected ones of the next {@code n} values run by run (consecutive selected rows),
   * passing over the others: into {@code r} and {@code nulls} when given (returns the NULLs), else
   * appended to {@code refs}.
   */
  private int readRuns(
      PageColumn in,
      int n,
      int[] selection,
      int count,
      long @Nullable [] r,
      boolean @Nullable [] nulls,
      @Nullable BinaryRefs refs) {
    int nullCount = 0;
    int next = 0;
    int i = 0;
    while (i < count) {
      int first = selection[i];
      int j = i + 1;
      while (j < count && selection[j] == selection[j - 1] + 1) {
        j++;
      }
      in.skip(first - next);
      if (r == null) {
        in.appendRefs(j - i, refs);
      } else {
        nullCount += in.readFixed(j - i, r, nulls, i);
      }
      next = selection[j - 1] + 1;
      i = j;
    }
    in.skip(n - next);
    return nullCount;
  }

  /** Packs 0/1 values into a bit buffer, eight to a byte, least significant bit first. */
  private static void putBits(ArrowBuf data, long[] r, int n) {
    int full = n >>> 3;
    for (int b = 0; b < full; b++) {
      int base = b << 3;
      int bits = 0;
      for (int j = 0; j < 8; j++) {
        bits |= (int) r[base + j] << j;
      }
      data.setByte(b, bits);
    }
    int rest = n & 7;
    if (rest != 0) {
      int bits = 0;
      for (int j = 0; j < rest; j++) {
        bits |= (int) r[(full << 3) + j] << j;
      }
      data.setByte(full, bits);
    }
  }

  private static void putLongs(ArrowBuf data, long[] r, int n) {
    data.nioBuffer(0, n * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(r, 0, n);
  }

  private int[] ints = new int[0];

  private void putInts(ArrowBuf data, long[] r, int n) {
    if (ints.length < n) {
      ints = new int[n];
    }
    int[] t = ints;
    for (int i = 0; i < n; i++) {
      t[i] = (int) r[i];
    }
    data.nioBuffer(0, n * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(t, 0, n);
  }

  private static void setValidity(ArrowBuf validity, boolean[] nulls, int n, int nullCount) {
    int full = n >>> 3;
    if (nullCount == 0) {
      validity.setOne(0L, (long) full);
    } else {
      for (int b = 0; b < full; b++) {
        int bits = 0;
        int base = b << 3;
        for (int j = 0; j < 8; j++) {
          if (!nulls[base + j]) {
            bits |= 1 << j;
          }
        }
        validity.setByte(b, bits);
      }
    }
    int rest = n & 7;
    if (rest != 0) {
      int bits = 0;
      for (int j = 0; j < rest; j++) {
        if (!nulls[(full << 3) + j]) {
          bits |= 1 << j;
        }
      }
      validity.setByte(full, bits);
    }
  }

  /** The chosen conversion (for tests). */
  Kind kind() {
    return kind;
  }
}
