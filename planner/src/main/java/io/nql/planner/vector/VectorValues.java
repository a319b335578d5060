package io.nql.planner.vector;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
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

/**
 * Reads single values out of vectors in the result's external Java types (see {@code
 * QueryResult#next()}); values are written by {@link io.nql.planner.exec.ArrowValues}.
 */
final class VectorValues {
  private VectorValues() {}

  /** The UTC wall clock of epoch microseconds. */
  private static LocalDateTime wallClock(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000,
        ZoneOffset.UTC);
  }

  /**
   * Row {@code i} in the result's external Java type, or null; a stored timestamp keeps its
   * microseconds.
   */
  static Object external(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof BitVector b) {
      return b.get(i) != 0;
    } else if (v instanceof TinyIntVector t) {
      return t.get(i);
    } else if (v instanceof SmallIntVector s) {
      return s.get(i);
    } else if (v instanceof IntVector iv) {
      return iv.get(i);
    } else if (v instanceof BigIntVector bv) {
      return bv.get(i);
    } else if (v instanceof Float4Vector f) {
      return f.get(i);
    } else if (v instanceof Float8Vector d) {
      return d.get(i);
    } else if (v instanceof DecimalVector dv) {
      if (dv.getPrecision() <= 18) {
        // the low word holds the whole unscaled value
        return BigDecimal.valueOf(dv.getDataBuffer().getLong((long) i * 16), dv.getScale());
      }
      return dv.getObject(i);
    } else if (v instanceof DateDayVector dd) {
      return LocalDate.ofEpochDay(dd.get(i));
    } else if (v instanceof TimeMilliVector tm) {
      return LocalTime.ofNanoOfDay(tm.get(i) * 1_000_000L);
    } else if (v instanceof TimeStampMicroVector ts) {
      return wallClock(ts.get(i));
    } else if (v instanceof TimeStampMicroTZVector ts) {
      return wallClock(ts.get(i)).atOffset(ZoneOffset.UTC);
    } else if (v instanceof VarBinaryVector vb) {
      return vb.get(i);
    } else if (v instanceof VarCharVector vc) {
      return new String(vc.get(i), StandardCharsets.UTF_8);
    }
    throw new IllegalStateException("Unexpected vector " + v.getField());
  }
}
