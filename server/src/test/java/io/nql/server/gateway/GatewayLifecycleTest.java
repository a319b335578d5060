package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateway behaviour that needs its own configuration: timeouts, TLS, throttling, stopping. */
class GatewayLifecycleTest {
  @TempDir Path tmp;

  private static String url(Gateway g, String props) {
    return "jdbc:nql://127.0.0.1:" + g.jdbcPort() + "?" + props;
  }

  private static Connection acme(Gateway g) throws SQLException {
    return DriverManager.getConnection(url(g, "user=acme_user&password=" + TestWarehouse.ACME_PW));
  }

  /** Reads a result to its end on another thread; returns the failure, or null. */
  private static CompletableFuture<Throwable> readAll(
      Statement s, String sql, AtomicLong read, long pauseEveryRowsMillis) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              read.incrementAndGet();
              if (pauseEveryRowsMillis > 0) {
                Thread.sleep(pauseEveryRowsMillis);
              }
            }
            return null;
          } catch (Throwable e) {
            return e;
          }
        });
  }

  @Test
  void statementTimeoutCancelsWith57014() throws Exception {
    try (Gateway g =
            Gateway.start(TestWarehouse.config().statementTimeout(Duration.ofMillis(500)).build());
        Connection c = acme(g);
        Statement s = c.createStatement()) {
      Throwable e =
          readAll(s, GatewayJdbcContract.CROSS_JOIN, new AtomicLong(), 0).get(60, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(SQLException.class);
      assertThat(((SQLException) e).getSQLState()).isEqualTo("57014");
      assertThat(e.getMessage()).contains("statement timeout of 500ms");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void tlsWithAPkcs12KeystoreAndTheDriversTrustStore() throws Exception {
    Path keystore = tmp.resolve("gateway.p12");
    Path truststore = tmp.resolve("trust.p12");
    Path cert = tmp.resolve("gateway.crt");
    selfSignedKeystore(keystore, "ks-secret");
    keytool(
        "-exportcert",
        "-alias",
        "nql",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "ks-secret",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "nql",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        "trust-secret");
    try (Gateway g = Gateway.start(TestWarehouse.config().tls(keystore, "ks-secret").build())) {
      assertThat(g.jdbcUrl()).endsWith("?ssl=true");
      String tls =
          "ssl=true&trustStore="
              + truststore
              + "&trustStorePassword=trust-secret&user=acme_user&password="
              + TestWarehouse.ACME_PW;
      try (Connection c = DriverManager.getConnection(url(g, tls));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                          url(g, "user=acme_user&password=" + TestWarehouse.ACME_PW))
                      .close())
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getMessage()).contains("requires TLS");
              });
    }
  }

  /** A PKCS12 keystore with a self-signed RSA certificate for localhost and 127.0.0.1. */
  static void selfSignedKeystore(Path keystore, String password) throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        "nql",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
  }

  static void keytool(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }

  @Test
  void repeatedWrongPasswordsLockTheUserOutForAWhile() throws Exception {
    try (Gateway g = Gateway.start(TestWarehouse.config().build())) {
      Service.Request probe = new Service.CreateStatementRequest(UUID.randomUUID().toString());
      int port = g.jdbcPort();
      for (int i = 0; i <= LoginThrottle.FREE_USER_FAILURES; i++) {
        assertThat(RawAvatica.send(port, Serialization.PROTOBUF, "slow_user", "guess" + i, probe))
            .extracting(RawAvatica.Answer::status)
            .isEqualTo(401);
      }
      // Locked: even the right password is refused, without being checked.
      assertThat(
              RawAvatica.send(
                      port, Serialization.PROTOBUF, "slow_user", TestWarehouse.SLOW_PW, probe)
                  .status())
          .isEqualTo(401);
      // Other users are not affected.
      assertThat(
              RawAvatica.send(
                      port, Serialization.PROTOBUF, "acme_user", TestWarehouse.ACME_PW, probe)
                  .status())
          .isEqualTo(500);
      Thread.sleep(LoginThrottle.BASE_LOCK_MILLIS + 200);
      assertThat(
              RawAvatica.send(
                      port, Serialization.PROTOBUF, "slow_user", TestWarehouse.SLOW_PW, probe)
                  .status())
          .isEqualTo(500);
    }
  }

  @Test
  void aConnectionCannotNameAnotherUserThanTheAuthenticatedOne() throws Exception {
    try (Gateway g = Gateway.start(TestWarehouse.config().build())) {
      RawAvatica.Answer a =
          RawAvatica.send(
              g.jdbcPort(),
              Serialization.PROTOBUF,
              "acme_user",
              TestWarehouse.ACME_PW,
              new Service.OpenConnectionRequest(
                  UUID.randomUUID().toString(), Map.of("user", "globex_user")));
      assertThat(a.error().sqlState).isEqualTo("28000");
      assertThat(g.openConnections()).isZero();
    }
  }

  @Test
  void idleConnectionsExpire() throws Exception {
    try (Gateway g =
            Gateway.start(TestWarehouse.config().idleTimeout(Duration.ofMillis(300)).build());
        Connection c = acme(g)) {
      assertThat(g.openConnections()).isEqualTo(1);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (g.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(g.openConnections()).isZero();
      assertThatThrownBy(
              () -> c.createStatement().executeQuery("SELECT COUNT(*) FROM company_data.orders"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
    }
  }

  @Test
  void closeLetsARunningStatementFinishWithinTheGracePeriod() throws Exception {
    Gateway g =
        Gateway.start(
            TestWarehouse.config().frameRows(50).shutdownGrace(Duration.ofSeconds(30)).build());
    try (Connection c = acme(g);
        Statement s = c.createStatement()) {
      AtomicLong read = new AtomicLong();
      CompletableFuture<Throwable> reader =
          readAll(s, "SELECT n FROM company_data.numbers", read, 1);
      while (read.get() == 0 && !reader.isDone()) {
        Thread.sleep(5);
      }
      g.close();
      assertThat(reader.get(60, TimeUnit.SECONDS)).isNull();
      assertThat(read.get()).isEqualTo(TestWarehouse.NUMBERS);
    }
    assertThatThrownBy(() -> acme(g).close()).isInstanceOf(SQLException.class);
  }

  @Test
  void closeCancelsStatementsStillRunningAfterTheGracePeriod() throws Exception {
    Gateway g = Gateway.start(TestWarehouse.config().shutdownGrace(Duration.ofMillis(300)).build());
    try (Connection c = acme(g);
        Statement s = c.createStatement()) {
      AtomicLong read = new AtomicLong();
      CompletableFuture<Throwable> reader = readAll(s, GatewayJdbcContract.CROSS_JOIN, read, 0);
      while (read.get() == 0 && !reader.isDone()) {
        Thread.sleep(5);
      }
      long start = System.nanoTime();
      g.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      Throwable e = reader.get(60, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(SQLException.class);
      assertThat(((SQLException) e).getSQLState()).isEqualTo("57014");
    }
  }
}
