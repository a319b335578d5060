package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sqlline console session over the self-contained driver jar: a separate JVM whose class
 * path is only the all-jar plus sqlline and jline, as in docs/clients/jdbc.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqllineConsoleIT {
  Gateway gateway;

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().build());
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** sqlline and jline jars from this test's class path (test-scope dependencies). */
  static List<String> sqllineClassPath() {
    List<String> out =
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(
                p -> {
                  String name = Path.of(p).getFileName().toString();
                  return name.startsWith("sqlline-") || name.startsWith("jline-");
                })
            .collect(Collectors.toList());
    assertThat(out).anyMatch(p -> p.contains("sqlline-"));
    return out;
  }

  /** Runs sqlline on a script as acme_user; returns its exit code and what it printed. */
  Session sqlline(Path home, String script) throws Exception {
    Path file = home.resolve("session.sql");
    Files.writeString(file, script);
    List<String> cp = new ArrayList<>();
    cp.add(AllJarDriverIT.allJar().toString());
    cp.addAll(sqllineClassPath());
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Duser.home=" + home,
            "-cp",
            String.join(File.pathSeparator, cp),
            "sqlline.SqlLine",
            "-u",
            "jdbc:nql://127.0.0.1:" + gateway.jdbcPort(),
            "-n",
            "acme_user",
            "-p",
            TestWarehouse.ACME_PW,
            // No terminal here (output is a pipe): give tables a width instead of 0.
            "--maxWidth=200",
            "-f",
            file.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    System.out.println(text);
    return new Session(p.exitValue(), text);
  }

  record Session(int exitCode, String output) {}

  @Test
  void consoleSessionBrowsesQueriesAndExplains(@TempDir Path home) throws Exception {
    Session s =
        sqlline(
            home,
            String.join(
                "\n",
                "!tables",
                "!columns orders",
                "SELECT order_id, city FROM company_data.orders WHERE order_id < 3 ORDER BY order_id;",
                "EXPLAIN PLAN FOR SELECT order_id, city FROM company_data.orders WHERE order_id < 3;",
                "!quit",
                ""));
    String out = s.output();
    // !tables: acme's datasets, and nothing of another company.
    assertThat(out)
        .containsPattern("\\| company_data +\\| orders +\\| TABLE ")
        .containsPattern("\\| company_data +\\| numbers +\\| TABLE ")
        .doesNotContain("purchases |")
        .doesNotContain("globex |");
    // !columns orders
    assertThat(out)
        .containsPattern("\\| orders +\\| order_id +\\| -5 +\\| BIGINT ")
        .containsPattern("\\| orders +\\| amount +\\| 3 +\\| DECIMAL ")
        .containsPattern("\\| orders +\\| paid +\\| 16 +\\| BOOLEAN ");
    // The query's values.
    assertThat(out)
        .containsPattern("\\| order_id +\\| +city +\\|")
        .containsPattern("\\| 1 +\\| Zürich +\\|")
        .containsPattern("\\| 2 +\\| 東京 +\\|")
        .doesNotContain("New York")
        .contains("2 rows selected");
    // EXPLAIN PLAN FOR: the plan, down to the scan of the dataset.
    assertThat(out).contains("PLAN").contains("IcebergTableScan(table=[[company_data, orders]]");
    // The driver's relocated logging stays quiet, and nothing failed inside the driver.
    assertThat(out).doesNotContain("SLF4J").doesNotContain("NoClassDefFoundError");
    assertThat(s.exitCode()).isZero();
  }

  @Test
  void failingStatementShowsTheEngineErrorAndSqlState(@TempDir Path home) throws Exception {
    Session s =
        sqlline(
            home,
            String.join(
                "\n",
                "!set force true",
                "SELECT * FROM globex.purchases;",
                "SELECT COUNT(*) AS n FROM company_data.orders;",
                "!quit",
                ""));
    // Another company's dataset: the engine's error and SQLSTATE, not a driver failure; the
    // session goes on, and sqlline's exit status says that a command failed.
    assertThat(s.output())
        .contains(
            "Error: Unknown table or insufficient table permissions: globex.purchases"
                + " (state=42P01")
        .containsPattern("\\| 3 +\\|")
        .doesNotContain("NoClassDefFoundError");
    assertThat(s.exitCode()).isEqualTo(2);
  }
}
