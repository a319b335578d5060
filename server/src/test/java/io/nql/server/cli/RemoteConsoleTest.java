package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console on a gateway over {@code jdbc:nql://}, as {@code nql shell --url} runs it: the
 * driver's cancel and warnings, DatabaseMetaData for {@code \d}, the charge from the ledger; the
 * gateway's metrics count its statements as the console's.
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

  /** Statements the gateway's metrics count for a front end, summed over outcomes. */
  private double statements(String frontEnd) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m =
        Pattern.compile("(?m)^nql_statements_total\\{frontend=\"" + frontEnd + "\",[^}]*} (\\S+)$")
            .matcher(r.body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  @Test
  void theGatewayCountsTheConsolesStatementsAsTheConsoles() throws Exception {
    double console = statements("console");
    double jdbc = statements("jdbc");
    try (ConsoleSession s = open("acme_user", ConsoleWarehouse.ACME_PW);
        ConsoleSession.Execution e = s.execute("SHOW DATASETS")) {
      assertThat(e.isQuery()).isTrue();
    }
    assertThat(statements("console")).isGreaterThanOrEqualTo(console + 1);
    assertThat(statements("jdbc")).isEqualTo(jdbc);
  }

  @Override
  ConsoleSession open(String user, String password) throws Exception {
    return ShellCommand.jdbc(gateway.jdbcUrl(), user, password, null);
  }
}
