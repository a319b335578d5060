package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Converts values read from files to the Java values Iceberg's generic records hold for a column
 * type. Text is stripped of surrounding blanks for every type but VARCHAR.
 */
final class ValueConverter {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private ValueConverter() {}

  /** Converts one non-null value; throws {@link Failure} when it does not fit. */
  interface Conversion {
    Object apply(Object value);
  }

  /** A value that does not convert: the code and the reason, without the value. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final ErrorCode code;

    Failure(ErrorCode code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }
  }

  /** The conversion to {@code type}, or null when values of that type cannot be loaded. */
  static Conversion forType(Type type) {
    String name = TextValues.sqlName(type);
    switch (type.typeId()) {
      case BOOLEAN:
        return v -> toBoolean(v, name);
      case INTEGER:
        return v -> (int) toLong(v, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG:
        return v -> toLong(v, name, Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT:
        return v -> toFloat(v, name);
      case DOUBLE:
        return v -> toDouble(v, name);
      case DECIMAL:
        Types.DecimalType d = (Types.DecimalType) type;
        return v -> toDecimal(v, name, d.precision(), d.scale());
      case DATE:
        return v -> toDate(v, name);
      case TIME:
        return v -> toTime(v, name);
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? v -> toTimestampTz(v, name)
            : v -> toTimestamp(v, name);
      case STRING:
        return ValueConverter::toText;
      case UUID:
        return v -> toUuid(v, name);
      case BINARY:
        return v -> toBinary(v, name);
      default:
        return null;
    }
  }

  private static Failure invalid(String typeName) {
    return new Failure(ErrorCode.INVALID_TEXT_REPRESENTATION, "is not a valid " + typeName);
  }

  private static Failure outOfRange(String typeName) {
    return new Failure(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "is out of range for " + typeName);
  }

  private static Boolean toBoolean(Object v, String name) {
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String) {
      switch (((String) v).strip().toLowerCase(Locale.ROOT)) {
        case "true":
        case "t":
        case "yes":
        case "y":
        case "1":
          return Boolean.TRUE;
        case "false":
        case "f":
        case "no":
        case "n":
        case "0":
          return Boolean.FALSE;
        default:
          break;
      }
    }
    throw invalid(name);
  }

  private static long toLong(Object v, String name, long min, long max) {
    BigInteger value;
    if (v instanceof Integer || v instanceof Long) {
      long l = ((Number) v).longValue();
      if (l < min || l > max) {
        throw outOfRange(name);
      }
      return l;
    } else if (v instanceof String) {
      String s = ((String) v).strip();
      if (!INTEGER.matcher(s).matches()) {
        throw invalid(name);
      }
      value = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
    } else if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
        throw invalid(name);
      }
      value = d.toBigInteger();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
        throw invalid(name);
      }
      value = new BigDecimal(d).toBigInteger();
    } else {
      throw invalid(name);
    }
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw outOfRange(name);
    }
    return value.longValue();
  }

  private static double toDouble(Object v, String name) {
    if (v instanceof Number && !(v instanceof BigDecimal)) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof BigDecimal) {
      double d = ((BigDecimal) v).doubleValue();
      if (Double.isInfinite(d)) {
        throw outOfRange(name);
      }
      return d;
    }
    if (v instanceof String) {
      String s = ((String) v).strip();
      if (TextValues.FLOATING.matcher(s).matches()) {
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
          throw outOfRange(name);
        }
        return d;
      }
      switch (s.toLowerCase(Locale.ROOT)) {
        case "nan":
          return Double.NaN;
        case "infinity":
        case "+infinity":
        case "inf":
          return Double.POSITIVE_INFINITY;
        case "-infinity":
        case "-inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw invalid(name);
  }

  private static float toFloat(Object v, String name) {
    double d = toDouble(v, name);
    float f = (float) d;
    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
      throw outOfRange(name);
    }
    return f;
  }

  private static BigDecimal toDecimal(Object v, String name, int precision, int scale) {
    BigDecimal d;
    if (v instanceof BigDecimal) {
      d = (BigDecimal) v;
    } else if (v instanceof Integer || v instanceof Long) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        throw invalid(name);
      }
      d = BigDecimal.valueOf(x);
    } else if (v instanceof String) {
      String s = ((String) v).strip();
      if (!TextValues.FLOATING.matcher(s).matches()) {
        throw invalid(name);
      }
      d = new BigDecimal(s);
    } else {
      throw invalid(name);
    }
    BigDecimal scaled = d.setScale(scale, RoundingMode.HALF_UP);
    if (scaled.precision() - scaled.scale() > precision - scale) {
      throw outOfRange(name);
    }
    return scaled;
  }

  private static LocalDate toDate(Object v, String name) {
    if (v instanceof LocalDate) {
      return (LocalDate) v;
    }
    if (v instanceof String) {
      try {
        return TextValues.parseDate(((String) v).strip());
      } catch (DateTimeParseException e) {
        throw invalid(name);
      }
    }
    throw invalid(name);
  }

  private static LocalTime toTime(Object v, String name) {
    if (v instanceof LocalTime) {
      return (LocalTime) v;
    }
    if (v instanceof String) {
      try {
        return LocalTime.parse(((String) v).strip());
      } catch (DateTimeParseException e) {
        throw invalid(name);
      }
    }
    throw invalid(name);
  }

  /** Without zone: an offset, when given, is applied (the value is stored as UTC wall time). */
  private static LocalDateTime toTimestamp(Object v, String name) {
    if (v instanceof LocalDateTime) {
      return (LocalDateTime) v;
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    if (v instanceof LocalDate) {
      return ((LocalDate) v).atStartOfDay();
    }
    if (v instanceof String) {
      String s = ((String) v).strip();
      try {
        return TextValues.parseTimestamp(s);
      } catch (DateTimeParseException e) {
        // Try the other forms below.
      }
      try {
        return TextValues.parseTimestampTz(s).toLocalDateTime();
      } catch (DateTimeParseException e) {
        // Try a plain date.
      }
      if (s.length() == 10 && TextValues.isDate(s)) {
        return TextValues.parseDate(s).atStartOfDay();
      }
    }
    throw invalid(name);
  }

  /** With zone: text without an offset is taken as UTC. */
  private static OffsetDateTime toTimestampTz(Object v, String name) {
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (v instanceof LocalDateTime) {
      return ((LocalDateTime) v).atOffset(ZoneOffset.UTC);
    }
    if (v instanceof LocalDate) {
      return ((LocalDate) v).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
    if (v instanceof String) {
      String s = ((String) v).strip();
      try {
        return TextValues.parseTimestampTz(s);
      } catch (DateTimeParseException e) {
        // Try the other forms below.
      }
      try {
        return TextValues.parseTimestamp(s).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // Try a plain date.
      }
      if (s.length() == 10 && TextValues.isDate(s)) {
        return TextValues.parseDate(s).atStartOfDay().atOffset(ZoneOffset.UTC);
      }
    }
    throw invalid(name);
  }

  private static String toText(Object v) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof ByteBuffer) {
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(((ByteBuffer) v).duplicate()).toString();
      } catch (CharacterCodingException e) {
        throw invalid("VARCHAR");
      }
    }
    return v.toString();
  }

  private static UUID toUuid(Object v, String name) {
    if (v instanceof UUID) {
      return (UUID) v;
    }
    if (v instanceof String && UUID_TEXT.matcher(((String) v).strip()).matches()) {
      return UUID.fromString(((String) v).strip());
    }
    throw invalid(name);
  }

  private static ByteBuffer toBinary(Object v, String name) {
    if (v instanceof ByteBuffer) {
      return (ByteBuffer) v;
    }
    if (v instanceof byte[]) {
      return ByteBuffer.wrap((byte[]) v);
    }
    throw invalid(name);
  }
}
