package io.nql.planner.plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.util.Optionality;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SUM, AVG and the variances of exact integers that never wrap around. The sum is exact whatever
 * the order of the rows (it carries into a {@link BigInteger} past 64 bits): SUM of TINYINT,
 * SMALLINT or INTEGER is a BIGINT ({@link NqlTypeSystem#deriveSumType}) and SUM of BIGINT a BIGINT
 * that fails with {@code 22003} when the exact sum does not fit; AVG keeps its type (the average of
 * integers fits it) and truncates toward zero, as before, from the exact sum. VAR_POP, VAR_SAMP,
 * STDDEV_POP and STDDEV_SAMP keep Calcite's type and formula (in integers, each division truncated
 * toward zero) computed exactly, and fail with {@code 22003} when the result does not fit the type.
 *
 * <p>Calcite's SUM adds in the result's Java type without a check, its AVG of integers divides a
 * SUM cast to the argument's type, and its variances square the argument in the argument's type; so
 * the converter ({@link SqlToRel}) builds these aggregates instead, in plain aggregates and
 * (through {@link NqlConvertletTable}) window aggregates. They are user-defined aggregates to
 * Calcite: its rules that rewrite SUM, AVG and the variances leave them alone. Their types are
 * Calcite's. Public classes and methods are called by generated code.
 */
public final class ExactAggregates {
  private ExactAggregates() {}

  /** An exact sum of longs, and how many were added. */
  public static final class Sum {
    private long low;
    private @Nullable BigInteger high;
    private long count;

    void add(long v) {
      long r = low + v;
      if (((low ^ r) & (v ^ r)) < 0) {
        // carry the 64-bit part out before it wraps around
        BigInteger carried = BigInteger.valueOf(low).add(BigInteger.valueOf(v));
        high = high == null ? carried : high.add(carried);
        low = 0;
      } else {
        low = r;
      }
      count++;
    }

    void add(BigInteger v) {
      high = high == null ? v : high.add(v);
      count++;
    }

    BigInteger exact() {
      return high == null ? BigInteger.valueOf(low) : high.add(BigInteger.valueOf(low));
    }

    long sum() {
      if (high == null) {
        return low;
      }
      BigInteger exact = exact();
      if (exact.bitLength() > 63) {
        throw CheckedArithmetic.overflow("SUM", "BIGINT");
      }
      return exact.longValue();
    }

    long average() {
      if (count == 0) {
        return 0; // not reached: AVG of no row is NULL
      }
      return high == null ? low / count : exact().divide(BigInteger.valueOf(count)).longValue();
    }
  }

  /** SUM and $SUM0 (Calcite gives $SUM0 a NOT NULL type, so it answers 0 on no rows). */
  public static final class SumFunction {
    private SumFunction() {}

    public static Sum init() {
      return new Sum();
    }

    public static Sum add(Sum acc, long v) {
      acc.add(v);
      return acc;
    }

    public static long result(Sum acc) {
      return acc.sum();
    }
  }

  /** AVG: the exact sum divided by the count, truncated toward zero. */
  public static final class AvgFunction {
    private AvgFunction() {}

    public static Sum init() {
      return new Sum();
    }

    public static Sum add(Sum acc, long v) {
      acc.add(v);
      return acc;
    }

    public static long result(Sum acc) {
      return acc.average();
    }
  }

  /** The count, sum and sum of squares of longs, exact. */
  public static final class Moments {
    private final Sum sum = new Sum();
    private final Sum squares = new Sum();

    void add(long v) {
      sum.add(v);
      if (v >= -3037000499L && v <= 3037000499L) {
        squares.add(v * v); // fits in 63 bits
      } else {
        squares.add(BigInteger.valueOf(v).multiply(BigInteger.valueOf(v)));
      }
    }

    /**
     * {@code (Σx² - (Σx)² / n) / d} with d = n, or n - 1 for a sample (null when that is 0), each
     * division truncated toward zero: what Calcite computes for the variance of integers, in
     * integers, without wrapping around.
     */
    @Nullable BigInteger variance(boolean sample) {
      long n = sum.count;
      long d = sample ? n - 1 : n;
      if (d <= 0) {
        return null;
      }
      BigInteger s1 = sum.exact();
      BigInteger diff = squares.exact().subtract(s1.multiply(s1).divide(BigInteger.valueOf(n)));
      return diff.divide(BigInteger.valueOf(d));
    }

    /** The standard deviation, truncated toward zero (exactly, not through a DOUBLE). */
    @Nullable BigInteger stddev(boolean sample) {
      BigInteger v = variance(sample);
      return v == null ? null : v.sqrt();
    }
  }

  /** Accumulates {@link Moments}; each subclass gives one result of one type. */
  public static class MomentsFunction {
    MomentsFunction() {}

    public static Moments init() {
      return new Moments();
    }

    public static Moments add(Moments acc, long v) {
      acc.add(v);
      return acc;
    }

    static @Nullable Byte tinyint(@Nullable BigInteger v, String function) {
      if (v == null) {
        return null;
      }
      if (v.bitLength() > 7) {
        throw CheckedArithmetic.overflow(function, "TINYINT");
      }
      return v.byteValue();
    }

    static @Nullable Short smallint(@Nullable BigInteger v, String function) {
      if (v == null) {
        return null;
      }
      if (v.bitLength() > 15) {
        throw CheckedArithmetic.overflow(function, "SMALLINT");
      }
      return v.shortValue();
    }

    static @Nullable Integer integer(@Nullable BigInteger v, String function) {
      if (v == null) {
        return null;
      }
      if (v.bitLength() > 31) {
        throw CheckedArithmetic.overflow(function, "INTEGER");
      }
      return v.intValue();
    }

    static @Nullable Long bigint(@Nullable BigInteger v, String function) {
      if (v == null) {
        return null;
      }
      if (v.bitLength() > 63) {
        throw CheckedArithmetic.overflow(function, "BIGINT");
      }
      return v.longValue();
    }
  }

  /** VAR_POP of TINYINT. */
  public static final class VarPopTinyint extends MomentsFunction {
    public static @Nullable Byte result(Moments acc) {
      return tinyint(acc.variance(false), "VAR_POP");
    }
  }

  /** VAR_POP of SMALLINT. */
  public static final class VarPopSmallint extends MomentsFunction {
    public static @Nullable Short result(Moments acc) {
      return smallint(acc.variance(false), "VAR_POP");
    }
  }

  /** VAR_POP of INTEGER. */
  public static final class VarPopInteger extends MomentsFunction {
    public static @Nullable Integer result(Moments acc) {
      return integer(acc.variance(false), "VAR_POP");
    }
  }

  /** VAR_POP of BIGINT. */
  public static final class VarPopBigint extends MomentsFunction {
    public static @Nullable Long result(Moments acc) {
      return bigint(acc.variance(false), "VAR_POP");
    }
  }

  /** VAR_SAMP of TINYINT. */
  public static final class VarSampTinyint extends MomentsFunction {
    public static @Nullable Byte result(Moments acc) {
      return tinyint(acc.variance(true), "VAR_SAMP");
    }
  }

  /** VAR_SAMP of SMALLINT. */
  public static final class VarSampSmallint extends MomentsFunction {
    public static @Nullable Short result(Moments acc) {
      return smallint(acc.variance(true), "VAR_SAMP");
    }
  }

  /** VAR_SAMP of INTEGER. */
  public static final class VarSampInteger extends MomentsFunction {
    public static @Nullable Integer result(Moments acc) {
      return integer(acc.variance(true), "VAR_SAMP");
    }
  }

  /** VAR_SAMP of BIGINT. */
  public static final class VarSampBigint extends MomentsFunction {
    public static @Nullable Long result(Moments acc) {
      return bigint(acc.variance(true), "VAR_SAMP");
    }
  }

  /** STDDEV_POP of TINYINT. */
  public static final class StddevPopTinyint extends MomentsFunction {
    public static @Nullable Byte result(Moments acc) {
      return tinyint(acc.stddev(false), "STDDEV_POP");
    }
  }

  /** STDDEV_POP of SMALLINT. */
  public static final class StddevPopSmallint extends MomentsFunction {
    public static @Nullable Short result(Moments acc) {
      return smallint(acc.stddev(false), "STDDEV_POP");
    }
  }

  /** STDDEV_POP of INTEGER. */
  public static final class StddevPopInteger extends MomentsFunction {
    public static @Nullable Integer result(Moments acc) {
      return integer(acc.stddev(false), "STDDEV_POP");
    }
  }

  /** STDDEV_POP of BIGINT. */
  public static final class StddevPopBigint extends MomentsFunction {
    public static @Nullable Long result(Moments acc) {
      return bigint(acc.stddev(false), "STDDEV_POP");
    }
  }

  /** STDDEV_SAMP of TINYINT. */
  public static final class StddevSampTinyint extends MomentsFunction {
    public static @Nullable Byte result(Moments acc) {
      return tinyint(acc.stddev(true), "STDDEV_SAMP");
    }
  }

  /** STDDEV_SAMP of SMALLINT. */
  public static final class StddevSampSmallint extends MomentsFunction {
    public static @Nullable Short result(Moments acc) {
      return smallint(acc.stddev(true), "STDDEV_SAMP");
    }
  }

  /** STDDEV_SAMP of INTEGER. */
  public static final class StddevSampInteger extends MomentsFunction {
    public static @Nullable Integer result(Moments acc) {
      return integer(acc.stddev(true), "STDDEV_SAMP");
    }
  }

  /** STDDEV_SAMP of BIGINT. */
  public static final class StddevSampBigint extends MomentsFunction {
    public static @Nullable Long result(Moments acc) {
      return bigint(acc.stddev(true), "STDDEV_SAMP");
    }
  }

  static final SqlAggFunction SUM =
      aggregate("NQL_SUM", SqlStdOperatorTable.SUM, SumFunction.class);
  static final SqlAggFunction SUM0 =
      aggregate("NQL_SUM0", SqlStdOperatorTable.SUM0, SumFunction.class);
  static final SqlAggFunction AVG =
      aggregate("NQL_AVG", SqlStdOperatorTable.AVG, AvgFunction.class);

  /** Whether {@code f} is the exact SUM or $SUM0 of integers. */
  public static boolean isExactSum(SqlAggFunction f) {
    return f == SUM || f == SUM0;
  }

  /** Whether {@code f} is the exact AVG of integers. */
  public static boolean isExactAvg(SqlAggFunction f) {
    return f == AVG;
  }

  /** The variance functions, by Calcite's kind and then by argument type (TINYINT to BIGINT). */
  private static final Map<SqlKind, List<SqlAggFunction>> VARIANCES =
      Map.of(
          SqlKind.VAR_POP,
          variances(
              "NQL_VAR_POP",
              SqlStdOperatorTable.VAR_POP,
              VarPopTinyint.class,
              VarPopSmallint.class,
              VarPopInteger.class,
              VarPopBigint.class),
          SqlKind.VAR_SAMP,
          variances(
              "NQL_VAR_SAMP",
              SqlStdOperatorTable.VAR_SAMP,
              VarSampTinyint.class,
              VarSampSmallint.class,
              VarSampInteger.class,
              VarSampBigint.class),
          SqlKind.STDDEV_POP,
          variances(
              "NQL_STDDEV_POP",
              SqlStdOperatorTable.STDDEV_POP,
              StddevPopTinyint.class,
              StddevPopSmallint.class,
              StddevPopInteger.class,
              StddevPopBigint.class),
          SqlKind.STDDEV_SAMP,
          variances(
              "NQL_STDDEV_SAMP",
              SqlStdOperatorTable.STDDEV_SAMP,
              StddevSampTinyint.class,
              StddevSampSmallint.class,
              StddevSampInteger.class,
              StddevSampBigint.class));

  private static List<SqlAggFunction> variances(
      String name, SqlAggFunction like, Class<?>... byType) {
    List<SqlAggFunction> out = new ArrayList<>();
    String[] types = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT"};
    for (int i = 0; i < byType.length; i++) {
      // one name per type: Calcite tells operators apart by name
      out.add(aggregate(name + "_" + types[i], like, byType[i]));
    }
    return List.copyOf(out);
  }

  private static SqlAggFunction aggregate(String name, SqlAggFunction like, Class<?> function) {
    // Calcite's type of the function, which it derives from the operator's kind for STDDEV_SAMP
    SqlReturnTypeInference type =
        like.getKind() == SqlKind.STDDEV_SAMP
            ? like.getReturnTypeInference().andThen(SqlTypeTransforms.FORCE_NULLABLE)
            : like.getReturnTypeInference();
    return new SqlUserDefinedAggFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        type,
        null,
        null,
        AggregateFunctionImpl.create(function),
        false,
        false,
        Optionality.FORBIDDEN);
  }

  /**
   * The exact aggregate for a call of Calcite's SUM, $SUM0 or AVG on one exact integer argument of
   * type {@code argument}, or null.
   */
  static @Nullable SqlAggFunction exact(SqlAggFunction function, RelDataType argument) {
    SqlTypeName type = argument.getSqlTypeName();
    if (!CheckedArithmetic.isExactInteger(type)) {
      return null;
    }
    if (function == SqlStdOperatorTable.SUM) {
      return SUM;
    }
    if (function == SqlStdOperatorTable.SUM0) {
      return SUM0;
    }
    if (function == SqlStdOperatorTable.AVG) {
      return AVG;
    }
    List<SqlAggFunction> variance = VARIANCES.get(function.getKind());
    if (variance == null) {
      return null;
    }
    return variance.get(
        switch (type) {
          case TINYINT -> 0;
          case SMALLINT -> 1;
          case INTEGER -> 2;
          default -> 3;
        });
  }

  /** Whether {@code exact} can answer every value of {@code type}. */
  static boolean fits(SqlAggFunction exact, RelDataType type) {
    // a sample variance is NULL on one row: of a NOT NULL type, it is left to Calcite
    return type.isNullable() || !exact.getName().endsWith("_SAMP");
  }

  /** {@code call} with the exact aggregate when it has one, of the same type. */
  static AggregateCall exact(AggregateCall call, List<RelDataType> inputTypes) {
    if (call.getArgList().size() != 1) {
      return call;
    }
    SqlAggFunction exact = exact(call.getAggregation(), inputTypes.get(call.getArgList().get(0)));
    if (exact == null || !fits(exact, call.type)) {
      return call;
    }
    return AggregateCall.create(
        call.getParserPosition(),
        exact,
        call.isDistinct(),
        call.isApproximate(),
        call.ignoreNulls(),
        call.rexList,
        call.getArgList(),
        call.filterArg,
        call.distinctKeys,
        call.collation,
        call.type,
        call.name);
  }
}
