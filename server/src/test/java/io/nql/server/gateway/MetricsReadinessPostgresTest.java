package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness follows the metadata store: a gateway over a PostgreSQL database of its own on CI's
 * server is ready; once the test cuts the database's connections and refuses new ones ({@code
 * ALLOW_CONNECTIONS false}), {@code /health/ready} answers 503 with a one-line reason while {@code
 * /health/live} and {@code /metrics} still answer; once connections are allowed again it is ready
 * again, without a restart, and statements run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsReadinessPostgresTest {
  private static final String ADMIN_PW = "ready-admin-1";

  @TempDir static Path dir;
  private final String database = "nql_ready_" + HexFormat.of().formatHex(random(4));
  private Connection admin;
  private boolean created;
  private Gateway gateway;

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @BeforeAll
  void start() throws Exception {
    TestPostgres.require();
    admin = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
    try (Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
      created = true;
    } catch (SQLException e) {
      String reason = "cannot create a database on " + TestPostgres.URL + ": " + e.getMessage();
      if ("required".equals(System.getProperty("nql.test.postgres"))) {
        fail(reason + " (the test role needs CREATEDB: run .ci/postgres.sh)");
      }
      assumeTrue(false, reason);
    }
    gateway =
        Gateway.start(
            GatewayConfig.builder(dir.resolve("wh"))
                .metadata(databaseUrl(), TestPostgres.USER, TestPostgres.PASSWORD)
                .adminPassword(ADMIN_PW)
                .bindAddress("127.0.0.1")
                .jdbcPort(0)
                .flightPort(0)
                .metricsPort(0)
                .viewSchedulerInterval(Duration.ZERO)
                .deliveryInterval(Duration.ZERO)
                .build());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (admin != null) {
        try (Statement s = admin.createStatement()) {
          if (created) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            s.execute("DROP DATABASE " + database + " WITH (FORCE)");
          }
        } finally {
          admin.close();
        }
      }
    }
  }

  /** The test server's URL with this test's database in place of its own. */
  private String databaseUrl() {
    String url = TestPostgres.URL;
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.substring(0, base.lastIndexOf('/') + 1)
        + database
        + (query < 0 ? "" : url.substring(query));
  }

  private HttpResponse<String> readyWithin(int status, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpResponse<String> r = MetricsScrape.get(gateway, "/health/ready");
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      r = MetricsScrape.get(gateway, "/health/ready");
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r;
  }

  @Test
  void readinessFlipsWhenTheStoreStopsAnsweringAndBackWhenItAnswersAgain() throws Exception {
    assertThat(readyWithin(200, Duration.ZERO).body()).isEqualTo("{\"status\":\"ready\"}\n");

    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "'");
    }
    HttpResponse<String> down = readyWithin(503, Duration.ofSeconds(30));
    assertThat(down.body())
        .isEqualTo(
            "{\"status\":\"unavailable\",\"reason\":\"the metadata store does not answer\"}\n");
    assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(MetricsScrape.get(gateway, "/health/live").statusCode()).isEqualTo(200);
    MetricsScrape scrape = MetricsScrape.of(gateway);
    assertThat(scrape.value("hikaricp_connections_max", "pool", "nql-metadata")).isEqualTo(8);

    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }
    readyWithin(200, Duration.ofSeconds(60));
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:nql://127.0.0.1:" + gateway.jdbcPort() + "?user=admin&password=" + ADMIN_PW);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW DATASETS")) {
      assertThat(rs.next()).as("no datasets yet").isFalse();
    }
  }
}
