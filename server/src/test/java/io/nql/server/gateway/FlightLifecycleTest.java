package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.fails;
import static io.nql.server.gateway.FlightClients.login;
import static io.nql.server.gateway.FlightClients.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.server.gateway.FlightClients.Login;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flight endpoint behaviour that needs its own gateway: TLS, token expiry, memory limit, stop. */
class FlightLifecycleTest {
  @TempDir Path tmp;
  BufferAllocator allocator;

  @BeforeEach
  void allocate() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void release() {
    allocator.close();
  }

  @Test
  void tlsWithTheGatewaysPkcs12Keystore() throws Exception {
    Path keystore = tmp.resolve("gateway.p12");
    Path cert = tmp.resolve("gateway.pem");
    GatewayLifecycleTest.selfSignedKeystore(keystore, "ks-secret");
    GatewayLifecycleTest.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "nql",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "ks-secret",
        "-file",
        cert.toString());
    try (Gateway g = Gateway.start(TestWarehouse.config().tls(keystore, "ks-secret").build())) {
      assertThat(g.flightUrl()).isEqualTo("grpc+tls://localhost:" + g.flightPort());
      try (InputStream trusted = Files.newInputStream(cert);
          FlightClient client =
              FlightClient.builder(allocator, Location.forGrpcTls("localhost", g.flightPort()))
                  .trustedCertificates(trusted)
                  .build();
          FlightSqlClient sql = new FlightSqlClient(client)) {
        CallOption auth =
            client.authenticateBasicToken("acme_user", TestWarehouse.ACME_PW).orElseThrow();
        FlightInfo info = sql.execute("SELECT COUNT(*) FROM company_data.orders", auth);
        assertThat(read(sql, info, auth).rows()).containsExactly("3");
      }
      // A plaintext client gets no answer from the TLS port.
      try (FlightClient plain = FlightClients.client(allocator, g.flightPort())) {
        fails(
            () -> plain.authenticateBasicToken("acme_user", TestWarehouse.ACME_PW),
            FlightStatusCode.UNAVAILABLE,
            null);
      }
    }
  }

  @Test
  void tokensExpire() throws Exception {
    try (Gateway g =
            Gateway.start(TestWarehouse.config().flightTokenTtl(Duration.ofMillis(1500)).build());
        Login acme = login(allocator, g.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
      assertThat(read(acme.sql(), acme.sql().getCatalogs(acme.auth()), acme.auth()).rows())
          .containsExactly("nql");
      Thread.sleep(2000);
      fails(() -> acme.sql().getCatalogs(acme.auth()), FlightStatusCode.UNAUTHENTICATED, null);
    }
  }

  @Test
  void aStreamOverItsMemoryLimitFailsWithResourceExhausted() throws Exception {
    try (Gateway g =
        Gateway.start(TestWarehouse.config().flightStatementMemory(64 << 10).build())) {
      try (Login acme = login(allocator, g.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
        FlightInfo info = acme.sql().execute(GatewayJdbcContract.CROSS_JOIN, acme.auth());
        fails(
            () -> read(acme.sql(), info, acme.auth()),
            FlightStatusCode.RESOURCE_EXHAUSTED,
            "53200");
        // small results still fit
        assertThat(
                read(
                        acme.sql(),
                        acme.sql().execute("SELECT order_id FROM company_data.orders", acme.auth()),
                        acme.auth())
                    .rows())
            .hasSize(3);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (g.flightAllocatedBytes() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(g.flightAllocatedBytes()).isZero();
    }
  }

  @Test
  void theStatementTimeoutCancelsFlightStatementsWithTimedOut() throws Exception {
    try (Gateway g =
        Gateway.start(TestWarehouse.config().statementTimeout(Duration.ofMillis(500)).build())) {
      try (Login acme = login(allocator, g.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
        // a computation that returns no row for minutes: stopped while it computes
        long t0 = System.nanoTime();
        FlightRuntimeException e =
            fails(
                () ->
                    read(
                        acme.sql(),
                        acme.sql().execute(FlightSqlGatewayTest.COUNT_3_WAY, acme.auth()),
                        acme.auth()),
                FlightStatusCode.TIMED_OUT,
                "57014");
        assertThat(e.status().description()).contains("statement timeout of 500ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // a long stream read slowly: the clock runs until the stream ends
        FlightInfo info = acme.sql().execute(GatewayJdbcContract.CROSS_JOIN, acme.auth());
        try (FlightStream stream =
            acme.sql().getStream(info.getEndpoints().get(0).getTicket(), acme.auth())) {
          fails(
              () -> {
                while (stream.next()) {
                  Thread.sleep(20);
                }
              },
              FlightStatusCode.TIMED_OUT,
              "57014");
        }
        // prepared statements too; quick statements and updates are unaffected
        try (FlightClients.Prepared p =
            FlightClients.prepare(acme, FlightSqlGatewayTest.COUNT_3_WAY)) {
          fails(
              () -> read(acme.sql(), p.ps().execute(acme.auth()), acme.auth()),
              FlightStatusCode.TIMED_OUT,
              "57014");
        }
        assertThat(
                read(
                        acme.sql(),
                        acme.sql().execute("SELECT order_id FROM company_data.orders", acme.auth()),
                        acme.auth())
                    .rows())
            .hasSize(3);
        assertThat(
                acme.sql().executeUpdate("CREATE DATASET \"t_timeout\" (id BIGINT)", acme.auth()))
            .isZero();
        // the warehouse is shared with other test classes: leave it as it was
        assertThat(acme.sql().executeUpdate("DROP DATASET \"t_timeout\"", acme.auth())).isZero();
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while ((g.flightOpenStatements() > 0 || g.flightAllocatedBytes() > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(g.flightOpenStatements()).isZero();
      assertThat(g.flightAllocatedBytes()).isZero();
    }
  }

  /**
   * A COUNT over a 3-way cross join computes in its DoGet (GetFlightInfo only plans it): a client
   * that gives up on the DoGet stops it. The proof is the stop: it waits for running calls, so a
   * computation still running would hold it for minutes.
   */
  @Test
  void aClientThatAbandonsItsDoGetStopsTheComputation() throws Exception {
    Gateway g = Gateway.start(TestWarehouse.config().shutdownGrace(Duration.ofSeconds(60)).build());
    try (Login acme = login(allocator, g.flightPort(), "acme_user", TestWarehouse.ACME_PW)) {
      FlightInfo info =
          acme.sql()
              .execute(
                  FlightSqlGatewayTest.COUNT_3_WAY,
                  acme.auth(),
                  CallOptions.timeout(60, TimeUnit.SECONDS));
      fails(
          () -> {
            try (FlightStream s =
                acme.sql()
                    .getStream(
                        info.getEndpoints().get(0).getTicket(),
                        acme.auth(),
                        CallOptions.timeout(1, TimeUnit.SECONDS))) {
              while (s.next()) {
                // no row before the count
              }
            }
          },
          FlightStatusCode.TIMED_OUT,
          null);
    }
    long t0 = System.nanoTime();
    g.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void closeCancelsStreamsStillRunningAfterTheGracePeriod() throws Exception {
    Gateway g = Gateway.start(TestWarehouse.config().shutdownGrace(Duration.ofMillis(500)).build());
    Login acme = login(allocator, g.flightPort(), "acme_user", TestWarehouse.ACME_PW);
    FlightInfo info = acme.sql().execute(GatewayJdbcContract.CROSS_JOIN, acme.auth());
    FlightStream stream = acme.sql().getStream(info.getEndpoints().get(0).getTicket(), acme.auth());
    assertThat(stream.next()).isTrue();
    CompletableFuture<Throwable> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                while (stream.next()) {
                  Thread.sleep(50); // a slow client
                }
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    long t0 = System.nanoTime();
    g.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(reader.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(g.flightOpenStatements()).isZero();
    stream.close();
    acme.close();
  }
}
