package io.nql.bench.scan;

import io.nql.bench.LocalNql;
import io.nql.bench.PgCopy;
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
import java.util.stream.Stream;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * The scan benchmark: a 10 M-row × 6-column result (ints, decimals, strings, timestamps) behind an
 * access rule, fetched in full and 1 %-selectively through NQL's Flight SQL endpoint (Java {@code
 * FlightSqlClient}), through {@code jdbc:nql}, through PostgreSQL via pgjdbc (row-level security
 * and column privileges enforcing the same policy), and by DuckDB in-process over the very Parquet
 * files NQL's warehouse holds (the policy written into its query). Every client reads every value;
 * all must agree on a checksum. Prints rows/s, MB/s and the ratios.
 */
public final class ScanBench {
  private static final String ADMIN_PW = "scan-admin-secret";
  private static final String PROVIDER_PW = "scan-provider-secret";
  static final String BUYER = "scan_buyer_user";
  private static final String BUYER_PW = "scan-buyer-secret";
  private static final String RULE = "scan_provider.events_visible";
  private static final String PG_TABLE = "nql_bench.scan_events";

  private ScanBench() {}

  /** A system under test: runs one query and reads every value. */
  interface Client extends AutoCloseable {
    String name();

    Checksum run(String scenario) throws Exception;
  }

  record Measure(String scenario, String system, Checksum sum, double seconds) {
    double rowsPerSecond() {
      return sum.rows / seconds;
    }

    double mbPerSecond() {
      return sum.logicalBytes() / 1e6 / seconds;
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
    long loaded = o.loadedRows();
    long visible = ScanData.visibleRows(loaded);
    // The provider's ingest area <root>/<company_slug>/, apart from the warehouse in the work dir.
    ScanData data = ScanData.ensure(o.workDir().resolve("ingest").resolve("scan_provider"), loaded);
    Path warehouse = Files.createTempDirectory(o.workDir().toAbsolutePath(), "nql-warehouse");
    List<Client> clients = new ArrayList<>();
    Gateway gateway = null;
    try {
      double nqlLoad = loadNql(warehouse, data);
      gateway = LocalNql.startGateway(warehouse, o.frameRows(), ADMIN_PW);
      System.out.printf("NQL: loaded %,d rows in %.1f s%n", loaded, nqlLoad);
      for (String s : o.systems()) {
        switch (s) {
          case "flight" -> clients.add(new FlightClientRun(gateway.flightPort()));
          case "jdbc" -> clients.add(new JdbcRun("jdbc:nql", nqlJdbc(gateway), RULE, o, ""));
          case "postgres" -> {
            double pgLoad = loadPostgres(o, data);
            System.out.printf("PostgreSQL: loaded %,d rows in %.1f s%n", loaded, pgLoad);
            clients.add(
                new JdbcRun(
                    "PostgreSQL",
                    () -> DriverManager.getConnection(o.pgUrl(), o.pgBuyer(), o.pgBuyerPassword()),
                    PG_TABLE,
                    o,
                    ""));
          }
          case "duckdb" -> clients.add(new DuckRun(warehouse));
          default -> throw new IllegalStateException(s);
        }
      }
      List<Measure> results = new ArrayList<>();
      for (String scenario : List.of("full", "selective")) {
        Checksum reference = null;
        for (Client c : clients) {
          for (int i = 0; i < o.warmup(); i++) {
            c.run(scenario);
          }
          double[] times = new double[o.runs()];
          Checksum sum = null;
          for (int i = 0; i < o.runs(); i++) {
            long t0 = System.nanoTime();
            Checksum run = c.run(scenario);
            times[i] = (System.nanoTime() - t0) / 1e9;
            if (sum != null && !sum.sameAs(run)) {
              throw new IllegalStateException(c.name() + " answered differently between runs");
            }
            sum = run;
          }
          Arrays.sort(times);
          if (scenario.equals("full") && sum.rows != visible) {
            throw new IllegalStateException(
                c.name() + " returned " + sum.rows + " rows, the policy leaves " + visible);
          }
          if (reference == null) {
            reference = sum;
          } else if (!reference.sameAs(sum)) {
            throw new IllegalStateException(
                c.name() + " disagrees on " + scenario + ": " + sum + " vs " + reference);
          }
          Measure m = new Measure(scenario, c.name(), sum, times[times.length / 2]);
          System.out.printf(
              Locale.ROOT,
              "%-9s %-11s %,12d rows %8.3f s %,14.0f rows/s %9.1f MB/s%n",
              scenario,
              c.name(),
              sum.rows,
              m.seconds(),
              m.rowsPerSecond(),
              m.mbPerSecond());
          results.add(m);
        }
      }
      report(o, loaded, results);
    } finally {
      for (Client c : clients) {
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
  }

  private static void report(ScanOptions o, long loaded, List<Measure> results) {
    Runtime rt = Runtime.getRuntime();
    System.out.println();
    System.out.printf(
        "Machine: %d cores, Java %s, max heap %,d MB, load average %.2f%n",
        rt.availableProcessors(),
        System.getProperty("java.version"),
        rt.maxMemory() >> 20,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.printf(
        "Data: %,d rows loaded, %,d visible to the buyer; runs %d (median), warmup %d, fetch size"
            + " %d, frame rows %d%n%n",
        loaded, o.rows(), o.runs(), o.warmup(), o.fetchSize(), o.frameRows());
    System.out.println(
        "| scenario | system | rows | seconds | rows/s | MB/s | × PostgreSQL | × DuckDB |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    for (Measure m : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %,d | %.3f | %,.0f | %.1f | %s | %s |%n",
          m.scenario(),
          m.system(),
          m.sum().rows,
          m.seconds(),
          m.rowsPerSecond(),
          m.mbPerSecond(),
          ratio(m, results, "PostgreSQL"),
          ratio(m, results, "DuckDB"));
    }
  }

  private static String ratio(Measure m, List<Measure> all, String baseline) {
    for (Measure b : all) {
      if (b.scenario().equals(m.scenario()) && b.system().equals(baseline)) {
        return String.format(Locale.ROOT, "%.2f", m.rowsPerSecond() / b.rowsPerSecond());
      }
    }
    return "–";
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

  interface Connector {
    Connection open() throws SQLException;
  }

  private static Connector nqlJdbc(Gateway gateway) {
    return () -> LocalNql.connect(gateway, BUYER, BUYER_PW);
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

  static String sql(String table, String scenario, String extraFilter) {
    List<String> where = new ArrayList<>();
    if (!extraFilter.isEmpty()) {
      where.add(extraFilter);
    }
    if (scenario.equals("selective")) {
      where.add(ScanData.SELECTIVE_FILTER);
    }
    return "SELECT "
        + ScanData.VISIBLE_COLUMNS
        + " FROM "
        + table
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
  }

  /** A JDBC client: jdbc:nql or pgjdbc, one connection, forward-only with a fetch size. */
  static final class JdbcRun implements Client {
    private final String name;
    private final Connection conn;
    private final String table;
    private final String filter;
    private final int fetchSize;

    JdbcRun(String name, Connector connector, String table, ScanOptions o, String filter)
        throws SQLException {
      this.name = name;
      this.conn = connector.open();
      this.table = table;
      this.filter = filter;
      this.fetchSize = o.fetchSize();
      if (name.equals("PostgreSQL")) {
        conn.setAutoCommit(false); // pgjdbc streams with a fetch size only inside a transaction
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Checksum run(String scenario) throws SQLException {
      Checksum c = new Checksum();
      try (Statement s = conn.createStatement()) {
        s.setFetchSize(fetchSize);
        try (ResultSet rs = s.executeQuery(sql(table, scenario, filter))) {
          Readers.add(rs, c);
        }
      }
      if (!conn.getAutoCommit()) {
        conn.commit();
      }
      return c;
    }

    @Override
    public void close() throws SQLException {
      conn.close();
    }
  }

  /** The Java Flight SQL client, with the bearer token from the Basic handshake. */
  static final class FlightClientRun implements Client {
    private final BufferAllocator allocator = new RootAllocator();
    private final FlightClient client;
    private final FlightSqlClient sql;
    private final CallOption token;

    FlightClientRun(int port) {
      client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
      token =
          client
              .authenticateBasicToken(BUYER, BUYER_PW)
              .orElseThrow(() -> new IllegalStateException("the handshake returned no token"));
      sql = new FlightSqlClient(client);
    }

    @Override
    public String name() {
      return "Flight SQL";
    }

    @Override
    public Checksum run(String scenario) throws Exception {
      Checksum c = new Checksum();
      FlightInfo info = sql.execute(sql(RULE, scenario, ""), token);
      for (FlightEndpoint e : info.getEndpoints()) {
        try (FlightStream stream = sql.getStream(e.getTicket(), token)) {
          while (stream.next()) {
            Readers.add(stream.getRoot(), c);
          }
        }
      }
      return c;
    }

    @Override
    public void close() throws Exception {
      sql.close();
      allocator.close();
    }
  }

  /**
   * DuckDB in-process over the Parquet data files of NQL's warehouse, the policy in its query;
   * results exported as Arrow batches (its fastest way out to Java).
   */
  static final class DuckRun implements Client {
    private final BufferAllocator allocator = new RootAllocator();
    private final Connection conn;
    private final String source;

    DuckRun(Path warehouse) throws SQLException, IOException {
      conn = DriverManager.getConnection("jdbc:duckdb:");
      List<String> files;
      try (Stream<Path> walk = Files.walk(warehouse)) {
        files =
            walk.filter(p -> p.toString().endsWith(".parquet"))
                .map(p -> "'" + p.toAbsolutePath() + "'")
                .sorted()
                .toList();
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("no Parquet files under " + warehouse);
      }
      source = "read_parquet([" + String.join(", ", files) + "])";
    }

    @Override
    public String name() {
      return "DuckDB";
    }

    @Override
    public Checksum run(String scenario) throws Exception {
      Checksum c = new Checksum();
      try (Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery(sql(source, scenario, ScanData.POLICY_FILTER));
          ArrowReader reader =
              (ArrowReader) ((DuckDBResultSet) rs).arrowExportStream(allocator, 65_536)) {
        while (reader.loadNextBatch()) {
          Readers.add(reader.getVectorSchemaRoot(), c);
        }
      }
      return c;
    }

    @Override
    public void close() throws SQLException {
      conn.close();
      allocator.close();
    }
  }
}
