package io.nql.server.behaviour;

import io.nql.server.gateway.GatewayConfig;

/**
 * The suite's front end over the official Flight SQL JDBC driver ({@code jdbc:arrow-flight-sql:}),
 * which runs every statement as a Flight SQL prepared statement. It has no way to hand over a
 * result's app metadata, so its answers carry no warnings: see {@link #reportsWarnings()}.
 */
final class FlightJdbcFrontEnd extends JdbcFrontEnd {
  FlightJdbcFrontEnd(GatewayConfig config) {
    super(config);
  }

  @Override
  public String name() {
    return "Flight SQL JDBC";
  }

  @Override
  String url() {
    return "jdbc:arrow-flight-sql://127.0.0.1:" + gateway.flightPort() + "/?useEncryption=false";
  }

  @Override
  public boolean reportsWarnings() {
    return false;
  }

  @Override
  public void close() throws Exception {
    FlightSqlClientFrontEnd.awaitNoLeaks(gateway);
    super.close();
  }
}
