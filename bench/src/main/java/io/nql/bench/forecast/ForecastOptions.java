package io.nql.bench.forecast;

import java.nio.file.Path;

/**
 * The forecast benchmark's settings, from the command line.
 *
 * @param rows rows of the skewed dataset the accuracy is measured on
 * @param speedRows rows of the 30-partition dataset EXPLAIN is timed on
 * @param speedExplains timed EXPLAIN statements per system
 * @param warmup untimed EXPLAIN statements per system before the timed ones
 * @param tolerance relative error a forecast may have and still count as right (0.20: ±20 %)
 * @param floorRows below this many rows, forecast and actual both at or under it count as right
 * @param seed seed of the data and of the queries' literals
 * @param skipSpeed do not load the speed dataset nor time EXPLAIN
 * @param skipPostgres no PostgreSQL baseline
 * @param skipDemo leave out the demo marketplace (its datasets and queries)
 * @param fetchSize JDBC fetch size when counting a query's rows
 * @param frameRows the gateway's most rows per Avatica frame
 * @param workDir where the generated CSV files and the NQL warehouse go
 * @param pgUrl JDBC URL of the PostgreSQL database
 * @param pgUser PostgreSQL role that owns the baseline tables
 * @param pgPassword its password
 */
public record ForecastOptions(
    long rows,
    long speedRows,
    int speedExplains,
    int warmup,
    double tolerance,
    long floorRows,
    long seed,
    boolean skipSpeed,
    boolean skipPostgres,
    boolean skipDemo,
    int fetchSize,
    int frameRows,
    Path workDir,
    String pgUrl,
    String pgUser,
    String pgPassword) {

  static final String USAGE =
      """
      Usage: bench/forecast [options]
        --rows N               rows of the skewed dataset the forecasts are checked on
                               (default 1000000)
        --speed-rows N         rows of the 30-partition dataset EXPLAIN is timed on (default 10000000)
        --speed-explains N     timed EXPLAIN statements per system (default 200)
        --warmup N             untimed EXPLAIN statements per system first (default 20)
        --tolerance F          relative error that still counts as right (default 0.20)
        --floor-rows N         forecast and actual both at most N rows count as right (default 10)
        --seed N               data and query seed (default 20261206)
        --skip-speed           do not time EXPLAIN (no speed dataset)
        --skip-postgres        no PostgreSQL baseline
        --skip-demo            leave out the demo marketplace and its queries
        --fetch-size N         JDBC fetch size when counting result rows (default 10000)
        --frame-rows N         gateway rows per Avatica frame (default 10000)
        --work-dir DIR         CSV files and NQL warehouse (default bench/target/forecast)
        --pg-url URL           (default jdbc:postgresql://127.0.0.1:5432/nql_test)
        --pg-user U            (default nql)
        --pg-password P        (default nql)
        --help
      """;

  /** Thrown by {@link #parse} for {@code --help}. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(null, null, false, false);
    }
  }

  /**
   * Parses the command line.
   *
   * @throws HelpRequested for {@code --help}
   * @throws IllegalArgumentException naming the option when it is unknown, lacks its value or the
   *     value is out of range
   */
  static ForecastOptions parse(String... args) {
    long rows = 1_000_000;
    long speedRows = 10_000_000;
    int speedExplains = 200;
    int warmup = 20;
    double tolerance = 0.20;
    long floorRows = 10;
    long seed = 20261206L;
    boolean skipSpeed = false;
    boolean skipPostgres = false;
    boolean skipDemo = false;
    int fetchSize = 10_000;
    int frameRows = 10_000;
    Path workDir = Path.of("bench", "target", "forecast");
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/nql_test";
    String pgUser = "nql";
    String pgPassword = "nql";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> throw new HelpRequested();
        case "--skip-speed" -> {
          skipSpeed = true;
          continue;
        }
        case "--skip-postgres" -> {
          skipPostgres = true;
          continue;
        }
        case "--skip-demo" -> {
          skipDemo = true;
          continue;
        }
        default -> {}
      }
      String name = a;
      String v;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        v = a.substring(eq + 1);
      } else if (i + 1 < args.length) {
        v = args[++i];
      } else {
        throw new IllegalArgumentException("Option " + a + " needs a value (see --help)");
      }
      try {
        switch (name) {
          case "--rows" -> rows = atLeast(name, Long.parseLong(v), 1_000);
          case "--speed-rows" -> speedRows = atLeast(name, Long.parseLong(v), 1_000);
          case "--speed-explains" -> speedExplains = (int) atLeast(name, Integer.parseInt(v), 1);
          case "--warmup" -> warmup = (int) atLeast(name, Integer.parseInt(v), 0);
          case "--tolerance" -> tolerance = fraction(name, Double.parseDouble(v));
          case "--floor-rows" -> floorRows = atLeast(name, Long.parseLong(v), 0);
          case "--seed" -> seed = Long.parseLong(v);
          case "--fetch-size" -> fetchSize = (int) atLeast(name, Integer.parseInt(v), 1);
          case "--frame-rows" -> frameRows = (int) atLeast(name, Integer.parseInt(v), 1);
          case "--work-dir" -> workDir = Path.of(v);
          case "--pg-url" -> pgUrl = v;
          case "--pg-user" -> pgUser = v;
          case "--pg-password" -> pgPassword = v;
          default -> throw new IllegalArgumentException("Unknown option " + a + " (see --help)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Option " + name + ": '" + v + "' is not a number", e);
      }
    }
    return new ForecastOptions(
        rows,
        speedRows,
        speedExplains,
        warmup,
        tolerance,
        floorRows,
        seed,
        skipSpeed,
        skipPostgres,
        skipDemo,
        fetchSize,
        frameRows,
        workDir,
        pgUrl,
        pgUser,
        pgPassword);
  }

  private static long atLeast(String option, long v, long min) {
    if (v < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", got " + v);
    }
    return v;
  }

  private static double fraction(String option, double v) {
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(option + " must be between 0 and 1, got " + v);
    }
    return v;
  }
}
