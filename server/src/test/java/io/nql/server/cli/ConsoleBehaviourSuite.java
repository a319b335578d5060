package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as a person uses it, driven through a terminal: one suite, run over each kind of
 * session (an engine in this process, a gateway over {@code jdbc:nql://}), which must look the
 * same.
 */
abstract class ConsoleBehaviourSuite {
  @TempDir Path home;

  /** A console session of {@code user}. */
  abstract ConsoleSession open(String user, String password) throws Exception;

  ConsoleDriver acme(int columns) throws Exception {
    return new ConsoleDriver(
        open("acme_user", ConsoleWarehouse.ACME_PW), columns, home.resolve(".nql_history"));
  }

  ConsoleDriver globex() throws Exception {
    return globex(120);
  }

  ConsoleDriver globex(int columns) throws Exception {
    return new ConsoleDriver(
        open("globex_user", ConsoleWarehouse.GLOBEX_PW), columns, home.resolve(".nql_history"));
  }

  /** The lines of the screen after the {@code n}-th prompt, up to the next prompt. */
  static List<String> answer(String screen, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) {
      at = screen.indexOf(Console.PROMPT, at + 1);
    }
    int end = screen.indexOf(Console.PROMPT, at + 1);
    return screen.substring(at, end < 0 ? screen.length() : end).lines().skip(1).toList();
  }

  @Test
  void aStatementOverSeveralLinesRunsAtItsSemicolon() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("SELECT order_id, city\n");
      c.waitFor(Console.CONTINUATION);
      c.type("FROM company_data.orders\n");
      c.waitFor(Console.CONTINUATION, 2, Duration.ofSeconds(30));
      assertThat(c.screen()).doesNotContain("+--");
      c.type("ORDER BY order_id;\n");
      String screen = c.waitForPrompt(2);
      List<String> answer = answer(screen, 1);
      assertThat(answer)
          .containsSubsequence(
              "+----------+--------------+",
              "| order_id | city         |",
              "+----------+--------------+",
              "|        1 | Zürich       |",
              "|        2 | 東京         |",
              "|        3 | New York, NY |",
              "+----------+--------------+");
      assertThat(answer).anyMatch(l -> l.matches("\\(3 rows, [0-9.]+ m?s\\)"));
      assertThat(answer).contains("Charge: 0 rows, 0.000000 USD");
    }
  }

  @Test
  void aWideTableFitsANarrowTerminal() throws Exception {
    try (ConsoleDriver c = acme(40)) {
      c.waitForPrompt(1);
      c.type("SELECT order_id, city, note\nFROM company_data.orders\nORDER BY order_id;\n");
      List<String> answer = answer(c.waitForPrompt(2), 1);
      List<String> table =
          answer.stream().filter(l -> l.startsWith("|") || l.startsWith("+")).toList();
      assertThat(table).hasSize(7);
      assertThat(table).allMatch(l -> TextTable.width(l) <= 40, "fits 40 columns");
      assertThat(table.get(0).length()).isGreaterThan(30);
      // the long note is cut with an ellipsis, the short values are whole
      assertThat(table.get(4)).contains("東京").contains("a note").endsWith("… |");
      assertThat(table.get(3)).contains("Zürich").contains("short");
      assertThat(answer).anyMatch(l -> l.startsWith("(3 rows, "));
    }
  }

  @Test
  void backslashDListsTablesAndDescribesOne() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("\\d\n");
      List<String> tables = answer(c.waitForPrompt(2), 1);
      assertThat(tables).anyMatch(l -> l.matches("\\| company_data +\\| orders +\\| TABLE +\\|"));
      assertThat(tables).anyMatch(l -> l.matches("\\| company_data +\\| numbers +\\| TABLE +\\|"));
      assertThat(tables)
          .anyMatch(l -> l.matches("\\| company_data +\\| orders_public +\\| VIEW +\\|"));
      c.type("\\d company_data.orders\n");
      List<String> orders = answer(c.waitForPrompt(3), 2);
      assertThat(orders.get(0)).isEqualTo("table company_data.orders");
      assertThat(orders).anyMatch(l -> l.matches("\\| order_id +\\| BIGINT +\\| (YES|NO) +\\|"));
      assertThat(orders)
          .anyMatch(l -> l.matches("\\| amount +\\| DECIMAL\\(\\d+, 2\\) +\\| YES +\\|"));
      assertThat(orders).anyMatch(l -> l.matches("\\| note +\\| VARCHAR +\\| YES +\\|"));
      // an unqualified name finds the table too; an unknown one is an error, and the console goes
      // on
      c.type("\\d ORDERS\n");
      assertThat(answer(c.waitForPrompt(4), 3)).isEqualTo(orders);
      c.type("\\d company_data.nosuch\n\\dn\n");
      String screen = c.waitForPrompt(6);
      assertThat(answer(screen, 4))
          .contains(
              "ERROR 42P01: Unknown table or insufficient table permissions:"
                  + " company_data.nosuch");
      assertThat(answer(screen, 5)).anyMatch(l -> l.matches("\\| company_data +\\|"));
    }
  }

  @Test
  void timestampsShowTheirFractionAndAnInstantItsOffset() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type(
          "SELECT TIMESTAMP WITH LOCAL TIME ZONE '2026-10-01 08:00:00.123' AS t,"
              + " TIMESTAMP '2026-10-01 08:00:00.5' AS l, TIMESTAMP '2026-10-01 08:00:00' AS s"
              + " FROM company_data.orders WHERE order_id = 1;\n");
      List<String> answer = answer(c.waitForPrompt(2), 1);
      assertThat(answer)
          .anyMatch(
              l ->
                  l.matches(
                      "\\| 2026-10-01 08:00:00\\.123\\+00:00 +\\| 2026-10-01 08:00:00\\.500 +"
                          + "\\| 2026-10-01 08:00:00\\.000 +\\|"));
    }
  }

  @Test
  void anErrorIsOneLineAndTheConsoleGoesOn() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("SELECT * FROM globex.purchases;\n");
      List<String> error = answer(c.waitForPrompt(2), 1);
      assertThat(error)
          .containsExactly(
              "ERROR 42P01: Unknown table or insufficient table permissions: globex.purchases");
      c.type("SELECT COUNT(*) AS n FROM company_data.orders;\n");
      List<String> good = answer(c.waitForPrompt(3), 2);
      assertThat(good).contains("| 3 |").anyMatch(l -> l.startsWith("(1 row, "));
      assertThat(c.screen()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void aBudgetCutShowsItsWarningAndTheChargeAfterTheResult() throws Exception {
    try (ConsoleDriver c = globex()) {
      c.waitForPrompt(1);
      c.type("SELECT order_id, city FROM acme.orders_public LIMIT 2 USD;\n");
      List<String> answer = answer(c.waitForPrompt(2), 1);
      assertThat(answer).anyMatch(l -> l.startsWith("(2 rows, "));
      assertThat(answer).anyMatch(l -> l.startsWith("WARNING 01N01: Delivery stopped at"));
      assertThat(answer).contains("Charge: 2 rows, 2.000000 USD");
      // the next statement's charge is its own
      c.type("SELECT order_id FROM acme.orders_public WHERE order_id = 3 LIMIT 5 USD;\n");
      List<String> next = answer(c.waitForPrompt(3), 2);
      assertThat(next).contains("Charge: 1 row, 1.000000 USD");
      assertThat(next).noneMatch(l -> l.startsWith("WARNING"));
    }
  }

  @Test
  void explainShowsTheForecastAndChargesNothing() throws Exception {
    try (ConsoleDriver c = globex(400)) {
      c.waitForPrompt(1);
      c.type("EXPLAIN SELECT order_id, city FROM acme.orders_public LIMIT 2 USD;\n");
      List<String> answer = answer(c.waitForPrompt(2), 1);
      assertThat(answer)
          .anyMatch(
              l ->
                  l.startsWith("| source ")
                      && l.contains("| estimated_rows |")
                      && l.contains("| estimated_cost_usd |")
                      && l.contains("| budget_cut |"));
      // 3 matching rows at 1 USD each; the 2 USD budget buys 2 of them
      assertThat(answer)
          .anyMatch(
              l ->
                  l.matches(
                      "\\| acme\\.orders_public +\\| access rule +\\| acme +\\| +1000\\.00 \\|"
                          + " +3 \\| +2 \\|.*\\| +2\\.000000 \\|.*\\| true +\\|.*"));
      assertThat(answer).anyMatch(l -> l.matches("\\| TOTAL +\\| total +\\|.*"));
      assertThat(answer).anyMatch(l -> l.startsWith("(2 rows, "));
      assertThat(answer).noneMatch(l -> l.startsWith("WARNING"));
      assertThat(answer).contains("Charge: 0 rows, 0.000000 USD");
    }
  }

  @Test
  void historyKeepsStatementsButNeverAPassword() throws Exception {
    Path history = home.resolve(".nql_history");
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("SELECT COUNT(*) AS n\nFROM company_data.orders;\n");
      c.waitForPrompt(2);
      c.type("CREATE USER \"mallory\" COMPANY acme PASSWORD 'hunter2-secret';\n");
      c.waitForPrompt(3);
      c.type("\\q\n");
      assertThat(c.exitStatus(Duration.ofSeconds(30))).isZero();
    }
    String saved = Files.readString(history);
    assertThat(saved).contains("SELECT COUNT(*) AS n").contains("FROM company_data.orders;");
    assertThat(saved).doesNotContain("hunter2").doesNotContain("mallory");
    assertThat(saved).contains("\\q");
    if (Files.getFileStore(history).supportsFileAttributeView("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(history)))
          .isEqualTo("rw-------");
    }
    // a new console recalls the statement (up arrow) but not the password statement
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("\u001bOA\u001bOA\n");
      List<String> recalled = answer(c.waitForPrompt(2), 1);
      assertThat(recalled).contains("| 3 |");
    }
  }

  @Test
  void ctrlCCancelsARunningStatementWith57014() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type(ConsoleWarehouse.ENDLESS + ";\n");
      ConsoleDriver.sleep(500);
      long start = System.nanoTime();
      c.ctrlC();
      // a cancel that reaches a gateway before the statement does is lost: press again, as people
      // do, when nothing happened for a while
      for (int i = 0; i < 6 && !c.screen().contains("ERROR 57014"); i++) {
        try {
          c.waitFor("ERROR 57014", 1, Duration.ofSeconds(5));
        } catch (AssertionError stillRunning) {
          c.ctrlC();
        }
      }
      List<String> answer = answer(c.waitForPrompt(2), 1);
      assertThat(answer).noneMatch(l -> l.startsWith("+-") || l.startsWith("WARNING"));
      assertThat(answer.get(answer.size() - 1)).startsWith("ERROR 57014: ");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      c.type("SELECT COUNT(*) AS n FROM company_data.orders;\n");
      String screen = c.waitFor("| 3 |");
      assertThat(ConsoleDriver.count(screen, "ERROR")).as(screen).isEqualTo(1);
    }
  }

  @Test
  void ctrlCAtThePromptClearsTheInput() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("SELECT 'abandoned' AS a\n");
      c.waitFor(Console.CONTINUATION);
      c.ctrlC();
      c.waitForPrompt(2);
      c.type("SELECT city AS kept FROM company_data.orders WHERE order_id = 1;\n");
      String screen = c.waitForPrompt(3);
      assertThat(answer(screen, 2)).contains("| kept   |", "| Zürich |");
      assertThat(screen).doesNotContain("ERROR").doesNotContain("| abandoned");
    }
  }

  @Test
  void helpThenQuitWithCtrlD() throws Exception {
    try (ConsoleDriver c = acme(120)) {
      c.waitForPrompt(1);
      c.type("\\?\n\\x\n");
      String screen = c.waitForPrompt(3);
      assertThat(answer(screen, 1)).anyMatch(l -> l.startsWith("  \\d TABLE"));
      assertThat(answer(screen, 2)).containsExactly("Unknown command \\x: \\? lists the commands.");
      c.ctrlD();
      assertThat(c.exitStatus(Duration.ofSeconds(30))).isZero();
    }
  }
}
