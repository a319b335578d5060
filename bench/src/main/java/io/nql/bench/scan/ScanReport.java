package io.nql.bench.scan;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Prints the scan benchmark's figures as Markdown tables, each NQL figure with its goal from the
 * Flight SQL issue and whether this run met it.
 */
final class ScanReport {
  /** NQL's front ends: the goals apply to their figures. */
  static final List<String> NQL_SYSTEMS = List.of("Flight SQL", "jdbc:nql");

  /** A goal on the ratio of an NQL rate to another system's in the same scenario. */
  record Goal(String scenario, String baseline, double ratio) {
    /** E.g. {@code >= 5x PostgreSQL: met}, or why it could not be judged. */
    String verdict(Double measuredRatio) {
      String text = ">= " + number(ratio) + "x " + baseline;
      if (measuredRatio == null) {
        return text + ": " + baseline + " not run";
      }
      return text + (measuredRatio >= ratio ? ": met" : ": NOT met");
    }
  }

  /** The goals for the single-stream scenarios. */
  static final List<Goal> GOALS =
      List.of(
          new Goal(ScanQueries.FULL, "PostgreSQL", 5),
          new Goal(ScanQueries.FULL, "DuckDB", 0.5),
          new Goal(ScanQueries.SELECTIVE, "PostgreSQL", 2),
          new Goal(ScanQueries.SELECTIVE, "DuckDB", 0.5),
          new Goal(ScanQueries.AGGREGATE, "DuckDB", 0.3));

  /** Goals of the concurrent run. */
  static final double STREAMS_OVER_SINGLE = 0.9;

  static final double SLOWEST_OVER_MEAN = 0.5;
  static final long HEAP_BYTES = 1L << 30;

  private final PrintStream out;

  ScanReport(PrintStream out) {
    this.out = out;
  }

  /** The machine and the settings, the load average now. */
  void machine(ScanOptions o, long loaded) {
    Runtime rt = Runtime.getRuntime();
    out.printf(
        Locale.ROOT,
        "Machine: %d cores, Java %s, max heap %,d MB, load average %.2f%n",
        rt.availableProcessors(),
        System.getProperty("java.version"),
        rt.maxMemory() >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    out.printf(
        Locale.ROOT,
        "Data: %,d rows loaded, %,d visible to the buyer; runs %d (median), warmup %d, fetch size"
            + " %d, frame rows %d, streams %d%n%n",
        loaded,
        o.rows(),
        o.runs(),
        o.warmup(),
        o.fetchSize(),
        o.frameRows(),
        o.streams());
  }

  /** The single-stream figures; rows/s of the aggregate counts the rows it summed up. */
  void scenarios(List<ScanBench.Measure> results) {
    out.println(
        "| scenario | system | rows | seconds | rows/s | MB/s | × PostgreSQL | × DuckDB | goal |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
    for (ScanBench.Measure m : results) {
      Double pg = ratio(m, results, "PostgreSQL");
      Double duck = ratio(m, results, "DuckDB");
      out.printf(
          Locale.ROOT,
          "| %s | %s | %,d | %.3f | %,.0f | %s | %s | %s | %s |%n",
          m.scenario(),
          m.system(),
          m.answer().rowsReturned(),
          m.seconds(),
          m.rowsPerSecond(),
          m.answer().valueBytes() == 0 ? "–" : String.format(Locale.ROOT, "%.1f", m.mbPerSecond()),
          pg == null ? "–" : String.format(Locale.ROOT, "%.2f", pg),
          duck == null ? "–" : String.format(Locale.ROOT, "%.2f", duck),
          goals(m, results));
    }
    out.println();
    out.println(
        "rows: returned (groups for the aggregate); rows/s: returned rows per second, for the"
            + " aggregate the rows it summed up per second.");
  }

  /** The goals of one figure, {@code ; }-separated, or "" when none applies. */
  static String goals(ScanBench.Measure m, List<ScanBench.Measure> results) {
    if (!NQL_SYSTEMS.contains(m.system())) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (Goal g : GOALS) {
      if (g.scenario().equals(m.scenario())) {
        b.append(b.length() == 0 ? "" : "; ").append(g.verdict(ratio(m, results, g.baseline())));
      }
    }
    return b.toString();
  }

  /** {@code m}'s rate over {@code baseline}'s in the same scenario; null when not measured. */
  static Double ratio(ScanBench.Measure m, List<ScanBench.Measure> all, String baseline) {
    for (ScanBench.Measure b : all) {
      if (b.scenario().equals(m.scenario()) && b.system().equals(baseline)) {
        return m.rowsPerSecond() / b.rowsPerSecond();
      }
    }
    return null;
  }

  /** The concurrent run's figures, against the best single-stream rate of the same run. */
  void streams(ConcurrentStreams.Outcome c, double bestSingle) {
    int n = c.streams().size();
    double aggregate = c.aggregateRowsPerSecond();
    out.println();
    out.println("| concurrent Flight SQL streams (" + n + ", full scan) | value | goal |");
    out.println("|---|---:|---|");
    figure("aggregate rows/s", String.format(Locale.ROOT, "%,.0f", aggregate), "");
    figure(
        "best single stream rows/s (median full scan, Flight SQL)",
        String.format(Locale.ROOT, "%,.0f", bestSingle),
        "");
    figure(
        "aggregate / best single stream",
        String.format(Locale.ROOT, "%.2f", aggregate / bestSingle),
        atLeast(aggregate / bestSingle, STREAMS_OVER_SINGLE));
    figure(
        "slowest stream rows/s / mean stream rows/s",
        String.format(Locale.ROOT, "%.2f", c.slowestOverMean()),
        atLeast(c.slowestOverMean(), SLOWEST_OVER_MEAN));
    figure(
        "peak heap used, JVM-wide (gateway and clients)",
        mib(c.peakHeapBytes()),
        "<= 1 GiB: " + (c.peakHeapBytes() <= HEAP_BYTES ? "met" : "NOT met"));
    figure("of which the old generation's peak", mib(c.peakOldBytes()), "");
    figure("gateway Flight Arrow memory (off heap), sampled peak", mib(c.peakArrowBytes()), "");
    figure(
        "gateway Flight root allocator after all streams closed",
        String.format(Locale.ROOT, "%,d bytes", c.allocatorBytesAfter()),
        "= 0 bytes: " + (c.allocatorBytesAfter() == 0 ? "met" : "NOT met"));
    figure(
        "streams whose rows match the single-stream answer",
        (n - c.mismatches().size()) + " of " + n,
        "all: " + (c.mismatches().isEmpty() ? "met" : "NOT met"));
    for (String m : c.mismatches()) {
      out.println(m);
    }
  }

  static String atLeast(double value, double goal) {
    return ">= " + number(goal) + ": " + (value >= goal ? "met" : "NOT met");
  }

  private void figure(String name, String value, String goal) {
    out.printf(Locale.ROOT, "| %s | %s | %s |%n", name, value, goal);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (double) (1 << 20));
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
