package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python clients our notebook users run — {@code adbc_driver_flightsql}, {@code
 * pyarrow.flight}, and the quickstart notebook executed by {@code nbclient} — against a gateway
 * with the demo marketplace on free ports. The pytest suite is {@code server/src/test/python}; it
 * runs in the virtualenv {@code .ci/python.sh} builds from the pinned requirements. Without that
 * virtualenv the test is skipped, unless {@code nql.test.python=required} (CI sets it), which makes
 * it a failure.
 */
class PythonClientsIT {
  /**
   * The gateway's statement timeout: far longer than any statement of the suite but the ones {@code
   * test_timeouts.py} runs past it.
   */
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(8);

  @TempDir Path dir;

  static Path projectRoot() {
    return Path.of(System.getProperty("nql.root", "..")).toAbsolutePath().normalize();
  }

  static Path python() {
    String configured = System.getProperty("nql.python", "");
    return configured.isEmpty()
        ? projectRoot().resolve(".venv/bin/python")
        : Path.of(configured).toAbsolutePath();
  }

  @Test
  void pythonClientsAndTheNotebookWorkAgainstTheFlightEndpoint() throws Exception {
    Path python = python();
    if (!Files.isExecutable(python)) {
      String reason = "no Python virtualenv at " + python + " (run .ci/python.sh)";
      if ("required".equals(System.getProperty("nql.test.python"))) {
        fail(reason + " (nql.test.python=required)");
      }
      assumeTrue(false, reason);
    }
    // test_adbc.py stages files for COPY INTO in its company's area below this root
    Path ingestRoot = Files.createDirectories(dir.resolve("incoming"));
    GatewayConfig config =
        GatewayConfig.builder(dir.resolve("wh"))
            .demo(true)
            .ingestRoots(List.of(ingestRoot))
            .jdbcPort(0)
            .flightPort(0)
            .metricsPort(0)
            .bindAddress("127.0.0.1")
            .adminPassword("admin-secret-1")
            .statementTimeout(STATEMENT_TIMEOUT)
            .build();
    try (Gateway gateway = Gateway.start(config)) {
      Path log = dir.resolve("pytest.log");
      Path tests = projectRoot().resolve("server/src/test/python");
      ProcessBuilder pb =
          new ProcessBuilder(
                  python.toString(),
                  "-m",
                  "pytest",
                  "-q",
                  "-p",
                  "no:cacheprovider",
                  "-rA",
                  tests.toString())
              .directory(tests.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("NQL_FLIGHT_URI", "grpc://127.0.0.1:" + gateway.flightPort());
      pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
      pb.environment().put("NQL_INGEST_ROOT", ingestRoot.toString());
      // test_timeouts.py: statements past the timeout, and the gateway process they must not busy
      pb.environment().put("NQL_STATEMENT_TIMEOUT", String.valueOf(STATEMENT_TIMEOUT.toSeconds()));
      pb.environment().put("NQL_GATEWAY_PID", String.valueOf(ProcessHandle.current().pid()));
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.toHandle().destroyForcibly();
        fail("pytest did not finish within 15 minutes:\n" + Files.readString(log));
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(p.exitValue()).as(out).isZero();
      // Every test ran and passed: nothing skipped, nothing deselected.
      List<String> summary = out.lines().filter(l -> l.matches(".*\\d+ passed.*")).toList();
      assertThat(summary).as(out).hasSize(1);
      assertThat(summary.get(0)).doesNotContain("skipped", "failed", "error", "deselected");
      assertThat(out)
          .contains(
              "test_notebook.py", "test_adbc.py", "test_pyarrow_flight.py", "test_timeouts.py");
    }
  }
}
