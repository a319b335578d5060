package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nql shell} and {@code nql sql} as started from a real terminal: their own JVM on a
 * pseudo-terminal ({@link PtyProcess}), so that JLine's system terminal, the terminal's width and
 * Ctrl-C as a real SIGINT are what is tested.
 */
class ConsolePtyTest {
  @TempDir Path home;

  @BeforeAll
  static void needsScript() {
    assumeTrue(PtyProcess.available(), "util-linux script makes the pseudo-terminal");
  }

  @Test
  void shellOnAGatewayCancelsOnCtrlCAndKeepsPasswordsOutOfHistory() throws Exception {
    Path history = home.resolve("history");
    try (Gateway gateway =
            Gateway.start(
                GatewayConfig.builder(ConsoleWarehouse.get())
                    .jdbcPort(0)
                    .flightPort(0)
                    .metricsPort(0)
                    .bindAddress("127.0.0.1")
                    .build());
        PtyProcess nql =
            new PtyProcess(
                50,
                home,
                Map.of("NQL_PASSWORD", ConsoleWarehouse.ACME_PW),
                "shell",
                "--url",
                gateway.jdbcUrl(),
                "--user",
                "acme_user",
                "--history",
                history.toString())) {
      nql.waitFor(Console.PROMPT, 1, Duration.ofSeconds(60));
      nql.type("SELECT order_id, note\nFROM company_data.orders ORDER BY order_id;\n");
      String screen = nql.waitFor(Console.PROMPT, 2, Duration.ofSeconds(60));
      assertThat(screen).contains(Console.CONTINUATION).contains("(3 rows, ");
      assertThat(screen.lines().filter(l -> l.startsWith("| ") || l.startsWith("+-")))
          .hasSize(7)
          .allMatch(l -> TextTable.width(l) <= 50)
          .anyMatch(l -> l.endsWith("… |"));

      nql.type(ConsoleWarehouse.ENDLESS + ";\n");
      ConsoleDriver.sleep(1000);
      nql.type("\u0003");
      for (int i = 0; i < 6 && !nql.screen().contains("ERROR 57014"); i++) {
        try {
          nql.waitFor("ERROR 57014", 1, Duration.ofSeconds(5));
        } catch (AssertionError stillRunning) {
          nql.type("\u0003");
        }
      }
      nql.waitFor(Console.PROMPT, 3, Duration.ofSeconds(60));
      assertThat(nql.screen()).contains("ERROR 57014: ");

      // refused (acme_user is no administrator), and kept out of history all the same
      nql.type("CREATE USER \"eve\" COMPANY acme PASSWORD 'pty-secret';\n");
      nql.waitFor("ERROR ", 2, Duration.ofSeconds(60));
      nql.type("\\q\n");
      assertThat(nql.exitStatus(Duration.ofSeconds(30))).isZero();
      assertThat(nql.screen()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    String saved = Files.readString(history);
    assertThat(saved).contains("FROM company_data.orders ORDER BY order_id;");
    assertThat(saved).contains("CROSS JOIN company_data.numbers c;");
    assertThat(saved).doesNotContain("pty-secret").doesNotContain("eve");
  }

  @Test
  void sqlWithoutAStatementAtATerminalOpensTheConsole() throws Exception {
    try (PtyProcess nql =
        new PtyProcess(
            80,
            home,
            Map.of(),
            "sql",
            "--warehouse",
            ConsoleWarehouse.get().toString(),
            "--user",
            "acme_user")) {
      nql.waitFor(Console.PROMPT, 1, Duration.ofSeconds(60));
      nql.type("SELECT COUNT(*) AS n FROM company_data.orders;\n");
      String screen = nql.waitFor(Console.PROMPT, 2, Duration.ofSeconds(60));
      assertThat(screen).contains("Connected to ").contains("| 3 |").contains("(1 row, ");
      nql.type("\u0004");
      assertThat(nql.exitStatus(Duration.ofSeconds(30))).isZero();
    }
    // the default history file, under the user's home
    assertThat(Files.readString(home.resolve(".nql_history")))
        .contains("SELECT COUNT(*) AS n FROM company_data.orders;");
  }
}
