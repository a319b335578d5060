package io.nql.planner.vector;

import java.math.BigDecimal;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code =, <>, <, <=, >, >=} and {@code IS [NOT] DISTINCT FROM} of two operands, compared in a
 * domain chosen from their types as the row engine compares them: exact integers, dates, times,
 * timestamps and booleans as longs; decimals (with integers) exactly, as unscaled longs at a common
 * scale when that cannot overflow; approximate numbers as doubles; strings in UTF-16 order.
 */
final class Comparison implements Predicate {
  private enum Domain {
    LONG,
    SCALED,
    DECIMAL,
    DOUBLE,
    STRING
  }

  private final SqlKind op;
  private final Operand left;
  private final Operand right;
  private final Domain domain;
  private final long leftFactor;
  private final long rightFactor;

  private Comparison(
      SqlKind op, Operand left, Operand right, Domain domain, long leftFactor, long rightFactor) {
    this.op = op;
    this.left = left;
    this.right = right;
    this.domain = domain;
    this.leftFactor = leftFactor;
    this.rightFactor = rightFactor;
  }

  private static boolean isTimestamp(SqlTypeName t) {
    return t == SqlTypeName.TIMESTAMP || t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
  }

  /**
   * @throws UnsupportedOperationException when the row engine's comparison of these types is not
   *     one this class reproduces
   */
  static Comparison of(SqlKind op, Operand left, Operand right) {
    RelDataType lt = left.type();
    RelDataType rt = right.type();
    SqlTypeName l = lt.getSqlTypeName();
    SqlTypeName r = rt.getSqlTypeName();
    if (VectorTypes.isString(l) && VectorTypes.isString(r)) {
      return new Comparison(op, left, right, Domain.STRING, 1, 1);
    }
    if ((VectorTypes.isExactInteger(l) && VectorTypes.isExactInteger(r))
        // the row engine compares the epoch millis of both timestamp types as they are (UTC)
        || (isTimestamp(l) && isTimestamp(r))
        || (l == r
            && (l == SqlTypeName.DATE
                || l == SqlTypeName.TIME
                || l == SqlTypeName.TIMESTAMP
                || l == SqlTypeName.BOOLEAN))) {
      return new Comparison(op, left, right, Domain.LONG, 1, 1);
    }
    boolean lExact = VectorTypes.isExactInteger(l) || l == SqlTypeName.DECIMAL;
    boolean rExact = VectorTypes.isExactInteger(r) || r == SqlTypeName.DECIMAL;
    if (lExact && rExact) {
      int ls = l == SqlTypeName.DECIMAL ? lt.getScale() : 0;
      int rs = r == SqlTypeName.DECIMAL ? rt.getScale() : 0;
      int lp = l == SqlTypeName.DECIMAL ? lt.getPrecision() : VectorTypes.integerDigits(l);
      int rp = r == SqlTypeName.DECIMAL ? rt.getPrecision() : VectorTypes.integerDigits(r);
      int scale = Math.max(ls, rs);
      if (lp + scale - ls <= 18 && rp + scale - rs <= 18) {
        return new Comparison(op, left, right, Domain.SCALED, pow10(scale - ls), pow10(scale - rs));
      }
      return new Comparison(op, left, right, Domain.DECIMAL, 1, 1);
    }
    boolean lApprox = VectorTypes.isApprox(l);
    boolean rApprox = VectorTypes.isApprox(r);
    if ((lApprox || VectorTypes.isExactInteger(l)) && (rApprox || VectorTypes.isExactInteger(r))) {
      return new Comparison(op, left, right, Domain.DOUBLE, 1, 1);
    }
    throw new UnsupportedOperationException("comparison of " + lt + " and " + rt);
  }

  static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }

  @Override
  public void eval(Batch batch, byte[] out) {
    Values a = left.bind(batch);
    Values b = right.bind(batch);
    boolean distinct = op == SqlKind.IS_DISTINCT_FROM || op == SqlKind.IS_NOT_DISTINCT_FROM;
    if (domain == Domain.STRING
        && (op == SqlKind.EQUALS || op == SqlKind.NOT_EQUALS)
        && (a instanceof ExprCompiler.ConstantBytes || b instanceof ExprCompiler.ConstantBytes)) {
      // a string (in)equality with a literal: equal strings are equal UTF-8 bytes, tested in place
      boolean constantLeft = a instanceof ExprCompiler.ConstantBytes;
      Values column = constantLeft ? b : a;
      byte[] constant = ((ExprCompiler.ConstantBytes) (constantLeft ? a : b)).bytes;
      byte match = op == SqlKind.EQUALS ? TRUE : FALSE;
      byte differ = op == SqlKind.EQUALS ? FALSE : TRUE;
      for (int i = 0; i < batch.rows; i++) {
        if (column.isNull(i)) {
          out[i] = UNKNOWN;
        } else {
          out[i] = column.bytesEqual(i, constant) ? match : differ;
        }
      }
      return;
    }
    for (int i = 0; i < batch.rows; i++) {
      boolean an = a.isNull(i);
      boolean bn = b.isNull(i);
      if (an || bn) {
        if (!distinct) {
          out[i] = UNKNOWN;
        } else {
          boolean same = an && bn;
          out[i] = (op == SqlKind.IS_NOT_DISTINCT_FROM) == same ? TRUE : FALSE;
        }
        continue;
      }
      int c =
          switch (domain) {
            case LONG -> Long.compare(a.getLong(i), b.getLong(i));
            case SCALED ->
                Long.compare(a.getUnscaled(i) * leftFactor, b.getUnscaled(i) * rightFactor);
            case DECIMAL -> decimal(a, i).compareTo(decimal(b, i));
            case DOUBLE -> Double.compare(a.getDouble(i), b.getDouble(i));
            case STRING -> Utf8Order.compare(a.getBytes(i), b.getBytes(i));
          };
      out[i] = holds(c, i, a, b) ? TRUE : FALSE;
    }
  }

  private static BigDecimal decimal(Values v, int i) {
    return v.getDecimal(i);
  }

  private boolean holds(int c, int i, Values a, Values b) {
    if (domain == Domain.DOUBLE) {
      // SQL compares doubles as Java's operators do: -0.0 = 0.0, NaN unequal to everything
      double x = a.getDouble(i);
      double y = b.getDouble(i);
      return switch (op) {
        case EQUALS, IS_NOT_DISTINCT_FROM -> x == y;
        case NOT_EQUALS, IS_DISTINCT_FROM -> x != y;
        case LESS_THAN -> x < y;
        case LESS_THAN_OR_EQUAL -> x <= y;
        case GREATER_THAN -> x > y;
        case GREATER_THAN_OR_EQUAL -> x >= y;
        default -> throw new IllegalStateException(op.toString());
      };
    }
    return switch (op) {
      case EQUALS, IS_NOT_DISTINCT_FROM -> c == 0;
      case NOT_EQUALS, IS_DISTINCT_FROM -> c != 0;
      case LESS_THAN -> c < 0;
      case LESS_THAN_OR_EQUAL -> c <= 0;
      case GREATER_THAN -> c > 0;
      case GREATER_THAN_OR_EQUAL -> c >= 0;
      default -> throw new IllegalStateException(op.toString());
    };
  }
}
