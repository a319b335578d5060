package io.nql.planner.policy;

import io.nql.planner.plan.CheckedArithmetic;
import io.nql.planner.plan.DateFunctions;
import io.nql.planner.plan.NqlFunctions;
import io.nql.planner.plan.PhoneNumbers;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.SqlFunctions;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Decides whether an expression is leak-proof: it cannot fail, has no side effects, and its result
 * is a pure function of its inputs. Only leak-proof predicates may be evaluated on rows an access
 * rule hides (below the rule's barrier), because evaluating anything else there could reveal a
 * hidden row through an error. This follows PostgreSQL's leak-proof functions, as a whitelist:
 * everything not listed here is not leak-proof. NQL's own functions are each classified by name (a
 * hash is leak-proof, {@code SHA2} only with a valid literal bit length, {@code DATE_ADD} never: it
 * can overflow).
 */
public final class LeakProof {
  private static final Set<SqlKind> SAFE_CALLS =
      EnumSet.of(
          SqlKind.AND,
          SqlKind.OR,
          SqlKind.NOT,
          SqlKind.EQUALS,
          SqlKind.NOT_EQUALS,
          SqlKind.LESS_THAN,
          SqlKind.LESS_THAN_OR_EQUAL,
          SqlKind.GREATER_THAN,
          SqlKind.GREATER_THAN_OR_EQUAL,
          SqlKind.IS_NULL,
          SqlKind.IS_NOT_NULL,
          SqlKind.IS_TRUE,
          SqlKind.IS_NOT_TRUE,
          SqlKind.IS_FALSE,
          SqlKind.IS_NOT_FALSE,
          SqlKind.IS_DISTINCT_FROM,
          SqlKind.IS_NOT_DISTINCT_FROM,
          SqlKind.SEARCH,
          SqlKind.CASE,
          SqlKind.COALESCE);

  private LeakProof() {}

  /** Whether evaluating {@code e} on any row can neither fail nor have an effect. */
  public static boolean test(RexNode e) {
    if (e instanceof RexInputRef || e instanceof RexLiteral || e instanceof RexDynamicParam) {
      return true;
    }
    if (!(e instanceof RexCall call)) {
      return false;
    }
    if (!call.getOperator().isDeterministic() || call.getOperator().isDynamicFunction()) {
      return false;
    }
    SqlKind kind = call.getKind();
    if (kind == SqlKind.CAST) {
      return safeCast(call.getOperands().get(0).getType(), call.getType())
          && test(call.getOperands().get(0));
    }
    if (kind == SqlKind.LIKE) {
      // The pattern (and escape) must be literals that compile. A bad pattern fails only when the
      // LIKE is evaluated, and a guard such as `id = 5 AND code LIKE 'a\'` evaluates it only on
      // the rows the guard selects: below the barrier the error would reveal a hidden row.
      return validLikePattern(call) && test(call.getOperands().get(0));
    }
    String nql = NqlFunctions.nameOf(call.getOperator());
    if (nql != null) {
      return nqlFunctionCannotFail(nql, call.getOperands()) && operandsLeakProof(call);
    }
    if (!SAFE_CALLS.contains(kind)) {
      return false;
    }
    return operandsLeakProof(call);
  }

  private static boolean operandsLeakProof(RexCall call) {
    for (RexNode operand : call.getOperands()) {
      if (!test(operand)) {
        return false;
      }
    }
    return true;
  }

  /**
   * NQL's own functions ({@link NqlFunctions}), each classified here by name: whether no value of
   * its operands can make it fail, given its literal operands. Each reveals nothing about its
   * operands but through its result (it has no effect, and a value it cannot map is NULL).
   */
  private static boolean nqlFunctionCannotFail(String name, List<RexNode> operands) {
    return switch (name) {
      // a result, or NULL, for every string
      case "NORMALIZE_EMAIL",
          "MD5",
          "SHA1",
          "HMAC_SHA256",
          "COUNTRY_CODE_3_TO_2",
          "COUNTRY_CODE_2_TO_3" ->
          true;
      // fails for a bit length other than 0, 224, 256, 384 and 512
      case "SHA2" -> option(operands.get(1), BigDecimal.class, NqlFunctions::validSha2Bits);
      // a value that is not a valid number is NULL: only the format and the region can fail
      case "NORMALIZE_PHONE" ->
          option(operands.get(0), String.class, PhoneNumbers::isFormat)
              && option(operands.get(2), String.class, PhoneNumbers::isRegion);
      // truncating and counting whole units never fail (nor overflow): only the unit can
      case "DATE_TRUNC", "DATEDIFF" -> option(operands.get(0), String.class, DateFunctions::isUnit);
      // the result of adding, or of converting seconds, can be out of range (22008)
      case "DATE_ADD", "FROM_UNIXTIME" -> false;
      default -> false;
    };
  }

  /**
   * Whether an option operand is a literal that is valid, or NULL (which makes the result NULL on
   * every row): an option computed from the row could make the call fail on some rows only.
   */
  private static <T> boolean option(RexNode operand, Class<T> type, Predicate<T> valid) {
    if (!(operand instanceof RexLiteral literal)) {
      return false;
    }
    T value = literal.getValueAs(type);
    return value == null || valid.test(value);
  }

  private static boolean validLikePattern(RexCall like) {
    List<RexNode> operands = like.getOperands();
    String[] literals = new String[operands.size() - 1];
    for (int i = 1; i < operands.size(); i++) {
      if (!(operands.get(i) instanceof RexLiteral literal)) {
        return false;
      }
      literals[i - 1] = literal.getValueAs(String.class);
      if (literals[i - 1] == null) {
        return true; // a NULL pattern or escape makes the result NULL on every row
      }
    }
    try {
      SqlFunctions.LikeFunction matcher = new SqlFunctions.LikeFunction();
      if (literals.length == 1) {
        matcher.like("", literals[0]);
      } else {
        matcher.like("", literals[0], literals[1]);
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Casts that cannot fail for any value of the source type. */
  static boolean safeCast(RelDataType from, RelDataType to) {
    SqlTypeName f = from.getSqlTypeName();
    SqlTypeName t = to.getSqlTypeName();
    if (f == t && (t.allowsPrec() ? widerOrEqual(from, to) : true)) {
      return true;
    }
    if (t == SqlTypeName.VARCHAR && to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED) {
      return true;
    }
    if (CheckedArithmetic.isExactInteger(f) && CheckedArithmetic.isExactInteger(t)) {
      return CheckedArithmetic.rank(t) >= CheckedArithmetic.rank(f);
    }
    if (CheckedArithmetic.isExactInteger(f)
        && (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT)) {
      return true;
    }
    if (f == SqlTypeName.REAL && (t == SqlTypeName.DOUBLE || t == SqlTypeName.FLOAT)) {
      return true;
    }
    if (CheckedArithmetic.isExactInteger(f) && t == SqlTypeName.DECIMAL) {
      return to.getPrecision() - to.getScale() >= integerDigits(f);
    }
    if (f == SqlTypeName.CHAR && t == SqlTypeName.VARCHAR) {
      return to.getPrecision() >= from.getPrecision();
    }
    return from.getFamily() == SqlTypeFamily.TIMESTAMP && t == SqlTypeName.DATE;
  }

  private static boolean widerOrEqual(RelDataType from, RelDataType to) {
    if (to.getSqlTypeName() == SqlTypeName.DECIMAL) {
      return to.getScale() >= from.getScale()
          && to.getPrecision() - to.getScale() >= from.getPrecision() - from.getScale();
    }
    return to.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
        || to.getPrecision() >= from.getPrecision();
  }

  private static int integerDigits(SqlTypeName n) {
    return switch (n) {
      case TINYINT -> 3;
      case SMALLINT -> 5;
      case INTEGER -> 10;
      default -> 19;
    };
  }
}
