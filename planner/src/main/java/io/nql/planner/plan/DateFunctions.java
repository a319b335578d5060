package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * NQL's date functions at run time: {@code DATE_TRUNC}, {@code DATE_ADD}, {@code DATEDIFF} and
 * {@code FROM_UNIXTIME}, on Calcite's representation of values: a TIMESTAMP (with or without local
 * time zone) is epoch milliseconds, a DATE epoch days, computed in UTC (the session time zone).
 * Called by generated code ({@link NqlFunctions}); a NULL argument gives NULL.
 *
 * <p>A timestamp result must fit what a dataset stores, microseconds since the epoch in 64 bits
 * (about 292,277 years either side of 1970), and a date result an epoch day in 32 bits: {@code
 * DATE_ADD} and {@code FROM_UNIXTIME} fail with {@code 22008} otherwise, as integer arithmetic
 * fails with {@code 22003}. {@code DATE_TRUNC} and {@code DATEDIFF} never fail on a value.
 */
public final class DateFunctions {
  private DateFunctions() {}

  /** The units, by their NQL names (any case). */
  enum Unit {
    YEAR,
    QUARTER,
    MONTH,
    WEEK,
    DAY,
    HOUR,
    MINUTE,
    SECOND;

    /** Whether the unit is shorter than a day (not one a DATE can be moved by). */
    boolean ofTime() {
      return this == HOUR || this == MINUTE || this == SECOND;
    }

    /** Months in the unit, or 0 for a unit of fixed length. */
    int months() {
      return switch (this) {
        case YEAR -> 12;
        case QUARTER -> 3;
        case MONTH -> 1;
        default -> 0;
      };
    }

    /** Milliseconds in a unit of fixed length. */
    long millis() {
      return switch (this) {
        case WEEK -> 7 * DAY_MILLIS;
        case DAY -> DAY_MILLIS;
        case HOUR -> 3_600_000L;
        case MINUTE -> 60_000L;
        case SECOND -> 1_000L;
        default -> throw new IllegalStateException(name() + " has no fixed length");
      };
    }
  }

  static final long DAY_MILLIS = 86_400_000L;

  /** The earliest and latest epoch milliseconds whose microseconds fit in 64 bits. */
  static final long MIN_MILLIS = Long.MIN_VALUE / 1000;

  static final long MAX_MILLIS = Long.MAX_VALUE / 1000;

  private static final String UNITS =
      "expected year, quarter, month, week, day, hour, minute or second";

  /** The unit of that name (any case), or null when there is none. */
  static @Nullable Unit unitOrNull(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "year" -> Unit.YEAR;
      case "quarter" -> Unit.QUARTER;
      case "month" -> Unit.MONTH;
      case "week" -> Unit.WEEK;
      case "day" -> Unit.DAY;
      case "hour" -> Unit.HOUR;
      case "minute" -> Unit.MINUTE;
      case "second" -> Unit.SECOND;
      default -> null;
    };
  }

  /** Whether {@code name} is a unit (then no value makes DATE_TRUNC or DATEDIFF fail). */
  public static boolean isUnit(String name) {
    return unitOrNull(name) != null;
  }

  /**
   * The unit of that name.
   *
   * @throws EvaluationException {@code 22023} when it is not one (naming the argument only)
   */
  static Unit unit(String name, String function) {
    Unit u = unitOrNull(name);
    if (u == null) {
      throw new EvaluationException(
          ErrorCode.INVALID_PARAMETER_VALUE, "Invalid unit for " + function + ": " + UNITS);
    }
    return u;
  }

  /**
   * The unit of that name, one a DATE can be moved by.
   *
   * @throws EvaluationException {@code 22023} when it is not one
   */
  static Unit dateUnit(String name, String function) {
    Unit u = unit(name, function);
    if (u.ofTime()) {
      throw new EvaluationException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Invalid unit for "
              + function
              + " of a DATE: expected year, quarter, month, week or day");
    }
    return u;
  }

  // ----------------------------------------------------------------------------------- DATE_TRUNC

  /**
   * {@code DATE_TRUNC(unit, ts)}: the start of the unit that contains {@code ts} (weeks start on
   * Monday, as ISO 8601 has them). NULL where that start is before the earliest representable
   * instant (only in the first year of the range of epoch milliseconds, 292 million years BC).
   */
  public static @Nullable Long dateTrunc(@Nullable String unit, @Nullable Long millis) {
    if (unit == null || millis == null) {
      return null;
    }
    Unit u = unit(unit, "DATE_TRUNC");
    long m = millis;
    try {
      if (u.months() == 0 && u != Unit.WEEK) {
        return Math.multiplyExact(Math.floorDiv(m, u.millis()), u.millis());
      }
      long day = Math.floorDiv(m, DAY_MILLIS);
      return Math.multiplyExact(truncDays(u, day), DAY_MILLIS);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** {@code DATE_TRUNC(unit, d)} of a DATE: units of a day or less leave it as it is. */
  public static @Nullable Integer dateTrunc(@Nullable String unit, @Nullable Integer days) {
    if (unit == null || days == null) {
      return null;
    }
    Unit u = unit(unit, "DATE_TRUNC");
    if (u.months() == 0 && u != Unit.WEEK) {
      return days;
    }
    long d = truncDays(u, days);
    return d < Integer.MIN_VALUE ? null : (int) d;
  }

  /** The first day of the week, month, quarter or year that contains an epoch day. */
  private static long truncDays(Unit u, long day) {
    if (u == Unit.WEEK) {
      // epoch day 0 is a Thursday, three days after a Monday
      return day - Math.floorMod(day + 3, 7);
    }
    LocalDate d = LocalDate.ofEpochDay(day);
    int month = d.getMonthValue() - (d.getMonthValue() - 1) % u.months();
    return LocalDate.of(d.getYear(), month, 1).toEpochDay();
  }

  // ------------------------------------------------------------------------------------- DATE_ADD

  /**
   * {@code DATE_ADD(unit, n, ts)}: {@code ts} moved by {@code n} units (negative moves back). A
   * month, quarter or year keeps the day of the month, or takes the month's last day when it has
   * fewer ({@code DATE_ADD('month', 1, TIMESTAMP '2024-01-31 10:00:00')} is {@code 2024-02-29
   * 10:00:00}).
   *
   * @throws EvaluationException {@code 22008} when the result is out of range
   */
  public static @Nullable Long dateAdd(
      @Nullable String unit, @Nullable Long n, @Nullable Long millis) {
    if (unit == null || n == null || millis == null) {
      return null;
    }
    Unit u = unit(unit, "DATE_ADD");
    try {
      long r;
      if (u.months() == 0) {
        r = Math.addExact(millis, Math.multiplyExact(n, u.millis()));
      } else {
        LocalDateTime t = dateTime(millis).plusMonths(Math.multiplyExact(n, u.months()));
        r = Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1000L), millisOf(t));
      }
      return timestamp(r, "DATE_ADD");
    } catch (ArithmeticException | DateTimeException e) {
      throw outOfRange("DATE_ADD", "TIMESTAMP");
    }
  }

  /**
   * {@code DATE_ADD(unit, n, d)} of a DATE, by years, quarters, months, weeks or days.
   *
   * @throws EvaluationException {@code 22023} for a unit shorter than a day, {@code 22008} when the
   *     result is out of range
   */
  public static @Nullable Integer dateAdd(
      @Nullable String unit, @Nullable Long n, @Nullable Integer days) {
    if (unit == null || n == null || days == null) {
      return null;
    }
    Unit u = dateUnit(unit, "DATE_ADD");
    try {
      long r =
          u.months() == 0
              ? Math.addExact(days, Math.multiplyExact(n, u.millis() / DAY_MILLIS))
              : LocalDate.ofEpochDay(days)
                  .plusMonths(Math.multiplyExact(n, u.months()))
                  .toEpochDay();
      return Math.toIntExact(r);
    } catch (ArithmeticException | DateTimeException e) {
      throw outOfRange("DATE_ADD", "DATE");
    }
  }

  // ------------------------------------------------------------------------------------- DATEDIFF

  /**
   * {@code DATEDIFF(unit, start, end)}: the whole units from {@code start} to {@code end}, negative
   * when {@code end} is earlier, truncated toward zero ({@code DATEDIFF('month', '2024-01-31',
   * '2024-02-29')} is 0: a month has not passed). A DATE is its midnight.
   */
  public static @Nullable Long datediff(
      @Nullable String unit, @Nullable Long start, @Nullable Long end) {
    if (unit == null || start == null || end == null) {
      return null;
    }
    Unit u = unit(unit, "DATEDIFF");
    if (u.months() == 0) {
      return wholeUnits(start, end, u.millis());
    }
    // epoch milliseconds are within ±292 million years: java.time holds them exactly
    return ChronoUnit.MONTHS.between(dateTime(start), dateTime(end)) / u.months();
  }

  /** Whole {@code size}s in {@code end - start}, truncated toward zero, without overflow. */
  private static long wholeUnits(long start, long end, long size) {
    long q = Math.floorDiv(end, size) - Math.floorDiv(start, size);
    long r = Math.floorMod(end, size) - Math.floorMod(start, size);
    if (q > 0 && r < 0) {
      return q - 1;
    }
    if (q < 0 && r > 0) {
      return q + 1;
    }
    return q;
  }

  /** Epoch milliseconds of a DATE's midnight (for DATEDIFF of dates). */
  public static @Nullable Long millisOfDate(@Nullable Integer days) {
    return days == null ? null : days * DAY_MILLIS;
  }

  // -------------------------------------------------------------------------------- FROM_UNIXTIME

  /**
   * {@code FROM_UNIXTIME(seconds)}: the UTC wall clock of the instant that many seconds after
   * 1970-01-01 00:00:00 UTC.
   *
   * @throws EvaluationException {@code 22008} when it is out of range
   */
  public static @Nullable Long fromUnixtime(@Nullable Long seconds) {
    if (seconds == null) {
      return null;
    }
    try {
      return timestamp(Math.multiplyExact(seconds, 1000L), "FROM_UNIXTIME");
    } catch (ArithmeticException e) {
      throw outOfRange("FROM_UNIXTIME", "TIMESTAMP");
    }
  }

  /** {@code FROM_UNIXTIME} of a fraction of seconds, floored to the millisecond. */
  public static @Nullable Long fromUnixtime(@Nullable BigDecimal seconds) {
    if (seconds == null) {
      return null;
    }
    BigDecimal millis = seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR);
    if (millis.compareTo(BigDecimal.valueOf(MIN_MILLIS)) < 0
        || millis.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0) {
      throw outOfRange("FROM_UNIXTIME", "TIMESTAMP");
    }
    return millis.longValue();
  }

  /** {@code FROM_UNIXTIME} of a DOUBLE: its shortest decimal form, floored to the millisecond. */
  public static @Nullable Long fromUnixtime(@Nullable Double seconds) {
    if (seconds == null) {
      return null;
    }
    if (seconds.isNaN() || seconds.isInfinite()) {
      throw outOfRange("FROM_UNIXTIME", "TIMESTAMP");
    }
    // the decimal form, so 1.001 is 1001 ms and not 1000.9999999999999
    return fromUnixtime(BigDecimal.valueOf(seconds));
  }

  // -------------------------------------------------------------------------------------- helpers

  private static LocalDateTime dateTime(long millis) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(millis, 1000L),
        (int) Math.floorMod(millis, 1000L) * 1_000_000,
        ZoneOffset.UTC);
  }

  private static long millisOf(LocalDateTime t) {
    return t.getNano() / 1_000_000;
  }

  private static long timestamp(long millis, String function) {
    if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
      throw outOfRange(function, "TIMESTAMP");
    }
    return millis;
  }

  private static EvaluationException outOfRange(String function, String type) {
    return new EvaluationException(
        ErrorCode.DATETIME_FIELD_OVERFLOW,
        "Datetime value out of range: the result of " + function + " does not fit in " + type);
  }
}
