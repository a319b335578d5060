package io.nql.bench.joins;

import io.nql.planner.testing.JoinTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The join benchmark's settings, from the command line.
 *
 * @param chain tables in the chain join {@code a1=b2 AND a2=b3 …}
 * @param chainRuns timed runs of the chain per system (the median is reported)
 * @param queries generated queries in the suite
 * @param minTables fewest tables a suite query joins
 * @param maxTables most tables a suite query joins (and tables loaded)
 * @param warmup untimed runs of the chain, and untimed suite queries (of another seed), first
 * @param client how NQL is queried: {@code flight} (Flight SQL) or {@code jdbc} ({@code jdbc:nql})
 * @param systems which systems to run ({@code nql}, {@code postgres})
 * @param seed seed of the tables and of the suite
 * @param workDir where the CSV files and the NQL warehouse go
 * @param pgUrl JDBC URL of the PostgreSQL database
 * @param pgUser PostgreSQL role that owns the tables
 * @param pgPassword its password
 * @param pgBuyer PostgreSQL role the queries run as (not the owner)
 * @param pgBuyerPassword its password
 */
public record JoinOptions(
    int chain,
    int chainRuns,
    int queries,
    int minTables,
    int maxTables,
    int warmup,
    String client,
    List<String> systems,
    long seed,
    Path workDir,
    String pgUrl,
    String pgUser,
    String pgPassword,
    String pgBuyer,
    String pgBuyerPassword) {

  static final String USAGE =
      """
      Usage: bench/joins [options]
        --chain N              tables in the chain join a1=b2 AND a2=b3 ... (default 15)
        --chain-runs N         timed runs of the chain per system, median reported (default 20)
        --queries N            generated select5-like queries in the suite (default 700)
        --min-tables N         fewest tables a suite query joins (default 4)
        --max-tables N         most tables a suite query joins, and tables loaded (default 64)
        --warmup N             untimed chain runs and untimed suite queries first (default 20)
        --client C             flight (Flight SQL, default) or jdbc (jdbc:nql)
        --systems LIST         comma-separated subset of nql,postgres (default both)
        --seed N               tables and queries (default 20261206)
        --work-dir DIR         CSV files and NQL warehouse (default bench/target/joins)
        --pg-url URL           (default jdbc:postgresql://127.0.0.1:5432/nql_test)
        --pg-user U            table owner role (default nql)
        --pg-password P        (default nql)
        --pg-buyer U           role the PostgreSQL queries run as (default nql_bench_buyer)
        --pg-buyer-password P  (default nql_bench_buyer)
        --help
      """;

  static final List<String> ALL_SYSTEMS = List.of("nql", "postgres");

  /**
   * Parses the command line.
   *
   * @return the options, or null when {@code --help} was asked for
   * @throws IllegalArgumentException naming the option when it is unknown, lacks its value or the
   *     value is out of range
   */
  static JoinOptions parse(String... args) {
    int chain = 15;
    int chainRuns = 20;
    int queries = 700;
    int minTables = 4;
    int maxTables = JoinTables.COUNT;
    int warmup = 20;
    String client = "flight";
    List<String> systems = ALL_SYSTEMS;
    long seed = 20261206;
    Path workDir = Path.of("bench/target/joins");
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/nql_test";
    String pgUser = "nql";
    String pgPassword = "nql";
    String pgBuyer = "nql_bench_buyer";
    String pgBuyerPassword = "nql_bench_buyer";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + a + " needs a value (see --help)");
      }
      String v = args[++i];
      switch (a) {
        case "--chain" -> chain = tables(a, v);
        case "--chain-runs" -> chainRuns = positive(a, v);
        case "--queries" -> queries = positive(a, v);
        case "--min-tables" -> minTables = tables(a, v);
        case "--max-tables" -> maxTables = tables(a, v);
        case "--warmup" -> warmup = atLeastZero(a, v);
        case "--client" -> client = oneOf(a, v, List.of("flight", "jdbc"));
        case "--systems" -> systems = systems(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--work-dir" -> workDir = Path.of(v);
        case "--pg-url" -> pgUrl = v;
        case "--pg-user" -> pgUser = v;
        case "--pg-password" -> pgPassword = v;
        case "--pg-buyer" -> pgBuyer = v;
        case "--pg-buyer-password" -> pgBuyerPassword = v;
        default -> throw new IllegalArgumentException("Unknown option " + a + " (see --help)");
      }
    }
    if (minTables > maxTables) {
      throw new IllegalArgumentException("--min-tables must not exceed --max-tables");
    }
    return new JoinOptions(
        chain,
        chainRuns,
        queries,
        minTables,
        maxTables,
        warmup,
        client,
        systems,
        seed,
        workDir,
        pgUrl,
        pgUser,
        pgPassword,
        pgBuyer,
        pgBuyerPassword);
  }

  /** Tables to load: the most any query joins. */
  int tablesLoaded() {
    return Math.max(chain, maxTables);
  }

  private static int positive(String option, String v) {
    int n = number(option, v);
    if (n <= 0) {
      throw new IllegalArgumentException(option + " must be positive");
    }
    return n;
  }

  private static int atLeastZero(String option, String v) {
    int n = number(option, v);
    if (n < 0) {
      throw new IllegalArgumentException(option + " must be 0 or more");
    }
    return n;
  }

  private static int tables(String option, String v) {
    int n = number(option, v);
    if (n < 2 || n > JoinTables.COUNT) {
      throw new IllegalArgumentException(option + " must be between 2 and " + JoinTables.COUNT);
    }
    return n;
  }

  private static int number(String option, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, not " + v);
    }
  }

  private static String oneOf(String option, String v, List<String> allowed) {
    String s = v.toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed));
    }
    return s;
  }

  private static List<String> systems(String v) {
    List<String> out = new java.util.ArrayList<>();
    for (String s : v.split(",")) {
      out.add(oneOf("--systems", s.trim(), ALL_SYSTEMS));
    }
    return List.copyOf(out);
  }
}
