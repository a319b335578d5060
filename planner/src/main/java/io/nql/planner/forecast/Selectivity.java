package io.nql.planner.forecast;

import io.nql.planner.forecast.CellPredicate.P;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.rex.RexCall;
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
 * <p>Each cell gives a probability and certain bounds ({@link CellPredicate}); this class weighs
 * them into rows and an interval.
 */
final class Selectivity {
  /** Rows with an interval. */
  record Rows(double rows, double low, double high) {}

  /** Sample hits below which the sample alone is not trusted for a multi-column predicate. */
  private static final double MIN_SAMPLE_HITS = 30;

  /** 95 % two-sided normal quantile, for the sample's interval. */
  private static final double Z = 1.96;

  private final Profile profile;

  /** Per input field: the profile column it reads, or -1. */
  private final int[] columnOf;

  /** Whether the predicate holds on one cell. */
  private final CellPredicate cells;

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
    this.cells = new CellPredicate(profile, columnOf, constants, parameters);
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
          columns.isEmpty()
              ? cells.eval(predicate, null)
              : overColumn(predicate, columns.nextSetBit(0));
      return new Rows(rows * p.p(), rows * p.low(), rows * p.high());
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
      P e = cells.eval(predicate, codes);
      p += w * e.p();
      low += w * e.low();
      high += w * e.high();
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
        RexLiteral sarg = CellPredicate.literal(call.getOperands().get(1));
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
      P e = cells.eval(predicate, cell);
      double wr = weights[r];
      w += wr;
      p += wr * e.p();
      low += wr * e.low();
      high += wr * e.high();
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
      s *= cols.isEmpty() ? cells.eval(c, null).p() : overColumn(c, cols.nextSetBit(0)).p();
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
}
