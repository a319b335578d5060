package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.plan.Strong;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Exact integer arithmetic that fails instead of wrapping around, as in PostgreSQL: {@code +},
 * {@code -}, {@code *}, {@code /}, unary {@code -} and {@code ABS} on TINYINT, SMALLINT, INTEGER
 * and BIGINT, and casts of numbers to those types, fail with {@code 22003} when the result does not
 * fit the type ({@code 2147483647 + 1}, {@code -(-2147483648)}, {@code CAST(3000000000 AS
 * INTEGER)}). The error names the operation and the type, never a value, and is an {@link
 * EvaluationException}: it charges the rule row it fails on, as a division by zero does. Results
 * that fit are unchanged. DECIMAL, approximate and interval arithmetic are Calcite's.
 *
 * <p>{@link NqlConvertletTable} builds the checked calls while converting SQL to a plan (the
 * statement's and every access rule's), before anything simplifies an expression. They are NQL
 * functions rather than Calcite's {@code CHECKED_PLUS} and kin, because Calcite 1.42's simplifier
 * treats those as unable to fail (CALCITE-7725, fixed after 1.42): it flattens a {@code CASE} that
 * guards a checked operation into {@code AND}/{@code OR} (evaluating it on the rows the guard
 * excludes), folds {@code (x + 1) IS NOT NULL} to TRUE and {@code -(-x)} to {@code x}. A function
 * of kind {@code OTHER_FUNCTION} is one it may fail, so none of that happens; for the same reason
 * checked arithmetic is never leak-proof (it stays above a rule's barrier) and never runs on the
 * vector path. Calls keep their validated type; public static methods are called by generated code.
 */
public final class CheckedArithmetic {
  private CheckedArithmetic() {}

  // ------------------------------------------------------------------------------------ run time

  public static byte plus(byte a, byte b) {
    return tinyint(a + b, "+");
  }

  public static short plus(short a, short b) {
    return smallint(a + b, "+");
  }

  public static int plus(int a, int b) {
    int r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      throw overflow("+", "INTEGER");
    }
    return r;
  }

  public static long plus(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      throw overflow("+", "BIGINT");
    }
    return r;
  }

  public static byte minus(byte a, byte b) {
    return tinyint(a - b, "-");
  }

  public static short minus(short a, short b) {
    return smallint(a - b, "-");
  }

  public static int minus(int a, int b) {
    int r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      throw overflow("-", "INTEGER");
    }
    return r;
  }

  public static long minus(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      throw overflow("-", "BIGINT");
    }
    return r;
  }

  public static byte times(byte a, byte b) {
    return tinyint(a * b, "*");
  }

  public static short times(short a, short b) {
    return smallint(a * b, "*");
  }

  public static int times(int a, int b) {
    long r = (long) a * (long) b;
    if ((int) r != r) {
      throw overflow("*", "INTEGER");
    }
    return (int) r;
  }

  public static long times(long a, long b) {
    long lo = a * b;
    if (Math.multiplyHigh(a, b) != (lo >> 63)) {
      throw overflow("*", "BIGINT");
    }
    return lo;
  }

  public static byte divide(byte a, byte b) {
    return tinyint(a / nonZero(b), "/");
  }

  public static short divide(short a, short b) {
    return smallint(a / nonZero(b), "/");
  }

  public static int divide(int a, int b) {
    if (a == Integer.MIN_VALUE && b == -1) {
      throw overflow("/", "INTEGER");
    }
    return a / nonZero(b);
  }

  public static long divide(long a, long b) {
    if (a == Long.MIN_VALUE && b == -1) {
      throw overflow("/", "BIGINT");
    }
    if (b == 0) {
      throw divisionByZero();
    }
    return a / b;
  }

  public static byte negate(byte a) {
    return tinyint(-a, "unary -");
  }

  public static short negate(short a) {
    return smallint(-a, "unary -");
  }

  public static int negate(int a) {
    if (a == Integer.MIN_VALUE) {
      throw overflow("unary -", "INTEGER");
    }
    return -a;
  }

  public static long negate(long a) {
    if (a == Long.MIN_VALUE) {
      throw overflow("unary -", "BIGINT");
    }
    return -a;
  }

  public static byte abs(byte a) {
    return tinyint(Math.abs(a), "ABS");
  }

  public static short abs(short a) {
    return smallint(Math.abs(a), "ABS");
  }

  public static int abs(int a) {
    if (a == Integer.MIN_VALUE) {
      throw overflow("ABS", "INTEGER");
    }
    return Math.abs(a);
  }

  public static long abs(long a) {
    if (a == Long.MIN_VALUE) {
      throw overflow("ABS", "BIGINT");
    }
    return Math.abs(a);
  }

  /** {@code CAST(v AS TINYINT)} of an exact integer. */
  public static byte toTinyint(long v) {
    if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
      throw castOverflow("TINYINT");
    }
    return (byte) v;
  }

  /** {@code CAST(v AS SMALLINT)} of an exact integer. */
  public static short toSmallint(long v) {
    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
      throw castOverflow("SMALLINT");
    }
    return (short) v;
  }

  /** {@code CAST(v AS INTEGER)} of an exact integer. */
  public static int toInteger(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw castOverflow("INTEGER");
    }
    return (int) v;
  }

  // Casts of DECIMAL and approximate numbers round as Calcite's casts do, by calling them.

  public static byte toTinyint(BigDecimal v, RoundingMode mode) {
    return (Byte) cast(Primitive.BYTE, v, mode, "TINYINT");
  }

  public static byte toTinyint(double v, RoundingMode mode) {
    return (Byte) cast(Primitive.BYTE, v, mode, "TINYINT");
  }

  public static short toSmallint(BigDecimal v, RoundingMode mode) {
    return (Short) cast(Primitive.SHORT, v, mode, "SMALLINT");
  }

  public static short toSmallint(double v, RoundingMode mode) {
    return (Short) cast(Primitive.SHORT, v, mode, "SMALLINT");
  }

  public static int toInteger(BigDecimal v, RoundingMode mode) {
    return (Integer) cast(Primitive.INT, v, mode, "INTEGER");
  }

  public static int toInteger(double v, RoundingMode mode) {
    return (Integer) cast(Primitive.INT, v, mode, "INTEGER");
  }

  public static long toBigint(BigDecimal v, RoundingMode mode) {
    return (Long) cast(Primitive.LONG, v, mode, "BIGINT");
  }

  public static long toBigint(double v, RoundingMode mode) {
    return (Long) cast(Primitive.LONG, v, mode, "BIGINT");
  }

  private static Object cast(Primitive target, Number v, RoundingMode mode, String type) {
    try {
      return target.numberValue(v, mode);
    } catch (ArithmeticException e) {
      throw castOverflow(type);
    }
  }

  private static byte tinyint(int r, String operation) {
    if (r < Byte.MIN_VALUE || r > Byte.MAX_VALUE) {
      throw overflow(operation, "TINYINT");
    }
    return (byte) r;
  }

  private static short smallint(int r, String operation) {
    if (r < Short.MIN_VALUE || r > Short.MAX_VALUE) {
      throw overflow(operation, "SMALLINT");
    }
    return (short) r;
  }

  private static int nonZero(int b) {
    if (b == 0) {
      throw divisionByZero();
    }
    return b;
  }

  /** The error of an operation whose result does not fit its type (never the values). */
  /** The {@code 22003} error of an operation whose result does not fit {@code type}. */
  public static EvaluationException overflow(String operation, String type) {
    return new EvaluationException(
        ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
        "Numeric value out of range: the result of " + operation + " does not fit in " + type);
  }

  private static EvaluationException castOverflow(String type) {
    return new EvaluationException(
        ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
        "Numeric value out of range: the value given to CAST does not fit in " + type);
  }

  private static EvaluationException divisionByZero() {
    return new EvaluationException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
  }

  // ------------------------------------------------------------------------------- operators

  /** {@code +}. */
  static final SqlOperator PLUS = operator("NQL_PLUS", "plus", ReturnTypes.NULLABLE_SUM);

  /** Binary {@code -}. */
  static final SqlOperator MINUS = operator("NQL_MINUS", "minus", ReturnTypes.NULLABLE_SUM);

  /** {@code *}. */
  static final SqlOperator TIMES = operator("NQL_TIMES", "times", ReturnTypes.PRODUCT_NULLABLE);

  /** {@code /}. */
  static final SqlOperator DIVIDE = operator("NQL_DIVIDE", "divide", ReturnTypes.QUOTIENT_NULLABLE);

  /** Unary {@code -}. */
  static final SqlOperator NEGATE = operator("NQL_NEGATE", "negate", ReturnTypes.ARG0);

  /** {@code ABS}. */
  static final SqlOperator ABS = operator("NQL_ABS", "abs", ReturnTypes.ARG0);

  static final SqlOperator TO_TINYINT = cast(SqlTypeName.TINYINT, "toTinyint");
  static final SqlOperator TO_SMALLINT = cast(SqlTypeName.SMALLINT, "toSmallint");
  static final SqlOperator TO_INTEGER = cast(SqlTypeName.INTEGER, "toInteger");
  static final SqlOperator TO_BIGINT = cast(SqlTypeName.BIGINT, "toBigint");

  private static SqlOperator operator(String name, String method, SqlReturnTypeInference type) {
    return new Checked(name, method, type);
  }

  private static SqlOperator cast(SqlTypeName target, String method) {
    return new Checked(
        "NQL_CAST_" + target.getName(),
        method,
        ReturnTypes.explicit(target).andThen(SqlTypeTransforms.TO_NULLABLE));
  }

  /**
   * A checked operation: a function to Calcite (so its simplifier knows it may fail), returning
   * NULL when an operand is NULL (so it knows that too).
   */
  private static final class Checked extends SqlUserDefinedFunction {
    Checked(String name, String method, SqlReturnTypeInference returnType) {
      super(
          new SqlIdentifier(name, SqlParserPos.ZERO),
          SqlKind.OTHER_FUNCTION,
          returnType,
          null,
          null,
          new Implementation(method));
    }

    @Override
    public Supplier<Strong.Policy> getStrongPolicyInference() {
      return () -> Strong.Policy.ANY;
    }
  }

  /**
   * Generates {@code CheckedArithmetic.<method>(operands)}, NULL when an operand is NULL:
   * arithmetic on the result's Java type, casts from {@code long}, {@code double} or {@code
   * BigDecimal} (the last two with the type system's rounding mode, as Calcite's casts). The NULL
   * test is generated here rather than left to Calcite ({@code NullPolicy.STRICT}), which would
   * answer {@code (x + 1) IS NOT NULL} from the operands alone and drop the call that fails.
   */
  private record Implementation(String method) implements ScalarFunction, ImplementableFunction {
    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
      return typeFactory.createSqlType(SqlTypeName.ANY);
    }

    @Override
    public List<FunctionParameter> getParameters() {
      return List.of();
    }

    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor(this::implement, NullPolicy.NONE, false);
    }

    private Expression implement(
        RexToLixTranslator translator, RexCall call, List<Expression> operands) {
      List<Expression> args = new ArrayList<>();
      Expression anyNull = null;
      boolean isCast = method.startsWith("to");
      for (int i = 0; i < operands.size(); i++) {
        Expression operand = operands.get(i);
        if (!Primitive.is(operand.getType())) {
          Expression isNull = Expressions.equal(operand, Expressions.constant(null));
          anyNull = anyNull == null ? isNull : Expressions.orElse(anyNull, isNull);
        }
        Type type =
            isCast
                ? castSource(call.getOperands().get(i).getType())
                : javaType(call.getType().getSqlTypeName());
        args.add(EnumUtils.convert(operand, type));
      }
      if (isCast && args.get(0).getType() != long.class) {
        args.add(Expressions.constant(NqlTypeSystem.INSTANCE.roundingMode()));
      }
      Expression result = Expressions.call(CheckedArithmetic.class, method, args);
      if (anyNull == null) {
        return result;
      }
      Class<?> boxed = Primitive.box(javaType(call.getType().getSqlTypeName()));
      return Expressions.condition(
          anyNull, Expressions.constant(null, boxed), Expressions.convert_(result, boxed));
    }
  }

  private static Class<?> javaType(SqlTypeName exactInteger) {
    return switch (exactInteger) {
      case TINYINT -> byte.class;
      case SMALLINT -> short.class;
      case INTEGER -> int.class;
      case BIGINT -> long.class;
      default -> throw new IllegalArgumentException("not an exact integer: " + exactInteger);
    };
  }

  private static Class<?> castSource(RelDataType source) {
    SqlTypeName s = source.getSqlTypeName();
    if (isExactInteger(s)) {
      return long.class;
    }
    return s == SqlTypeName.DECIMAL ? BigDecimal.class : double.class;
  }

  // ------------------------------------------------------------------------------- plan rewrite

  /**
   * The checked form of a call Calcite's convertlets built from SQL: arithmetic on exact integers
   * and casts of numbers to exact integers that may not fit; anything else unchanged. Operands are
   * converted (and checked) before their call, so only the call itself is looked at.
   */
  static RexNode checked(RexBuilder rexBuilder, RexNode node) {
    if (!(node instanceof RexCall call) || !isExactInteger(call.getType().getSqlTypeName())) {
      return node;
    }
    SqlOperator checked = checkedOperator(call);
    if (checked == null) {
      return node;
    }
    return rexBuilder.makeCall(call.getParserPosition(), call.getType(), checked, call.operands);
  }

  private static SqlOperator checkedOperator(RexCall call) {
    SqlTypeName result = call.getType().getSqlTypeName();
    if (call.getKind() == SqlKind.CAST) {
      if (call.getOperands().size() != 1) {
        return null; // CAST ... FORMAT: not of a number
      }
      RelDataType source = call.getOperands().get(0).getType();
      return mayNotFit(source.getSqlTypeName(), result) ? castTo(result) : null;
    }
    for (RexNode operand : call.getOperands()) {
      SqlTypeName t = operand.getType().getSqlTypeName();
      if (!isExactInteger(t) || rank(t) > rank(result)) {
        return null; // datetime, interval or NULL operands: not integer arithmetic
      }
    }
    if (call.getOperator() == SqlStdOperatorTable.ABS) {
      return ABS;
    }
    return switch (call.getKind()) {
      case PLUS -> PLUS;
      case MINUS -> MINUS;
      case TIMES -> TIMES;
      case DIVIDE -> DIVIDE;
      case MINUS_PREFIX -> NEGATE;
      default -> null;
    };
  }

  /** Whether a cast of a {@code source} value to the exact integer {@code target} may overflow. */
  private static boolean mayNotFit(SqlTypeName source, SqlTypeName target) {
    if (isExactInteger(source)) {
      return rank(source) > rank(target);
    }
    return source == SqlTypeName.DECIMAL
        || source == SqlTypeName.REAL
        || source == SqlTypeName.FLOAT
        || source == SqlTypeName.DOUBLE;
  }

  private static SqlOperator castTo(SqlTypeName target) {
    return switch (target) {
      case TINYINT -> TO_TINYINT;
      case SMALLINT -> TO_SMALLINT;
      case INTEGER -> TO_INTEGER;
      default -> TO_BIGINT;
    };
  }

  /** TINYINT, SMALLINT, INTEGER or BIGINT. */
  public static boolean isExactInteger(SqlTypeName n) {
    return n == SqlTypeName.TINYINT
        || n == SqlTypeName.SMALLINT
        || n == SqlTypeName.INTEGER
        || n == SqlTypeName.BIGINT;
  }

  /** The width order of the exact integer types: TINYINT 1 … BIGINT 4. */
  public static int rank(SqlTypeName n) {
    return switch (n) {
      case TINYINT -> 1;
      case SMALLINT -> 2;
      case INTEGER -> 3;
      default -> 4;
    };
  }
}
