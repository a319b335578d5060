package io.nql.bench.joins;

import io.nql.bench.Latencies;
import io.nql.planner.testing.JoinQueries;
import io.nql.planner.testing.JoinQuery;
import io.nql.planner.testing.JoinTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of {@code bench/joins}: {@code select5}-like joins of many ten-row tables (the
 * planner's {@link JoinTables} and {@link JoinQueries}), each table behind an access rule, through
 * NQL's gateway and through PostgreSQL row-level security. Times the 15-table chain join (median of
 * 20 runs, after warm-up) and a suite of generated joins of 4 to 64 tables (each run once, in
 * total), checks every answer against the one computed in plain Java from the visible rows, and
 * prints each figure with its goal and the ratio NQL / PostgreSQL.
 */
public final class JoinBench {
  /** The goal for the chain join, end to end. */
  static final double CHAIN_GOAL_MS = 50;

  /** The goal for the whole suite. */
  static final double SUITE_GOAL_S = 60;

  private JoinBench() {}

  /** One system's figures. */
  record Result(String system, Latencies chain, Latencies suite, Map<String, Double> byTables) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.io.nql.server.gateway", "warn");
    JoinOptions o;
    try {
      o = JoinOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/joins: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.print(JoinOptions.USAGE);
      return;
    }
    JoinTables data = new JoinTables(o.seed());
    JoinQuery chain = JoinQueries.chain(o.chain());
    List<JoinQuery> suite = JoinQueries.suite(o.seed(), o.queries(), o.minTables(), o.maxTables());
    List<JoinQuery> warm =
        JoinQueries.suite(o.seed() + 1, o.warmup(), o.minTables(), o.maxTables());
    Path work = Files.createDirectories(o.workDir().toAbsolutePath());
    List<Result> results = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    if (o.systems().contains("nql")) {
      System.out.printf("loading NQL (%d tables)...%n", o.tablesLoaded());
      try (NqlJoins nql = NqlJoins.start(work, data, o.tablesLoaded())) {
        System.out.printf("NQL: loaded in %.1f s%n", nql.loadSeconds());
        try (JoinClient c = nql.client(o.client())) {
          results.add(measure(c, o, data, chain, suite, warm, wrong));
        }
      }
    }
    if (o.systems().contains("postgres")) {
      System.out.printf("loading PostgreSQL (%d tables)...%n", o.tablesLoaded());
      double load = PostgresJoins.load(o, data, o.tablesLoaded());
      System.out.printf("PostgreSQL: loaded in %.1f s%n", load);
      try (JoinClient c = PostgresJoins.client(o)) {
        results.add(measure(c, o, data, chain, suite, warm, wrong));
      }
    }
    report(o, results);
    if (!wrong.isEmpty()) {
      System.err.println("bench/joins: wrong answers:");
      wrong.forEach(w -> System.err.println("  " + w));
      System.exit(1);
    }
  }

  private static Result measure(
      JoinClient c,
      JoinOptions o,
      JoinTables data,
      JoinQuery chain,
      List<JoinQuery> suite,
      List<JoinQuery> warm,
      List<String> wrong)
      throws Exception {
    String chainSql = chain.sql(c::table);
    List<List<String>> chainAnswer = chain.expected(data);
    for (int i = 0; i < o.warmup(); i++) {
      check(c, chain, c.rows(chainSql), chainAnswer, wrong);
    }
    for (JoinQuery q : warm) {
      check(c, q, c.rows(q.sql(c::table)), q.expected(data), wrong);
    }
    long[] chainNanos = new long[o.chainRuns()];
    for (int i = 0; i < chainNanos.length; i++) {
      long t0 = System.nanoTime();
      List<List<String>> rows = c.rows(chainSql);
      chainNanos[i] = System.nanoTime() - t0;
      check(c, chain, rows, chainAnswer, wrong);
    }
    Latencies chainTimes = new Latencies(chainNanos, chainAnswer.size() * (long) chainNanos.length);
    System.out.printf(
        Locale.ROOT,
        "%s: %d-table chain p50 %.1f ms (min %.1f, max %.1f)%n",
        c.name(),
        o.chain(),
        chainTimes.percentileMs(50),
        chainTimes.percentileMs(0),
        chainTimes.percentileMs(100));

    long[] suiteNanos = new long[suite.size()];
    Map<String, Long> bucketNanos = new LinkedHashMap<>();
    long rows = 0;
    long started = System.nanoTime();
    for (int i = 0; i < suite.size(); i++) {
      JoinQuery q = suite.get(i);
      String sql = q.sql(c::table);
      List<List<String>> answer = q.expected(data);
      long t0 = System.nanoTime();
      List<List<String>> got = c.rows(sql);
      suiteNanos[i] = System.nanoTime() - t0;
      rows += got.size();
      bucketNanos.merge(bucket(q.from().size()), suiteNanos[i], Long::sum);
      check(c, q, got, answer, wrong);
      if ((i + 1) % 100 == 0) {
        System.out.printf(
            Locale.ROOT,
            "%s: %d queries in %.1f s%n",
            c.name(),
            i + 1,
            (System.nanoTime() - started) / 1e9);
      }
    }
    Latencies suiteTimes = new Latencies(suiteNanos, rows);
    Map<String, Double> byTables = new LinkedHashMap<>();
    bucketNanos.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> byTables.put(e.getKey(), e.getValue() / 1e9));
    System.out.printf(
        Locale.ROOT,
        "%s: suite of %d queries in %.1f s (p50 %.1f ms, max %.1f ms)%n",
        c.name(),
        suite.size(),
        total(suiteTimes),
        suiteTimes.percentileMs(50),
        suiteTimes.percentileMs(100));
    return new Result(c.name(), chainTimes, suiteTimes, byTables);
  }

  /** Table counts in groups of 16: {@code 04-16}, {@code 17-32}, …. */
  private static String bucket(int tables) {
    int hi = Math.max(16, (tables + 15) / 16 * 16);
    int lo = hi == 16 ? 4 : hi - 15;
    return String.format(Locale.ROOT, "%02d-%02d", lo, hi);
  }

  private static double total(Latencies l) {
    long sum = 0;
    for (long n : l.nanos()) {
      sum += n;
    }
    return sum / 1e9;
  }

  private static void check(
      JoinClient c,
      JoinQuery q,
      List<List<String>> got,
      List<List<String>> expected,
      List<String> wrong) {
    List<List<String>> rows = new ArrayList<>(got);
    if (!q.orderBy()) {
      rows.sort(Comparator.comparing(List::toString));
    }
    if (!rows.equals(expected)) {
      wrong.add(
          c.name()
              + " "
              + q.name()
              + ": "
              + rows.size()
              + " rows, "
              + expected.size()
              + " expected");
    }
  }

  private static void report(JoinOptions o, List<Result> results) {
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Machine: %d cores, Java %s, max heap %,d MB, load average %.2f%n",
        rt.availableProcessors(),
        System.getProperty("java.version"),
        rt.maxMemory() >> 20,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(
        Locale.ROOT,
        "Data: %d tables of %d visible rows (+%d hidden) behind one access rule each; suite of %d"
            + " queries of %d-%d tables (seed %d); warmup %d; NQL over %s%n%n",
        o.tablesLoaded(),
        JoinTables.ROWS,
        JoinTables.HIDDEN,
        o.queries(),
        o.minTables(),
        o.maxTables(),
        o.seed(),
        o.warmup(),
        o.client().equals("jdbc") ? "jdbc:nql" : "Flight SQL");
    Result pg =
        results.stream().filter(r -> r.system().equals("PostgreSQL")).findFirst().orElse(null);
    System.out.println("| figure | system | value | goal | × PostgreSQL |");
    System.out.println("|---|---|---:|---|---:|");
    for (Result r : results) {
      boolean nql = !r.system().equals("PostgreSQL");
      double chain = r.chain().percentileMs(50);
      System.out.printf(
          Locale.ROOT,
          "| %d-table chain, p50 of %d | %s | %.1f ms | %s | %s |%n",
          o.chain(),
          o.chainRuns(),
          r.system(),
          chain,
          nql ? goal(chain <= CHAIN_GOAL_MS, "≤ 50 ms") : "",
          pg == null || !nql ? "" : ratio(chain, pg.chain().percentileMs(50)));
      double suite = total(r.suite());
      System.out.printf(
          Locale.ROOT,
          "| suite of %d queries, total | %s | %.1f s | %s | %s |%n",
          o.queries(),
          r.system(),
          suite,
          nql ? goal(suite <= SUITE_GOAL_S, "≤ 60 s") : "",
          pg == null || !nql ? "" : ratio(suite, total(pg.suite())));
      System.out.printf(
          Locale.ROOT,
          "| suite, p50 / max per query | %s | %.1f / %.1f ms | | |%n",
          r.system(),
          r.suite().percentileMs(50),
          r.suite().percentileMs(100));
    }
    System.out.println();
    System.out.println("Suite time by tables joined (s):");
    System.out.println(
        "| system | " + String.join(" | ", results.get(0).byTables().keySet()) + " |");
    System.out.println("|---|" + "---:|".repeat(results.get(0).byTables().size()));
    for (Result r : results) {
      StringBuilder line = new StringBuilder("| " + r.system() + " |");
      r.byTables().values().forEach(v -> line.append(String.format(Locale.ROOT, " %.1f |", v)));
      System.out.println(line);
    }
  }

  private static String goal(boolean met, String goal) {
    return goal + (met ? ": met" : ": not met");
  }

  private static String ratio(double nql, double pg) {
    return pg <= 0 ? "" : String.format(Locale.ROOT, "%.1f", nql / pg);
  }
}
