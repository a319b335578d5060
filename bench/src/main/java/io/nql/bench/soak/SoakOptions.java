package io.nql.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The options of {@code bench/soak}: how long, how many clients, how much data, where.
 *
 * @param duration how long the clients run (after set-up, before the checks)
 * @param clients concurrent clients, at least 8 (one of each kind, see {@link SoakClient.Kind})
 * @param rows rows of the static dataset the point queries, scans and purchases read
 * @param sampleEvery how often the heap is measured after a full GC
 * @param seed of every client's random choices
 * @param workDir the warehouse and the ingest area (deleted at the end)
 * @param maintenanceEvery the gateway's scheduled maintenance interval, also its snapshot retention
 *     (compaction, snapshot expiry and orphan-file removal run while the clients do); zero: none
 */
public record SoakOptions(
    Duration duration,
    int clients,
    int rows,
    Duration sampleEvery,
    long seed,
    Path workDir,
    Duration maintenanceEvery) {
  static final String USAGE =
      """
      Usage: bench/soak [options]
        --duration D       how long the clients run: 30m, 2m, 90s, 1h (default 30m)
        --clients N        concurrent clients, at least 8 (default 32)
        --rows N           rows of the dataset read by queries and purchases (default 200000)
        --sample-every D   heap measured after a full GC this often (default 10s)
        --seed N           random choices of the clients (default 20261207)
        --work-dir DIR     warehouse and ingest area (default bench/target/soak; deleted at the end)
        --maintenance-every D  the gateway's scheduled maintenance (compaction, snapshot expiry
                           after D, orphan files) every D while the clients run; 0 = none (default 2m)
        --help
      Exit code 0 when every check passed, 1 when one failed, 2 for bad options.
      """;

  /** Thrown by {@link #parse} for {@code --help}. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** Reads {@code --name value} and {@code --name=value}; a bad option is an IllegalArgument. */
  static SoakOptions parse(String... args) {
    Duration duration = Duration.ofMinutes(30);
    int clients = 32;
    int rows = 200_000;
    Duration sample = Duration.ofSeconds(10);
    long seed = 20261207L;
    Path work = Path.of("bench/target/soak");
    Duration maintenance = Duration.ofMinutes(2);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v;
      if (a.equals("--help")) {
        throw new HelpRequested();
      }
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      } else if (i + 1 < args.length) {
        v = args[++i];
      } else {
        throw new IllegalArgumentException("Cannot read option " + a + ": it needs a value");
      }
      switch (a) {
        case "--duration" -> duration = duration(a, v);
        case "--clients" -> clients = atLeast(a, v, 8);
        case "--rows" -> rows = atLeast(a, v, 10_000);
        case "--sample-every" -> sample = duration(a, v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--work-dir" -> work = Path.of(v);
        case "--maintenance-every" ->
            maintenance = v.trim().equals("0") ? Duration.ZERO : duration(a, v);
        default -> throw new IllegalArgumentException("Cannot read option " + a + ": unknown");
      }
    }
    return new SoakOptions(duration, clients, rows, sample, seed, work, maintenance);
  }

  /** {@code 30m}, {@code 90s}, {@code 1h}, {@code 500ms}: a positive number and a unit. */
  static Duration duration(String option, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      } else {
        throw new NumberFormatException();
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read option "
              + option
              + ": expected a duration like 30m, 90s or 1h, got '"
              + v
              + "'");
    }
  }

  private static int atLeast(String option, String v, int min) {
    try {
      int n = Integer.parseInt(v.trim().replace("_", ""));
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException(
        "Cannot read option "
            + option
            + ": expected a whole number of at least "
            + min
            + ", got '"
            + v
            + "'");
  }
}
