package io.nql.bench;

import io.nql.server.gateway.Sizes;
import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * The benchmark's settings, from the command line.
 *
 * @param rows rows the buyer may see (the full fetch returns this many); a quarter as many more are
 *     loaded and hidden by the policy
 * @param pointQueries timed point queries per system
 * @param literalPoints also run the point queries with the id written into the SQL
 * @param warmup untimed rounds of each scenario before the timed one
 * @param runs timed full fetches per system (the median is reported)
 * @param fetchSize JDBC fetch size of the full fetch
 * @param frameRows the gateway's most rows per Avatica frame (0: no limit, frames of about 2 MiB)
 * @param frameBytes the size the gateway's frames aim at (0: the gateway's default, 2 MiB)
 * @param frameEncoding the {@code jdbc:nql} driver's {@code frame_encoding}: columnar or standard
 * @param priceCpm the access rule's price (0: a free rule)
 * @param seed seed of the data and of the point-query ids
 * @param workDir where the CSV and the NQL warehouse go
 * @param pgUrl JDBC URL of the PostgreSQL database
 * @param pgUser PostgreSQL role that owns the benchmark table
 * @param pgPassword its password
 * @param pgBuyer PostgreSQL role the queries run as (not the owner)
 * @param pgBuyerPassword its password
 * @param clients concurrent clients of the concurrent point-query scenario
 */
public record BenchOptions(
    long rows,
    int pointQueries,
    boolean literalPoints,
    int warmup,
    int runs,
    int fetchSize,
    int frameRows,
    long frameBytes,
    String frameEncoding,
    BigDecimal priceCpm,
    long seed,
    Path workDir,
    String pgUrl,
    String pgUser,
    String pgPassword,
    String pgBuyer,
    String pgBuyerPassword,
    int clients) {

  static final String USAGE =
      """
      Usage: bench/run [options]
        --rows N               rows the buyer sees and the full fetch returns (default 1000000);
                               N / 4 more rows are loaded and hidden by the policy
        --point-queries N      timed point queries per system (default 1000)
        --literal-points       also time the point queries with the id as a literal in the SQL
                               instead of a ? parameter
        --clients N            concurrent clients of the concurrent point queries (default 32);
                               each runs max(20, point queries / N) queries
        --warmup N             untimed rounds of each scenario first (default 1)
        --runs N               timed full fetches per system, median reported (default 1)
        --fetch-size N         JDBC fetch size of the full fetch (default 10000)
        --frame-rows N         most rows per Avatica frame of the gateway (default 0, the
                               gateway's default: no limit, frames of about 2 MiB)
        --frame-bytes SIZE     size the gateway's frames aim at, e.g. 512k (default: the
                               gateway's, 2m)
        --frame-encoding E     frame_encoding of jdbc:nql: columnar (default) or standard
        --price-cpm USD        price of the access rule per 1,000 rows (default 0: free rule)
        --seed N               data and point-query seed (default 20261124)
        --work-dir DIR         CSV and NQL warehouse (default bench/target/work)
        --pg-url URL           (default jdbc:postgresql://127.0.0.1:5432/nql_test)
        --pg-user U            table owner role (default nql)
        --pg-password P        (default nql)
        --pg-buyer U           role the PostgreSQL queries run as (default nql_bench_buyer)
        --pg-buyer-password P  (default nql_bench_buyer)
        --help
      """;

  /** Rows loaded into each system: the visible rows plus one hidden row per four visible. */
  long totalRows() {
    return rows + rows / 4;
  }

  /** Point queries each concurrent client runs. */
  int queriesPerClient() {
    return Math.max(20, pointQueries / clients);
  }

  /** The defaults. */
  static BenchOptions defaults() {
    return parse();
  }

  /**
   * Parses the command line.
   *
   * @return the options, or {@code null} when {@code --help} was asked for
   * @throws IllegalArgumentException naming the option when an option is unknown, lacks its value
   *     or the value is out of range
   */
  static BenchOptions parse(String... args) {
    Parser p = new Parser();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (name.equals("--literal-points")) {
        p.literalPoints = true;
        continue;
      }
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("Cannot read option " + name + ": missing value");
      }
      try {
        p.set(name, value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Cannot read option " + name + ": '" + value + "' is not a number", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot read option " + name + ": " + e.getMessage(), e);
      }
    }
    return p.build();
  }

  /** The options being read, starting from the defaults. */
  private static final class Parser {
    long rows = 1_000_000;
    int pointQueries = 1_000;
    boolean literalPoints;
    int warmup = 1;
    int runs = 1;
    int fetchSize = 10_000;
    int frameRows = 0;
    long frameBytes = 0;
    String frameEncoding = "columnar";
    BigDecimal priceCpm = BigDecimal.ZERO;
    long seed = 20261124L;
    Path workDir = Path.of("bench", "target", "work");
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/nql_test";
    String pgUser = "nql";
    String pgPassword = "nql";
    String pgBuyer = "nql_bench_buyer";
    String pgBuyerPassword = "nql_bench_buyer";
    int clients = 32;

    void set(String name, String v) {
      switch (name) {
        case "--rows" -> rows = positive(Long.parseLong(v));
        case "--point-queries" -> pointQueries = (int) positive(Integer.parseInt(v));
        case "--warmup" -> warmup = (int) atLeastZero(Integer.parseInt(v));
        case "--runs" -> runs = (int) positive(Integer.parseInt(v));
        case "--fetch-size" -> fetchSize = (int) positive(Integer.parseInt(v));
        case "--frame-rows" -> frameRows = (int) atLeastZero(Integer.parseInt(v));
        case "--frame-bytes" -> frameBytes = Sizes.parse(v);
        case "--frame-encoding" -> frameEncoding = encoding(v);
        case "--price-cpm" -> priceCpm = price(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--work-dir" -> workDir = Path.of(v);
        case "--pg-url" -> pgUrl = v;
        case "--pg-user" -> pgUser = v;
        case "--pg-password" -> pgPassword = v;
        case "--pg-buyer" -> pgBuyer = role(v);
        case "--pg-buyer-password" -> pgBuyerPassword = v;
        case "--clients" -> clients = (int) positive(Integer.parseInt(v));
        default -> throw new IllegalArgumentException("unknown (see --help)");
      }
    }

    BenchOptions build() {
      return new BenchOptions(
          rows,
          pointQueries,
          literalPoints,
          warmup,
          runs,
          fetchSize,
          frameRows,
          frameBytes,
          frameEncoding,
          priceCpm,
          seed,
          workDir,
          pgUrl,
          pgUser,
          pgPassword,
          pgBuyer,
          pgBuyerPassword,
          clients);
    }
  }

  private static long positive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1, got " + n);
    }
    return n;
  }

  private static long atLeastZero(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("must be at least 0, got " + n);
    }
    return n;
  }

  private static BigDecimal price(String v) {
    BigDecimal p = new BigDecimal(v);
    if (p.signum() < 0 || p.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException("expected USD >= 0 with at most two decimals, got " + v);
    }
    return p;
  }

  /** The buyer role name goes into DDL unquoted: keep it to a plain lowercase identifier. */
  private static String encoding(String v) {
    if (!v.equals("columnar") && !v.equals("standard")) {
      throw new IllegalArgumentException("expected columnar or standard, got '" + v + "'");
    }
    return v;
  }

  private static String role(String v) {
    if (!v.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "expected a lowercase role name (letters, digits, underscores), got '" + v + "'");
    }
    return v;
  }
}
