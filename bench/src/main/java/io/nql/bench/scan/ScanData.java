package io.nql.bench.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark table, generated deterministically by DuckDB once per size and kept in the work
 * directory: {@code events-<loaded rows>.parquet} for NQL's {@code COPY INTO}, and the same rows as
 * CSV for PostgreSQL's {@code COPY}.
 *
 * <p>Six columns the buyer may read — {@code id BIGINT}, {@code user_id INTEGER}, {@code amount
 * DECIMAL(12,2)} (1 % NULL), {@code country VARCHAR}, {@code label VARCHAR}, {@code event_ts
 * TIMESTAMP} — and two the policy uses or hides: {@code segment} ({@code 'internal'} on every fifth
 * id: those rows are hidden) and {@code email} (never granted). Strings are ASCII, so a value's
 * character count is its byte count in every client.
 */
final class ScanData {
  static final String VISIBLE_COLUMNS = "id, user_id, amount, country, label, event_ts";
  static final String ALL_COLUMNS = VISIBLE_COLUMNS + ", segment, email";
  static final String POLICY_FILTER = "segment <> 'internal'";

  /** The 1 %-selective predicate: user_id is spread uniformly over 0..99,999. */
  static final String SELECTIVE_FILTER = "user_id < 1000";

  static final String DDL =
      "id BIGINT NOT NULL, user_id INTEGER NOT NULL, amount DECIMAL(12, 2),"
          + " country VARCHAR NOT NULL, label VARCHAR NOT NULL, event_ts TIMESTAMP NOT NULL,"
          + " segment VARCHAR NOT NULL, email VARCHAR NOT NULL";

  final Path parquet;
  final Path csv;

  private ScanData(Path parquet, Path csv) {
    this.parquet = parquet;
    this.csv = csv;
  }

  /** The files for {@code loadedRows} rows under {@code dir}, generated when absent. */
  static ScanData ensure(Path dir, long loadedRows) throws SQLException, java.io.IOException {
    Files.createDirectories(dir);
    Path parquet = dir.resolve("events-" + loadedRows + ".parquet").toAbsolutePath();
    Path csv = dir.resolve("events-" + loadedRows + ".csv").toAbsolutePath();
    if (!Files.exists(parquet) || !Files.exists(csv)) {
      long t0 = System.nanoTime();
      try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = duck.createStatement()) {
        s.execute("CREATE TABLE events (" + DDL + ")");
        s.execute(
            "INSERT INTO events SELECT i,"
                + " ((i * 7919) % 100000)::INTEGER,"
                + " CASE WHEN i % 100 = 7 THEN NULL"
                + "  ELSE (((i * 104729) % 10000000) / 100.0)::DECIMAL(12, 2) END,"
                + " (['USA','GBR','DEU','FRA','JPN','BRA','IND','CAN'])[1 + (i % 8)::INTEGER],"
                + " 'label_' || (i % 1000),"
                + " TIMESTAMP '2026-10-01 00:00:00' + to_seconds((i * 37) % 2592000),"
                + " CASE WHEN i % 5 = 0 THEN 'internal' ELSE 'public' END,"
                + " 'user' || i || '@example.com'"
                + " FROM range(1, "
                + (loadedRows + 1)
                + ") t(i)");
        s.execute("COPY events TO '" + tmp(parquet) + "' (FORMAT PARQUET)");
        s.execute("COPY events TO '" + tmp(csv) + "' (FORMAT CSV, HEADER TRUE)");
      }
      Files.move(tmp(parquet), parquet, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp(csv), csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      System.out.printf(
          "generated %,d rows with DuckDB in %.1f s: %s%n",
          loadedRows, (System.nanoTime() - t0) / 1e9, parquet.getParent());
    }
    return new ScanData(parquet, csv);
  }

  private static Path tmp(Path p) {
    return p.resolveSibling(p.getFileName() + ".tmp");
  }

  /** Rows the policy leaves visible out of {@code loadedRows} (ids 1..n, every fifth hidden). */
  static long visibleRows(long loadedRows) {
    return loadedRows - loadedRows / 5;
  }
}
