package io.nql.planner.exec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
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
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.calcite.avatica.util.ByteString;

/**
 * Writes single values into the Arrow vectors of results: the one writer of the row engine's
 * batches ({@link ArrowBatchReader}) and of the vector path's constants and copied rows.
 *
 * <p>A value may come in the result's external Java type (see {@link QueryResult#next()}: {@code
 * LocalDate}, {@code LocalTime}, {@code LocalDateTime} (a wall clock, taken in UTC), {@code
 * OffsetDateTime} or {@code Instant}, {@code byte[]}) or in Calcite's internal form (DATE int days,
 * TIME int milliseconds, TIMESTAMP and TIMESTAMP WITH LOCAL TIME ZONE long milliseconds, {@code
 * ByteString}); the two are told apart by their Java class. Timestamps are written in microseconds
 * (with or without the zone UTC): java.time values keep their microseconds (a nanosecond rest is
 * floored), internal milliseconds are exact. A DECIMAL is written at the vector's scale, rounding
 * half away from zero as SQL assignment to a DECIMAL column does (PostgreSQL too).
 */
public final class ArrowValues {
  private ArrowValues() {}

  /** Epoch microseconds of a timestamp value in either form (a wall clock is taken in UTC). */
  public static long micros(Object value) {
    Instant instant;
    if (value instanceof LocalDateTime t) {
      instant = t.toInstant(ZoneOffset.UTC);
    } else if (value instanceof OffsetDateTime t) {
      instant = t.toInstant();
    } else if (value instanceof Instant t) {
      instant = t;
    } else {
      return Math.multiplyExact(((Number) value).longValue(), 1000L);
    }
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  /** Sets row {@code i} of {@code v} to {@code value} (null sets NULL). */
  public static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      v.setNull(i);
      return;
    }
    if (v instanceof BitVector b) {
      b.setSafe(i, ((Boolean) value) ? 1 : 0);
    } else if (v instanceof TinyIntVector t) {
      t.setSafe(i, ((Number) value).byteValue());
    } else if (v instanceof SmallIntVector s) {
      s.setSafe(i, ((Number) value).shortValue());
    } else if (v instanceof IntVector iv) {
      iv.setSafe(i, ((Number) value).intValue());
    } else if (v instanceof BigIntVector bv) {
      bv.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof Float4Vector f) {
      f.setSafe(i, ((Number) value).floatValue());
    } else if (v instanceof Float8Vector d) {
      d.setSafe(i, ((Number) value).doubleValue());
    } else if (v instanceof DecimalVector dv) {
      BigDecimal d = value instanceof BigDecimal bd ? bd : new BigDecimal(value.toString());
      dv.setSafe(i, d.setScale(dv.getScale(), RoundingMode.HALF_UP));
    } else if (v instanceof DateDayVector dd) {
      dd.setSafe(
          i,
          value instanceof LocalDate date ? (int) date.toEpochDay() : ((Number) value).intValue());
    } else if (v instanceof TimeMilliVector tm) {
      tm.setSafe(
          i,
          value instanceof LocalTime time
              ? (int) (time.toNanoOfDay() / 1_000_000L)
              : ((Number) value).intValue());
    } else if (v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
      ((TimeStampVector) v).setSafe(i, micros(value));
    } else if (v instanceof VarBinaryVector vb) {
      vb.setSafe(i, value instanceof ByteString bs ? bs.getBytes() : (byte[]) value);
    } else if (v instanceof VarCharVector vc) {
      vc.setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IllegalStateException("Unexpected vector " + v.getField());
    }
  }
}
