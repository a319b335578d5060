package io.nql.bench;

import io.nql.planner.engine.NqlSession;
import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every benchmark does with NQL in its own JVM: run set-up statements on a trusted engine
 * session, start {@code nql serve} on free loopback ports over the warehouse, connect through
 * {@code jdbc:nql://}, and delete the warehouse at the end.
 */
public final class LocalNql {
  private LocalNql() {}

  /** Runs each statement on {@code session} and closes its result. */
  public static void run(NqlSession session, String... statements) {
    for (String s : statements) {
      session.execute(s).close();
    }
  }

  /**
   * Starts the gateway over {@code warehouse} on 127.0.0.1, JDBC and Flight on free ports, default
   * configuration otherwise ({@code frameRows} 0: the default, no row limit per frame).
   */
  public static Gateway startGateway(Path warehouse, int frameRows, String adminPassword) {
    return startGateway(warehouse, frameRows, 0, adminPassword);
  }

  /** As {@link #startGateway(Path, int, String)}, with frames of about {@code frameBytes}. */
  public static Gateway startGateway(
      Path warehouse, int frameRows, long frameBytes, String adminPassword) {
    return startGateway(warehouse, frameRows, frameBytes, adminPassword, List.of());
  }

  /**
   * As {@link #startGateway(Path, int, long, String)}; the gateway may read PostgreSQL at {@code
   * postgresHosts} ({@code host:port}: data planes and imports).
   */
  public static Gateway startGateway(
      Path warehouse,
      int frameRows,
      long frameBytes,
      String adminPassword,
      List<String> postgresHosts) {
    GatewayConfig.Builder b =
        GatewayConfig.builder(warehouse)
            .bindAddress("127.0.0.1")
            .jdbcPort(0)
            .flightPort(0)
            .metricsPort(0)
            .frameRows(frameRows)
            .postgresImportHosts(postgresHosts)
            .adminPassword(adminPassword);
    if (frameBytes > 0) {
      b.frameBytes(frameBytes);
    }
    return Gateway.start(b.build());
  }

  /** A new {@code jdbc:nql} connection to {@code gateway} as {@code user}. */
  public static Connection connect(Gateway gateway, String user, String password)
      throws SQLException {
    return connect(gateway, user, password, "");
  }

  /** As {@link #connect(Gateway, String, String)}, with more URL properties ({@code k=v&…}). */
  public static Connection connect(Gateway gateway, String user, String password, String more)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:"
            + gateway.jdbcPort()
            + "?user="
            + user
            + "&password="
            + password
            + (more.isEmpty() ? "" : "&" + more));
  }

  /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
