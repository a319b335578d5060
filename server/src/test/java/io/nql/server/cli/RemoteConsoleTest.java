package io.nql.server.cli;

import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The console on a gateway over {@code jdbc:nql://}, as {@code nql shell --url} runs it: the
 * driver's cancel and warnings, DatabaseMetaData for {@code \d}, the charge from the ledger.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteConsoleTest extends ConsoleBehaviourSuite {
  Gateway gateway;

  @BeforeAll
  void start() {
    gateway =
        Gateway.start(
            GatewayConfig.builder(ConsoleWarehouse.get())
                .jdbcPort(0)
                .flightPort(0)
                .metricsPort(0)
                .bindAddress("127.0.0.1")
                .build());
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Override
  ConsoleSession open(String user, String password) throws Exception {
    return ShellCommand.jdbc(gateway.jdbcUrl(), user, password, null);
  }
}
