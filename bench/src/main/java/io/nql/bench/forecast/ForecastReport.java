package io.nql.bench.forecast;

import io.nql.bench.Report;
import io.nql.bench.forecast.Accuracy.Pair;
import io.nql.bench.forecast.Accuracy.Share;
import io.nql.bench.forecast.ForecastBench.Measured;
import io.nql.bench.forecast.ForecastSpeed.Speed;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints each query's forecast next to what happened, then the shares, the baseline and speed. */
final class ForecastReport {
  /** The aim of the issue: this share of forecasts within the tolerance. */
  static final double AIM_SHARE = 0.90;

  /** The aim of the issue for EXPLAIN's median latency. */
  static final double AIM_P50_MS = 50;

  private final PrintStream out;
  private final ForecastOptions o;

  ForecastReport(PrintStream out, ForecastOptions o) {
    this.out = out;
    this.o = o;
  }

  void header() {
    out.println("NQL Gateway benchmark: EXPLAIN forecasts (accuracy and speed) versus PostgreSQL");
    out.print(Report.machine());
    out.printf(
        Locale.ROOT,
        "settings: skewed dataset %,d rows; speed dataset %s; %d timed EXPLAIN after %d warm-up;"
            + " right = within ±%.0f %% or both ≤ %d rows; seed %d; demo %s; PostgreSQL %s%n",
        o.rows(),
        o.skipSpeed() ? "skipped" : String.format(Locale.ROOT, "%,d rows", o.speedRows()),
        o.speedExplains(),
        o.warmup(),
        o.tolerance() * 100,
        o.floorRows(),
        o.seed(),
        o.skipDemo() ? "skipped" : "included",
        o.skipPostgres() ? "skipped" : o.pgUrl());
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  void queriesHeader(int n) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%d queries as %s (forecast → actual; [rows_low, rows_high]; PG = PostgreSQL's estimate):%n",
        n,
        ForecastBench.BUYER.user());
  }

  void query(Measured m) {
    out.printf(Locale.ROOT, "%s [%s] %s%n", m.query().id(), m.query().category(), m.nqlSql());
    if (m.forecast() == null) {
      out.println("    EXPLAIN failed: " + m.explainError());
    }
    if (m.runError() != null) {
      out.println("    query failed: " + m.runError());
    }
    StringBuilder b = new StringBuilder("    ");
    Forecast f = m.forecast();
    if (f != null) {
      Forecast.Source t = f.total();
      b.append(
          String.format(
              Locale.ROOT,
              "rows %s → %,d %s",
              num(t.estimatedRows()),
              m.actualRows(),
              interval(t.rowsLow(), t.rowsHigh())));
    } else {
      b.append(String.format(Locale.ROOT, "rows ? → %,d", m.actualRows()));
    }
    if (m.pgEstimate() != null) {
      b.append(String.format(Locale.ROOT, "; PG %,d", m.pgEstimate()));
      if (m.pgActual() != null && m.pgActual() != m.actualRows() && m.runError() == null) {
        b.append(String.format(Locale.ROOT, " (PG counts %,d!)", m.pgActual()));
      }
    }
    for (Map.Entry<String, SourceFigures> e : sourceFigures(m).entrySet()) {
      SourceFigures s = e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "; %s %s → %s",
              e.getKey(),
              s.forecast == null ? "–" : num(s.forecast),
              s.actual == null ? "n/a" : String.format(Locale.ROOT, "%,d", s.actual)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "; cost %s → %s USD",
            f == null ? "?" : usd(f.total().estimatedCost()),
            usd(BigDecimal.valueOf(actualMicros(m)).movePointLeft(6))));
    if (m.query().budgeted()) {
      b.append(
          String.format(
              Locale.ROOT,
              "; cut %s → %s",
              f == null ? "?" : forecastCut(f) ? "yes" : "no",
              m.actualCut() ? "yes" : "no"));
    }
    b.append(
        String.format(Locale.ROOT, "; EXPLAIN %.0f ms, run %.2f s", m.explainMs(), m.runSeconds()));
    out.println(b);
    out.flush();
  }

  /** One source's forecast rows and actual delivered rows (null: not measurable, or not named). */
  private static final class SourceFigures {
    Long forecast;
    Long low;
    Long high;
    boolean rule;
    Long actual;
  }

  /**
   * Per source: the forecast rows (summed when a source appears more than once) and the rows the
   * ledger recorded for it; access rules only have actual values (the caller's own data is never
   * metered). A rule in the ledger the forecast did not name (or every rule, when EXPLAIN failed)
   * appears with forecast null.
   */
  private static Map<String, SourceFigures> sourceFigures(Measured m) {
    Map<String, SourceFigures> map = new LinkedHashMap<>();
    List<Forecast.Source> forecast = m.forecast() == null ? List.of() : m.forecast().sources();
    for (Forecast.Source s : forecast) {
      SourceFigures f = map.computeIfAbsent(s.source(), k -> new SourceFigures());
      f.rule |= s.isRule();
      f.forecast = add(f.forecast, s.estimatedRows());
      f.low = add(f.low, s.rowsLow());
      f.high = add(f.high, s.rowsHigh());
    }
    for (Map.Entry<String, SourceFigures> e : map.entrySet()) {
      if (e.getValue().rule) {
        long[] l = m.ledger().get(e.getKey());
        e.getValue().actual = l == null ? 0 : l[0];
      }
    }
    for (Map.Entry<String, long[]> e : m.ledger().entrySet()) {
      if (!map.containsKey(e.getKey())) {
        SourceFigures f = new SourceFigures();
        f.rule = true;
        f.actual = e.getValue()[0];
        map.put(e.getKey(), f);
      }
    }
    return map;
  }

  private static Long add(Long a, Long b) {
    if (b == null) {
      return a;
    }
    return a == null ? b : a + b;
  }

  private static long actualMicros(Measured m) {
    long sum = 0;
    for (long[] l : m.ledger().values()) {
      sum += l[1];
    }
    return sum;
  }

  private static boolean forecastCut(Forecast f) {
    if (Boolean.TRUE.equals(f.total().budgetCut())) {
      return true;
    }
    for (Forecast.Source s : f.sources()) {
      if (Boolean.TRUE.equals(s.budgetCut())) {
        return true;
      }
    }
    return false;
  }

  /** The pairs of one query: per-source delivered rows, total rows, cost (when it has a price). */
  private record QueryPairs(Measured m, List<Pair> sources, Pair total, Pair cost, Pair pg) {
    double worstFactor() {
      double w = total == null ? 1 : total.factor();
      for (Pair p : sources) {
        w = Math.max(w, p.factor());
      }
      return w;
    }
  }

  private QueryPairs pairs(Measured m) {
    String id = m.query().id();
    List<Pair> sources = new ArrayList<>();
    double maxCpm = 0;
    for (Forecast.Source s : m.forecast().sources()) {
      maxCpm = Math.max(maxCpm, s.cpm());
    }
    for (Map.Entry<String, SourceFigures> e : sourceFigures(m).entrySet()) {
      SourceFigures s = e.getValue();
      if (s.actual == null) {
        continue;
      }
      sources.add(
          new Pair(
              id,
              e.getKey(),
              s.forecast == null ? 0 : s.forecast,
              s.actual,
              s.low == null ? null : s.low.doubleValue(),
              s.high == null ? null : s.high.doubleValue(),
              o.floorRows()));
    }
    Forecast.Source t = m.forecast().total();
    Pair total =
        new Pair(
            id,
            "total",
            t.estimatedRows() == null ? 0 : t.estimatedRows(),
            m.actualRows(),
            t.rowsLow() == null ? null : t.rowsLow().doubleValue(),
            t.rowsHigh() == null ? null : t.rowsHigh().doubleValue(),
            o.floorRows());
    Pair cost = null;
    long micros = actualMicros(m);
    if (maxCpm > 0 || micros > 0) {
      cost =
          new Pair(
              id,
              "cost",
              t.estimatedCost() == null ? 0 : t.estimatedCost().doubleValue(),
              micros / 1e6,
              t.costLow() == null ? null : t.costLow().doubleValue(),
              t.costHigh() == null ? null : t.costHigh().doubleValue(),
              o.floorRows() * maxCpm / 1000);
    }
    Pair pg = null;
    if (m.pgEstimate() != null) {
      pg = new Pair(id, "PostgreSQL", m.pgEstimate(), m.actualRows(), null, null, o.floorRows());
    }
    return new QueryPairs(m, sources, total, cost, pg);
  }

  void summary(List<Measured> measured, List<Speed> speed) {
    double tol = o.tolerance();
    List<QueryPairs> all = new ArrayList<>();
    List<Measured> failed = new ArrayList<>();
    for (Measured m : measured) {
      if (m.ok()) {
        all.add(pairs(m));
      } else {
        failed.add(m);
      }
    }
    List<Pair> sources = new ArrayList<>();
    List<Pair> totals = new ArrayList<>();
    List<Pair> costs = new ArrayList<>();
    for (QueryPairs q : all) {
      sources.addAll(q.sources());
      totals.add(q.total());
      if (q.cost() != null) {
        costs.add(q.cost());
      }
    }
    String pct = String.format(Locale.ROOT, "±%.0f %%", tol * 100);
    out.println();
    out.printf(
        Locale.ROOT,
        "Accuracy: %d queries measured (%d skewed-data, %d demo), %d failed. A forecast is right"
            + " when within %s of the actual value or both are at most %d rows (for cost: the"
            + " price of %d rows at the query's highest CPM).%n",
        all.size(),
        all.stream().filter(q -> !q.m().query().demo()).count(),
        all.stream().filter(q -> q.m().query().demo()).count(),
        failed.size(),
        pct,
        o.floorRows(),
        o.floorRows());
    out.println();
    out.printf(
        Locale.ROOT,
        "%-52s %-22s %-22s %s%n",
        "figure",
        "right (" + pct + ")",
        "actual in [low, high]",
        "aim");
    out.println("-".repeat(112));
    String aim = String.format(Locale.ROOT, "≥ %.0f %% right", AIM_SHARE * 100);
    shareRow("per-source delivered rows (access rules, ledger)", Share.of(sources, tol), aim);
    shareRow("total result rows", Share.of(totals, tol), aim);
    shareRow("cost (queries with a priced rule, ledger)", Share.of(costs, tol), aim);
    shareRow("per-source rows, actual > 0 only", Share.of(sources, tol, p -> !p.actualZero()), "");
    shareRow("total rows, actual > 0 only", Share.of(totals, tol, p -> !p.actualZero()), "");
    shareRow("total rows, skewed data", shareOf(all, tol, false), "");
    shareRow("total rows, demo marketplace", shareOf(all, tol, true), "");
    out.println();
    List<QueryPairs> zero = all.stream().filter(q -> q.total().actualZero()).toList();
    out.printf(
        Locale.ROOT,
        "zero actual rows: %d queries (%s); forecast ≤ %d rows for %d of them%n",
        zero.size(),
        String.join(
            ", ",
            zero.stream().map(q -> q.m().query().id() + " " + fmt(q.total().forecast())).toList()),
        o.floorRows(),
        zero.stream().filter(q -> q.total().forecast() <= o.floorRows()).count());
    int cutAgree = 0;
    int budgeted = 0;
    for (QueryPairs q : all) {
      if (q.m().query().budgeted()) {
        budgeted++;
        if (forecastCut(q.m().forecast()) == q.m().actualCut()) {
          cutAgree++;
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "budget_cut forecast agrees with the gateway's budget warning: %s%n",
        Accuracy.fraction(cutAgree, budgeted));
    long jsonSame =
        all.stream()
            .filter(q -> q.m().jsonTotalRows() != null)
            .filter(q -> q.m().jsonTotalRows().equals(q.m().forecast().total().estimatedRows()))
            .count();
    out.printf(
        Locale.ROOT,
        "EXPLAIN (FORMAT JSON) gives the same total estimated_rows: %s%n",
        Accuracy.fraction((int) jsonSame, all.size()));
    int byExplain = measured.stream().mapToInt(Measured::ledgerEntriesByExplain).sum();
    out.printf(
        Locale.ROOT,
        "ledger entries written by EXPLAIN (must be 0: forecasts are never charged): %d%n",
        byExplain);
    long noFreshness =
        all.stream()
            .flatMap(q -> q.m().forecast().sources().stream())
            .filter(s -> !s.hasFreshness())
            .count();
    out.printf(Locale.ROOT, "source rows without freshness: %d%n", noFreshness);
    out.printf(
        Locale.ROOT,
        "EXPLAIN latency during the accuracy run (each query once, no warm-up): p50 %.1f ms over"
            + " %d%n",
        median(all.stream().mapToDouble(q -> q.m().explainMs()).toArray()),
        all.size());

    out.println();
    out.println("By category (right / queries: total rows; per-source rows):");
    Map<String, List<QueryPairs>> byCategory = new LinkedHashMap<>();
    for (QueryPairs q : all) {
      byCategory.computeIfAbsent(q.m().query().category(), k -> new ArrayList<>()).add(q);
    }
    for (Map.Entry<String, List<QueryPairs>> e : byCategory.entrySet()) {
      List<Pair> t = e.getValue().stream().map(QueryPairs::total).toList();
      List<Pair> s = e.getValue().stream().flatMap(q -> q.sources().stream()).toList();
      Share ts = Share.of(t, tol);
      Share ss = Share.of(s, tol);
      out.printf(
          Locale.ROOT,
          "  %-44s total %2d/%-2d  sources %2d/%-2d%n",
          e.getKey(),
          ts.right(),
          ts.n(),
          ss.right(),
          ss.n());
    }

    List<QueryPairs> withPg = all.stream().filter(q -> q.pg() != null).toList();
    if (!withPg.isEmpty()) {
      Share nql = Share.of(withPg.stream().map(QueryPairs::total).toList(), tol);
      Share pg = Share.of(withPg.stream().map(QueryPairs::pg).toList(), tol);
      out.println();
      out.printf(
          Locale.ROOT,
          "Baseline: the same %d skewed-data queries (no budget clause) as plain SQL on"
              + " PostgreSQL, top \"Plan Rows\" of EXPLAIN (FORMAT JSON) vs the actual count:%n",
          withPg.size());
      out.printf(
          Locale.ROOT,
          "%-40s %14s %14s %10s%n",
          "result rows right (" + pct + ")",
          "NQL",
          "PostgreSQL",
          "NQL/PG");
      out.printf(
          Locale.ROOT,
          "%-40s %14s %14s %10s%n",
          "share",
          percent(nql.rightShare()),
          percent(pg.rightShare()),
          pg.rightShare() > 0 ? Report.ratio(nql.rightShare() / pg.rightShare()) : "-");
      out.printf(
          Locale.ROOT,
          "%-40s %14s %14s %10s%n",
          "median error factor",
          String.format(Locale.ROOT, "%.2f", medianFactor(withPg, false)),
          String.format(Locale.ROOT, "%.2f", medianFactor(withPg, true)),
          Report.ratio(medianFactor(withPg, false) / medianFactor(withPg, true)));
      long mismatches =
          withPg.stream()
              .filter(q -> q.m().pgActual() != null && q.m().pgActual() != q.m().actualRows())
              .count();
      if (mismatches > 0) {
        out.printf(
            Locale.ROOT,
            "WARNING: %d queries returned a different row count on PostgreSQL (see above)%n",
            mismatches);
      }
    }

    out.println();
    out.printf(
        Locale.ROOT,
        "Worst 5 queries (largest error factor (max + %d) / (min + %d) of their row figures):%n",
        Math.max(1, o.floorRows()),
        Math.max(1, o.floorRows()));
    List<QueryPairs> worst =
        all.stream()
            .sorted(Comparator.comparingDouble(QueryPairs::worstFactor).reversed())
            .limit(5)
            .toList();
    for (QueryPairs q : worst) {
      out.printf(
          Locale.ROOT,
          "  %s ×%.1f [%s] %s%n",
          q.m().query().id(),
          q.worstFactor(),
          q.m().query().category(),
          q.m().nqlSql());
      out.printf(
          Locale.ROOT,
          "      total rows: forecast %s, actual %s%s",
          fmt(q.total().forecast()),
          fmt(q.total().actual()),
          q.pg() == null ? "" : ", PostgreSQL " + fmt(q.pg().forecast()));
      for (Pair p : q.sources()) {
        out.printf(
            Locale.ROOT,
            "; %s: forecast %s, actual %s",
            p.what(),
            fmt(p.forecast()),
            fmt(p.actual()));
      }
      out.println();
    }
    if (!failed.isEmpty()) {
      out.println();
      out.println("Failed queries:");
      for (Measured m : failed) {
        out.printf(
            Locale.ROOT,
            "  %s %s: %s%n",
            m.query().id(),
            m.nqlSql(),
            m.forecast() == null ? "EXPLAIN: " + m.explainError() : "query: " + m.runError());
      }
    }

    if (!speed.isEmpty()) {
      out.println();
      out.printf(
          Locale.ROOT,
          "Speed: EXPLAIN on the %,d-row, %d-partition dataset, %d timed statements each:%n",
          o.speedRows(),
          SkewedData.DAYS,
          o.speedExplains());
      Speed nql = speed.stream().filter(x -> x.system().equals("NQL")).findFirst().orElse(null);
      Speed pg =
          speed.stream().filter(x -> x.system().equals("PostgreSQL")).findFirst().orElse(null);
      out.printf(
          Locale.ROOT, "%-24s %12s %12s %10s %s%n", "metric", "NQL", "PostgreSQL", "NQL/PG", "aim");
      out.println("-".repeat(75));
      speedRow(
          "EXPLAIN p50 (ms)", nql, pg, 50, String.format(Locale.ROOT, "≤ %.0f ms", AIM_P50_MS));
      speedRow("EXPLAIN p99 (ms)", nql, pg, 99, "");
      speedRow("EXPLAIN max (ms)", nql, pg, 100, "");
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "Aims: ≥ %.0f %% of forecasts within %s (rows per source, result rows, cost); EXPLAIN p50"
            + " ≤ %.0f ms.%n",
        AIM_SHARE * 100,
        pct,
        AIM_P50_MS);
    out.flush();
  }

  private Share shareOf(List<QueryPairs> all, double tol, boolean demo) {
    return Share.of(
        all.stream().filter(q -> q.m().query().demo() == demo).map(QueryPairs::total).toList(),
        tol);
  }

  private void shareRow(String label, Share s, String aim) {
    out.printf(Locale.ROOT, "%-52s %-22s %-22s %s%n", label, s.rightText(), s.insideText(), aim);
  }

  private void speedRow(String label, Speed nql, Speed pg, double p, String aim) {
    Double n = nql == null ? null : nql.latencies().percentileMs(p);
    Double q = pg == null ? null : pg.latencies().percentileMs(p);
    out.printf(
        Locale.ROOT,
        "%-24s %12s %12s %10s %s%n",
        label,
        n == null ? "failed" : String.format(Locale.ROOT, "%.2f", n),
        q == null ? "-" : String.format(Locale.ROOT, "%.2f", q),
        n == null || q == null ? "-" : Report.ratio(n / q),
        aim);
  }

  private static double medianFactor(List<QueryPairs> qs, boolean pg) {
    return median(qs.stream().mapToDouble(q -> (pg ? q.pg() : q.total()).factor()).toArray());
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c[c.length / 2];
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static String num(Long v) {
    return v == null ? "null" : String.format(Locale.ROOT, "%,d", v);
  }

  private static String fmt(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%,.4f", v);
  }

  private static String interval(Long low, Long high) {
    return low == null && high == null ? "" : "[" + num(low) + ", " + num(high) + "]";
  }

  private static String usd(BigDecimal v) {
    return v == null ? "null" : v.stripTrailingZeros().toPlainString();
  }
}
