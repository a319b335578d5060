package io.nql.bench.joins;

import io.nql.bench.LocalNql;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.testing.JoinTables;
import io.nql.server.gateway.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The NQL side: a fresh warehouse where the provider loads the join tables ({@code COPY INTO}) and
 * shares each through its access rule with the buyer's company; then {@code nql serve} in this JVM
 * on free loopback ports, queried by the buyer over Flight SQL or {@code jdbc:nql}.
 */
final class NqlJoins implements AutoCloseable {
  static final String PROVIDER = "joins_provider";
  static final String BUYER_COMPANY = "joins_buyer";
  static final String BUYER = "joins_buyer_user";
  private static final String ADMIN_PW = "joins-admin-secret";
  private static final String PROVIDER_PW = "joins-provider-secret";
  private static final String BUYER_PW = "joins-buyer-secret";

  private final Path warehouse;
  private final Gateway gateway;
  private final double loadSeconds;

  private NqlJoins(Path warehouse, Gateway gateway, double loadSeconds) {
    this.warehouse = warehouse;
    this.gateway = gateway;
    this.loadSeconds = loadSeconds;
  }

  /**
   * Loads tables 1..{@code tables} into a new warehouse under {@code workDir}, starts the gateway.
   */
  static NqlJoins start(Path workDir, JoinTables data, int tables) throws IOException {
    Path ingest = workDir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve(PROVIDER));
    Path warehouse = Files.createTempDirectory(workDir, "nql-warehouse");
    long t0 = System.nanoTime();
    EngineConfig config = new EngineConfig(warehouse, null, null, null, List.of(ingest), ADMIN_PW);
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        LocalNql.run(
            admin,
            "CREATE COMPANY " + PROVIDER,
            "CREATE COMPANY " + BUYER_COMPANY,
            "CREATE USER \""
                + PROVIDER
                + "_user\" COMPANY "
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
      try (NqlSession provider = engine.trusted(PROVIDER + "_user")) {
        data.load(provider, area, tables, BUYER_COMPANY);
      }
    }
    double load = (System.nanoTime() - t0) / 1e9;
    return new NqlJoins(warehouse, LocalNql.startGateway(warehouse, 1000, ADMIN_PW), load);
  }

  double loadSeconds() {
    return loadSeconds;
  }

  /** The buyer's client of the given kind ({@code flight} or {@code jdbc}). */
  JoinClient client(String kind) throws SQLException {
    return kind.equals("jdbc")
        ? new Jdbc(LocalNql.connect(gateway, BUYER, BUYER_PW))
        : new Flight();
  }

  @Override
  public void close() throws IOException {
    gateway.close();
    LocalNql.deleteTree(warehouse);
  }

  private static String table(int n) {
    return PROVIDER + "." + JoinTables.rule(n);
  }

  /** Arrow's Java Flight SQL client, with the bearer token of the Basic handshake. */
  private final class Flight implements JoinClient {
    private final BufferAllocator allocator = new RootAllocator();
    private final FlightClient client;
    private final FlightSqlClient sql;
    private final CallOption token;

    Flight() {
      client =
          FlightClient.builder(
                  allocator, Location.forGrpcInsecure("127.0.0.1", gateway.flightPort()))
              .build();
      token =
          client
              .authenticateBasicToken(BUYER, BUYER_PW)
              .orElseThrow(() -> new IllegalStateException("the handshake returned no token"));
      sql = new FlightSqlClient(client);
    }

    @Override
    public String name() {
      return "NQL (Flight SQL)";
    }

    @Override
    public String table(int n) {
      return NqlJoins.table(n);
    }

    @Override
    public List<List<String>> rows(String query) throws Exception {
      List<List<String>> rows = new ArrayList<>();
      FlightInfo info = sql.execute(query, token);
      for (FlightEndpoint e : info.getEndpoints()) {
        try (FlightStream stream = sql.getStream(e.getTicket(), token)) {
          while (stream.next()) {
            VectorSchemaRoot root = stream.getRoot();
            for (int r = 0; r < root.getRowCount(); r++) {
              List<String> row = new ArrayList<>();
              for (FieldVector v : root.getFieldVectors()) {
                Object value = v.getObject(r);
                row.add(value == null ? null : value.toString());
              }
              rows.add(row);
            }
          }
        }
      }
      return rows;
    }

    @Override
    public void close() throws Exception {
      sql.close();
      allocator.close();
    }
  }

  /** The {@code jdbc:nql} driver. */
  private static final class Jdbc implements JoinClient {
    private final Connection connection;

    Jdbc(Connection connection) {
      this.connection = connection;
    }

    @Override
    public String name() {
      return "NQL (jdbc:nql)";
    }

    @Override
    public String table(int n) {
      return NqlJoins.table(n);
    }

    @Override
    public List<List<String>> rows(String query) throws SQLException {
      return JdbcRows.read(connection, query);
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
