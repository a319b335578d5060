package io.nql.flight;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/**
 * Parameter rows bound through DoPut, as the engine's external Java values: one list per row. Dates
 * become {@code LocalDate}, times {@code LocalTime}, timestamps without a zone {@code
 * LocalDateTime} (a wall clock), timestamps with a zone {@code OffsetDateTime} in UTC (the
 * instant), both with their microseconds; strings {@code String}; numbers, booleans and bytes stay
 * as Arrow reads them.
 */
final class ParameterValues {
  private ParameterValues() {}

  /** The rows of the batch currently loaded in {@code root}. */
  static List<List<Object>> rows(VectorSchemaRoot root) {
    List<List<Object>> out = new ArrayList<>(root.getRowCount());
    List<FieldVector> vectors = root.getFieldVectors();
    for (int r = 0; r < root.getRowCount(); r++) {
      List<Object> row = new ArrayList<>(vectors.size());
      for (FieldVector v : vectors) {
        row.add(value(v, r));
      }
      out.add(row);
    }
    return out;
  }

  static Object value(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(i));
    }
    if (v instanceof DateMilliVector d) {
      return d.getObject(i).toLocalDate();
    }
    if (v instanceof TimeSecVector t) {
      return LocalTime.ofSecondOfDay(t.get(i));
    }
    if (v instanceof TimeMilliVector t) {
      return LocalTime.ofNanoOfDay(t.get(i) * 1_000_000L);
    }
    if (v instanceof TimeMicroVector t) {
      return LocalTime.ofNanoOfDay(t.get(i) * 1_000L);
    }
    if (v instanceof TimeNanoVector t) {
      return LocalTime.ofNanoOfDay(t.get(i));
    }
    if (v instanceof TimeStampVector t) {
      ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
      Instant instant = instant(t.get(i), type.getUnit());
      return type.getTimezone() == null
          ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
          : instant.atOffset(ZoneOffset.UTC);
    }
    Object o = v.getObject(i);
    return o instanceof Text text ? text.toString() : o;
  }

  private static Instant instant(long value, TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Instant.ofEpochSecond(value);
      case MILLISECOND -> Instant.ofEpochMilli(value);
      case MICROSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
      case NANOSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }
}
