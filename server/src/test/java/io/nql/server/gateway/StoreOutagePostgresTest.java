package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.testing.TestPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata store goes away while clients run statements, and comes back: a gateway over a
 * PostgreSQL database of its own keeps serving readers (new connections each statement, and one
 * long-lived connection) and a writer while the test cuts the database's connections and refuses
 * new ones for longer than a statement waits for a store connection. Every statement either
 * succeeds with its full, exact answer or fails with a SQLSTATE and a one-line message that names
 * no class; once the store is back, statements succeed again without restarting the gateway, and
 * the writer's dataset holds exactly the rows of the inserts that reported success.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreOutagePostgresTest {
  private static final String ADMIN_PW = "outage-admin-1";
  private static final String PW = "outage-user-1";
  private static final int ROWS = 500;

  @TempDir static Path dir;
  private final String database = "nql_outage_" + HexFormat.of().formatHex(random(4));
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
    try (Connection c = connect("admin", ADMIN_PW);
        Statement s = c.createStatement()) {
      s.execute("CREATE COMPANY acme");
      s.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD '" + PW + "'");
    }
    try (Connection c = connect("acme_user", PW);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATASET \"t\" (id BIGINT, v VARCHAR)");
      s.execute("CREATE DATASET \"w\" (id BIGINT)");
      StringBuilder values = new StringBuilder("INSERT INTO company_data.t VALUES ");
      for (int i = 1; i <= ROWS; i++) {
        values
            .append(i == 1 ? "" : ", ")
            .append("(")
            .append(i)
            .append(", 'v")
            .append(i)
            .append("')");
      }
      assertThat(s.executeUpdate(values.toString())).isEqualTo(ROWS);
    }
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

  private String databaseUrl() {
    String url = TestPostgres.URL;
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    return base.substring(0, base.lastIndexOf('/') + 1)
        + database
        + (query < 0 ? "" : url.substring(query));
  }

  private Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:" + gateway.jdbcPort() + "?user=" + user + "&password=" + password);
  }

  /** One read on {@code c}: its exact answer, or an error (thrown). */
  private static void read(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM company_data.t")) {
      assertThat(rs.next()).as("a row").isTrue();
      assertThat(rs.getLong(1)).as("count").isEqualTo(ROWS);
      assertThat(rs.getLong(2)).as("sum").isEqualTo((long) ROWS * (ROWS + 1) / 2);
    }
  }

  @Test
  void statementsFailCleanlyWhileTheStoreIsAwayAndSucceedWhenItIsBack() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean away = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger successesWhileAway = new AtomicInteger();
    AtomicLong inserted = new AtomicLong();
    AtomicLong unknown = new AtomicLong();
    ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    Connection kept = connect("acme_user", PW);
    for (int i = 0; i < 4; i++) {
      int kind = i;
      clients.add(
          new Thread(
              () -> {
                for (long k = 0; !stop.get(); k++) {
                  try {
                    if (kind == 0) {
                      read(kept); // a connection opened before the outage
                    } else if (kind == 3) {
                      try (Connection c = connect("acme_user", PW);
                          Statement s = c.createStatement()) {
                        int n = s.executeUpdate("INSERT INTO company_data.w VALUES (1), (2)");
                        assertThat(n).isEqualTo(2);
                        inserted.addAndGet(n);
                      }
                    } else {
                      try (Connection c = connect("acme_user", PW)) {
                        read(c);
                      }
                    }
                    if (away.get()) {
                      successesWhileAway.incrementAndGet();
                    }
                  } catch (SQLException e) {
                    failures.incrementAndGet();
                    String m = String.valueOf(e.getMessage());
                    if (kind == 3 && m.contains("the outcome of the commit is unknown")) {
                      unknown.incrementAndGet(); // its two rows may be in the table, or not
                    }
                    errors.add(e.getSQLState() + " " + m);
                    if (e.getSQLState() == null
                        || e.getSQLState().length() != 5
                        || e.getSQLState().startsWith("XX")
                        || m.contains("\n")
                        || m.matches("(?s).*(Exception|java\\.|org\\.|\\tat ).*")) {
                      bad.add(e.getSQLState() + " " + m);
                    }
                  } catch (AssertionError e) {
                    bad.add("a wrong answer reported as success: " + e.getMessage());
                  }
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }));
    }
    clients.forEach(Thread::start);
    Thread.sleep(1_500);
    int failuresBefore = failures.get();

    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      away.set(true);
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "'");
    }
    // longer than a statement waits for a store connection (30 s): they must fail, not hang
    Thread.sleep(35_000);
    int failuresAway = failures.get() - failuresBefore;
    try (Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }
    away.set(false);

    // back: within a while every kind of statement succeeds again, on the same gateway
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = connect("acme_user", PW)) {
        read(c);
        read(kept);
        last = null;
        break;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(500);
      }
    }
    assertThat((Object) last).as("statements succeed once the store is back: %s", last).isNull();
    int failuresAtRecovery = failures.get();
    Thread.sleep(2_000);
    stop.set(true);
    for (Thread t : clients) {
      t.join(30_000);
    }
    kept.close();

    assertThat(bad).as("errors: %s", errors).isEmpty();
    assertThat(failuresBefore).as("before the outage: %s", errors).isZero();
    assertThat(failuresAway).as("statements failed while the store was away").isPositive();
    assertThat(failures.get())
        .as("no failure once recovered: %s", errors)
        .isEqualTo(failuresAtRecovery);
    // Every row is read from its data file (not counted from metadata): a commit that failed, or
    // whose outcome was unknown, left no snapshot pointing at a deleted file.
    long rows = 0;
    try (Connection c = connect("acme_user", PW);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM company_data.w")) {
      while (rs.next()) {
        assertThat(rs.getInt(1)).isBetween(1, 2);
        rows++;
      }
    }
    assertThat(rows)
        .as(
            "rows of the inserts that succeeded, and of those whose outcome was unknown: %s",
            errors)
        .isBetween(inserted.get(), inserted.get() + 2 * unknown.get());
    System.out.println(
        "store outage: "
            + failuresAway
            + " failures while away, e.g. "
            + errors.peek()
            + "; "
            + successesWhileAway.get()
            + " successes while away");
  }
}
