package io.nql.planner.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimeString;
import org.apache.calcite.util.TimestampString;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one form in which statistics hold a value, so that a value read from a row and a literal of a
 * predicate compare equal: numbers as {@code Double}, character strings as {@code String}, booleans
 * as {@code Boolean}, dates, times and timestamps as {@code Double} milliseconds (since the epoch
 * in UTC, or since midnight). Other types (binary, arrays, maps) have no statistics form.
 *
 * <p>Ordered values also have a <em>position</em> on a line, a double, by which histograms bucket
 * them: the number itself, the milliseconds, or for a string the first four UTF-16 units read as a
 * base-65,536 number (so positions of strings keep their order up to the fourth character).
 */
final class Values {
  private Values() {}

  /** How a column's values are kept in statistics. */
  enum Kind {
    NUMBER,
    STRING,
    TIME,
    BOOLEAN,
    /** Counted (nulls, distinct values) but neither compared nor ordered. */
    OTHER;

    boolean ordered() {
      return this == NUMBER || this == STRING || this == TIME;
    }

    static Kind of(SqlTypeName type) {
      SqlTypeFamily f = type.getFamily();
      if (type == SqlTypeName.BOOLEAN) {
        return BOOLEAN;
      }
      if (f == SqlTypeFamily.NUMERIC) {
        return NUMBER;
      }
      if (f == SqlTypeFamily.CHARACTER) {
        return STRING;
      }
      if (f == SqlTypeFamily.DATE || f == SqlTypeFamily.TIME || f == SqlTypeFamily.TIMESTAMP) {
        return TIME;
      }
      return OTHER;
    }
  }

  /** A result value (the external Java types of {@code QueryResult#next}) in statistics form. */
  static @Nullable Object canonical(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Double) {
      return v;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof LocalDateTime t) {
      return (double) t.toInstant(ZoneOffset.UTC).toEpochMilli() + t.getNano() % 1_000_000 / 1e6;
    }
    if (v instanceof OffsetDateTime t) {
      return (double) t.toInstant().toEpochMilli() + t.getNano() % 1_000_000 / 1e6;
    }
    if (v instanceof LocalDate d) {
      return d.toEpochDay() * 86_400_000d;
    }
    if (v instanceof LocalTime t) {
      return t.toNanoOfDay() / 1e6;
    }
    if (v instanceof Character c) {
      return c.toString();
    }
    return null;
  }

  /** A literal of a predicate in statistics form, or null when it has none (or is NULL). */
  static @Nullable Object literal(RexLiteral literal) {
    return literal.isNull() ? null : bound(literal.getValue());
  }

  /** A Sarg bound or a range end point (Calcite's own types) in statistics form. */
  static @Nullable Object bound(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof NlsString s) {
      return s.getValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof TimestampString t) {
      return (double) t.getMillisSinceEpoch();
    }
    if (v instanceof DateString d) {
      return (double) d.getMillisSinceEpoch();
    }
    if (v instanceof TimeString t) {
      return (double) t.getMillisOfDay();
    }
    if (v instanceof Calendar c) {
      return (double) c.getTimeInMillis();
    }
    if (v instanceof Boolean || v instanceof String || v instanceof Double) {
      return v;
    }
    return v instanceof Number n ? n.doubleValue() : null;
  }

  /** The position of a value in statistics form on its column's line. */
  static double position(Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof String s) {
      return stringPosition(s);
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return 0;
  }

  private static double stringPosition(String s) {
    return fourChars(s, 0);
  }

  /** Positions of strings beyond every string with the column's common prefix. */
  static final double MAX_STRING_POSITION = Math.pow(65536, 4);

  /**
   * The position of a string in a column whose values all start with {@code prefix}: the four
   * UTF-16 units after the prefix (strings without the prefix fall before or after all values).
   */
  static double stringPosition(String s, String prefix) {
    if (!s.startsWith(prefix)) {
      return s.compareTo(prefix) < 0 ? -1 : MAX_STRING_POSITION;
    }
    return fourChars(s, prefix.length());
  }

  private static double fourChars(String s, int from) {
    double p = 0;
    for (int i = from; i < from + 4; i++) {
      p = p * 65536 + (i < s.length() ? s.charAt(i) : 0);
    }
    return p;
  }

  /** The string whose position is {@code position} (its four units after the prefix). */
  static String fromPosition(String prefix, double position) {
    double p = Math.max(0, Math.min(position, MAX_STRING_POSITION - 1));
    char[] chars = new char[4];
    for (int i = 3; i >= 0; i--) {
      double q = Math.floor(p / 65536);
      chars[i] = (char) (p - q * 65536);
      p = q;
    }
    int n = 4;
    while (n > 0 && chars[n - 1] == 0) {
      n--;
    }
    return prefix + new String(chars, 0, n);
  }

  /**
   * The position just after every string that starts with {@code like} (the end of the range of
   * {@code LIKE 'like%'}), in a column whose values all start with {@code prefix}.
   */
  static double afterPrefix(String like, String prefix) {
    if (prefix.startsWith(like)) {
      return MAX_STRING_POSITION;
    }
    if (!like.startsWith(prefix)) {
      return stringPosition(like, prefix);
    }
    String rest = like.substring(prefix.length());
    double p = 0;
    for (int i = 0; i < 4; i++) {
      p = p * 65536 + (i < rest.length() ? rest.charAt(i) : 65535);
    }
    return rest.length() >= 4 ? Math.nextUp(p) : p;
  }

  /** Compares two values in statistics form of one kind. */
  @SuppressWarnings("unchecked")
  static int compare(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    return Double.compare(position(a), position(b));
  }

  /**
   * A 64-bit hash of a value in statistics form (rows are sampled and fingerprinted by it): stable
   * across runs and JVMs.
   */
  static long hash(@Nullable Object v) {
    long h;
    if (v == null) {
      h = 0x9E3779B97F4A7C15L;
    } else if (v instanceof Double d) {
      h = Double.doubleToLongBits(d == 0 ? 0d : d);
    } else if (v instanceof String s) {
      h = 1125899906842597L;
      for (int i = 0; i < s.length(); i++) {
        h = 31 * h + s.charAt(i);
      }
    } else if (v instanceof Boolean b) {
      h = b ? 1231 : 1237;
    } else {
      h = v.toString().hashCode();
    }
    return mix(h);
  }

  /** SplitMix64's finalizer: spreads every input bit over the result. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
