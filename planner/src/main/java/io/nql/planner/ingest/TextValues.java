package io.nql.planner.ingest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Recognizes and parses the text forms of values; shared by inference and conversion. */
public final class TextValues {
  /** Optional sign, digits, optional fraction: no exponent. */
  static final Pattern PLAIN_DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  /** A plain decimal or a number with an exponent. */
  static final Pattern FLOATING = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private TextValues() {}

  static boolean isBoolean(String s) {
    return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
  }

  /**
   * True when the integer part has a leading zero and more than one digit ({@code 007}, {@code
   * 0123.5}): such text is an identifier (postal code, account number), not a number.
   */
  static boolean hasLeadingZero(String s) {
    int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
    return s.length() > i + 1 && s.charAt(i) == '0' && Character.isDigit(s.charAt(i + 1));
  }

  static LocalDate parseDate(String s) {
    return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
  }

  /** ISO local date-time, with {@code T} or a space between date and time. */
  static LocalDateTime parseTimestamp(String s) {
    return LocalDateTime.parse(withT(s), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
  }

  /** ISO date-time with {@code Z} or an offset, with {@code T} or a space; normalized to UTC. */
  static OffsetDateTime parseTimestampTz(String s) {
    return OffsetDateTime.parse(withT(s), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        .withOffsetSameInstant(ZoneOffset.UTC);
  }

  static boolean isDate(String s) {
    try {
      parseDate(s);
      return s.length() == 10;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isTimestamp(String s) {
    try {
      parseTimestamp(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isTimestampTz(String s) {
    try {
      parseTimestampTz(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String withT(String s) {
    return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
  }

  /** The SQL name of an Iceberg type, as used in messages. */
  public static String sqlName(Type type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return "BOOLEAN";
      case INTEGER:
        return "INTEGER";
      case LONG:
        return "BIGINT";
      case FLOAT:
        return "REAL";
      case DOUBLE:
        return "DOUBLE";
      case DECIMAL:
        Types.DecimalType d = (Types.DecimalType) type;
        return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
      case DATE:
        return "DATE";
      case TIME:
        return "TIME";
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
      case STRING:
        return "VARCHAR";
      case UUID:
        return "UUID";
      case BINARY:
      case FIXED:
        return "VARBINARY";
      default:
        return type.typeId().name().toUpperCase(Locale.ROOT);
    }
  }
}
