package io.nql.planner.plan;

import java.math.BigInteger;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.util.Optionality;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SUM and AVG of exact integers that never wrap around. The sum is exact whatever the order of the
 * rows (it carries into a {@link BigInteger} past 64 bits): SUM of TINYINT, SMALLINT or INTEGER is
 * a BIGINT ({@link NqlTypeSystem#deriveSumType}) and SUM of BIGINT a BIGINT that fails with {@code
 * 22003} when the exact sum does not fit; AVG keeps its type (the average of integers fits it) and
 * truncates toward zero, as before, from the exact sum.
 *
 * <p>Calcite's SUM adds in the result's Java type without a check, and its AVG of integers divides
 * a SUM cast to the argument's type; so the converter ({@link SqlToRel}) builds these aggregates
 * instead, in plain aggregates and (through {@link NqlConvertletTable}) window aggregates. They are
 * user-defined aggregates to Calcite: its rules that rewrite SUM and AVG leave them alone. Their
 * types are Calcite's SUM, $SUM0 and AVG types. Public classes and methods are called by generated
 * code.
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

  static final SqlAggFunction SUM =
      aggregate("NQL_SUM", SqlStdOperatorTable.SUM, SumFunction.class);
  static final SqlAggFunction SUM0 =
      aggregate("NQL_SUM0", SqlStdOperatorTable.SUM0, SumFunction.class);
  static final SqlAggFunction AVG =
      aggregate("NQL_AVG", SqlStdOperatorTable.AVG, AvgFunction.class);

  private static SqlAggFunction aggregate(String name, SqlAggFunction like, Class<?> function) {
    return new SqlUserDefinedAggFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        like.getReturnTypeInference(),
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
    if (!CheckedArithmetic.isExactInteger(argument.getSqlTypeName())) {
      return null;
    }
    if (function == SqlStdOperatorTable.SUM) {
      return SUM;
    }
    if (function == SqlStdOperatorTable.SUM0) {
      return SUM0;
    }
    return function == SqlStdOperatorTable.AVG ? AVG : null;
  }

  /** {@code call} with the exact aggregate when it has one, of the same type. */
  static AggregateCall exact(AggregateCall call, List<RelDataType> inputTypes) {
    if (call.getArgList().size() != 1) {
      return call;
    }
    SqlAggFunction exact = exact(call.getAggregation(), inputTypes.get(call.getArgList().get(0)));
    if (exact == null) {
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
