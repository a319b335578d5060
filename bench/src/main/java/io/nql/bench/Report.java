package io.nql.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints the figures of both systems side by side, with the ratio NQL / PostgreSQL. */
public final class Report {
  private final PrintStream out;

  Report(PrintStream out) {
    this.out = out;
  }

  void header(BenchOptions o, long totalRows, long visibleRows) {
    out.println("NQL Gateway benchmark: jdbc:nql versus PostgreSQL row-level security");
    out.print(machine());
    out.printf(
        Locale.ROOT,
        "settings: %,d rows loaded, %,d visible to the buyer; %,d point queries; warm-up %d;"
            + " %d timed full fetch(es); fetch size %,d; gateway frames: rows %s, size %s;"
            + " frame encoding %s;"
            + " rule price %s"
            + " USD/1000 rows; seed %d%n",
        totalRows,
        visibleRows,
        o.pointQueries(),
        o.warmup(),
        o.runs(),
        o.fetchSize(),
        o.frameRows() == 0 ? "no limit" : String.format(Locale.ROOT, "%,d", o.frameRows()),
        o.frameBytes() == 0
            ? "the default, 2 MiB"
            : String.format(Locale.ROOT, "%,d bytes", o.frameBytes()),
        o.frameEncoding(),
        o.priceCpm().toPlainString(),
        o.seed());
    out.println(
        "policy: rows WHERE "
            + BenchData.POLICY_FILTER
            + "; columns "
            + BenchData.VISIBLE_COLUMNS
            + " (email hidden)");
  }

  /**
   * The machine the figures come from (cores, JVM, heap, OS) and how busy it is (other work skews
   * every system), two lines ending in a newline.
   */
  public static String machine() {
    Runtime rt = Runtime.getRuntime();
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %s %s (%s), max heap %d MB, %s %s%nload average at start: %.2f%n",
        rt.availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"),
        rt.maxMemory() / (1024 * 1024),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        load);
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  void table(
      Target nql,
      Target pg,
      FetchResult nqlFetch,
      FetchResult pgFetch,
      Latencies nqlPoint,
      Latencies pgPoint) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-36s %14s %14s %10s  %s%n",
        "metric",
        nql.name(),
        pg.name(),
        "NQL/PG",
        "goal");
    out.println("-".repeat(100));
    row("load (s)", nql.loadSeconds(), pg.loadSeconds(), "%.1f");
    row("full fetch: rows", nqlFetch.rows(), pgFetch.rows(), "%,.0f");
    row("full fetch: elapsed (s)", nqlFetch.seconds(), pgFetch.seconds(), "%.2f");
    row(
        "full fetch: rows/s",
        nqlFetch.rowsPerSecond(),
        pgFetch.rowsPerSecond(),
        "%,.0f",
        Goal.atLeastRatio(1));
    row(
        "full fetch: MB/s (values)",
        nqlFetch.megabytesPerSecond(),
        pgFetch.megabytesPerSecond(),
        "%.1f");
    points("point", nqlPoint, pgPoint);
  }

  /** The latency rows of one point-query variant (the JDBC point-query goals). */
  void points(String label, Latencies nql, Latencies pg) {
    row(label + ": rows returned", nql.rows(), pg.rows(), "%,.0f");
    row(
        label + ": p50 (ms)",
        nql.percentileMs(50),
        pg.percentileMs(50),
        "%.3f",
        Goal.atMost(1, "ms"));
    row(
        label + ": p99 (ms)",
        nql.percentileMs(99),
        pg.percentileMs(99),
        "%.3f",
        Goal.atMost(5, "ms"));
    row(label + ": mean (ms)", nql.meanMs(), pg.meanMs(), "%.3f");
    row(label + ": max (ms)", nql.percentileMs(100), pg.percentileMs(100), "%.3f");
    row(label + ": queries/s", nql.queriesPerSecond(), pg.queriesPerSecond(), "%,.1f");
  }

  /** Flight SQL point queries, against PostgreSQL's JDBC point queries. */
  void flightPoints(String label, Latencies flight, Latencies pg) {
    row(
        label + ": p50 (ms)",
        flight.percentileMs(50),
        pg.percentileMs(50),
        "%.3f",
        Goal.atMost(1, "ms"));
    row(
        label + ": p99 (ms)",
        flight.percentileMs(99),
        pg.percentileMs(99),
        "%.3f",
        Goal.atMost(5, "ms"));
  }

  /** Many clients' point queries at once. */
  void concurrent(Interactive.Concurrent nql, Interactive.Concurrent pg) {
    String label = "point, " + nql.clients() + " clients";
    row(
        label + ": queries/s",
        nql.queriesPerSecond(),
        pg.queriesPerSecond(),
        "%,.0f",
        Goal.atLeastRatio(0.5));
    row(
        label + ": p50 (ms)",
        nql.latencies().percentileMs(50),
        pg.latencies().percentileMs(50),
        "%.3f");
    row(
        label + ": p99 (ms)",
        nql.latencies().percentileMs(99),
        pg.latencies().percentileMs(99),
        "%.3f");
  }

  /** Planning times (NQL only: PostgreSQL plans in its server, out of sight). */
  void planning(Interactive.Planning p) {
    nqlOnly("planning, kept plan: p50 (ms)", p.hits().percentileMs(50), Goal.atMost(1, "ms"));
    nqlOnly("planning, kept plan: p99 (ms)", p.hits().percentileMs(99), null);
    nqlOnly("planning, new shape: p50 (ms)", p.misses().percentileMs(50), Goal.atMost(20, "ms"));
    nqlOnly("planning, new shape: p99 (ms)", p.misses().percentileMs(99), null);
    nqlOnly("point, engine only: p50 (ms)", p.engine().percentileMs(50), null);
    nqlOnly("point, engine only: p99 (ms)", p.engine().percentileMs(99), null);
  }

  /** A goal for one figure: a bound on NQL's value, or on the ratio NQL / PostgreSQL. */
  record Goal(String text, java.util.function.BiPredicate<Double, Double> met) {
    static Goal atMost(double bound, String unit) {
      return new Goal(
          String.format(Locale.ROOT, "<= %s %s", trim(bound), unit), (nql, pg) -> nql <= bound);
    }

    static Goal atLeastRatio(double ratio) {
      return new Goal(
          String.format(Locale.ROOT, ">= %sx PostgreSQL", trim(ratio)),
          (nql, pg) -> pg > 0 && nql / pg >= ratio);
    }

    private static String trim(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    String verdict(double nql, double pg) {
      return text + (met.test(nql, pg) ? " (met)" : " (NOT met)");
    }
  }

  void footer() {
    out.println();
    out.println(
        "Ratios > 1 mean NQL is higher (better for rows/s and MB/s, worse for times and latencies).");
    out.flush();
  }

  private void row(String metric, double nql, double pg, String format) {
    row(metric, nql, pg, format, null);
  }

  private void row(String metric, double nql, double pg, String format, Goal goal) {
    out.printf(
        Locale.ROOT,
        "%-36s %14s %14s %10s  %s%n",
        metric,
        String.format(Locale.ROOT, format, nql),
        String.format(Locale.ROOT, format, pg),
        pg == 0 ? "-" : ratio(nql / pg),
        goal == null ? "" : goal.verdict(nql, pg));
  }

  private void nqlOnly(String metric, double nql, Goal goal) {
    out.printf(
        Locale.ROOT,
        "%-36s %14s %14s %10s  %s%n",
        metric,
        String.format(Locale.ROOT, "%.3f", nql),
        "-",
        "-",
        goal == null ? "" : goal.verdict(nql, 0));
  }

  /** Two decimals, or enough to tell a tiny ratio from zero. */
  public static String ratio(double r) {
    return String.format(Locale.ROOT, r >= 0.1 ? "%.2f" : "%.2g", r);
  }
}
