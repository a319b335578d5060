package io.nql.planner.forecast;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;
import java.util.ArrayList;
import java.util.BitSet;
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
 * How many of a source's rows a predicate keeps, from the source's {@link Profile} alone.
 *
 * <p>The predicate is evaluated on <em>cells</em>: an assignment of one code per column (null, a
 * common value, a histogram bucket). A predicate on one column is evaluated on every code of that
 * column, weighted by its rows — exact for columns whose values are all common. A predicate on
 * several columns is evaluated on the profile's sample, which keeps their correlation; when the
 * sample holds too few matching rows to be precise, on the product of its columns' selectivities
 * instead, bounded by what the sample allows.
 *
 * <p>Each cell gives a probability and a certain low and high (a histogram bucket only partly in a
 * range may hold none or all of its rows there). Equality with a value that is not a common value
 * has the same probability whatever the value: {@code 1 / (other distinct values)}. A forecast thus
 * never tells whether a given value occurs in a column with more than {@link
 * Profiler#SMALL_DISTINCT} distinct values.
 */
final class Selectivity {
  /** A probability with certain bounds. */
  record P(double p, double low, double high) {
    static final P ONE = new P(1, 1, 1);
    static final P ZERO = new P(0, 0, 0);
    static final P UNKNOWN = new P(0.25, 0, 1);
  }

  /** Rows with an interval. */
  record Rows(double rows, double low, double high) {}

  /** Sample hits below which the sample alone is not trusted for a multi-column predicate. */
  private static final double MIN_SAMPLE_HITS = 30;

  /** 95 % two-sided normal quantile, for the sample's interval. */
  private static final double Z = 1.96;

  private final Profile profile;

  /** Per input field: the profile column it reads, or -1. */
  private final int[] columnOf;

  /** Per input field: a value every row has (a pseudo-column), or null. */
  private final Object[] constants;

  /** The statement's {@code ?} parameter values (none when it is only prepared). */
  private final List<Object> parameters;

  /**
   * @param profile the source's statistics
   * @param columnOf per field of the predicate's input row: the profile column, or -1
   * @param constants per field: the value of a field that is the same on every row (the rule's
   *     price, id, provider), or null
   * @param parameters the values of the statement's {@code ?} parameters, in order
   */
  Selectivity(Profile profile, int[] columnOf, Object[] constants, List<Object> parameters) {
    this.profile = profile;
    this.columnOf = columnOf;
    this.constants = constants;
    this.parameters = parameters;
  }

  /** The rows the predicate keeps (all rows for null). */
  Rows estimate(@Nullable RexNode predicate) {
    double rows = profile.rows();
    if (predicate == null || predicate.isAlwaysTrue()) {
      return new Rows(rows, rows, rows);
    }
    if (predicate.isAlwaysFalse()) {
      return new Rows(0, 0, 0);
    }
    BitSet columns = new BitSet();
    collectColumns(predicate, columns);
    if (columns.cardinality() <= 1) {
      P p =
          columns.isEmpty() ? eval(predicate, null) : overColumn(predicate, columns.nextSetBit(0));
      return new Rows(rows * p.p, rows * p.low, rows * p.high);
    }
    return overSample(predicate, columns);
  }

  private void collectColumns(RexNode node, BitSet out) {
    if (node instanceof RexInputRef ref) {
      int c = ref.getIndex() < columnOf.length ? columnOf[ref.getIndex()] : -1;
      if (c >= 0) {
        out.set(c);
      }
    } else if (node instanceof RexCall call) {
      for (RexNode o : call.getOperands()) {
        collectColumns(o, out);
      }
    }
  }

  /** Exact enumeration of one column's codes, weighted by their rows. */
  private P overColumn(RexNode predicate, int column) {
    ColumnProfile c = profile.columns().get(column);
    double total = c.nulls() + c.nonNull();
    if (total == 0) {
      return P.ZERO;
    }
    short[] codes = new short[profile.columns().size()];
    double p = 0;
    double low = 0;
    double high = 0;
    int n = 1 + c.values().length + Math.max(1, c.buckets());
    for (int code = 0; code < n; code++) {
      double w;
      if (code == 0) {
        w = c.nulls();
      } else if (code <= c.values().length) {
        w = c.counts()[code - 1];
      } else {
        int b = code - 1 - c.values().length;
        w = c.buckets() == 0 ? c.otherRows() : c.bucketRows()[b];
      }
      if (w <= 0) {
        continue;
      }
      codes[column] = (short) code;
      P e = eval(predicate, codes);
      p += w * e.p;
      low += w * e.low;
      high += w * e.high;
    }
    // Counts of common values are within 2 % and bucket rows within the histogram's rank error
    // at each of the (at most two) bounds a range cuts: widen the bounds by as much.
    double slack =
        c.buckets() == 0 || !cutsRanges(predicate) ? 0 : 2 * c.rankError() * c.nonNull() / total;
    return new P(
        p / total,
        Math.max(0, low / total * 0.98 - slack),
        Math.min(1, high / total * 1.02 + slack));
  }

  /** Whether a predicate compares by order (a range, {@code LIKE}): it may cut a bucket. */
  private static boolean cutsRanges(RexNode node) {
    if (!(node instanceof RexCall call)) {
      return false;
    }
    switch (call.getKind()) {
      case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LIKE -> {
        return true;
      }
      case SEARCH -> {
        RexLiteral sarg = literal(call.getOperands().get(1));
        return sarg == null || !sarg.getValueAs(Sarg.class).isPoints();
      }
      default -> {
        for (RexNode o : call.getOperands()) {
          if (cutsRanges(o)) {
            return true;
          }
        }
        return false;
      }
    }
  }

  /** The sample, with the per-column product as a fallback when matches are rare. */
  private Rows overSample(RexNode predicate, BitSet columns) {
    double rows = profile.rows();
    long[] weights = profile.sampleWeights();
    short[][] codes = profile.sampleCodes();
    int size = weights.length;
    if (size == 0) {
      return new Rows(0, 0, 0);
    }
    short[] cell = new short[codes.length];
    double w = 0;
    double p = 0;
    double low = 0;
    double high = 0;
    for (int r = 0; r < size; r++) {
      for (int c = columns.nextSetBit(0); c >= 0; c = columns.nextSetBit(c + 1)) {
        cell[c] = codes[c][r];
      }
      P e = eval(predicate, cell);
      double wr = weights[r];
      w += wr;
      p += wr * e.p;
      low += wr * e.low;
      high += wr * e.high;
    }
    double s = p / w;
    double sLow = low / w;
    double sHigh = high / w;
    boolean whole = w >= rows;
    if (!whole) {
      sLow = wilsonLow(sLow, size);
      sHigh = wilsonHigh(sHigh, size);
      if (s * size < MIN_SAMPLE_HITS) {
        // Few matches in the sample: its estimate is noisy. Combine it with the product of the
        // columns' own selectivities (exact per column, blind to correlation), within what the
        // sample allows; with no match at all, at most half a sampled row.
        double independent = independent(predicate);
        if (independent >= 0) {
          double combined = s > 0 ? Math.sqrt(s * independent) : Math.min(independent, 0.5 / size);
          s = Math.min(Math.max(combined, sLow), sHigh);
        }
      }
    }
    return new Rows(rows * s, rows * sLow, rows * sHigh);
  }

  /**
   * The product of per-column selectivities of a conjunction whose every conjunct reads at most one
   * column, or -1 for other predicates.
   */
  private double independent(RexNode predicate) {
    List<RexNode> conjuncts = new ArrayList<>();
    flattenAnd(predicate, conjuncts);
    double s = 1;
    for (RexNode c : conjuncts) {
      BitSet cols = new BitSet();
      collectColumns(c, cols);
      if (cols.cardinality() > 1) {
        return -1;
      }
      s *= cols.isEmpty() ? eval(c, null).p : overColumn(c, cols.nextSetBit(0)).p;
    }
    return s;
  }

  private static void flattenAnd(RexNode node, List<RexNode> out) {
    if (node.getKind() == SqlKind.AND) {
      for (RexNode o : ((RexCall) node).getOperands()) {
        flattenAnd(o, out);
      }
    } else {
      out.add(node);
    }
  }

  private static double wilsonLow(double s, int n) {
    double z2 = Z * Z;
    double centre = s + z2 / (2 * n);
    double margin = Z * Math.sqrt(s * (1 - s) / n + z2 / (4.0 * n * n));
    return Math.max(0, (centre - margin) / (1 + z2 / n));
  }

  private static double wilsonHigh(double s, int n) {
    double z2 = Z * Z;
    double centre = s + z2 / (2 * n);
    double margin = Z * Math.sqrt(s * (1 - s) / n + z2 / (4.0 * n * n));
    return Math.min(1, (centre + margin) / (1 + z2 / n));
  }

  // ---- evaluation on one cell ----

  /** The probability that {@code node} is true on a row of the cell ({@code null}: no columns). */
  private P eval(RexNode node, short @Nullable [] cell) {
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
    RexInputRef ref = onlyColumn(expression);
    if (ref == null || !evaluable(expression)) {
      return P.UNKNOWN;
    }
    Cell v = cell(ref, cell);
    if (v == null || (v.value == null && !v.isNull)) {
      return P.UNKNOWN;
    }
    if (v.isNull || value == null) {
      return P.ZERO;
    }
    Object computed = evaluate(expression, v.value);
    if (computed == NOT_CONSTANT) {
      return P.UNKNOWN;
    }
    if (computed == null) {
      return P.ZERO;
    }
    int c = Values.compare(computed, value);
    boolean t =
        switch (kind) {
          case EQUALS -> c == 0;
          case NOT_EQUALS -> c != 0;
          case LESS_THAN -> c < 0;
          case LESS_THAN_OR_EQUAL -> c <= 0;
          case GREATER_THAN -> c > 0;
          default -> c >= 0;
        };
    return t ? P.ONE : P.ZERO;
  }

  /** The single input field an expression reads, or null (none, or several). */
  private static @Nullable RexInputRef onlyColumn(RexNode node) {
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
  private static final java.util.Set<String> FUNCTIONS =
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
          "NQL_ABS");

  private static boolean evaluable(RexNode node) {
    if (node instanceof RexInputRef || node instanceof RexLiteral) {
      return true;
    }
    if (!(node instanceof RexCall call)) {
      return false;
    }
    boolean known =
        call.getKind() == SqlKind.CAST || FUNCTIONS.contains(call.getOperator().getName());
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
  private static @Nullable Object evaluate(RexNode node, Object value) {
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
      default -> arithmetic(name, args);
    };
  }

  private static Object arithmetic(String name, List<Object> args) {
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

  /** What {@link #constant} answers for an operand that is not a constant. */
  private static final Object NOT_CONSTANT = new Object();

  /**
   * A constant operand in statistics form — a literal, or a {@code ?} parameter with its bound
   * value — null for NULL, or {@link #NOT_CONSTANT}.
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

  private static @Nullable RexLiteral literal(RexNode node) {
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
      int c = Values.compare(v.value, value);
      boolean t =
          switch (kind) {
            case EQUALS -> c == 0;
            case NOT_EQUALS -> c != 0;
            case LESS_THAN -> c < 0;
            case LESS_THAN_OR_EQUAL -> c <= 0;
            case GREATER_THAN -> c > 0;
            default -> c >= 0;
          };
      return t ? P.ONE : P.ZERO;
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
}
