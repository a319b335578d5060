package io.nql.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The benchmark's settings, from the command line.
 *
 * @param rows rows the buyer may see (the full fetch returns this many); a quarter as many more are
 *     loaded and hidden by the policy
 * @param pointQueries timed point queries per system
 * @param warmup untimed rounds of each scenario before the timed one
 * @param runs timed full fetches per system (the median is reported)
 * @param fetchSize JDBC fetch size of the full fetch
 * @param frameRows the gateway's most rows per Avatica frame
 * @param priceCpm the access rule's price (0: a free rule)
 * @param seed seed of the data and of the point-query ids
 * @param workDir where the CSV and the NQL warehouse go
 * @param pgUrl JDBC URL of the PostgreSQL database
 * @param pgUser PostgreSQL role that owns the benchmark table
 * @param pgPassword its password
 * @param pgBuyer PostgreSQL role the queries run as (not the owner)
 * @param pgBuyerPassword its password
 */
public record BenchOptions(
    long rows,
    int pointQueries,
    int warmup,
    int runs,
    int fetchSize,
    int frameRows,
    BigDecimal priceCpm,
    long seed,
    Path workDir,
    String pgUrl,
    String pgUser,
    String pgPassword,
    String pgBuyer,
    String pgBuyerPassword) {

  static final String USAGE =
      """
      Usage: bench/run [options]
        --rows N               rows the buyer sees and the full fetch returns (default 1000000);
                               N / 4 more rows are loaded and hidden by the policy
        --point-queries N      timed point queries per system (default 1000)
        --warmup N             untimed rounds of each scenario first (default 1)
        --runs N               timed full fetches per system, median reported (default 1)
        --fetch-size N         JDBC fetch size of the full fetch (default 10000)
        --frame-rows N         gateway rows per Avatica frame (default 1000, the gateway's default)
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

  /** The defaults. */
  static BenchOptions defaults() {
    return new BenchOptions(
        1_000_000,
        1_000,
        1,
        1,
        10_000,
        1_000,
        BigDecimal.ZERO,
        20261124L,
        Path.of("bench", "target", "work"),
        "jdbc:postgresql://127.0.0.1:5432/nql_test",
        "nql",
        "nql",
        "nql_bench_buyer",
        "nql_bench_buyer");
  }

  /** Rows loaded into each system: the visible rows plus one hidden row per four visible. */
  long totalRows() {
    return rows + rows / 4;
  }

  /**
   * Parses the command line.
   *
   * @return the options, or {@code null} when {@code --help} was asked for
   * @throws IllegalArgumentException naming the option when an option is unknown, lacks its value
   *     or the value is out of range
   */
  static BenchOptions parse(String... args) {
    BenchOptions o = defaults();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        return null;
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
      o = o.with(name, value);
    }
    return o;
  }

  private BenchOptions with(String name, String v) {
    try {
      return switch (name) {
        case "--rows" -> copy(positive(Long.parseLong(v)), pointQueries, warmup, runs, fetchSize);
        case "--point-queries" ->
            copy(rows, (int) positive(Integer.parseInt(v)), warmup, runs, fetchSize);
        case "--warmup" -> copy(rows, pointQueries, (int) atLeastZero(v), runs, fetchSize);
        case "--runs" ->
            copy(rows, pointQueries, warmup, (int) positive(Integer.parseInt(v)), fetchSize);
        case "--fetch-size" ->
            copy(rows, pointQueries, warmup, runs, (int) positive(Integer.parseInt(v)));
        case "--frame-rows" ->
            new BenchOptions(
                rows,
                pointQueries,
                warmup,
                runs,
                fetchSize,
                (int) positive(Integer.parseInt(v)),
                priceCpm,
                seed,
                workDir,
                pgUrl,
                pgUser,
                pgPassword,
                pgBuyer,
                pgBuyerPassword);
        case "--price-cpm" ->
            new BenchOptions(
                rows,
                pointQueries,
                warmup,
                runs,
                fetchSize,
                frameRows,
                price(v),
                seed,
                workDir,
                pgUrl,
                pgUser,
                pgPassword,
                pgBuyer,
                pgBuyerPassword);
        case "--seed" ->
            new BenchOptions(
                rows,
                pointQueries,
                warmup,
                runs,
                fetchSize,
                frameRows,
                priceCpm,
                Long.parseLong(v),
                workDir,
                pgUrl,
                pgUser,
                pgPassword,
                pgBuyer,
                pgBuyerPassword);
        case "--work-dir" ->
            new BenchOptions(
                rows,
                pointQueries,
                warmup,
                runs,
                fetchSize,
                frameRows,
                priceCpm,
                seed,
                Path.of(v),
                pgUrl,
                pgUser,
                pgPassword,
                pgBuyer,
                pgBuyerPassword);
        case "--pg-url" -> pg(v, pgUser, pgPassword, pgBuyer, pgBuyerPassword);
        case "--pg-user" -> pg(pgUrl, v, pgPassword, pgBuyer, pgBuyerPassword);
        case "--pg-password" -> pg(pgUrl, pgUser, v, pgBuyer, pgBuyerPassword);
        case "--pg-buyer" -> pg(pgUrl, pgUser, pgPassword, role(v), pgBuyerPassword);
        case "--pg-buyer-password" -> pg(pgUrl, pgUser, pgPassword, pgBuyer, v);
        default ->
            throw new IllegalArgumentException(
                "Cannot read option " + name + ": unknown (see --help)");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read option " + name + ": '" + v + "' is not a number", e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Cannot read option")) {
        throw e;
      }
      throw new IllegalArgumentException("Cannot read option " + name + ": " + e.getMessage(), e);
    }
  }

  private BenchOptions copy(long r, int p, int w, int n, int f) {
    return new BenchOptions(
        r,
        p,
        w,
        n,
        f,
        frameRows,
        priceCpm,
        seed,
        workDir,
        pgUrl,
        pgUser,
        pgPassword,
        pgBuyer,
        pgBuyerPassword);
  }

  private BenchOptions pg(String url, String user, String pw, String buyer, String buyerPw) {
    return new BenchOptions(
        rows,
        pointQueries,
        warmup,
        runs,
        fetchSize,
        frameRows,
        priceCpm,
        seed,
        workDir,
        url,
        user,
        pw,
        buyer,
        buyerPw);
  }

  private static long positive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("must be at least 1, got " + n);
    }
    return n;
  }

  private static long atLeastZero(String v) {
    long n = Long.parseLong(v);
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
  private static String role(String v) {
    if (!v.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "expected a lowercase role name (letters, digits, underscores), got '" + v + "'");
    }
    return v.toLowerCase(Locale.ROOT);
  }
}
