package io.nql.planner.vector;

import java.math.BigDecimal;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The casts that cannot fail and whose value the vector path reproduces exactly: to the same type
 * (nullability only), widening exact integers, exact numbers to a DECIMAL with room for their
 * digits, numbers to DOUBLE, strings to an unbounded VARCHAR, DATE to TIMESTAMP.
 */
final class Casts {
  private Casts() {}

  private static final long MILLIS_PER_DAY = 86_400_000L;

  /**
   * @throws UnsupportedOperationException for any other cast
   */
  static Operand of(Operand in, RelDataType target) {
    RelDataType source = in.type();
    SqlTypeName s = source.getSqlTypeName();
    SqlTypeName t = target.getSqlTypeName();
    if (s == t && sameValues(source, target)) {
      return retype(in, target, null);
    }
    if (VectorTypes.isExactInteger(s)
        && VectorTypes.isExactInteger(t)
        && VectorTypes.integerDigits(t) >= VectorTypes.integerDigits(s)) {
      return retype(in, target, null);
    }
    if (VectorTypes.isExactInteger(s)
        && t == SqlTypeName.DECIMAL
        && target.getPrecision() - target.getScale() >= VectorTypes.integerDigits(s)) {
      return rescale(in, target, 0);
    }
    if (s == SqlTypeName.DECIMAL
        && t == SqlTypeName.DECIMAL
        && target.getScale() >= source.getScale()
        && target.getPrecision() - target.getScale() >= source.getPrecision() - source.getScale()) {
      return rescale(in, target, source.getScale());
    }
    if ((t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT)
        && (VectorTypes.isExactInteger(s) || VectorTypes.isApprox(s) || s == SqlTypeName.DECIMAL)) {
      return retype(in, target, null);
    }
    if (VectorTypes.isString(s)
        && t == SqlTypeName.VARCHAR
        && target.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED) {
      return retype(in, target, null);
    }
    if (s == SqlTypeName.DATE && t == SqlTypeName.TIMESTAMP) {
      return retype(in, target, MILLIS_PER_DAY);
    }
    throw new UnsupportedOperationException("cast from " + source + " to " + target);
  }

  private static boolean sameValues(RelDataType source, RelDataType target) {
    return switch (source.getSqlTypeName()) {
      case DECIMAL ->
          source.getPrecision() == target.getPrecision() && source.getScale() == target.getScale();
      case CHAR -> source.getPrecision() == target.getPrecision();
      case VARCHAR, VARBINARY, BINARY ->
          target.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
              || target.getPrecision() >= source.getPrecision()
                  && source.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIME ->
          source.getPrecision() == target.getPrecision();
      default -> true;
    };
  }

  /** The same values under another type (optionally multiplying longs). */
  private static Operand retype(Operand in, RelDataType target, Long factor) {
    return new Operand() {
      @Override
      public RelDataType type() {
        return target;
      }

      @Override
      public Values bind(Batch batch) {
        Values v = in.bind(batch);
        if (factor == null) {
          return v;
        }
        long f = factor;
        return new Values() {
          @Override
          public boolean isNull(int row) {
            return v.isNull(row);
          }

          @Override
          public long getLong(int row) {
            return v.getLong(row) * f;
          }
        };
      }
    };
  }

  /** An exact number to DECIMAL(p, s) with s ≥ the source scale and room for its digits. */
  private static Operand rescale(Operand in, RelDataType target, int sourceScale) {
    int shift = target.getScale() - sourceScale;
    long factor = target.getPrecision() <= 18 ? Comparison.pow10(shift) : 0;
    return new Operand() {
      @Override
      public RelDataType type() {
        return target;
      }

      @Override
      public Values bind(Batch batch) {
        Values v = in.bind(batch);
        return new Values() {
          @Override
          public boolean isNull(int row) {
            return v.isNull(row);
          }

          @Override
          public BigDecimal getDecimal(int row) {
            return v.getDecimal(row).setScale(target.getScale());
          }

          @Override
          public long getUnscaled(int row) {
            if (factor == 0) {
              throw new IllegalStateException("precision above 18");
            }
            return v.getUnscaled(row) * factor;
          }

          @Override
          public double getDouble(int row) {
            return v.getDouble(row);
          }
        };
      }
    };
  }
}
