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
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Character-string functions with code-point semantics, as in PostgreSQL: a character is a Unicode
 * code point, so {@code CHAR_LENGTH('emoji 😀')} is 7, and positions and lengths given to or
 * returned by SUBSTRING, POSITION, OVERLAY, LEFT and RIGHT count code points, never splitting a
 * surrogate pair. Calcite's built-in implementations count UTF-16 units.
 *
 * <p>The choice: validation keeps Calcite's standard operators (so types, overloads and error
 * messages are unchanged, and SUBSTRING/POSITION/OVERLAY keep their special syntax), and {@link
 * #rewrite} replaces the calls on character strings in the logical plan by functions implemented
 * here, each call keeping its validated type. Doing it on the plan (rather than in the operator
 * table or the convertlet table) is the one place that also covers expressions added by the policy
 * rewrite, and constant folding during optimization runs these same implementations. Binary-string
 * calls are left to Calcite (they count bytes).
 *
 * <p>The public static methods are called by generated code; arguments are never null (the
 * functions are strict: a null argument gives null without a call).
 */
@Strict
public final class CodePointStrings {
  private CodePointStrings() {}

  /** {@code CHAR_LENGTH(s)}: the number of code points. */
  public static int charLength(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code SUBSTRING(s FROM start)}: code points from {@code start} (1-based) to the end. */
  public static String substring(String s, long start) {
    if (start <= 1) {
      return s;
    }
    int count = charLength(s);
    if (start > count) {
      return "";
    }
    return s.substring(s.offsetByCodePoints(0, (int) start - 1));
  }

  /**
   * {@code SUBSTRING(s FROM start FOR length)}: the code points at 1-based positions {@code start}
   * to {@code start + length - 1} that exist (a start before 1 shortens the result, as in SQL).
   *
   * @throws EvaluationException {@code SUBSTRING_ERROR} if {@code length} is negative
   */
  public static String substring(String s, long start, long length) {
    if (length < 0) {
      throw new EvaluationException(
          ErrorCode.SUBSTRING_ERROR, "Negative substring length not allowed");
    }
    int count = charLength(s);
    // Exclusive end, 1-based; saturates instead of overflowing.
    long end = start > 0 && length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
    if (start > count || end <= 1) {
      return "";
    }
    int from = (int) Math.max(start, 1) - 1;
    int to = (int) Math.min(end, count + 1L) - 1;
    int begin = s.offsetByCodePoints(0, from);
    return s.substring(begin, s.offsetByCodePoints(begin, to - from));
  }

  /** {@code POSITION(seek IN s)}: 1-based code-point position of the first match, or 0. */
  public static int position(String seek, String s) {
    int index = s.indexOf(seek);
    return index < 0 ? 0 : s.codePointCount(0, index) + 1;
  }

  /**
   * {@code POSITION(seek IN s FROM from)}: 1-based code-point position of the first match at or
   * after code point {@code from}, or 0 (also when {@code from} is out of range).
   */
  public static int position(String seek, String s, long from) {
    int count = charLength(s);
    if (from < 1 || from > count + 1L) {
      return 0;
    }
    int index = s.indexOf(seek, s.offsetByCodePoints(0, (int) from - 1));
    return index < 0 ? 0 : s.codePointCount(0, index) + 1;
  }

  /**
   * {@code OVERLAY(s PLACING r FROM start)}: replaces as many code points as {@code r} has, from
   * {@code start}.
   */
  public static String overlay(String s, String r, long start) {
    return overlay(s, r, start, charLength(r));
  }

  /**
   * {@code OVERLAY(s PLACING r FROM start FOR length)}: {@code SUBSTRING(s FROM 1 FOR start - 1) ||
   * r || SUBSTRING(s FROM start + length)}, in code points.
   */
  public static String overlay(String s, String r, long start, long length) {
    return substring(s, 1, start - 1) + r + substring(s, start + length);
  }

  /** {@code LEFT(s, n)}: the first n code points; a negative n drops the last -n. */
  public static String left(String s, long n) {
    long count = charLength(s);
    long keep = n >= 0 ? Math.min(n, count) : Math.max(0, count + n);
    return s.substring(0, s.offsetByCodePoints(0, (int) keep));
  }

  /** {@code RIGHT(s, n)}: the last n code points; a negative n drops the first -n. */
  public static String right(String s, long n) {
    long count = charLength(s);
    long keep = n >= 0 ? Math.min(n, count) : Math.max(0, count + n);
    return s.substring(s.offsetByCodePoints(0, (int) (count - keep)));
  }

  /**
   * Replaces the calls of the standard string functions on character strings in a logical plan by
   * the code-point implementations of this class.
   */
  static RelNode rewrite(RelNode plan) {
    RexBuilder rexBuilder = plan.getCluster().getRexBuilder();
    RexShuttle calls = new CallRewriter(rexBuilder);
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            return super.visit(other).accept(calls);
          }
        });
  }

  /** The code-point function of each replaced standard operator, by operand count. */
  private static final Map<SqlOperator, Replacement> REPLACEMENTS = new IdentityHashMap<>();

  static {
    Replacement length = new Replacement("CHAR_LENGTH", ReturnTypes.INTEGER_NULLABLE, "charLength");
    REPLACEMENTS.put(SqlStdOperatorTable.CHAR_LENGTH, length);
    REPLACEMENTS.put(SqlStdOperatorTable.CHARACTER_LENGTH, length);
    REPLACEMENTS.put(
        SqlStdOperatorTable.SUBSTRING,
        new Replacement("SUBSTRING", ReturnTypes.ARG0_NULLABLE_VARYING, "substring"));
    REPLACEMENTS.put(
        SqlStdOperatorTable.POSITION,
        new Replacement("POSITION", ReturnTypes.INTEGER_NULLABLE, "position"));
    REPLACEMENTS.put(
        SqlStdOperatorTable.OVERLAY,
        new Replacement(
            "OVERLAY", ReturnTypes.DYADIC_STRING_SUM_PRECISION_NULLABLE_VARYING, "overlay"));
    REPLACEMENTS.put(
        SqlLibraryOperators.LEFT,
        new Replacement("LEFT", ReturnTypes.ARG0_NULLABLE_VARYING, "left"));
    REPLACEMENTS.put(
        SqlLibraryOperators.RIGHT,
        new Replacement("RIGHT", ReturnTypes.ARG0_NULLABLE_VARYING, "right"));
  }

  /** One function of this class, as an operator per arity (overloads by operand count). */
  private static final class Replacement {
    private final Map<Integer, SqlFunction> byArity = new java.util.HashMap<>();

    Replacement(String sqlName, SqlReturnTypeInference returnType, String method) {
      for (Method m : CodePointStrings.class.getMethods()) {
        if (m.getName().equals(method)) {
          byArity.put(
              m.getParameterCount(),
              new SqlUserDefinedFunction(
                  // Distinct name: plans show that the code-point version runs.
                  new SqlIdentifier("CP_" + sqlName, SqlParserPos.ZERO),
                  SqlKind.OTHER_FUNCTION,
                  returnType,
                  null,
                  null,
                  ScalarFunctionImpl.create(m)));
        }
      }
    }

    SqlFunction forArity(int n) {
      return byArity.get(n);
    }
  }

  private static final class CallRewriter extends RexShuttle {
    private final RexBuilder rexBuilder;

    CallRewriter(RexBuilder rexBuilder) {
      this.rexBuilder = rexBuilder;
    }

    @Override
    public RexNode visitCall(RexCall call) {
      RexCall visited = (RexCall) super.visitCall(call);
      Replacement replacement = REPLACEMENTS.get(visited.getOperator());
      if (replacement == null || !allCharacterOrNumeric(visited.getOperands())) {
        return visited;
      }
      SqlFunction function = replacement.forArity(visited.getOperands().size());
      if (function == null) {
        return visited;
      }
      RelDataTypeFactory types = rexBuilder.getTypeFactory();
      List<RexNode> operands = new ArrayList<>();
      for (RexNode operand : visited.getOperands()) {
        RelDataType t = operand.getType();
        if (SqlTypeUtil.isNumeric(t) && t.getSqlTypeName() != SqlTypeName.BIGINT) {
          // Positions and lengths are passed as long (any exact integer fits).
          RelDataType bigint =
              types.createTypeWithNullability(
                  types.createSqlType(SqlTypeName.BIGINT), t.isNullable());
          operand = rexBuilder.makeCast(bigint, operand);
        }
        operands.add(operand);
      }
      return rexBuilder.makeCall(visited.getType(), function, operands);
    }

    /**
     * Whether the call works on character strings: string operands are CHAR/VARCHAR (not binary)
     * and the others exact numbers.
     */
    private static boolean allCharacterOrNumeric(List<RexNode> operands) {
      boolean anyString = false;
      for (RexNode operand : operands) {
        RelDataType t = operand.getType();
        if (SqlTypeUtil.inCharFamily(t)) {
          anyString = true;
        } else if (!SqlTypeUtil.isExactNumeric(t) || SqlTypeUtil.isDecimal(t)) {
          return false;
        }
      }
      return anyString;
    }
  }
}
