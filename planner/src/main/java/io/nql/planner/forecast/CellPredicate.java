package io.nql.planner.forecast;

import static io.nql.planner.forecast.ColumnFunctions.NOT_CONSTANT;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.Sarg;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Whether a predicate holds on a <em>cell</em> of a source's {@link Profile}: an assignment of one
 * code per column (null, a common value, a histogram bucket). A common value or a constant is known
 * exactly; a bucket only by its bounds. The answer is a probability with certain bounds (a bucket
 * only partly in a range may hold none or all of its rows there).
 *
 * <p>Equality with a value that is not a common value has the same probability whatever the value:
 * {@code 1 / (other distinct values)}. A forecast thus never tells whether a given value occurs in
 * a column with more than {@link Profiler#SMALL_DISTINCT} distinct values.
 */
final class CellPredicate {
  /** A probability with certain bounds. */
  record P(double p, double low, double high) {
    static final P ONE = new P(1, 1, 1);
    static final P ZERO = new P(0, 0, 0);
    static final P UNKNOWN = new P(0.25, 0, 1);
  }

  private final Profile profile;

  /** Per input field: the profile column it reads, or -1. */
  private final int[] columnOf;

  /** Per input field: a value every row has (a pseudo-column), or null. */
  private final Object[] constants;

  /** The statement's {@code ?} parameter values (none when it is only prepared). */
  private final List<Object> parameters;

  CellPredicate(Profile profile, int[] columnOf, Object[] constants, List<Object> parameters) {
    this.profile = profile;
    this.columnOf = columnOf;
    this.constants = constants;
    this.parameters = parameters;
  }

  /** The probability that {@code node} is true on a row of the cell ({@code null}: no columns). */
  P eval(RexNode node, short @Nullable [] cell) {
    switch (node.getKind()) {
      case AND -> {
        double p = 1;
        double lowSum = 0;
        double high = 1;
        List<RexNode> ops = ((RexCall) node).getOperands();
        for (RexNode o : ops) {
          P e = eval(o, cell);
          p *= e.p;
          lowSum += e.low;
          high = Math.min(high, e.high);
        }
        return new P(p, Math.max(0, lowSum - (ops.size() - 1)), high);
      }
      case OR -> {
        double q = 1;
        double low = 0;
        double highSum = 0;
        for (RexNode o : ((RexCall) node).getOperands()) {
          P e = eval(o, cell);
          q *= 1 - e.p;
          low = Math.max(low, e.low);
          highSum += e.high;
        }
        return new P(1 - q, low, Math.min(1, highSum));
      }
      case NOT -> {
        P e = eval(((RexCall) node).getOperands().get(0), cell);
        return new P(1 - e.p, 1 - e.high, 1 - e.low);
      }
      case LITERAL -> {
        return Boolean.TRUE.equals(((RexLiteral) node).getValueAs(Boolean.class)) ? P.ONE : P.ZERO;
      }
      default -> {
        return leaf(node, cell);
      }
    }
  }

  private P leaf(RexNode node, short @Nullable [] cell) {
    if (node instanceof RexInputRef ref) {
      return compare(ref, SqlKind.EQUALS, Boolean.TRUE, cell);
    }
    if (!(node instanceof RexCall call)) {
      return P.UNKNOWN;
    }
    List<RexNode> ops = call.getOperands();
    switch (call.getKind()) {
      case IS_NULL, IS_NOT_NULL -> {
        RexInputRef ref = column(ops.get(0));
        if (ref == null) {
          return P.UNKNOWN;
        }
        Cell v = cell(ref, cell);
        if (v == null) {
          return P.UNKNOWN;
        }
        boolean isNull = v.isNull();
        return (isNull == (call.getKind() == SqlKind.IS_NULL)) ? P.ONE : P.ZERO;
      }
      case IS_TRUE, IS_NOT_FALSE -> {
        return eval(ops.get(0), cell);
      }
      case IS_FALSE, IS_NOT_TRUE -> {
        P e = eval(ops.get(0), cell);
        return new P(1 - e.p, 1 - e.high, 1 - e.low);
      }
      case EQUALS,
          NOT_EQUALS,
          LESS_THAN,
          LESS_THAN_OR_EQUAL,
          GREATER_THAN,
          GREATER_THAN_OR_EQUAL -> {
        RexInputRef left = column(ops.get(0));
        Object right = constant(ops.get(1));
        RexNode expression = ops.get(0);
        SqlKind kind = call.getKind();
        if (left == null || right == NOT_CONSTANT) {
          left = column(ops.get(1));
          right = constant(ops.get(0));
          expression = ops.get(1);
          kind = kind.reverse();
        }
        if ((left == null || right == NOT_CONSTANT) && right != NOT_CONSTANT) {
          return function(expression, kind, right, cell);
        }
        if (left == null || right == NOT_CONSTANT) {
          RexNode other = ops.get(0);
          Object value = constant(ops.get(1));
          if (value != NOT_CONSTANT) {
            return function(other, call.getKind(), value, cell);
          }
          return P.UNKNOWN;
        }
        return right == null ? P.ZERO : compare(left, kind, right, cell);
      }
      case SEARCH -> {
        RexInputRef ref = column(ops.get(0));
        RexLiteral sarg = literal(ops.get(1));
        if (ref == null || sarg == null) {
          return P.UNKNOWN;
        }
        return search(ref, sarg.getValueAs(Sarg.class), cell);
      }
      case LIKE -> {
        RexInputRef ref = column(ops.get(0));
        Object p = constant(ops.get(1));
        if (ref == null
            || p == NOT_CONSTANT
            || ops.size() > 2
            || call.getOperator().getName().equalsIgnoreCase("ILIKE")) {
          return P.UNKNOWN;
        }
        return p instanceof String s ? like(ref, s, cell) : P.ZERO;
      }
      default -> {
        return P.UNKNOWN;
      }
    }
  }

  private static @Nullable RexInputRef column(RexNode node) {
    RexNode n = node;
    while (n.getKind() == SqlKind.CAST) {
      n = ((RexCall) n).getOperands().get(0);
    }
    return n instanceof RexInputRef ref ? ref : null;
  }

  /**
   * A comparison of a function of one column ({@code UPPER(city) = 'BOSTON'}) with a constant:
   * exact on a cell holding a known value (a common value, a constant), unknown on a bucket.
   */
  private P function(
      RexNode expression, SqlKind kind, @Nullable Object value, short @Nullable [] cell) {
    RexInputRef ref = ColumnFunctions.onlyColumn(expression);
    if (ref == null || !ColumnFunctions.evaluable(expression)) {
      return P.UNKNOWN;
    }
    Cell v = cell(ref, cell);
    if (v == null || (v.value == null && !v.isNull)) {
      return P.UNKNOWN;
    }
    if (v.isNull || value == null) {
      return P.ZERO;
    }
    Object computed = ColumnFunctions.evaluate(expression, v.value);
    if (computed == NOT_CONSTANT) {
      return P.UNKNOWN;
    }
    if (computed == null) {
      return P.ZERO;
    }
    return holds(kind, Values.compare(computed, value)) ? P.ONE : P.ZERO;
  }

  /**
   * A constant operand in statistics form — a literal, or a {@code ?} parameter with its bound
   * value — null for NULL, or {@link ColumnFunctions#NOT_CONSTANT}.
   */
  private @Nullable Object constant(RexNode node) {
    RexNode n = node;
    while (n.getKind() == SqlKind.CAST) {
      n = ((RexCall) n).getOperands().get(0);
    }
    if (n instanceof RexLiteral l) {
      return Values.literal(l);
    }
    if (n instanceof RexDynamicParam p && p.getIndex() < parameters.size()) {
      return Values.canonical(parameters.get(p.getIndex()));
    }
    return NOT_CONSTANT;
  }

  static @Nullable RexLiteral literal(RexNode node) {
    RexNode n = node;
    while (n.getKind() == SqlKind.CAST) {
      n = ((RexCall) n).getOperands().get(0);
    }
    return n instanceof RexLiteral l ? l : null;
  }

  /** What a cell holds in one field: a value, null, or a bucket of a column. */
  private record Cell(@Nullable Object value, boolean isNull, ColumnProfile column, int bucket) {}

  private @Nullable Cell cell(RexInputRef ref, short @Nullable [] cell) {
    int i = ref.getIndex();
    if (i < constants.length && constants[i] != null) {
      return new Cell(constants[i], false, null, -1);
    }
    int c = i < columnOf.length ? columnOf[i] : -1;
    if (c < 0 || cell == null) {
      return null;
    }
    ColumnProfile col = profile.columns().get(c);
    int code = cell[c];
    if (code == 0) {
      return new Cell(null, true, col, -1);
    }
    if (code <= col.values().length) {
      return new Cell(col.values()[code - 1], false, col, -1);
    }
    return new Cell(null, false, col, code - 1 - col.values().length);
  }

  private P compare(RexInputRef ref, SqlKind kind, Object value, short @Nullable [] cell) {
    Cell v = cell(ref, cell);
    if (v == null) {
      return P.UNKNOWN;
    }
    if (v.isNull) {
      return P.ZERO;
    }
    if (v.value != null) {
      return holds(kind, Values.compare(v.value, value)) ? P.ONE : P.ZERO;
    }
    ColumnProfile col = v.column;
    switch (kind) {
      case EQUALS -> {
        return equalsOther(col, value);
      }
      case NOT_EQUALS -> {
        P e = equalsOther(col, value);
        return new P(1 - e.p, 1 - e.high, 1 - e.low);
      }
      default -> {
        double x = col.position(value);
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        if (kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL) {
          hi = x;
        } else {
          lo = x;
        }
        return coverage(col, v.bucket, lo, hi);
      }
    }
  }

  /**
   * A row of the non-common values equals {@code value}: never when the value is common (its rows
   * are counted with it), else one in {@code otherDistinct} — the same for every such value.
   */
  private static P equalsOther(ColumnProfile col, Object value) {
    if (col.complete() || col.indexOf(value) >= 0) {
      return P.ZERO;
    }
    double other = col.otherRows();
    if (other <= 0) {
      return P.ZERO;
    }
    double least = Profiler.leastCommonRows(col.nonNull());
    return new P(1 / col.otherDistinct(), 0, Math.min(1, least / other));
  }

  /** The share of a bucket's rows inside [lo, hi], uniform within the bucket. */
  private static P coverage(ColumnProfile col, int bucket, double lo, double hi) {
    if (col.buckets() == 0 || bucket < 0) {
      return P.UNKNOWN;
    }
    double a = col.bounds()[bucket];
    double b = col.bounds()[bucket + 1];
    double from = Math.max(a, lo);
    double to = Math.min(b, hi);
    if (to < from || (to == from && lo != hi)) {
      return P.ZERO;
    }
    double width = b - a;
    double share = width <= 0 ? 1 : (to - from) / width;
    boolean all = lo <= a && hi >= b;
    return new P(Math.min(1, share), all ? 1 : 0, 1);
  }

  private P search(RexInputRef ref, Sarg<?> sarg, short @Nullable [] cell) {
    Cell v = cell(ref, cell);
    if (v == null) {
      return P.UNKNOWN;
    }
    if (v.isNull) {
      return sarg.nullAs == org.apache.calcite.rex.RexUnknownAs.TRUE ? P.ONE : P.ZERO;
    }
    double p = 0;
    double low = 0;
    double high = 0;
    for (Range<?> r : sarg.rangeSet.asRanges()) {
      P e = range(v, r);
      p += e.p;
      low += e.low;
      high += e.high;
    }
    return new P(Math.min(1, p), Math.min(1, low), Math.min(1, high));
  }

  private static P range(Cell v, Range<?> r) {
    Object lo = r.hasLowerBound() ? Values.bound(r.lowerEndpoint()) : null;
    Object hi = r.hasUpperBound() ? Values.bound(r.upperEndpoint()) : null;
    boolean point =
        lo != null
            && hi != null
            && r.lowerBoundType() == BoundType.CLOSED
            && r.upperBoundType() == BoundType.CLOSED
            && Values.compare(lo, hi) == 0;
    if (v.value != null) {
      boolean in = true;
      if (lo != null) {
        int c = Values.compare(v.value, lo);
        in = r.lowerBoundType() == BoundType.CLOSED ? c >= 0 : c > 0;
      }
      if (in && hi != null) {
        int c = Values.compare(v.value, hi);
        in = r.upperBoundType() == BoundType.CLOSED ? c <= 0 : c < 0;
      }
      return in ? P.ONE : P.ZERO;
    }
    if (point) {
      return equalsOther(v.column, lo);
    }
    return coverage(
        v.column,
        v.bucket,
        lo == null ? Double.NEGATIVE_INFINITY : v.column.position(lo),
        hi == null ? Double.POSITIVE_INFINITY : v.column.position(hi));
  }

  private P like(RexInputRef ref, String pattern, short @Nullable [] cell) {
    Cell v = cell(ref, cell);
    if (v == null) {
      return P.UNKNOWN;
    }
    if (v.isNull) {
      return P.ZERO;
    }
    if (v.value != null) {
      return v.value instanceof String s && likeRegex(pattern).matcher(s).matches()
          ? P.ONE
          : P.ZERO;
    }
    int wildcard = firstWildcard(pattern);
    if (wildcard < 0) {
      return equalsOther(v.column, pattern);
    }
    if (wildcard == pattern.length() - 1 && pattern.charAt(wildcard) == '%' && wildcard > 0) {
      String prefix = pattern.substring(0, wildcard);
      return coverage(v.column, v.bucket, v.column.position(prefix), v.column.afterPrefix(prefix));
    }
    return P.UNKNOWN;
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '%' || ch == '_') {
        return i;
      }
    }
    return -1;
  }

  private static Pattern likeRegex(String pattern) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '%') {
        b.append(".*");
      } else if (ch == '_') {
        b.append('.');
      } else {
        b.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(b.toString(), Pattern.DOTALL);
  }

  /** Whether a comparison of this kind holds for a {@code compareTo} result. */
  private static boolean holds(SqlKind kind, int c) {
    return switch (kind) {
      case EQUALS -> c == 0;
      case NOT_EQUALS -> c != 0;
      case LESS_THAN -> c < 0;
      case LESS_THAN_OR_EQUAL -> c <= 0;
      case GREATER_THAN -> c > 0;
      default -> c >= 0;
    };
  }
}
