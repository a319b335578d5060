package io.nql.server.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The drivers the metadata replay runs over: {@code jdbc:nql} in both wire formats, and the
 * official Arrow Flight SQL JDBC driver 18.3.0 ({@code jdbc:arrow-flight-sql:}) against the same
 * gateway's Flight SQL endpoint.
 */
enum ReplayClient {
  NQL_PROTOBUF(Serialization.PROTOBUF),
  NQL_JSON(Serialization.JSON),
  FLIGHT_JDBC(Serialization.PROTOBUF);

  private final Serialization gateway;

  ReplayClient(Serialization gateway) {
    this.gateway = gateway;
  }

  boolean flight() {
    return this == FLIGHT_JDBC;
  }

  /** The URL prefix the driver reports in {@code getURL}. */
  String urlPrefix() {
    return flight() ? "jdbc:arrow-flight-sql://127.0.0.1:" : "jdbc:nql://127.0.0.1:";
  }

  Connection connect(Gateways gateways, String user, String password) throws SQLException {
    Gateway g = gateways.get(gateway);
    String url =
        flight()
            ? "jdbc:arrow-flight-sql://127.0.0.1:" + g.flightPort() + "/?useEncryption=false&"
            : "jdbc:nql://127.0.0.1:"
                + g.jdbcPort()
                + "?serialization="
                + gateway.name().toLowerCase(Locale.ROOT)
                + "&";
    return DriverManager.getConnection(url + "user=" + user + "&password=" + password);
  }

  Connection buyer(Gateways gateways) throws SQLException {
    return connect(gateways, "globex_user", TestWarehouse.GLOBEX_PW);
  }

  Connection provider(Gateways gateways) throws SQLException {
    return connect(gateways, "acme_user", TestWarehouse.ACME_PW);
  }

  /**
   * One gateway per wire format over the shared test warehouse, started once for every replay class
   * ({@code @RegisterExtension}) and stopped when the test run ends.
   */
  static final class Gateways implements BeforeAllCallback {
    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
      running =
          context
              .getRoot()
              .getStore(ExtensionContext.Namespace.create(Gateways.class))
              .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
    }

    Gateway get(Serialization s) {
      return running.gateways.get(s);
    }
  }

  /** The running gateways; JUnit closes them with the root context's store. */
  private static final class Running implements AutoCloseable {
    final Map<Serialization, Gateway> gateways = new EnumMap<>(Serialization.class);

    Running() {
      for (Serialization s : Serialization.values()) {
        gateways.put(s, Gateway.start(TestWarehouse.config().serialization(s).build()));
      }
    }

    @Override
    public void close() {
      gateways.values().forEach(Gateway::close);
    }
  }
}
