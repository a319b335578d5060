package io.nql.planner.exec;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Binds {@code ?} parameter values: converts each external Java value to the internal form of its
 * parameter's validated type and stores it where generated code looks for it ({@code ?0}, {@code
 * ?1}, …).
 */
final class Parameters {
  private Parameters() {}

  static void bind(List<RelDataType> types, List<Object> values, Map<String, Object> target) {
    if (types.size() != values.size()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot execute the statement: it has %d parameter%s but %d value%s were given",
          types.size(),
          types.size() == 1 ? "" : "s",
          values.size(),
          values.size() == 1 ? "" : "s");
    }
    for (int i = 0; i < types.size(); i++) {
      target.put("?" + i, internal(i + 1, values.get(i), types.get(i)));
    }
  }

  static Object internal(int position, Object value, RelDataType type) {
    if (value == null) {
      return null;
    }
    try {
      return switch (type.getSqlTypeName()) {
        case BOOLEAN ->
            value instanceof Boolean b ? b : Boolean.valueOf(parseBoolean(value.toString()));
        case TINYINT -> number(value).byteValueExact();
        case SMALLINT -> number(value).shortValueExact();
        case INTEGER -> number(value).intValueExact();
        case BIGINT -> number(value).longValueExact();
        case REAL -> number(value).floatValue();
        case FLOAT, DOUBLE -> number(value).doubleValue();
        case DECIMAL -> number(value);
        case CHAR, VARCHAR -> value.toString();
        case BINARY, VARBINARY ->
            new ByteString(
                value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8));
        case DATE ->
            (int)
                (value instanceof LocalDate d ? d : LocalDate.parse(value.toString())).toEpochDay();
        case TIME ->
            (int)
                ((value instanceof LocalTime t ? t : LocalTime.parse(value.toString()))
                        .toNanoOfDay()
                    / 1_000_000L);
        case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE ->
            Math.floorDiv(timestampMicros(value), 1000L);
        default -> value;
      };
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot bind parameter %d: '%s' is not a valid %s",
          position,
          value,
          type.getSqlTypeName());
    }
  }

  /**
   * Epoch microseconds of a timestamp parameter: a {@code LocalDateTime} (or text without an
   * offset) is a wall clock, taken in UTC, the session's zone; an {@code OffsetDateTime}, {@code
   * ZonedDateTime}, {@code Instant} (or text with an offset or {@code Z}) is an instant.
   */
  private static long timestampMicros(Object value) {
    if (value instanceof ZonedDateTime t) {
      return ArrowValues.micros(t.toOffsetDateTime());
    }
    if (value instanceof LocalDateTime
        || value instanceof OffsetDateTime
        || value instanceof Instant) {
      return ArrowValues.micros(value);
    }
    String text = value.toString().strip().replace(' ', 'T');
    TemporalAccessor parsed =
        DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
    return ArrowValues.micros(parsed);
  }

  private static boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new NumberFormatException(s);
  }

  private static BigDecimal number(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Double || value instanceof Float) {
      return BigDecimal.valueOf(((Number) value).doubleValue());
    }
    if (value instanceof Number n) {
      return BigDecimal.valueOf(n.longValue());
    }
    return new BigDecimal(value.toString().trim());
  }
}
