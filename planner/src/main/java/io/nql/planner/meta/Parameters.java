package io.nql.planner.meta;

import java.sql.Time;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.Calendar;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

/** Converts parameter values from the wire to the engine's Java types (see StatementResult). */
final class Parameters {
  private Parameters() {}

  static Object toEngine(TypedValue v, Calendar utc) {
    if (v == null || v.value == null) {
      return null;
    }
    Object o = v.toJdbc(utc);
    if (o instanceof Timestamp t) {
      return t.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime();
    }
    if (o instanceof java.sql.Date d) {
      return java.time.LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
    }
    if (o instanceof Time t) {
      return java.time.LocalTime.ofNanoOfDay(Math.floorMod(t.getTime(), 86_400_000L) * 1_000_000L);
    }
    if (o instanceof ByteString b) {
      return b.getBytes();
    }
    return o;
  }
}
