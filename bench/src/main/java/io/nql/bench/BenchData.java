package io.nql.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The benchmark table, written once as CSV and loaded into both systems: ids 1..N in order; every
 * fifth id is in region {@code internal}, which the policy hides; {@code email} is a column the
 * policy does not expose. Deterministic for a given row count and seed.
 */
final class BenchData {
  /** The region the policy hides. */
  static final String HIDDEN_REGION = "internal";

  /** The policy's row filter, the same text in NQL and in PostgreSQL. */
  static final String POLICY_FILTER = "region <> '" + HIDDEN_REGION + "'";

  /** The columns the policy exposes, in order. */
  static final String VISIBLE_COLUMNS = "id, region, amount, event_ts, name, flag";

  /** Every column, in CSV order. */
  static final String ALL_COLUMNS = VISIBLE_COLUMNS + ", email";

  private static final String[] REGIONS = {"amer", "apac", "emea", "latam"};
  private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private BenchData() {}

  /** Whether the policy shows the row with this id. */
  static boolean visible(long id) {
    return id % 5 != 0;
  }

  /** Visible rows among ids 1..total. */
  static long visibleRows(long total) {
    return total - total / 5;
  }

  /**
   * The CSV for {@code total} rows and {@code seed} under {@code dir}, written when absent.
   *
   * @return the file
   */
  static Path csv(Path dir, long total, long seed) throws IOException {
    Path file = dir.resolve("events-" + total + "-" + seed + ".csv");
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "events", ".csv.tmp");
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder line = new StringBuilder(128);
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("id,region,amount,event_ts,name,flag,email\n");
      for (long id = 1; id <= total; id++) {
        line.setLength(0);
        line.append(id).append(',');
        line.append(visible(id) ? REGIONS[random.nextInt(REGIONS.length)] : HIDDEN_REGION);
        line.append(',');
        if (random.nextInt(100) != 0) { // 1 % NULL amounts
          long cents = random.nextLong(100_000_000L);
          line.append(cents / 100).append('.');
          long c = cents % 100;
          line.append(c < 10 ? "0" : "").append(c);
        }
        line.append(',');
        line.append(TS.format(EPOCH.plusSeconds(random.nextLong(365L * 24 * 3600)))).append(',');
        line.append("customer-").append(Long.toString(random.nextLong(1L << 40), 36)).append(',');
        line.append(random.nextBoolean()).append(',');
        line.append("user").append(id).append("@example.com\n");
        w.append(line);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
