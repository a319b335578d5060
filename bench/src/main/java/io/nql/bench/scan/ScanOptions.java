package io.nql.bench.scan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scan benchmark's settings, from the command line.
 *
 * @param rows rows the buyer may see (the full scan returns this many); a quarter as many more are
 *     loaded and hidden by the policy
 * @param runs timed runs per system and scenario (the median is reported)
 * @param warmup untimed runs first
 * @param fetchSize JDBC fetch size
 * @param frameRows the gateway's most rows per Avatica frame
 * @param systems which systems to run (flight, jdbc, plane, postgres, duckdb)
 * @param scenarios which single-stream scenarios to run (full, selective, aggregate)
 * @param streams concurrent Flight SQL streams of the full scan after the single-stream scenarios
 *     (0: none)
 * @param workDir where the generated files and the NQL warehouse go
 * @param pgUrl JDBC URL of the PostgreSQL database
 * @param pgUser PostgreSQL role that owns the benchmark table
 * @param pgPassword its password
 * @param pgBuyer PostgreSQL role the queries run as (not the owner)
 * @param pgBuyerPassword its password
 */
public record ScanOptions(
    long rows,
    int runs,
    int warmup,
    int fetchSize,
    int frameRows,
    List<String> systems,
    List<String> scenarios,
    int streams,
    Path workDir,
    String pgUrl,
    String pgUser,
    String pgPassword,
    String pgBuyer,
    String pgBuyerPassword) {

  static final List<String> ALL_SYSTEMS = List.of("flight", "jdbc", "plane", "postgres", "duckdb");

  /** The most concurrent streams: each is a connection and a thread of this JVM. */
  static final int MAX_STREAMS = 256;

  static final String USAGE =
      """
      Usage: bench/scan [options]
        --rows N               rows the buyer sees; the full scan returns them (default 10000000);
                               N / 4 more rows are loaded and hidden by the policy
        --runs N               timed runs per system and scenario, median reported (default 3)
        --warmup N             untimed runs first (default 1)
        --systems LIST         comma-separated subset of flight,jdbc,plane,postgres,duckdb (default
                               all); plane: Flight SQL over the same rule on a dataset in a
                               PostgreSQL data plane (the PostgreSQL table below)
        --scenarios LIST       comma-separated subset of full,selective,aggregate (default all;
                               the concurrent run needs full)
        --streams N            concurrent Flight SQL streams of the full scan, each its own
                               connection, after the single-stream scenarios (default 16;
                               0: none)
        --fetch-size N         JDBC fetch size (default 10000)
        --frame-rows N         gateway rows per Avatica frame (default 10000)
        --work-dir DIR         generated files and NQL warehouse (default bench/target/scan)
        --pg-url URL           (default jdbc:postgresql://127.0.0.1:5432/nql_test)
        --pg-user U            table owner role (default nql)
        --pg-password P        (default nql)
        --pg-buyer U           role the PostgreSQL queries run as (default nql_bench_buyer)
        --pg-buyer-password P  (default nql_bench_buyer)
        --help
      """;

  /** Parses the command line; throws IllegalArgumentException with a one-line reason. */
  static ScanOptions parse(String[] args) {
    long rows = 10_000_000;
    int runs = 3;
    int warmup = 1;
    int fetchSize = 10_000;
    int frameRows = 10_000;
    List<String> systems = ALL_SYSTEMS;
    List<String> scenarios = ScanQueries.SCENARIOS;
    int streams = 16;
    Path workDir = Path.of("bench/target/scan");
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/nql_test";
    String pgUser = "nql";
    String pgPassword = "nql";
    String pgBuyer = "nql_bench_buyer";
    String pgBuyerPassword = "nql_bench_buyer";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new HelpRequested();
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + a + " needs a value (see --help)");
      }
      String v = args[++i];
      switch (a) {
        case "--rows" -> rows = positive(a, number(a, v, Long.MAX_VALUE));
        case "--runs" -> runs = (int) positive(a, number(a, v, Integer.MAX_VALUE));
        case "--warmup" -> warmup = (int) number(a, v, Integer.MAX_VALUE);
        case "--fetch-size" -> fetchSize = (int) positive(a, number(a, v, Integer.MAX_VALUE));
        case "--frame-rows" -> frameRows = (int) positive(a, number(a, v, Integer.MAX_VALUE));
        case "--systems" -> systems = subset("system", v, ALL_SYSTEMS);
        case "--scenarios" -> scenarios = subset("scenario", v, ScanQueries.SCENARIOS);
        case "--streams" -> streams = (int) number(a, v, MAX_STREAMS);
        case "--work-dir" -> workDir = Path.of(v);
        case "--pg-url" -> pgUrl = v;
        case "--pg-user" -> pgUser = v;
        case "--pg-password" -> pgPassword = v;
        case "--pg-buyer" -> pgBuyer = v;
        case "--pg-buyer-password" -> pgBuyerPassword = v;
        default -> throw new IllegalArgumentException("Unknown option " + a + " (see --help)");
      }
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be 0 or more");
    }
    if (streams < 0) {
      throw new IllegalArgumentException("--streams must be 0 or more (0: no concurrent run)");
    }
    return new ScanOptions(
        rows,
        runs,
        warmup,
        fetchSize,
        frameRows,
        systems,
        scenarios,
        streams,
        workDir,
        pgUrl,
        pgUser,
        pgPassword,
        pgBuyer,
        pgBuyerPassword);
  }

  /** A whole number of at most {@code max}, or a one-line reason naming the option. */
  private static long number(String option, String v, long max) {
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
    }
    if (n > max) {
      throw new IllegalArgumentException(option + " must be at most " + max);
    }
    return n;
  }

  private static long positive(String option, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(option + " must be positive");
    }
    return v;
  }

  private static List<String> subset(String what, String v, List<String> all) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      String name = s.trim().toLowerCase(Locale.ROOT);
      if (!all.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown " + what + " " + s + ": expected some of " + String.join(",", all));
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  /** Rows loaded in all: the visible ones plus a quarter as many hidden ones. */
  long loadedRows() {
    return rows + rows / 4;
  }

  /** Thrown by {@link #parse} for --help. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(null, null, false, false);
    }
  }
}
