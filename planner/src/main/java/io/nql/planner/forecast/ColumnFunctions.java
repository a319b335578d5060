package io.nql.planner.forecast;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Functions of one column that forecasts evaluate on the column's known values ({@code UPPER(city)
 * = 'BOSTON'}, {@code age + 1 > 51}): string case and length, trimming, absolute value, arithmetic
 * (NQL's checked operators too) and casts, on values in statistics form.
 */
final class ColumnFunctions {
  private ColumnFunctions() {}

  /** What an evaluation answers when it cannot compute a value (an unknown function, a type). */
  static final Object NOT_CONSTANT = new Object();

  /** The single input field an expression reads, or null (none, or several). */
  static @Nullable RexInputRef onlyColumn(RexNode node) {
    RexInputRef[] found = {null};
    boolean[] several = {false};
    node.accept(
        new org.apache.calcite.rex.RexVisitorImpl<Void>(true) {
          @Override
          public Void visitInputRef(RexInputRef ref) {
            if (found[0] != null && found[0].getIndex() != ref.getIndex()) {
              several[0] = true;
            }
            found[0] = ref;
            return null;
          }
        });
    return several[0] ? null : found[0];
  }

  /** Functions {@link #evaluate} computes (by operator name; NQL's checked arithmetic too). */
  static final java.util.Set<String> FUNCTIONS =
      java.util.Set.of(
          "UPPER",
          "LOWER",
          "TRIM",
          "CHAR_LENGTH",
          "CHARACTER_LENGTH",
          "ABS",
          "+",
          "-",
          "*",
          "/",
          "MOD",
          "NQL_PLUS",
          "NQL_MINUS",
          "NQL_TIMES",
          "NQL_DIVIDE",
          "NQL_NEGATE",
          "NQL_ABS",
          "=",
          "<>",
          // NQL functions that never fail (Rosetta Stone mappings use them)
          "NORMALIZE_EMAIL",
          "MD5",
          "SHA1",
          "COUNTRY_CODE_3_TO_2",
          "COUNTRY_CODE_2_TO_3");

  static boolean evaluable(RexNode node) {
    if (node instanceof RexInputRef || node instanceof RexLiteral) {
      return true;
    }
    if (!(node instanceof RexCall call)) {
      return false;
    }
    boolean known =
        call.getKind() == SqlKind.CAST
            || call.getKind() == SqlKind.CASE
            || FUNCTIONS.contains(call.getOperator().getName());
    if (!known) {
      return false;
    }
    for (RexNode o : call.getOperands()) {
      if (!evaluable(o)) {
        return false;
      }
    }
    return true;
  }

  /** An evaluable expression of one column at a value of it, in statistics form. */
  static @Nullable Object evaluate(RexNode node, Object value) {
    if (node instanceof RexInputRef) {
      return value;
    }
    if (node instanceof RexLiteral l) {
      return l.isNull() ? null : Values.literal(l);
    }
    RexCall call = (RexCall) node;
    List<Object> args = new ArrayList<>();
    for (RexNode o : call.getOperands()) {
      Object a = evaluate(o, value);
      if (a == NOT_CONSTANT) {
        return NOT_CONSTANT;
      }
      args.add(a);
    }
    if (call.getKind() == SqlKind.CAST) {
      Object a = args.get(0);
      Values.Kind target = Values.Kind.of(call.getType().getSqlTypeName());
      if (a == null || target == Values.Kind.OTHER) {
        return a == null ? null : NOT_CONSTANT;
      }
      if (target == Values.Kind.STRING) {
        return a instanceof String ? a : NOT_CONSTANT;
      }
      return a instanceof Double ? a : NOT_CONSTANT;
    }
    if (call.getKind() == SqlKind.CASE) {
      // CASE WHEN c1 THEN v1 … ELSE e END: the first condition that holds (NULL does not)
      int n = args.size();
      for (int i = 0; i + 1 < n; i += 2) {
        if (Boolean.TRUE.equals(args.get(i))) {
          return args.get(i + 1);
        }
      }
      return n % 2 == 1 ? args.get(n - 1) : null;
    }
    String name = call.getOperator().getName();
    if (name.equals("TRIM")) {
      // TRIM(flag, characters, value): spaces from both ends is the common case
      Object v = args.get(args.size() - 1);
      return v instanceof String str && " ".equals(args.get(1)) ? str.strip() : NOT_CONSTANT;
    }
    for (Object a : args) {
      if (a == null) {
        return null;
      }
    }
    Object a = args.get(0);
    return switch (name) {
      case "UPPER" ->
          a instanceof String str ? str.toUpperCase(java.util.Locale.ROOT) : NOT_CONSTANT;
      case "LOWER" ->
          a instanceof String str ? str.toLowerCase(java.util.Locale.ROOT) : NOT_CONSTANT;
      case "CHAR_LENGTH", "CHARACTER_LENGTH" ->
          a instanceof String str ? (double) str.codePointCount(0, str.length()) : NOT_CONSTANT;
      case "ABS", "NQL_ABS" -> a instanceof Double d ? Math.abs(d) : NOT_CONSTANT;
      case "NQL_NEGATE" -> a instanceof Double d ? -d : NOT_CONSTANT;
      case "=" -> a.equals(args.get(1));
      case "<>" -> !a.equals(args.get(1));
      case "NORMALIZE_EMAIL" -> text(a, io.nql.planner.plan.NqlFunctions::normalizeEmail);
      case "MD5" -> text(a, io.nql.planner.plan.NqlFunctions::md5);
      case "SHA1" -> text(a, io.nql.planner.plan.NqlFunctions::sha1);
      case "COUNTRY_CODE_3_TO_2" -> text(a, io.nql.planner.plan.NqlFunctions::countryCode3To2);
      case "COUNTRY_CODE_2_TO_3" -> text(a, io.nql.planner.plan.NqlFunctions::countryCode2To3);
      default -> arithmetic(name, args);
    };
  }

  private static @Nullable Object text(Object a, java.util.function.UnaryOperator<String> f) {
    return a instanceof String str ? f.apply(str) : NOT_CONSTANT;
  }

  static Object arithmetic(String name, List<Object> args) {
    if (args.size() != 2
        || !(args.get(0) instanceof Double x)
        || !(args.get(1) instanceof Double y)) {
      return NOT_CONSTANT;
    }
    return switch (name) {
      case "+", "NQL_PLUS" -> x + y;
      case "-", "NQL_MINUS" -> x - y;
      case "*", "NQL_TIMES" -> x * y;
      case "/", "NQL_DIVIDE" -> y == 0 ? NOT_CONSTANT : x / y;
      case "MOD" -> y == 0 ? NOT_CONSTANT : x % y;
      default -> NOT_CONSTANT;
    };
  }
}
