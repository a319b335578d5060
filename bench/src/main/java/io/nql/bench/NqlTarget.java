package io.nql.bench;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The NQL side: a fresh warehouse where the provider loads the CSV with {@code COPY INTO} and
 * shares it with the buyer's company through an access rule (the policy); then {@code nql serve} in
 * this JVM on a free loopback port, queried through {@code jdbc:nql://}.
 */
final class NqlTarget implements Target {
  static final String PROVIDER = "bench_provider";
  static final String BUYER_COMPANY = "bench_buyer";
  static final String BUYER = "bench_buyer_user";
  static final String RULE = "events_visible";
  private static final String ADMIN_PW = "bench-admin-secret";
  private static final String PROVIDER_PW = "bench-provider-secret";
  private static final String BUYER_PW = "bench-buyer-secret";

  private final Path warehouse;
  private final Gateway gateway;
  private final String budget;
  private final String frameEncoding;
  private final double loadSeconds;

  private NqlTarget(
      Path warehouse, Gateway gateway, String budget, String frameEncoding, double loadSeconds) {
    this.warehouse = warehouse;
    this.gateway = gateway;
    this.budget = budget;
    this.frameEncoding = frameEncoding;
    this.loadSeconds = loadSeconds;
  }

  /**
   * Creates the warehouse under {@code workDir}, loads {@code csv} (staged in the provider's ingest
   * area {@code <root>/bench_provider/}) and starts the gateway.
   */
  static NqlTarget start(BenchOptions o, Path workDir, Path csv) throws IOException {
    Path warehouse = Files.createTempDirectory(workDir, "nql-warehouse");
    long t0 = System.nanoTime();
    EngineConfig config =
        new EngineConfig(
            warehouse, null, null, null, List.of(csv.getParent().getParent()), ADMIN_PW);
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        run(
            admin,
            "CREATE COMPANY " + PROVIDER,
            "CREATE COMPANY " + BUYER_COMPANY,
            "CREATE USER \"bench_provider_user\" COMPANY "
                + PROVIDER
                + " PASSWORD '"
                + PROVIDER_PW
                + "'",
            "CREATE USER \""
                + BUYER
                + "\" COMPANY "
                + BUYER_COMPANY
                + " PASSWORD '"
                + BUYER_PW
                + "'");
      }
      try (NqlSession provider = engine.trusted("bench_provider_user")) {
        run(
            provider,
            "CREATE DATASET \"events\" (id BIGINT, region VARCHAR, amount DECIMAL(12, 2),"
                + " event_ts TIMESTAMP, name VARCHAR, flag BOOLEAN, email VARCHAR)",
            "COPY INTO company_data.events FROM '" + csv + "' FORMAT = 'csv' HEADER = TRUE",
            "CREATE ACCESS RULE \""
                + RULE
                + "\" PRICE_CPM_USD = "
                + o.priceCpm().toPlainString()
                + " SHARE WITH COMPANIES ("
                + BUYER_COMPANY
                + ") AS SELECT "
                + BenchData.VISIBLE_COLUMNS
                + " FROM company_data.events WHERE "
                + BenchData.POLICY_FILTER);
      }
    }
    double load = (System.nanoTime() - t0) / 1e9;
    Gateway gateway = LocalNql.startGateway(warehouse, o.frameRows(), o.frameBytes(), ADMIN_PW);
    // A priced rule needs a budget: NO LIMIT, so the buyer is never capped mid-benchmark.
    String budget = o.priceCpm().signum() > 0 ? " NO LIMIT" : "";
    return new NqlTarget(warehouse, gateway, budget, o.frameEncoding(), load);
  }

  private static void run(NqlSession session, String... statements) {
    LocalNql.run(session, statements);
  }

  @Override
  public String name() {
    return "NQL";
  }

  @Override
  public Connection connectAsBuyer() throws SQLException {
    return LocalNql.connect(gateway, BUYER, BUYER_PW, "frame_encoding=" + frameEncoding);
  }

  @Override
  public String fullFetchSql() {
    return "SELECT " + BenchData.VISIBLE_COLUMNS + " FROM " + PROVIDER + "." + RULE + budget;
  }

  @Override
  public String pointSql() {
    return "SELECT "
        + BenchData.VISIBLE_COLUMNS
        + " FROM "
        + PROVIDER
        + "."
        + RULE
        + " WHERE id = ?"
        + budget;
  }

  /** The gateway's Flight SQL port. */
  int flightPort() {
    return gateway.flightPort();
  }

  /** The buyer's user name and password (Flight SQL logs in with them too). */
  static String buyerUser() {
    return BUYER;
  }

  static String buyerPassword() {
    return BUYER_PW;
  }

  /** A session of the buyer in the gateway's own engine (for planning times). */
  NqlSession buyerSession() {
    return gateway.engine().trusted(BUYER);
  }

  @Override
  public double loadSeconds() {
    return loadSeconds;
  }

  @Override
  public void checkPolicy(long expectedVisibleRows) throws SQLException {
    try (Connection c = connectAsBuyer();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT COUNT(*) FROM " + PROVIDER + "." + RULE + budget)) {
        rs.next();
        Checks.equal(name() + " visible rows", expectedVisibleRows, rs.getLong(1));
      }
      Checks.refused(name(), s, "SELECT email FROM " + PROVIDER + "." + RULE + budget);
      Checks.refused(name(), s, "SELECT id FROM " + PROVIDER + ".events" + budget);
    }
  }

  @Override
  public void close() throws IOException {
    gateway.close();
    LocalNql.deleteTree(warehouse);
  }
}
