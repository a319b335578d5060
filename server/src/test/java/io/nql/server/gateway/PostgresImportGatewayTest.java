package io.nql.server.gateway;

import static io.nql.planner.testing.PostgresSourceDatabase.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.testing.PostgresSourceDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code CREATE SECRET} and {@code COPY INTO … FROM POSTGRES} through the real jdbc:nql driver and
 * a gateway in this JVM, importing from CI's PostgreSQL: the rows arrive, and the password never
 * comes back — not from SHOW SECRETS, not in an error, not in what the gateway logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresImportGatewayTest {
  static final String WRONG = "gw-Wr0ng-" + Long.toHexString(System.nanoTime());

  private PostgresSourceDatabase pg;
  private String table;
  private Gateway gateway;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeAll
  void setUp() throws Exception {
    pg = PostgresSourceDatabase.require();
    String schema = pg.schema("gateway \"s\"");
    table = quote(schema) + "." + quote("Items; --");
    pg.run(
        "CREATE SCHEMA " + quote(schema),
        "CREATE TABLE " + table + " (id int8, \"Label\" text, price numeric(8,2))",
        "INSERT INTO "
            + table
            + " SELECT i, 'item ' || i, i * 1.25 FROM generate_series(1, 2500) i");
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    gateway =
        Gateway.start(
            TestWarehouse.config()
                .postgresImportHosts(List.of(PostgresSourceDatabase.hostAndPort()))
                .build());
  }

  @AfterAll
  void tearDown() throws Exception {
    if (gateway != null) {
      // the warehouse is shared with the other gateway tests, which list acme's datasets
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.executeUpdate("DROP DATASET \"gw_items\"");
        for (String secret : List.of("gw_pg", "gw_acme_only")) {
          s.executeUpdate("DROP SECRET " + secret);
        }
      } finally {
        gateway.close();
      }
    }
    if (stderr != null) {
      System.setErr(stderr);
    }
    if (pg != null) {
      pg.close();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:"
            + gateway.jdbcPort()
            + "?user=acme_user&password="
            + TestWarehouse.ACME_PW);
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String secret(String name, String password) {
    return "CREATE OR REPLACE SECRET "
        + name
        + " TYPE POSTGRES URL "
        + literal(PostgresSourceDatabase.URL)
        + " USER "
        + literal(PostgresSourceDatabase.USER)
        + " PASSWORD "
        + literal(password);
  }

  @Test
  void aTableIsImportedThroughTheDriverAndThePasswordNeverComesBack() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(secret("gw_pg", PostgresSourceDatabase.PASSWORD));
      s.executeUpdate(secret("gw_wrong", WRONG));
      int loaded =
          s.executeUpdate(
              "COPY INTO company_data.gw_items FROM POSTGRES SECRET gw_pg TABLE " + table);
      assertThat(loaded).isEqualTo(2500);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT COUNT(*), SUM(id), SUM(price), MAX(\"Label\") FROM company_data.gw_items")) {
        assertThat(rs.next()).isTrue();
        try (Connection direct = pg.connect();
            Statement ds = direct.createStatement();
            ResultSet expected =
                ds.executeQuery(
                    "SELECT COUNT(*), SUM(id), SUM(price), MAX(\"Label\") FROM " + table)) {
          assertThat(expected.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(expected.getLong(1));
          assertThat(rs.getLong(2)).isEqualTo(expected.getLong(2));
          assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(expected.getBigDecimal(3));
          assertThat(rs.getString(4)).isEqualTo(expected.getString(4));
        }
      }

      List<String> shown = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW SECRETS")) {
        while (rs.next()) {
          shown.add(
              rs.getString("name") + " " + rs.getString("type") + " " + rs.getString("properties"));
        }
      }
      assertThat(shown)
          .contains(
              "gw_wrong POSTGRES url="
                  + PostgresSourceDatabase.URL
                  + ", user="
                  + PostgresSourceDatabase.USER);
      assertThat(shown.toString()).doesNotContain(WRONG);

      SQLException wrong =
          catchThrowableOfType(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO company_data.gw_x FROM POSTGRES SECRET gw_wrong TABLE " + table));
      assertThat(wrong.getSQLState()).isEqualTo("HV00N");
      assertThat(wrong.getMessage()).contains("authentication failed").doesNotContain(WRONG);

      SQLException typo =
          catchThrowableOfType(
              SQLException.class,
              () -> s.executeUpdate(secret("gw_typo", WRONG) + " " + literal(WRONG)));
      assertThat(typo.getSQLState()).isEqualTo("42601");
      assertThat(typo.getMessage()).doesNotContain(WRONG);

      SQLException prepared =
          catchThrowableOfType(
              SQLException.class, () -> c.prepareStatement(secret("gw_p", WRONG) + " 'x'"));
      assertThat(prepared.getMessage()).doesNotContain(WRONG);
      s.executeUpdate("DROP SECRET gw_wrong");
    }
    // the capture works (the gateway logged this connection), and holds no password
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("event=").doesNotContain(WRONG);
  }

  @Test
  void anotherCompanySeesNoneOfTheseSecrets() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(secret("gw_acme_only", PostgresSourceDatabase.PASSWORD));
    }
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:nql://127.0.0.1:"
                    + gateway.jdbcPort()
                    + "?user=globex_user&password="
                    + TestWarehouse.GLOBEX_PW);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW SECRETS")) {
        while (rs.next()) {
          assertThat(rs.getString("name")).doesNotStartWith("gw_acme");
        }
      }
      SQLException e =
          catchThrowableOfType(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "COPY INTO company_data.x FROM POSTGRES SECRET gw_acme_only QUERY 'SELECT 1 AS a'"));
      assertThat(e.getSQLState()).isEqualTo("42704");
      assertThat(e.getMessage()).isEqualTo("Cannot use secret gw_acme_only: no such secret");
    }
  }
}
