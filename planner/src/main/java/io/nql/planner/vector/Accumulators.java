package io.nql.planner.vector;

import io.nql.planner.plan.CheckedArithmetic;
import io.nql.planner.plan.ExactAggregates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The aggregate functions of a vectorized hash aggregation, each computing what the row engine's
 * generated code computes for the same call, value for value: {@code COUNT}, {@code SUM} and {@code
 * $SUM0} of DECIMAL (exact, a BigDecimal at the argument's scale; {@code $SUM0} of no value is
 * {@code BigDecimal.ZERO}), of REAL (in float) and DOUBLE (in double, in row order), the exact
 * integer {@code SUM}, {@code $SUM0} and {@code AVG} of {@link ExactAggregates} (failing with
 * {@code 22003} as they do), and {@code MIN}/{@code MAX} (Calcite's {@code SqlFunctions.lesser} and
 * {@code greater}, with its starting values for REAL and DOUBLE; strings in the order of {@code
 * String.compareTo}). A value is counted when every argument is not null and the call's filter is
 * TRUE; a call whose type is nullable answers NULL for a group without such a value.
 */
final class Accumulators {
  private Accumulators() {}

  /** The accumulator of a call, or throws UnsupportedOperationException. */
  static Accumulator of(AggregateCall call, List<RelDataType> inputTypes) {
    if (call.isDistinct()
        || call.isApproximate()
        || !call.getCollation().getFieldCollations().isEmpty()
        || !call.rexList.isEmpty()
        || call.distinctKeys != null) {
      throw new UnsupportedOperationException("aggregate call " + call);
    }
    SqlAggFunction f = call.getAggregation();
    List<Integer> args = call.getArgList();
    int filter = call.filterArg;
    RelDataType type = call.getType();
    if (f.getKind() == SqlKind.COUNT) {
      return new Count(args.stream().mapToInt(Integer::intValue).toArray(), filter);
    }
    if (args.size() != 1) {
      throw new UnsupportedOperationException("aggregate call " + call);
    }
    int arg = args.get(0);
    RelDataType argType = inputTypes.get(arg);
    SqlTypeName a = argType.getSqlTypeName();
    if (ExactAggregates.isExactSum(f) || ExactAggregates.isExactAvg(f)) {
      if (!VectorTypes.isExactInteger(a)) {
        throw new UnsupportedOperationException("aggregate call " + call);
      }
      return new ExactSum(arg, filter, type, ExactAggregates.isExactAvg(f));
    }
    boolean nullable = type.isNullable();
    return switch (f.getKind()) {
      case SUM, SUM0 -> {
        if (a == SqlTypeName.DECIMAL && type.getSqlTypeName() == SqlTypeName.DECIMAL) {
          yield new DecimalSum(arg, filter, nullable, argType.getScale(), argType.getPrecision());
        }
        if (VectorTypes.isApprox(a) && VectorTypes.isApprox(type.getSqlTypeName())) {
          yield new DoubleSum(arg, filter, nullable, type.getSqlTypeName() == SqlTypeName.REAL);
        }
        throw new UnsupportedOperationException("aggregate call " + call);
      }
      case MIN, MAX -> minMax(arg, filter, type, f.getKind() == SqlKind.MIN);
      default -> throw new UnsupportedOperationException("aggregate call " + call);
    };
  }

  private static Accumulator minMax(int arg, int filter, RelDataType type, boolean min) {
    SqlTypeName t = type.getSqlTypeName();
    if (VectorTypes.isLongLike(t)) {
      return new LongMinMax(arg, filter, type, min);
    }
    if (VectorTypes.isApprox(t)) {
      return new DoubleMinMax(arg, filter, t == SqlTypeName.REAL, min);
    }
    if (t == SqlTypeName.DECIMAL || VectorTypes.isString(t)) {
      return new ObjectMinMax(arg, filter, type, min);
    }
    throw new UnsupportedOperationException("MIN/MAX of " + type);
  }

  /**
   * Adds {@code x} to group {@code g}'s exact sum {@code high[g] + low[g]}: the 64-bit part is
   * carried into the BigInteger before it would wrap around (as {@code ExactAggregates.Sum}).
   */
  static void addExact(long[] low, BigInteger[] high, int g, long x) {
    long l = low[g];
    long r = l + x;
    if (((l ^ r) & (x ^ r)) < 0) {
      BigInteger carried = BigInteger.valueOf(l).add(BigInteger.valueOf(x));
      high[g] = high[g] == null ? carried : high[g].add(carried);
      low[g] = 0;
    } else {
      low[g] = r;
    }
  }

  /** One call's state per group. */
  abstract static class Accumulator {
    final int[] args;
    final int filter;
    private final boolean[] seen = new boolean[0];
    boolean[] has = seen;

    Accumulator(int[] args, int filter) {
      this.args = args;
      this.filter = filter;
    }

    /** Makes room for {@code groups} groups. */
    void ensure(int groups) {
      if (has.length < groups) {
        int n = Math.max(groups, Math.max(64, has.length * 2));
        has = Arrays.copyOf(has, n);
        grow(n);
      }
    }

    abstract void grow(int capacity);

    /** Adds rows {@code start ..} of the batch, row {@code start + r} to group {@code gids[r]}. */
    final void add(Batch batch, int start, int n, int[] gids) {
      Values[] values = new Values[args.length];
      for (int i = 0; i < args.length; i++) {
        values[i] = ColumnValues.of(batch.vectors[args[i]]);
      }
      Values f = filter >= 0 ? ColumnValues.of(batch.vectors[filter]) : null;
      Values v = values.length == 1 ? values[0] : null;
      for (int r = 0; r < n; r++) {
        int row = start + r;
        if (f != null && (f.isNull(row) || f.getLong(row) == 0)) {
          continue;
        }
        boolean nulls = false;
        for (Values x : values) {
          nulls |= x.isNull(row);
        }
        if (nulls) {
          continue;
        }
        int g = gids[r];
        boolean first = !has[g];
        has[g] = true;
        accept(g, v, row, first);
      }
    }

    /**
     * Adds a row whose arguments are not null (the only argument's values, or null for none);
     * {@code first} when it is the group's first such row.
     */
    abstract void accept(int g, @Nullable Values v, int row, boolean first);

    /** The result of group {@code g}, in the row engine's internal representation. */
    abstract @Nullable Object result(int g);
  }

  /** COUNT(*) and COUNT(x, …): rows whose arguments are all not null. */
  static final class Count extends Accumulator {
    private long[] counts = new long[0];

    Count(int[] args, int filter) {
      super(args, filter);
    }

    @Override
    void grow(int capacity) {
      counts = Arrays.copyOf(counts, capacity);
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      counts[g]++;
    }

    @Override
    Object result(int g) {
      return counts[g];
    }
  }

  /** An exact sum of longs that carries past 64 bits (as {@code ExactAggregates.Sum}). */
  static final class ExactSum extends Accumulator {
    private final RelDataType type;
    private final boolean average;
    private long[] low = new long[0];
    private long[] count = new long[0];
    private BigInteger[] high = new BigInteger[0];

    ExactSum(int arg, int filter, RelDataType type, boolean average) {
      super(new int[] {arg}, filter);
      this.type = type;
      this.average = average;
    }

    @Override
    void grow(int capacity) {
      low = Arrays.copyOf(low, capacity);
      count = Arrays.copyOf(count, capacity);
      high = Arrays.copyOf(high, capacity);
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      addExact(low, high, g, v.getLong(row));
      count[g]++;
    }

    @Override
    @Nullable Object result(int g) {
      if (!has[g] && type.isNullable()) {
        return null;
      }
      BigInteger exact = high[g] == null ? null : high[g].add(BigInteger.valueOf(low[g]));
      long value;
      if (average) {
        if (count[g] == 0) {
          value = 0;
        } else {
          value =
              exact == null
                  ? low[g] / count[g]
                  : exact.divide(BigInteger.valueOf(count[g])).longValue();
        }
      } else if (exact == null) {
        value = low[g];
      } else if (exact.bitLength() > 63) {
        throw CheckedArithmetic.overflow("SUM", "BIGINT");
      } else {
        value = exact.longValue();
      }
      return GroupTable.Internal.ofLong(type, value);
    }
  }

  /** SUM and $SUM0 of DECIMAL: exact, at the argument's scale. */
  static final class DecimalSum extends Accumulator {
    private final boolean nullable;
    private final int scale;
    private final boolean unscaled;
    private long[] low = new long[0];
    private BigInteger[] high = new BigInteger[0];

    DecimalSum(int arg, int filter, boolean nullable, int scale, int precision) {
      super(new int[] {arg}, filter);
      this.nullable = nullable;
      this.scale = scale;
      this.unscaled = precision <= 18;
    }

    @Override
    void grow(int capacity) {
      low = Arrays.copyOf(low, capacity);
      high = Arrays.copyOf(high, capacity);
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      if (!unscaled) {
        BigInteger x = v.getDecimal(row).setScale(scale).unscaledValue();
        high[g] = high[g] == null ? x : high[g].add(x);
        return;
      }
      addExact(low, high, g, v.getUnscaled(row));
    }

    @Override
    @Nullable Object result(int g) {
      if (!has[g]) {
        return nullable ? null : BigDecimal.ZERO;
      }
      if (high[g] == null) {
        return BigDecimal.valueOf(low[g], scale);
      }
      return new BigDecimal(high[g].add(BigInteger.valueOf(low[g])), scale);
    }
  }

  /** SUM and $SUM0 of REAL (in float) and DOUBLE, added in row order. */
  static final class DoubleSum extends Accumulator {
    private final boolean nullable;
    private final boolean real;
    private double[] sums = new double[0];
    private float[] floats = new float[0];

    DoubleSum(int arg, int filter, boolean nullable, boolean real) {
      super(new int[] {arg}, filter);
      this.nullable = nullable;
      this.real = real;
    }

    @Override
    void grow(int capacity) {
      if (real) {
        floats = Arrays.copyOf(floats, capacity);
      } else {
        sums = Arrays.copyOf(sums, capacity);
      }
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      if (real) {
        floats[g] = floats[g] + (float) v.getDouble(row);
      } else {
        sums[g] = sums[g] + v.getDouble(row);
      }
    }

    @Override
    @Nullable Object result(int g) {
      if (!has[g] && nullable) {
        return null;
      }
      return real ? (Object) floats[g] : (Object) sums[g];
    }
  }

  /** MIN and MAX of exact integers, DATE, TIME, timestamps and BOOLEAN. */
  static final class LongMinMax extends Accumulator {
    private final RelDataType type;
    private final boolean min;
    private long[] values = new long[0];

    LongMinMax(int arg, int filter, RelDataType type, boolean min) {
      super(new int[] {arg}, filter);
      this.type = type;
      this.min = min;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      long x = v.getLong(row);
      if (first) {
        values[g] = x;
      } else if (min ? x < values[g] : x > values[g]) {
        values[g] = x;
      }
    }

    @Override
    @Nullable Object result(int g) {
      return has[g] ? GroupTable.Internal.ofLong(type, values[g]) : null;
    }
  }

  /**
   * MIN and MAX of REAL and DOUBLE as Calcite computes them: from {@code ±MAX_VALUE}, {@code min =
   * acc > x ? x : acc} and {@code max = acc > x ? acc : x} (so NaN and infinities behave as there).
   */
  static final class DoubleMinMax extends Accumulator {
    private final boolean real;
    private final boolean min;
    private double[] values = new double[0];
    private float[] floats = new float[0];

    DoubleMinMax(int arg, int filter, boolean real, boolean min) {
      super(new int[] {arg}, filter);
      this.real = real;
      this.min = min;
    }

    @Override
    void grow(int capacity) {
      int from = real ? floats.length : values.length;
      if (real) {
        floats = Arrays.copyOf(floats, capacity);
        Arrays.fill(floats, from, capacity, min ? Float.MAX_VALUE : -Float.MAX_VALUE);
      } else {
        values = Arrays.copyOf(values, capacity);
        Arrays.fill(values, from, capacity, min ? Double.MAX_VALUE : -Double.MAX_VALUE);
      }
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      if (real) {
        float x = (float) v.getDouble(row);
        float acc = floats[g];
        floats[g] = min ? (acc > x ? x : acc) : (acc > x ? acc : x);
      } else {
        double x = v.getDouble(row);
        double acc = values[g];
        values[g] = min ? (acc > x ? x : acc) : (acc > x ? acc : x);
      }
    }

    @Override
    @Nullable Object result(int g) {
      if (!has[g]) {
        return null;
      }
      return real ? (Object) floats[g] : (Object) values[g];
    }
  }

  /**
   * MIN and MAX of DECIMAL and strings: {@code compareTo}, the first of equal values kept (strings
   * compared in UTF-8 in the order of {@code String.compareTo}).
   */
  static final class ObjectMinMax extends Accumulator {
    private final RelDataType type;
    private final boolean min;
    private Object[] values = new Object[0];

    ObjectMinMax(int arg, int filter, RelDataType type, boolean min) {
      super(new int[] {arg}, filter);
      this.type = type;
      this.min = min;
    }

    @Override
    void grow(int capacity) {
      values = Arrays.copyOf(values, capacity);
    }

    @Override
    void accept(int g, @Nullable Values v, int row, boolean first) {
      Object acc = values[g];
      SqlTypeName t = type.getSqlTypeName();
      if (t == SqlTypeName.DECIMAL) {
        BigDecimal x = v.getDecimal(row);
        if (acc == null
            || (min ? ((BigDecimal) acc).compareTo(x) > 0 : ((BigDecimal) acc).compareTo(x) < 0)) {
          values[g] = x;
        }
        return;
      }
      if (acc != null && sameBytes(v, row, (byte[]) acc)) {
        return;
      }
      byte[] x = v.getBytes(row);
      if (acc == null) {
        values[g] = x;
        return;
      }
      int c = Utf8Order.compare((byte[]) acc, x);
      if (min ? c > 0 : c < 0) {
        values[g] = x;
      }
    }

    private static boolean sameBytes(Values v, int row, byte[] acc) {
      return v.bytesEqual(row, acc);
    }

    @Override
    @Nullable Object result(int g) {
      Object v = values[g];
      if (v == null || v instanceof BigDecimal) {
        return v;
      }
      return new String((byte[]) v, StandardCharsets.UTF_8);
    }
  }
}
