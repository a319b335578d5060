package io.nql.bench.forecast;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * How forecasts compare with what happened. A forecast is <em>right</em> when it is within the
 * tolerance of the actual value (|forecast − actual| ≤ tolerance × actual) or when both are at most
 * the floor (a relative error means nothing at 0: "no rows" and "3 rows" are both right for a query
 * that returns none). For costs the floor is the price of the floor's rows.
 */
final class Accuracy {
  private Accuracy() {}

  /**
   * One forecast figure and the actual value.
   *
   * @param query the query's id
   * @param what which figure: a source's name, {@code total} or {@code cost}
   * @param forecast the forecast
   * @param actual what happened
   * @param low the forecast interval's lower end, or null when none was given
   * @param high its upper end, or null
   * @param floor at or below this, forecast and actual both count as right
   */
  record Pair(
      String query,
      String what,
      double forecast,
      double actual,
      Double low,
      Double high,
      double floor) {

    boolean right(double tolerance) {
      return Math.abs(forecast - actual) <= tolerance * actual
          || (forecast <= floor && actual <= floor);
    }

    boolean hasInterval() {
      return low != null && high != null;
    }

    /** Whether the actual value lies in the forecast interval (false when there is none). */
    boolean inside() {
      return hasInterval() && low <= actual && actual <= high;
    }

    /**
     * How far off, as a factor ≥ 1: (larger + floor) / (smaller + floor), the floor at least 1 (so
     * that 0 versus 5 rows is finite, and small counts, where the tolerance is the floor, weigh
     * little).
     */
    double factor() {
      double smooth = Math.max(1, floor);
      double f = Math.max(0, forecast) + smooth;
      double a = Math.max(0, actual) + smooth;
      return Math.max(f, a) / Math.min(f, a);
    }

    boolean actualZero() {
      return actual == 0;
    }
  }

  /** The shares of a set of pairs. */
  record Share(int n, int right, int withInterval, int inside) {
    static Share of(List<Pair> pairs, double tolerance) {
      return of(pairs, tolerance, p -> true);
    }

    static Share of(List<Pair> pairs, double tolerance, Predicate<Pair> filter) {
      int n = 0;
      int right = 0;
      int withInterval = 0;
      int inside = 0;
      for (Pair p : pairs) {
        if (!filter.test(p)) {
          continue;
        }
        n++;
        if (p.right(tolerance)) {
          right++;
        }
        if (p.hasInterval()) {
          withInterval++;
          if (p.inside()) {
            inside++;
          }
        }
      }
      return new Share(n, right, withInterval, inside);
    }

    double rightShare() {
      return n == 0 ? Double.NaN : (double) right / n;
    }

    String rightText() {
      return fraction(right, n);
    }

    String insideText() {
      return withInterval == 0 ? "no intervals" : fraction(inside, withInterval);
    }
  }

  static String fraction(int k, int n) {
    return n == 0 ? "–" : String.format(Locale.ROOT, "%d/%d (%.1f %%)", k, n, 100.0 * k / n);
  }
}
