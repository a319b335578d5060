package io.nql.planner.vector;

import java.math.BigDecimal;

/**
 * The values of one operand over the rows of one batch, in Calcite's internal representation: exact
 * integers, DATE (days), TIME (millis), both TIMESTAMP types (epoch millis: a vector's microseconds
 * floored, as the row engine reads them) and BOOLEAN (0/1) as longs; REAL and DOUBLE as doubles;
 * DECIMAL as BigDecimal or, when its precision allows, its unscaled long; strings as UTF-8 bytes. A
 * getter is only called on a row that is not null, and only the getters that suit the operand's
 * type.
 */
interface Values {
  boolean isNull(int row);

  default long getLong(int row) {
    throw new UnsupportedOperationException();
  }

  default double getDouble(int row) {
    return getLong(row);
  }

  default BigDecimal getDecimal(int row) {
    return BigDecimal.valueOf(getLong(row));
  }

  /** A DECIMAL's unscaled value at its type's scale (an integer's value). */
  default long getUnscaled(int row) {
    return getLong(row);
  }

  default byte[] getBytes(int row) {
    throw new UnsupportedOperationException();
  }

  /**
   * A hash of a row's bytes, {@link ColumnValues#hashBytes(byte[])}'s whatever holds them (without
   * copying where possible).
   */
  default int bytesHash(int row) {
    return ColumnValues.hashBytes(getBytes(row));
  }

  /** Whether a row's bytes are exactly {@code other} (without copying them where possible). */
  default boolean bytesEqual(int row, byte[] other) {
    return java.util.Arrays.equals(getBytes(row), other);
  }
}
