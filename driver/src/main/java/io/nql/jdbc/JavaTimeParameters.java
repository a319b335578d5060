package io.nql.jdbc;

import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * java.time parameter values as the java.sql values Avatica can send, in the driver's UTC
 * convention: a {@code LocalDate}, {@code LocalTime} or {@code LocalDateTime} is a UTC wall clock;
 * an {@code Instant}, {@code OffsetDateTime} or {@code ZonedDateTime} is an instant (for a {@code
 * timestamptz} parameter, or a TIMESTAMP compared as its UTC wall clock).
 */
final class JavaTimeParameters {
  private JavaTimeParameters() {}

  /** {@code value} converted when it is a java.time value, else unchanged. */
  static Object toJdbc(Object value) {
    if (value instanceof LocalDate d) {
      return new java.sql.Date(Math.multiplyExact(d.toEpochDay(), 86_400_000L));
    }
    if (value instanceof LocalTime t) {
      return new Time(t.toNanoOfDay() / 1_000_000L);
    }
    if (value instanceof LocalDateTime t) {
      return Timestamp.from(t.toInstant(ZoneOffset.UTC));
    }
    if (value instanceof Instant t) {
      return Timestamp.from(t);
    }
    if (value instanceof OffsetDateTime t) {
      return Timestamp.from(t.toInstant());
    }
    if (value instanceof ZonedDateTime t) {
      return Timestamp.from(t.toInstant());
    }
    return value;
  }
}
