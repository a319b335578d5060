package io.nql.planner.vector;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.calcite.rel.type.RelDataType;

/** Writes an operand's values over a batch into a new vector of the operand's type. */
final class VectorWriter {
  private VectorWriter() {}

  static FieldVector materialize(
      String name, Operand operand, Batch batch, BufferAllocator allocator) {
    RelDataType type = operand.type();
    int n = batch.rows;
    FieldVector v = VectorTypes.newVector(name, type, allocator);
    boolean done = false;
    try {
      Values values = operand.bind(batch);
      if (v instanceof BaseVariableWidthVector w) {
        w.allocateNew((long) n * 16, n);
        for (int i = 0; i < n; i++) {
          if (values.isNull(i)) {
            w.setNull(i);
          } else {
            w.setSafe(i, values.getBytes(i));
          }
        }
      } else {
        ((BaseFixedWidthVector) v).allocateNew(n);
        writeFixed(v, values, type, n);
      }
      v.setValueCount(n);
      done = true;
      return v;
    } finally {
      if (!done) {
        v.close();
      }
    }
  }

  private static void writeFixed(FieldVector v, Values values, RelDataType type, int n) {
    ArrowBuf validity = v.getValidityBuffer();
    ArrowBuf data = v.getDataBuffer();
    if (v instanceof DecimalVector d) {
      boolean unscaled = type.getPrecision() <= 18;
      for (int i = 0; i < n; i++) {
        if (!values.isNull(i)) {
          if (unscaled) {
            d.set(i, values.getUnscaled(i));
          } else {
            d.set(i, values.getDecimal(i).setScale(d.getScale()));
          }
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      if (values.isNull(i)) {
        continue;
      }
      BitVectorHelper.setBit(validity, i);
      if (v instanceof BigIntVector) {
        data.setLong((long) i * 8, values.getLong(i));
      } else if (v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
        // a computed timestamp: Calcite's milliseconds
        data.setLong((long) i * 8, values.getLong(i) * 1000L);
      } else if (v instanceof Float8Vector) {
        data.setDouble((long) i * 8, values.getDouble(i));
      } else if (v instanceof Float4Vector) {
        data.setFloat((long) i * 4, (float) values.getDouble(i));
      } else if (v instanceof BitVector) {
        if (values.getLong(i) != 0) {
          BitVectorHelper.setBit(data, i);
        }
      } else if (v instanceof SmallIntVector) {
        data.setShort((long) i * 2, (short) values.getLong(i));
      } else if (v instanceof TinyIntVector) {
        data.setByte(i, (byte) values.getLong(i));
      } else {
        // IntVector, DateDayVector, TimeMilliVector
        data.setInt((long) i * 4, (int) values.getLong(i));
      }
    }
  }
}
