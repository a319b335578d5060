package io.nql.bench.scan;

import io.nql.bench.LocalNql;
import io.nql.bench.PgCopy;
import io.nql.bench.Report;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The scan benchmark: a 10 M-row × 6-column result (ints, decimals, strings, timestamps) behind an
 * access rule, fetched in full and 1 %-selectively, and summed up by a two-column {@code GROUP BY},
 * through NQL's Flight SQL endpoint (Java {@code FlightSqlClient}), through {@code jdbc:nql},
 * through PostgreSQL via pgjdbc (row-level security and column privileges enforcing the same
 * policy), and by DuckDB in-process over the very Parquet files NQL's warehouse holds (the policy
 * written into its query). Every client reads every value; all must agree. Then N concurrent Flight
 * SQL streams of the full scan ({@link ConcurrentStreams}). Prints each figure with its goal.
 */
public final class ScanBench {
  private static final String ADMIN_PW = "scan-admin-secret";
  private static final String PROVIDER_PW = "scan-provider-secret";
  static final String BUYER = "scan_buyer_user";
  private static final String BUYER_PW = "scan-buyer-secret";
  private static final String RULE = "scan_provider.events_visible";
  private static final String PG_TABLE = "nql_bench.scan_events";

  /** The rule over the provider's dataset in a PostgreSQL data plane (the {@code plane} system). */
  private static final String PLANE_RULE = "scan_provider.events_pg_visible";

  /** The {@code plane} system's name in the figures. */
  static final String PLANE = "PG plane, Flight SQL";

  /** Whether {@link #loadPostgres} ran (the postgres and plane systems both read its table). */
  private static boolean pgLoaded;

  private ScanBench() {}

  /** One system's median time of one scenario, and what it answered. */
  record Measure(String scenario, String system, Answer answer, double seconds) {
    /** Returned rows per second; for the aggregate, rows summed up per second. */
    double rowsPerSecond() {
      return answer.rowsCounted() / seconds;
    }

    double mbPerSecond() {
      return answer.valueBytes() / 1e6 / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    ScanOptions o;
    try {
      o = ScanOptions.parse(args);
    } catch (ScanOptions.HelpRequested h) {
      System.out.print(ScanOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("bench/scan: " + e.getMessage());
      System.exit(2);
      return;
    }
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    System.out.print(Report.machine());
    long loaded = o.loadedRows();
    // The provider's ingest area <root>/<company_slug>/, apart from the warehouse in the work dir.
    ScanData data = ScanData.ensure(o.workDir().resolve("ingest").resolve("scan_provider"), loaded);
    Path warehouse = Files.createTempDirectory(o.workDir().toAbsolutePath(), "nql-warehouse");
    List<ScanClient> clients = new ArrayList<>();
    Gateway gateway = null;
    boolean failed = false;
    try {
      double nqlLoad = loadNql(warehouse, data);
      gateway =
          LocalNql.startGateway(
              warehouse,
              o.frameRows(),
              0,
              ADMIN_PW,
              o.systems().contains("plane") ? List.of(hostAndPort(o.pgUrl())) : List.of());
      System.out.printf("NQL: loaded %,d rows in %.1f s%n", loaded, nqlLoad);
      for (String s : o.systems()) {
        clients.add(client(s, o, data, gateway, warehouse));
      }
      List<Measure> results = new ArrayList<>();
      for (String scenario : o.scenarios()) {
        Answer reference = null;
        for (ScanClient c : clients) {
          Measure m = measure(c, scenario, o);
          if (reference == null) {
            reference = m.answer();
          } else {
            String diff = m.answer().differenceFrom(reference);
            if (diff != null) {
              throw new IllegalStateException(c.name() + " disagrees on " + scenario + ": " + diff);
            }
          }
          results.add(m);
        }
      }
      ConcurrentStreams.Outcome streams = null;
      Measure single = flightFull(results);
      if (o.streams() > 0 && single == null) {
        System.out.println("streams: not run, flight or full is not among --systems/--scenarios");
      } else if (o.streams() > 0) {
        Gateway g = gateway;
        streams =
            ConcurrentStreams.run(
                o.streams(),
                gateway.flightPort(),
                BUYER,
                BUYER_PW,
                RULE,
                (Checksum) single.answer(),
                g::flightAllocatedBytes);
        failed = streams.failed();
      }
      ScanReport report = new ScanReport(System.out);
      System.out.println();
      report.machine(o, loaded);
      report.scenarios(results);
      if (streams != null) {
        report.streams(streams, single.rowsPerSecond());
      }
    } finally {
      for (ScanClient c : clients) {
        try {
          c.close();
        } catch (Exception e) {
          System.err.println("closing " + c.name() + ": " + e.getMessage());
        }
      }
      if (gateway != null) {
        gateway.close();
      }
      LocalNql.deleteTree(warehouse);
    }
    if (failed) {
      System.err.println("bench/scan: the concurrent run failed its checks (see above)");
      System.exit(1);
    }
  }

  private static ScanClient client(
      String system, ScanOptions o, ScanData data, Gateway gateway, Path warehouse)
      throws Exception {
    return switch (system) {
      case "flight" -> new FlightScan(gateway.flightPort(), BUYER, BUYER_PW, RULE);
      case "jdbc" ->
          new JdbcScan(
              "jdbc:nql",
              () -> LocalNql.connect(gateway, BUYER, BUYER_PW),
              RULE,
              o.fetchSize(),
              false);
      case "plane" -> {
        ensurePostgres(o, data);
        createPlaneRule(o, gateway);
        yield new FlightScan(gateway.flightPort(), BUYER, BUYER_PW, PLANE_RULE, PLANE);
      }
      case "postgres" -> {
        ensurePostgres(o, data);
        yield new JdbcScan(
            "PostgreSQL",
            () -> DriverManager.getConnection(o.pgUrl(), o.pgBuyer(), o.pgBuyerPassword()),
            PG_TABLE,
            o.fetchSize(),
            true); // pgjdbc streams with a fetch size only inside a transaction
      }
      case "duckdb" -> new DuckScan(warehouse);
      default -> throw new IllegalStateException(system);
    };
  }

  /**
   * Warm-up runs, then the timed runs of one system and scenario; the median time. Every run must
   * give the same answer, and the scan and the aggregate must see every visible row.
   */
  private static Measure measure(ScanClient c, String scenario, ScanOptions o) throws Exception {
    for (int i = 0; i < o.warmup(); i++) {
      c.run(scenario);
    }
    double[] times = new double[o.runs()];
    Answer answer = null;
    for (int i = 0; i < o.runs(); i++) {
      long t0 = System.nanoTime();
      Answer run = c.run(scenario);
      times[i] = (System.nanoTime() - t0) / 1e9;
      if (answer != null && answer.differenceFrom(run) != null) {
        throw new IllegalStateException(
            c.name()
                + " answered "
                + scenario
                + " differently between runs: "
                + answer.differenceFrom(run));
      }
      answer = run;
    }
    Arrays.sort(times);
    if (!scenario.equals(ScanQueries.SELECTIVE) && answer.rowsCounted() != o.rows()) {
      throw new IllegalStateException(
          c.name()
              + " counted "
              + answer.rowsCounted()
              + " rows in "
              + scenario
              + ", the policy leaves "
              + o.rows());
    }
    Measure m = new Measure(scenario, c.name(), answer, times[times.length / 2]);
    System.out.printf(
        Locale.ROOT,
        "%-9s %-11s %,12d rows %8.3f s %,14.0f rows/s %s%n",
        scenario,
        c.name(),
        answer.rowsReturned(),
        m.seconds(),
        m.rowsPerSecond(),
        answer.valueBytes() == 0
            ? "(rows summed up)"
            : String.format(Locale.ROOT, "%9.1f MB/s", m.mbPerSecond()));
    return m;
  }

  private static Measure flightFull(List<Measure> results) {
    for (Measure m : results) {
      if (m.scenario().equals(ScanQueries.FULL) && m.system().equals("Flight SQL")) {
        return m;
      }
    }
    return null;
  }

  /** NQL: the provider loads the Parquet file and shares the visible part with the buyer. */
  private static double loadNql(Path warehouse, ScanData data) {
    long t0 = System.nanoTime();
    EngineConfig config =
        new EngineConfig(
            warehouse, null, null, null, List.of(data.parquet.getParent().getParent()), ADMIN_PW);
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        run(
            admin,
            "CREATE COMPANY scan_provider",
            "CREATE COMPANY scan_buyer",
            "CREATE USER \"scan_provider_user\" COMPANY scan_provider PASSWORD '"
                + PROVIDER_PW
                + "'",
            "CREATE USER \"" + BUYER + "\" COMPANY scan_buyer PASSWORD '" + BUYER_PW + "'");
      }
      try (NqlSession provider = engine.trusted("scan_provider_user")) {
        run(
            provider,
            "CREATE DATASET \"events\" (" + ScanData.DDL.replace(" NOT NULL", "") + ")",
            "COPY INTO company_data.events FROM '" + data.parquet + "'",
            "CREATE ACCESS RULE \"events_visible\" PRICE_CPM_USD = 0"
                + " SHARE WITH COMPANIES (scan_buyer) AS SELECT "
                + ScanData.VISIBLE_COLUMNS
                + " FROM company_data.events WHERE "
                + ScanData.POLICY_FILTER);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void run(NqlSession session, String... statements) {
    LocalNql.run(session, statements);
  }

  private static void ensurePostgres(ScanOptions o, ScanData data)
      throws SQLException, IOException {
    if (!pgLoaded) {
      double pgLoad = loadPostgres(o, data);
      System.out.printf("PostgreSQL: loaded %,d rows in %.1f s%n", o.loadedRows(), pgLoad);
      pgLoaded = true;
    }
  }

  /**
   * The provider, through {@code jdbc:nql} as a provider would: a data plane for the PostgreSQL
   * database, a dataset over the benchmark's PostgreSQL table in it, and the same access rule as
   * over the embedded dataset.
   */
  private static void createPlaneRule(ScanOptions o, Gateway gateway) throws SQLException {
    try (Connection c = LocalNql.connect(gateway, "scan_provider_user", PROVIDER_PW);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE DATA PLANE bench_pg TYPE POSTGRES URL '"
              + o.pgUrl().replace("'", "''")
              + "' USER '"
              + o.pgUser().replace("'", "''")
              + "' PASSWORD '"
              + o.pgPassword().replace("'", "''")
              + "'");
      s.execute("CREATE DATASET \"events_pg\" IN DATA PLANE bench_pg TABLE '" + PG_TABLE + "'");
      s.execute(
          "CREATE ACCESS RULE \"events_pg_visible\" PRICE_CPM_USD = 0"
              + " SHARE WITH COMPANIES (scan_buyer) AS SELECT "
              + ScanData.VISIBLE_COLUMNS
              + " FROM company_data.events_pg WHERE "
              + ScanData.POLICY_FILTER);
    }
  }

  /** {@code host:port} of a {@code jdbc:postgresql://host[:port]/db} URL (port 5432 if none). */
  static String hostAndPort(String jdbcUrl) {
    java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  /** PostgreSQL: the same rows, row-level security and column privileges for the buyer role. */
  private static double loadPostgres(ScanOptions o, ScanData data)
      throws SQLException, IOException {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(o.pgUrl(), o.pgUser(), o.pgPassword());
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + o.pgBuyer() + "'")) {
        if (!rs.next()) {
          throw new SQLException(
              "No PostgreSQL role "
                  + o.pgBuyer()
                  + ": create it once as a superuser, e.g. runuser -u postgres -- psql -c"
                  + " \"CREATE ROLE "
                  + o.pgBuyer()
                  + " LOGIN PASSWORD '"
                  + o.pgBuyerPassword()
                  + "'\"");
        }
      }
      s.execute("CREATE SCHEMA IF NOT EXISTS nql_bench");
      s.execute("DROP TABLE IF EXISTS " + PG_TABLE);
      s.execute(
          "CREATE TABLE "
              + PG_TABLE
              + " ("
              + ScanData.DDL.replace("id BIGINT NOT NULL", "id BIGINT PRIMARY KEY")
              + ")");
      PgCopy.csv(c, PG_TABLE, ScanData.ALL_COLUMNS, data.csv);
      s.execute("ANALYZE " + PG_TABLE);
      s.execute("ALTER TABLE " + PG_TABLE + " ENABLE ROW LEVEL SECURITY");
      s.execute(
          "CREATE POLICY buyer_visible ON "
              + PG_TABLE
              + " FOR SELECT TO "
              + o.pgBuyer()
              + " USING ("
              + ScanData.POLICY_FILTER
              + ")");
      s.execute("GRANT USAGE ON SCHEMA nql_bench TO " + o.pgBuyer());
      s.execute(
          "GRANT SELECT (" + ScanData.VISIBLE_COLUMNS + ") ON " + PG_TABLE + " TO " + o.pgBuyer());
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
