package io.nql.bench.soak;

import io.nql.bench.LocalNql;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The soak's marketplace: a provider with a static dataset ({@code events}, {@code rows} rows, ids
 * 1..rows) shared through a free and a priced access rule with two buyer companies, an empty
 * dataset the provider loads into during the run ({@code feed}), one materialized view per refresh
 * client, and the gateway serving it all in this JVM on free loopback ports.
 */
final class SoakWorld implements AutoCloseable {
  static final String PROVIDER = "soak_provider";
  static final String PROVIDER_USER = "soak_provider_user";
  static final String[] BUYERS = {"soak_buyer_a", "soak_buyer_b"};
  static final String FREE_RULE = PROVIDER + ".events_free";
  static final String PRICED_RULE = PROVIDER + ".events_priced";

  /** PRICE_CPM_USD = 2: 2 USD per 1,000 rows, 2,000 micro-USD per row. */
  static final long PRICED_MICROS_PER_ROW = 2_000;

  /** Rows of the priced rule each materialized view's query selects. */
  static final int VIEW_ROWS = 2_000;

  /** The budget of the views that are cut: 3 USD buy 1,500 of their 2,000 rows. */
  static final int CUT_VIEW_ROWS = 1_500;

  /** Rows of each CSV file a loader copies in. */
  static final int LOAD_FILE_ROWS = 500;

  static final int LOAD_FILES = 4;

  private static final String ADMIN_PW = "soak-admin-secret";
  private static final String PW = "soak-user-secret";

  final Path workDir;
  final Gateway gateway;
  final int rows;
  final int views;

  private SoakWorld(Path workDir, Gateway gateway, int rows, int views) {
    this.workDir = workDir;
    this.gateway = gateway;
    this.rows = rows;
    this.views = views;
  }

  /** The user of buyer company {@code i}. */
  static String buyerUser(int i) {
    return BUYERS[i] + "_user";
  }

  static String password() {
    return PW;
  }

  /** The name of materialized view {@code v} (owned by buyer {@code v % 2}). */
  static String view(int v) {
    return "soak_view_" + v;
  }

  /** Rows each run of view {@code v} buys: odd views are cut by their budget. */
  static int viewRows(int v) {
    return v % 2 == 1 ? CUT_VIEW_ROWS : VIEW_ROWS;
  }

  /**
   * Creates the warehouse and data under {@code workDir} (emptied first) and starts the gateway.
   */
  static SoakWorld create(Path workDir, int rows, int views, Duration maintenance)
      throws IOException {
    LocalNql.deleteTree(workDir);
    Path ingest = Files.createDirectories(workDir.resolve("ingest"));
    Path area = Files.createDirectories(ingest.resolve(PROVIDER).resolve("loads"));
    writeCsv(area.getParent().resolve("events.csv"), 1, rows);
    for (int f = 0; f < LOAD_FILES; f++) {
      writeCsv(area.resolve("part-" + f + ".csv"), 1 + f * LOAD_FILE_ROWS, LOAD_FILE_ROWS);
    }
    Path warehouse = workDir.resolve("warehouse");
    try (NqlEngine engine =
        NqlEngine.open(new EngineConfig(warehouse, null, null, null, List.of(ingest), ADMIN_PW))) {
      try (NqlSession admin = engine.trusted("admin")) {
        LocalNql.run(admin, "CREATE COMPANY " + PROVIDER);
        LocalNql.run(admin, user(PROVIDER_USER, PROVIDER));
        for (int i = 0; i < BUYERS.length; i++) {
          LocalNql.run(admin, "CREATE COMPANY " + BUYERS[i], user(buyerUser(i), BUYERS[i]));
        }
      }
      String share = " SHARE WITH COMPANIES (" + String.join(", ", BUYERS) + ") AS ";
      try (NqlSession p = engine.trusted(PROVIDER_USER)) {
        LocalNql.run(
            p,
            "CREATE DATASET \"events\" (id BIGINT, region VARCHAR, amount DECIMAL(12, 2),"
                + " name VARCHAR)",
            "COPY INTO company_data.events FROM 'events.csv' HEADER = TRUE",
            "CREATE DATASET \"feed\" (id BIGINT, region VARCHAR, amount DECIMAL(12, 2),"
                + " name VARCHAR)",
            "CREATE ACCESS RULE \"events_free\" PRICE_CPM_USD = 0"
                + share
                + "SELECT id, region, amount, name FROM company_data.events",
            "CREATE ACCESS RULE \"events_priced\" PRICE_CPM_USD = 2"
                + share
                + "SELECT id, region, amount FROM company_data.events");
      }
      for (int v = 0; v < views; v++) {
        try (NqlSession b = engine.trusted(buyerUser(v % 2))) {
          LocalNql.run(
              b,
              "CREATE MATERIALIZED VIEW \""
                  + view(v)
                  + "\" WRITE_MODE = 'overwrite' AS SELECT id, amount FROM "
                  + PRICED_RULE
                  + " WHERE id <= "
                  + VIEW_ROWS
                  + (v % 2 == 1 ? " LIMIT 3 USD" : " NO LIMIT"));
        }
      }
    }
    Gateway gateway =
        Gateway.start(
            GatewayConfig.builder(warehouse)
                .bindAddress("127.0.0.1")
                .jdbcPort(0)
                .flightPort(0)
                .metricsPort(0)
                .maintenanceInterval(maintenance)
                .snapshotRetention(
                    maintenance.isZero() ? NqlEngine.DEFAULT_SNAPSHOT_RETENTION : maintenance)
                .ingestRoots(List.of(ingest))
                .adminPassword(ADMIN_PW)
                .build());
    return new SoakWorld(workDir, gateway, rows, views);
  }

  private static String user(String name, String company) {
    return "CREATE USER \"" + name + "\" COMPANY " + company + " PASSWORD '" + PW + "'";
  }

  /** Rows {@code first}..{@code first + n - 1}: id, region, amount (id / 100), name. */
  private static void writeCsv(Path file, long first, int n) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("id,region,amount,name\n");
      for (long id = first; id < first + n; id++) {
        w.write(
            String.format(
                Locale.ROOT, "%d,%s,%d.%02d,name-%d%n", id, region(id), id / 100, id % 100, id));
      }
    }
  }

  static String region(long id) {
    return switch ((int) (id % 4)) {
      case 0 -> "eu";
      case 1 -> "us";
      case 2 -> "apac";
      default -> "latam";
    };
  }

  /** A new {@code jdbc:nql} connection as {@code user}. */
  Connection connect(String user) throws SQLException {
    return LocalNql.connect(gateway, user, PW);
  }

  @Override
  public void close() throws IOException {
    try {
      gateway.close();
    } finally {
      LocalNql.deleteTree(workDir);
    }
  }
}
