package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.login;
import static io.nql.server.gateway.FlightClients.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.engine.FrontEnd;
import io.nql.server.gateway.FlightClients.Login;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The metrics port of an in-process gateway, scraped before and after statements run through the
 * real {@code jdbc:nql} driver (also as {@code nql shell} names itself) and Arrow's Flight SQL
 * client: each counter moves by what the statements did (statements by front end, outcome and
 * SQLSTATE class; rows; latencies; the ledger's charges and budget cuts; the plan cache; bytes
 * sent), and no label carries statement text or a user name. Acme's rule costs 1 USD a row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsGatewayTest {
  private static final String ORDERS = "SELECT order_id FROM company_data.orders";

  Gateway gateway;
  BufferAllocator allocator;

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  private Connection jdbc(String user, String password, String application) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    if (application != null) {
      p.setProperty(FrontEnd.APPLICATION_PROPERTY, application);
    }
    return DriverManager.getConnection("jdbc:nql://127.0.0.1:" + gateway.jdbcPort(), p);
  }

  private static int rows(Connection c, String sql) throws SQLException {
    int n = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }

  private static String[] statements(String frontEnd, String status, String sqlStateClass) {
    return new String[] {"frontend", frontEnd, "status", status, "sqlstate_class", sqlStateClass};
  }

  @Test
  void eachFrontEndsStatementsMoveTheirCountersByWhatTheyDid() throws Exception {
    MetricsScrape before = MetricsScrape.of(gateway);
    String jdbcError;
    try (Connection acme = jdbc("acme_user", TestWarehouse.ACME_PW, null)) {
      assertThat(rows(acme, ORDERS)).isEqualTo(3);
      assertThat(rows(acme, ORDERS)).isEqualTo(3); // the kept plan
      jdbcError =
          catchThrowableOfType(
                  SQLException.class, () -> rows(acme, "SELECT * FROM company_data.nothing"))
              .getSQLState();
    }
    try (Connection globex = jdbc("globex_user", TestWarehouse.GLOBEX_PW, "my report tool")) {
      // 3 rule rows at 1 USD; the budget stops delivery after 2
      assertThat(rows(globex, "SELECT order_id FROM acme.orders_public LIMIT 2 USD")).isEqualTo(2);
    }
    try (Connection console =
        jdbc("acme_user", TestWarehouse.ACME_PW, FrontEnd.CONSOLE_APPLICATION)) {
      assertThat(rows(console, "SELECT city FROM company_data.orders")).isEqualTo(3);
    }
    String flightError;
    try (Login l = login(allocator, gateway.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
      assertThat(read(l.sql(), l.sql().execute(ORDERS, l.auth()), l.auth()).rows()).hasSize(3);
      // planned fine, fails on its first row: a city is no number
      FlightRuntimeException e =
          catchThrowableOfType(
              FlightRuntimeException.class,
              () ->
                  read(
                      l.sql(),
                      l.sql()
                          .execute(
                              "SELECT CAST(city AS INTEGER) FROM company_data.orders", l.auth()),
                      l.auth()));
      flightError = e.status().metadata().get("x-nql-sqlstate");
    }
    MetricsScrape after = MetricsScrape.of(gateway);

    String n = "nql_statements_total";
    assertThat(jdbcError).startsWith("42");
    assertThat(flightError).hasSize(5);
    assertThat(after.delta(before, n, statements("jdbc", "ok", "00"))).isEqualTo(3);
    assertThat(after.delta(before, n, statements("jdbc", "error", "42"))).isEqualTo(1);
    assertThat(after.delta(before, n, statements("console", "ok", "00"))).isEqualTo(1);
    assertThat(after.delta(before, n, statements("flight", "ok", "00"))).isEqualTo(1);
    assertThat(after.delta(before, n, statements("flight", "error", flightError.substring(0, 2))))
        .isEqualTo(1);
    assertThat(after.delta(before, n)).as("nothing else").isEqualTo(7);

    String rows = "nql_result_rows_total";
    assertThat(after.delta(before, rows, "frontend", "jdbc")).isEqualTo(3 + 3 + 2);
    assertThat(after.delta(before, rows, "frontend", "console")).isEqualTo(3);
    assertThat(after.delta(before, rows, "frontend", "flight")).isEqualTo(3);

    String total = "nql_statement_duration_seconds_count";
    assertThat(after.delta(before, total, "frontend", "jdbc", "status", "ok")).isEqualTo(3);
    assertThat(after.delta(before, total, "frontend", "jdbc", "status", "error")).isEqualTo(1);
    assertThat(after.delta(before, "nql_statement_execution_seconds_count", "frontend", "jdbc"))
        .isEqualTo(4);
    assertThat(after.delta(before, "nql_statement_planning_seconds_count", "frontend", "jdbc"))
        .as("the three that ran")
        .isEqualTo(3);
    assertThat(after.delta(before, "nql_statement_first_row_seconds_count", "frontend", "jdbc"))
        .isEqualTo(3);
    assertThat(after.delta(before, "nql_statement_duration_seconds_sum", "frontend", "jdbc"))
        .isPositive();
    // every statement that ended within 5 minutes is in the 5-minute bucket
    assertThat(
            after.delta(
                before,
                "nql_statement_duration_seconds_bucket",
                "frontend",
                "jdbc",
                "status",
                "ok",
                "le",
                "300.0"))
        .isEqualTo(3);

    long acme = gateway.engine().store().company("acme").orElseThrow().id();
    assertThat(after.delta(before, "nql_ledger_charged_microusd_total")).isEqualTo(2_000_000);
    assertThat(
            after.delta(
                before,
                "nql_ledger_provider_charged_microusd_total",
                "provider_company",
                String.valueOf(acme)))
        .isEqualTo(2_000_000);
    assertThat(after.delta(before, "nql_ledger_rows_bought_total")).isEqualTo(2);
    assertThat(after.delta(before, "nql_budget_cuts_total")).isEqualTo(1);

    assertThat(after.delta(before, "nql_plan_cache_hits_total")).isGreaterThanOrEqualTo(1);
    assertThat(after.delta(before, "nql_plan_cache_misses_total")).isGreaterThanOrEqualTo(1);
    assertThat(after.has("nql_plan_cache_evictions_total")).isTrue();
    assertThat(after.value("nql_plan_cache_entries")).isPositive();

    assertThat(after.delta(before, "nql_endpoint_sent_bytes_total", "endpoint", "jdbc"))
        .isPositive();
    assertThat(after.delta(before, "nql_endpoint_sent_bytes_total", "endpoint", "flight"))
        .isPositive();
    assertThat(after.value("nql_jdbc_connections_open")).isZero();
    assertThat(after.value("nql_jdbc_connections_active")).isZero();
    assertThat(after.value("nql_flight_streams_open")).isZero();
  }

  @Test
  void anOpenFlightStreamShowsAndItsCancelIsCounted() throws Exception {
    MetricsScrape before = MetricsScrape.of(gateway);
    try (Login l = login(allocator, gateway.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
      // 4 million rows: the stream stays open while the test looks
      var info =
          l.sql()
              .execute(
                  "SELECT a.n FROM company_data.numbers a CROSS JOIN company_data.numbers b",
                  l.auth());
      try (FlightStream stream =
          l.sql().getStream(info.getEndpoints().get(0).getTicket(), l.auth())) {
        assertThat(stream.next()).isTrue();
        MetricsScrape open = MetricsScrape.of(gateway);
        assertThat(open.value("nql_flight_streams_open")).isEqualTo(1);
        assertThat(open.value("nql_flight_statements_open")).isEqualTo(1);
        assertThat(open.value("nql_arrow_allocated_bytes", "endpoint", "flight")).isPositive();
        stream.cancel("enough", null);
      }
    }
    MetricsScrape after = MetricsScrape.of(gateway);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (after.delta(before, "nql_statements_total", statements("flight", "cancelled", "57")) < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      after = MetricsScrape.of(gateway);
    }
    assertThat(after.delta(before, "nql_statements_total", statements("flight", "cancelled", "57")))
        .isEqualTo(1);
    assertThat(after.delta(before, "nql_statements_total")).isEqualTo(1);
    assertThat(after.value("nql_flight_streams_open")).isZero();
    assertThat(after.value("nql_arrow_allocated_bytes", "endpoint", "flight"))
        .isEqualTo(gateway.flightAllocatedBytes())
        .isZero();
  }

  @Test
  void noLabelCarriesStatementTextOrAUserAndLabelsAreTheDocumentedOnes() throws Exception {
    try (Connection acme = jdbc("acme_user", TestWarehouse.ACME_PW, "evil\"} 1\nname")) {
      rows(acme, ORDERS);
      catchThrowableOfType(SQLException.class, () -> rows(acme, "SELECT secret_text FROM x.y"));
    }
    MetricsScrape scrape = MetricsScrape.of(gateway);
    Set<String> nqlLabels = new TreeSet<>();
    for (MetricsScrape.Sample s : scrape.samples()) {
      for (var label : s.labels().entrySet()) {
        assertThat(label.getValue())
            .as(s.name() + " " + label.getKey())
            .doesNotContainIgnoringCase("acme")
            .doesNotContainIgnoringCase("globex")
            .doesNotContainIgnoringCase("select")
            .doesNotContain("secret_text")
            .doesNotContain("order_id")
            .doesNotContain("evil");
      }
      if (s.name().startsWith("nql_")) {
        nqlLabels.addAll(s.labels().keySet());
      }
    }
    assertThat(nqlLabels)
        .isSubsetOf("frontend", "status", "sqlstate_class", "endpoint", "provider_company", "le")
        .contains("frontend", "status", "sqlstate_class", "endpoint");
    assertThat(scrape.samples())
        .filteredOn(s -> s.labels().containsKey("frontend"))
        .extracting(s -> s.labels().get("frontend"))
        .isSubsetOf("jdbc", "flight", "console", "embedded", "scheduler");
    assertThat(scrape.samples())
        .filteredOn(s -> s.labels().containsKey("sqlstate_class"))
        .allSatisfy(s -> assertThat(s.labels().get("sqlstate_class")).matches("[0-9A-Z]{2}"));
  }

  @Test
  void theJvmAndTheMetadataStorePoolAreReported() throws Exception {
    MetricsScrape scrape = MetricsScrape.of(gateway);
    for (String name :
        List.of(
            "jvm_memory_used_bytes",
            "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "system_cpu_count",
            "process_uptime_seconds")) {
      assertThat(scrape.has(name)).as(name).isTrue();
    }
    assertThat(scrape.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    for (String name :
        List.of(
            "hikaricp_connections_active",
            "hikaricp_connections_idle",
            "hikaricp_connections_pending",
            "hikaricp_connections_max")) {
      assertThat(scrape.samples())
          .as(name)
          .anyMatch(s -> s.name().equals(name) && "nql-metadata".equals(s.labels().get("pool")));
    }
    assertThat(scrape.value("hikaricp_connections_max", "pool", "nql-metadata")).isEqualTo(8);
  }

  @Test
  void healthAnswersGetOnItsPathsOnly() throws Exception {
    HttpResponse<String> live = MetricsScrape.get(gateway, "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"live\"}\n");
    HttpResponse<String> ready = MetricsScrape.get(gateway, "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}\n");
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
    for (String path :
        List.of("/", "/metrics/", "/METRICS", "/health", "/health/ready/x", "/metrics.txt")) {
      HttpResponse<String> r = MetricsScrape.get(gateway, path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).isEqualTo("{\"status\":\"not found\"}\n");
    }
    for (String method : List.of("POST", "PUT", "DELETE", "HEAD")) {
      HttpResponse<String> r = MetricsScrape.request(gateway, method, "/metrics");
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).hasValue("GET");
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("io.nql");
    }
  }

  @Test
  void aStoppingGatewayIsNotReadyWhileItDrains() throws Exception {
    Gateway g =
        Gateway.start(
            TestWarehouse.config().shutdownGrace(java.time.Duration.ofSeconds(3)).build());
    CompletableFuture<Void> running = null;
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:nql://127.0.0.1:"
                + g.jdbcPort()
                + "?user=acme_user&password="
                + TestWarehouse.ACME_PW)) {
      running =
          CompletableFuture.runAsync(
              () -> {
                try {
                  rows(c, FlightSqlGatewayTest.COUNT_3_WAY);
                } catch (SQLException expected) {
                  // cancelled by the stop
                }
              });
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (MetricsScrape.of(g).value("nql_jdbc_connections_active") < 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      CompletableFuture<Void> stop = CompletableFuture.runAsync(g::close);
      HttpResponse<String> ready = MetricsScrape.get(g, "/health/ready");
      while (ready.statusCode() == 200 && !stop.isDone()) {
        ready = MetricsScrape.get(g, "/health/ready");
      }
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .isEqualTo("{\"status\":\"unavailable\",\"reason\":\"the gateway is stopping\"}\n");
      assertThat(MetricsScrape.get(g, "/health/live").statusCode()).isEqualTo(200);
      stop.get();
    } finally {
      g.close();
      if (running != null) {
        running.get();
      }
    }
  }
}
