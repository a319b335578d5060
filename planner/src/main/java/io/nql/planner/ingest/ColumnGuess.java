package io.nql.planner.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Accumulates the values of one column and picks the narrowest type that accepts all of them (the
 * rules are in {@code docs/reference/copy-into.md}).
 */
final class ColumnGuess {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** In text mode (CSV) strings may be booleans and numbers; in JSON mode only date/times. */
  private final boolean textMode;

  private boolean sawValue;
  private boolean canBoolean = true;
  private boolean canLong = true;
  private boolean canDecimal = true;
  private boolean canDouble = true;
  private boolean canDate = true;
  private boolean canTimestamp = true;
  private boolean canTimestampTz = true;
  private int maxIntegerDigits;
  private int maxScale;

  ColumnGuess(boolean textMode) {
    this.textMode = textMode;
  }

  void offer(Object value) {
    if (value == null) {
      return;
    }
    sawValue = true;
    if (value instanceof String) {
      offerString(((String) value).strip());
    } else if (value instanceof Boolean) {
      only(true, false, false, false);
    } else if (value instanceof Long) {
      only(false, true, true, true);
      decimal(BigDecimal.valueOf((Long) value));
    } else if (value instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) value;
      only(false, isLong(d), true, true);
      decimal(d);
    } else if (value instanceof Double) {
      only(false, false, false, true);
    } else {
      only(false, false, false, false);
    }
  }

  private void offerString(String s) {
    boolean numeric = textMode && !TextValues.hasLeadingZero(s);
    boolean plain = numeric && TextValues.PLAIN_DECIMAL.matcher(s).matches();
    canBoolean &= textMode && TextValues.isBoolean(s);
    canDouble &= numeric && TextValues.FLOATING.matcher(s).matches();
    if (plain) {
      BigDecimal d = new BigDecimal(s);
      canLong &= s.indexOf('.') < 0 && isLong(d);
      decimal(d);
    } else {
      canLong = false;
      canDecimal = false;
    }
    canDate &= canDate && TextValues.isDate(s);
    canTimestamp &= canTimestamp && TextValues.isTimestamp(s);
    canTimestampTz &= canTimestampTz && TextValues.isTimestampTz(s);
  }

  private void only(boolean bool, boolean lng, boolean dec, boolean dbl) {
    canBoolean &= bool;
    canLong &= lng;
    canDecimal &= dec;
    canDouble &= dbl;
    canDate = false;
    canTimestamp = false;
    canTimestampTz = false;
  }

  private void decimal(BigDecimal d) {
    if (!canDecimal) {
      return;
    }
    int scale = Math.max(0, d.scale());
    int integerDigits = Math.max(0, d.precision() - d.scale());
    if (integerDigits + scale > 38) {
      canDecimal = false;
      return;
    }
    maxScale = Math.max(maxScale, scale);
    maxIntegerDigits = Math.max(maxIntegerDigits, integerDigits);
  }

  private static boolean isLong(BigDecimal d) {
    if (d.scale() > 0 && d.stripTrailingZeros().scale() > 0) {
      return false;
    }
    BigInteger i = d.toBigInteger();
    return i.compareTo(LONG_MIN) >= 0 && i.compareTo(LONG_MAX) <= 0 && d.scale() <= 0;
  }

  /** Whether a value other than NULL was offered. */
  boolean sawValue() {
    return sawValue;
  }

  /**
   * Takes the values {@code other} has seen as if they had been offered here: the type is then the
   * one of a single column holding the values of both.
   */
  void merge(ColumnGuess other) {
    sawValue |= other.sawValue;
    canBoolean &= other.canBoolean;
    canLong &= other.canLong;
    canDecimal &= other.canDecimal;
    canDouble &= other.canDouble;
    canDate &= other.canDate;
    canTimestamp &= other.canTimestamp;
    canTimestampTz &= other.canTimestampTz;
    maxIntegerDigits = Math.max(maxIntegerDigits, other.maxIntegerDigits);
    maxScale = Math.max(maxScale, other.maxScale);
  }

  /** The inferred type. */
  Type type() {
    if (!sawValue) {
      return Types.StringType.get();
    }
    if (canBoolean) {
      return Types.BooleanType.get();
    }
    if (canLong) {
      return Types.LongType.get();
    }
    if (canDecimal && maxIntegerDigits + maxScale <= 38) {
      return Types.DecimalType.of(Math.max(1, maxIntegerDigits + maxScale), maxScale);
    }
    if (canDouble) {
      return Types.DoubleType.get();
    }
    if (canDate) {
      return Types.DateType.get();
    }
    if (canTimestamp) {
      return Types.TimestampType.withoutZone();
    }
    if (canTimestampTz) {
      return Types.TimestampType.withZone();
    }
    return Types.StringType.get();
  }
}
