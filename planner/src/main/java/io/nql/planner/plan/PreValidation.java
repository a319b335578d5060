package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

/**
 * Mistakes that Calcite's validator does not report but fails on with an internal exception (its
 * defects, found by the error fuzzer), checked before validation so that they get a precise error:
 *
 * <ul>
 *   <li>a call of a built-in function with a number of arguments none of its forms takes ({@code
 *       COALESCE()}, {@code MOD()}: the validator indexes the missing arguments) — {@code 42883};
 *   <li>a {@code ?} parameter as an ORDER BY item (the validator cannot type it) — {@code 42P18};
 *   <li>a LIMIT, FETCH or OFFSET row count that is not a whole number ({@code LIMIT 1e308}, {@code
 *       OFFSET 1.5}: the planner reads it as an exact number) — {@code 2201W}, {@code 2201X};
 *   <li>an IN list of both dates or times and other values (type coercion fails an internal check)
 *       — {@code 42804}, as for other incompatible IN lists;
 *   <li>{@code IN}, {@code = ANY}, {@code > ALL} … followed by an expression that is neither a
 *       sub-query nor a list, e.g. {@code x IN (SELECT …) - 1}, and {@code EXISTS} followed by
 *       something else than a sub-query (the converter expects a query) — {@code 42601};
 *   <li>a LAG or LEAD offset beyond INTEGER (the generated code does not compile) — {@code 22003};
 *   <li>a VALUES column of both dates or times and other values — {@code 42804};
 *   <li>a sub-query in a window function or its window (the planner cannot move it out) — {@code
 *       0A000};
 *   <li>an exact number with more digits after the point than DECIMAL holds (its type fails an
 *       internal check of arithmetic) — {@code 22003};
 *   <li>GROUPING in a WHERE or ON condition — {@code 42803};
 *   <li>a NULL window frame offset ({@code ROWS BETWEEN NULL PRECEDING …}) — {@code 22004};
 *   <li>a built-in function that is not a table function in FROM ({@code FROM AVG('a') t}) — {@code
 *       42809}.
 * </ul>
 */
final class PreValidation {
  private PreValidation() {}

  /**
   * Checks a parsed query.
   *
   * @throws NqlException for the first mistake found
   */
  static void check(SqlNode query) {
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlOrderBy o) {
              rowCounts(o.fetch, o.offset);
              orderItems(o.orderList);
            } else if (call instanceof SqlSelect s) {
              rowCounts(s.getFetch(), s.getOffset());
              orderItems(s.getOrderList());
              noGrouping(s.getWhere(), "WHERE");
              fromItem(s.getFrom());
            } else if (call instanceof SqlWindow w) {
              frameBound(w.getLowerBound());
              frameBound(w.getUpperBound());
            } else if (call instanceof SqlJoin j) {
              noGrouping(j.getCondition(), "ON");
            } else if (call instanceof SqlBasicCall) {
              for (SqlNode operand : call.getOperandList()) {
                literalScale(operand);
              }
              argumentCount(call);
              inList(call);
              values(call);
              quantified(call);
              windowOffset(call);
              windowSubQueries(call);
            }
            return super.visit(call);
          }
        });
  }

  /**
   * GROUPING (GROUP_ID, GROUPING_ID) in a WHERE or ON condition, evaluated before any grouping (the
   * validator misses it and fails on it later).
   */
  private static final java.util.Set<String> GROUPING_FUNCTIONS =
      java.util.Set.of("GROUPING", "GROUP_ID", "GROUPING_ID");

  private static void noGrouping(SqlNode condition, String clause) {
    if (condition == null) {
      return;
    }
    condition.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (GROUPING_FUNCTIONS.contains(
                call.getOperator().getName().toUpperCase(Locale.ROOT))) {
              throw new NqlException(
                  ErrorCode.GROUPING_ERROR,
                  call.getOperator().getName().toUpperCase(Locale.ROOT)
                      + " is not allowed in "
                      + clause
                      + ": it is only valid in the SELECT, HAVING and ORDER BY of an"
                      + " aggregating query"
                      + at(call));
            }
            if (call.isA(SqlKind.QUERY)) {
              return null; // a sub-query has its own grouping
            }
            return super.visit(call);
          }
        });
  }

  /**
   * A call of a built-in function that is not a table function where a table stands, {@code FROM
   * AVG('a') t}: the validator checks only calls it does not know; for the others (aggregates,
   * TIMESTAMPADD…) it fails an internal assertion.
   */
  private static void fromItem(SqlNode from) {
    if (from instanceof SqlJoin j) {
      fromItem(j.getLeft());
      fromItem(j.getRight());
    } else if (from instanceof SqlBasicCall call) {
      switch (call.getKind()) {
        case AS, LATERAL, TABLESAMPLE -> fromItem(call.operand(0));
        case COLLECTION_TABLE -> {
          // the parser wraps a call in FROM in TABLE(...)
          if (call.operand(0) instanceof SqlCall f
              && f.getOperator() instanceof SqlFunction
              && !fromFunctionKnownToValidator(f)) {
            throw new NqlException(
                ErrorCode.WRONG_OBJECT_TYPE,
                "Cannot use "
                    + f.getOperator().getName().toUpperCase(Locale.ROOT)
                    + " as a table: it is not a table function"
                    + at(f));
          }
        }
        default -> {}
      }
    }
  }

  /**
   * Whether the validator reports a function in FROM itself: one it does not know, or one of kind
   * OTHER_FUNCTION. The parser leaves built-in functions unresolved ({@code AVG} is resolved to
   * kind AVG only by the validator).
   */
  private static boolean fromFunctionKnownToValidator(SqlCall call) {
    SqlOperator op = call.getOperator();
    if (op.getKind() != SqlKind.OTHER_FUNCTION) {
      return false;
    }
    if (!(op instanceof SqlUnresolvedFunction)) {
      return true;
    }
    List<SqlOperator> forms = new ArrayList<>();
    SqlStdOperatorTable.instance()
        .lookupOperatorOverloads(
            new SqlIdentifier(op.getName(), SqlParserPos.ZERO),
            SqlFunctionCategory.USER_DEFINED_FUNCTION,
            SqlSyntax.FUNCTION,
            forms,
            SqlNameMatchers.withCaseSensitive(false));
    return forms.stream().allMatch(f -> f.getKind() == SqlKind.OTHER_FUNCTION);
  }

  /** An exact number with more digits after the point than DECIMAL holds. */
  private static void literalScale(SqlNode n) {
    if (n instanceof SqlNumericLiteral lit
        && lit.isExact()
        && lit.getValueAs(BigDecimal.class).scale() > NqlTypeSystem.INSTANCE.getMaxNumericScale()) {
      throw new NqlException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
          "Numeric literal out of range: at most "
              + NqlTypeSystem.INSTANCE.getMaxNumericScale()
              + " digits after the decimal point"
              + at(n));
    }
  }

  private static void rowCounts(SqlNode fetch, SqlNode offset) {
    if (!wholeNumber(fetch)) {
      throw new NqlException(
          ErrorCode.INVALID_ROW_COUNT_IN_LIMIT,
          "Invalid row count in LIMIT or FETCH: it must be a whole number" + at(fetch));
    }
    if (!wholeNumber(offset)) {
      throw new NqlException(
          ErrorCode.INVALID_ROW_COUNT_IN_OFFSET,
          "Invalid row count in OFFSET: it must be a whole number" + at(offset));
    }
  }

  private static boolean wholeNumber(SqlNode n) {
    if (!(n instanceof SqlNumericLiteral lit)) {
      return true;
    }
    BigDecimal v = lit.getValueAs(BigDecimal.class);
    return lit.isExact() && v.signum() >= 0 && v.stripTrailingZeros().scale() <= 0;
  }

  private static void orderItems(SqlNodeList items) {
    if (items == null) {
      return;
    }
    for (SqlNode item : items) {
      SqlNode n = item;
      while (n instanceof SqlCall c
          && (c.getKind() == SqlKind.DESCENDING
              || c.getKind() == SqlKind.NULLS_FIRST
              || c.getKind() == SqlKind.NULLS_LAST)) {
        n = c.operand(0);
      }
      if (n instanceof SqlDynamicParam) {
        throw new NqlException(
            ErrorCode.INDETERMINATE_DATATYPE,
            "Cannot order by a ? parameter: its type cannot be determined" + at(n));
      }
    }
  }

  private static void inList(SqlCall call) {
    if ((call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN)
        && call.operand(1) instanceof SqlNodeList list
        && mixesDatetime(list.getList())) {
      throw new NqlException(
          ErrorCode.DATATYPE_MISMATCH,
          "Values passed to IN operator must have compatible types" + at(call));
    }
  }

  /** A column of VALUES rows with both dates or times and other values. */
  private static void values(SqlCall call) {
    if (call.getKind() != SqlKind.VALUES) {
      return;
    }
    int width = 0;
    for (SqlNode row : call.getOperandList()) {
      if (row instanceof SqlCall r) {
        width = Math.max(width, r.operandCount());
      }
    }
    for (int i = 0; i < width; i++) {
      List<SqlNode> column = new ArrayList<>();
      for (SqlNode row : call.getOperandList()) {
        if (row instanceof SqlCall r && i < r.operandCount()) {
          column.add(r.operand(i));
        }
      }
      if (mixesDatetime(column)) {
        throw new NqlException(
            ErrorCode.DATATYPE_MISMATCH,
            "Values in column " + (i + 1) + " of VALUES must have compatible types" + at(call));
      }
    }
  }

  /** Whether literals of dates or times and literals of other types (not NULL) are mixed. */
  private static boolean mixesDatetime(List<SqlNode> nodes) {
    boolean other = false;
    boolean datetime = false;
    for (SqlNode n : nodes) {
      if (n instanceof SqlLiteral lit && lit.getTypeName() != SqlTypeName.NULL) {
        // DATE '…' and the like stay "unknown" literals until validation
        boolean isDatetime =
            lit instanceof SqlUnknownLiteral u
                ? u.tag.startsWith("DATE") || u.tag.startsWith("TIME")
                : SqlTypeName.DATETIME_TYPES.contains(lit.getTypeName());
        datetime |= isDatetime;
        other |= !isDatetime;
      }
    }
    return other && datetime;
  }

  /**
   * A sub-query in a window function's arguments or window (Calcite's planner cannot move it out of
   * the window) — {@code 0A000}.
   */
  private static void windowSubQueries(SqlCall call) {
    if (call.getKind() != SqlKind.OVER) {
      return;
    }
    call.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall inner) {
            if (inner.isA(SqlKind.QUERY)) {
              throw new NqlException(
                  ErrorCode.NOT_SUPPORTED,
                  "Cannot use a sub-query in a window function or its window: not supported"
                      + at(inner));
            }
            return super.visit(inner);
          }
        });
  }

  private static void quantified(SqlCall call) {
    if (call.getKind() == SqlKind.EXISTS && !call.operand(0).isA(SqlKind.QUERY)) {
      throw new NqlException(
          ErrorCode.SYNTAX_ERROR, "EXISTS must be followed by a sub-query" + at(call.operand(0)));
    }
    boolean in = call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN;
    if (!(in || call.getOperator() instanceof SqlQuantifyOperator) || call.operandCount() < 2) {
      return;
    }
    SqlNode right = call.operand(1);
    if (!(right instanceof SqlNodeList) && !right.isA(SqlKind.QUERY)) {
      throw new NqlException(
          ErrorCode.SYNTAX_ERROR,
          "The right side of "
              + call.getOperator().getName()
              + " must be a sub-query or a parenthesized list of values"
              + at(right));
    }
  }

  private static void windowOffset(SqlCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    if ((!name.equals("LAG") && !name.equals("LEAD")) || call.operandCount() < 2) {
      return;
    }
    if (call.operand(1) instanceof SqlNumericLiteral lit
        && lit.getValueAs(BigDecimal.class).abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE))
            > 0) {
      throw new NqlException(
          ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE,
          "The offset of " + name + " is out of range: it must fit an INTEGER" + at(lit));
    }
  }

  /**
   * A window frame offset that is NULL ({@code ROWS BETWEEN NULL PRECEDING …}): the generated code
   * does not compile.
   */
  private static void frameBound(SqlNode bound) {
    if (bound instanceof SqlCall c
        && (c.getKind() == SqlKind.PRECEDING || c.getKind() == SqlKind.FOLLOWING)
        && c.operandCount() == 1
        && isNull(c.operand(0))) {
      throw new NqlException(
          ErrorCode.NULL_VALUE_NOT_ALLOWED, "A window frame offset must not be NULL" + at(c));
    }
  }

  private static boolean isNull(SqlNode n) {
    if (n instanceof SqlLiteral lit) {
      return lit.getTypeName() == SqlTypeName.NULL;
    }
    return n instanceof SqlCall c && c.getKind() == SqlKind.CAST && isNull(c.operand(0));
  }

  /** A call of a built-in function with an argument count none of its forms takes. */
  private static void argumentCount(SqlCall call) {
    SqlOperator op = call.getOperator();
    if (!(op instanceof SqlFunction f)
        || f instanceof SqlUserDefinedFunction
        || op.getSyntax() != SqlSyntax.FUNCTION) {
      return;
    }
    int given = call.operandCount();
    if (given == 0 && op.getName().equalsIgnoreCase("COALESCE")) {
      // declared variadic from zero, but its validation indexes the last argument
      throw new NqlException(
          ErrorCode.UNDEFINED_FUNCTION,
          "Invalid number of arguments to function COALESCE: 0 given, at least 1 expected"
              + at(call));
    }
    List<SqlOperator> forms = new ArrayList<>();
    SqlIdentifier name = f.getSqlIdentifier();
    if (name == null || op.getClass().getSimpleName().equals("SqlUnresolvedFunction")) {
      SqlIdentifier lookup =
          name != null ? name : new SqlIdentifier(op.getName(), SqlParserPos.ZERO);
      SqlStdOperatorTable.instance()
          .lookupOperatorOverloads(
              lookup,
              SqlFunctionCategory.USER_DEFINED_FUNCTION,
              SqlSyntax.FUNCTION,
              forms,
              SqlNameMatchers.withCaseSensitive(false));
    } else {
      forms.add(op);
    }
    List<SqlOperandCountRange> ranges = new ArrayList<>();
    for (SqlOperator form : forms) {
      SqlOperandCountRange range;
      try {
        range = form.getOperandCountRange();
      } catch (RuntimeException e) {
        return; // a form that says nothing about its count: the validator decides
      }
      if (range.isValidCount(given)) {
        return;
      }
      ranges.add(range);
    }
    if (ranges.isEmpty()) {
      return; // not a built-in function: the validator reports an unknown one
    }
    throw new NqlException(
        ErrorCode.UNDEFINED_FUNCTION,
        String.format(
                Locale.ROOT,
                "Invalid number of arguments to function %s: %d given, %s expected",
                op.getName().toUpperCase(Locale.ROOT),
                given,
                expected(ranges))
            + at(call));
  }

  private static String expected(List<SqlOperandCountRange> ranges) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (SqlOperandCountRange r : ranges) {
      min = Math.min(min, r.getMin());
      max = r.getMax() < 0 || max < 0 ? -1 : Math.max(max, r.getMax());
    }
    if (max < 0) {
      return "at least " + min;
    }
    return min == max ? String.valueOf(min) : min + " to " + max;
  }

  private static String at(SqlNode n) {
    SqlParserPos pos = n == null ? null : n.getParserPosition();
    return pos == null || pos.getLineNum() <= 0
        ? ""
        : String.format(
            Locale.ROOT, " at line %d, column %d", pos.getLineNum(), pos.getColumnNum());
  }
}
