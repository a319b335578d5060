package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.server.gateway.FlightClients.Login;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXPORT through a gateway started with {@code --export-root}, by the real clients: {@code
 * jdbc:nql} through {@code DriverManager} (a statement and a prepared statement) and Arrow's {@code
 * FlightSqlClient}. Each writes one file in its company's area and reads the answer (rows, bytes,
 * path) as a result set; a refused path is the SQLSTATE and the one-line message, not a trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportGatewayTest {
  @TempDir static Path dir;
  Gateway gateway;
  Path acmeArea;
  Path globexArea;

  @BeforeAll
  void start() throws Exception {
    Path export = Files.createDirectories(dir.resolve("outgoing")).toRealPath();
    acmeArea = Files.createDirectories(export.resolve("acme"));
    globexArea = Files.createDirectories(export.resolve("globex"));
    gateway = Gateway.start(TestWarehouse.config().exportRoots(List.of(export)).build());
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  private Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:nql://127.0.0.1:" + gateway.jdbcPort(), p);
  }

  @Test
  void jdbcNqlExportsADatasetAndReadsTheAnswer() throws Exception {
    try (Connection c = connect("acme_user", TestWarehouse.ACME_PW);
        Statement s = c.createStatement()) {
      assertThat(s.execute("EXPORT company_data.orders TO 'orders.csv'")).isTrue();
      Path file = acmeArea.resolve("orders.csv");
      try (ResultSet rs = s.getResultSet()) {
        assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("rows");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("rows")).isEqualTo(3);
        assertThat(rs.getLong("bytes")).isEqualTo(Files.size(file));
        assertThat(rs.getString("path")).isEqualTo(file.toString());
        assertThat(rs.next()).isFalse();
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines.get(0)).isEqualTo("order_id,amount,city,ordered_on,ordered_at,paid");
      assertThat(lines).hasSize(4).anyMatch(l -> l.contains(",\"New York, NY\","));
      try (PreparedStatement ps =
              c.prepareStatement(
                  "EXPORT (SELECT order_id, city FROM company_data.orders WHERE order_id = 2)"
                      + " TO 'tokyo.parquet'");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      assertThat(acmeArea.resolve("tokyo.parquet")).isRegularFile();
    }
  }

  @Test
  void jdbcNqlGetsTheSqlStateAndMessageOfARefusal() throws Exception {
    try (Connection c = connect("globex_user", TestWarehouse.GLOBEX_PW);
        Statement s = c.createStatement()) {
      SQLException missing =
          catchThrowableOfType(
              SQLException.class, () -> s.execute("EXPORT company_data.orders TO 'x.csv'"));
      assertThat(missing.getSQLState()).isEqualTo("42P01");
      SQLException outside =
          catchThrowableOfType(
              SQLException.class,
              () -> s.execute("EXPORT company_data.purchases TO '../acme/stolen.csv'"));
      assertThat(outside.getSQLState()).isEqualTo("42501");
      assertThat(outside.getMessage())
          .contains(
              "Cannot write '../acme/stolen.csv': not a file name in your company's export area")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
    assertThat(acmeArea.resolve("stolen.csv")).doesNotExist();
    try (Stream<Path> files = Files.list(globexArea)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void flightSqlExportsOnceAndReportsRefusals() throws Exception {
    long count;
    try (Connection c = connect("globex_user", TestWarehouse.GLOBEX_PW);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.purchases")) {
      rs.next();
      count = rs.getLong(1);
    }
    try (BufferAllocator allocator = new RootAllocator();
        Login login =
            FlightClients.login(
                allocator, gateway.flightPort(), "globex_user", TestWarehouse.GLOBEX_PW)) {
      FlightClients.Read read =
          FlightClients.read(
              login.sql(),
              login.sql().execute("EXPORT company_data.purchases TO 'p.csv'", login.auth()),
              login.auth());
      Path file = globexArea.resolve("p.csv");
      assertThat(read.rows()).containsExactly(count + "|" + Files.size(file) + "|" + file);
      // the statement runs when its stream is read (DoGet), not when it is described
      FlightClients.fails(
          () ->
              FlightClients.read(
                  login.sql(),
                  login
                      .sql()
                      .execute("EXPORT company_data.purchases TO '../acme/p.csv'", login.auth()),
                  login.auth()),
          FlightStatusCode.UNAUTHORIZED,
          "42501");
    }
    assertThat(acmeArea.resolve("p.csv")).doesNotExist();
  }
}
