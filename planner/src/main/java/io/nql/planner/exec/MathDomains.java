package io.nql.planner.exec;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.linq4j.function.Strict;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Mathematical functions that fail outside their domain, as in PostgreSQL, instead of answering NaN
 * or infinity as Calcite's (Java's) do: {@code SQRT} of a negative number, {@code POWER} of zero to
 * a negative exponent or of a negative number to a fractional one ({@code 2201F}), {@code POWER}
 * and {@code EXP} results too large for DOUBLE, {@code ACOS} and {@code ASIN} outside [-1, 1]
 * ({@code 22003}). ({@code LN}, {@code LOG10} and {@code LOG} of zero or a negative number already
 * fail in Calcite; their error is mapped to {@code 2201E}.)
 *
 * <p>As with {@link CodePointStrings}, validation keeps Calcite's operators and {@link #rewrite}
 * replaces their calls in the logical plan (expressions of access rules included); each call keeps
 * its validated type. The errors are {@link EvaluationException}s: they charge the rule row they
 * fail on, and name no value. Public static methods are called by generated code.
 */
@Strict
public final class MathDomains {
  private MathDomains() {}

  /** {@code SQRT(x)}. */
  public static double sqrt(double x) {
    if (x < 0) {
      throw new EvaluationException(
          ErrorCode.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
          "Cannot take the square root of a negative number");
    }
    return Math.sqrt(x);
  }

  /** {@code POWER(base, exponent)}. */
  public static double power(double base, double exponent) {
    if (base == 0 && exponent < 0) {
      throw new EvaluationException(
          ErrorCode.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
          "Zero raised to a negative power is undefined");
    }
    if (base < 0 && exponent == 0.5) {
      // SQRT(x) reaches here: Calcite's convertlets turn it into POWER(x, 0.5)
      throw new EvaluationException(
          ErrorCode.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
          "Cannot take the square root of a negative number");
    }
    if (base < 0 && Double.isFinite(exponent) && exponent != Math.rint(exponent)) {
      throw new EvaluationException(
          ErrorCode.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
          "A negative number raised to a power that is not a whole number is not a real number");
    }
    return finite(Math.pow(base, exponent), "POWER", base, exponent);
  }

  /** {@code EXP(x)}. */
  public static double exp(double x) {
    return finite(Math.exp(x), "EXP", x, 0);
  }

  /** {@code ACOS(x)}. */
  public static double acos(double x) {
    return Math.acos(unit(x, "ACOS"));
  }

  /** {@code ASIN(x)}. */
  public static double asin(double x) {
    return Math.asin(unit(x, "ASIN"));
  }

  private static double unit(double x, String function) {
    if (x < -1 || x > 1) {
      throw new EvaluationException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
          "Input of " + function + " out of range: it must be between -1 and 1");
    }
    return x;
  }

  /** The result, unless it overflowed DOUBLE from finite arguments. */
  private static double finite(double result, String function, double a, double b) {
    if (Double.isInfinite(result) && Double.isFinite(a) && Double.isFinite(b)) {
      throw new EvaluationException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
          "Numeric value out of range: the result of " + function + " is too large for DOUBLE");
    }
    return result;
  }

  // ---------------------------------------------------------------------------- plan rewrite

  private static final Map<SqlOperator, SqlFunction> REPLACEMENTS = new IdentityHashMap<>();

  static {
    REPLACEMENTS.put(SqlStdOperatorTable.SQRT, function("SQRT", "sqrt"));
    REPLACEMENTS.put(SqlStdOperatorTable.POWER, function("POWER", "power"));
    REPLACEMENTS.put(SqlStdOperatorTable.EXP, function("EXP", "exp"));
    REPLACEMENTS.put(SqlStdOperatorTable.ACOS, function("ACOS", "acos"));
    REPLACEMENTS.put(SqlStdOperatorTable.ASIN, function("ASIN", "asin"));
  }

  private static SqlFunction function(String sqlName, String method) {
    for (Method m : MathDomains.class.getMethods()) {
      if (m.getName().equals(method)) {
        return new SqlUserDefinedFunction(
            // Distinct name: plans show that the checked version runs.
            new SqlIdentifier("NQL_" + sqlName, SqlParserPos.ZERO),
            SqlKind.OTHER_FUNCTION,
            ReturnTypes.DOUBLE_NULLABLE,
            null,
            null,
            ScalarFunctionImpl.create(m));
      }
    }
    throw new IllegalStateException("no method " + method);
  }

  /**
   * {@code plan} with the calls of SQRT, POWER, EXP, ACOS and ASIN replaced by the checked ones.
   */
  public static RelNode rewrite(RelNode plan) {
    RexShuttle calls = new CallRewriter(plan.getCluster().getRexBuilder());
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(calls);
          }
        });
  }

  private static final class CallRewriter extends RexShuttle {
    private final RexBuilder rexBuilder;

    CallRewriter(RexBuilder rexBuilder) {
      this.rexBuilder = rexBuilder;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexCall visited = (RexCall) super.visitCall(call);
      SqlFunction function = REPLACEMENTS.get(visited.getOperator());
      if (function == null || visited.getType().getSqlTypeName() != SqlTypeName.DOUBLE) {
        return visited;
      }
      RelDataTypeFactory types = rexBuilder.getTypeFactory();
      List<RexNode> operands = new ArrayList<>();
      for (RexNode operand : visited.getOperands()) {
        RelDataType t = operand.getType();
        if (t.getSqlTypeName() != SqlTypeName.DOUBLE) {
          RelDataType dbl =
              types.createTypeWithNullability(
                  types.createSqlType(SqlTypeName.DOUBLE), t.isNullable());
          operand = rexBuilder.makeCast(dbl, operand);
        }
        operands.add(operand);
      }
      return rexBuilder.makeCall(visited.getType(), function, operands);
    }
  }
}
