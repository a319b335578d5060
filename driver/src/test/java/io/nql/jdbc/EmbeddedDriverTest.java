package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jdbc:nql:embedded: URL through DriverManager, over a real warehouse. */
class EmbeddedDriverTest {
  @TempDir static Path dir;
  static String url;

  @BeforeAll
  static void setUp() throws Exception {
    // acme stages its files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("incoming");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    System.setProperty("nql.ingest.roots", ingest.toString());
    Files.writeString(
        src.resolve("orders.csv"),
        "order_id,amount,city,ordered_on,ordered_at\n"
            + "1,10.50,Zürich,2026-10-01,2026-10-01T08:00:00\n"
            + "2,,東京,2026-10-02,2026-10-02T09:30:00\n"
            + "3,99.99,\"New York, NY\",2026-10-03,2026-10-03T23:59:59\n");
    url = "jdbc:nql:embedded:" + dir.resolve("wh");
    try (Connection admin = DriverManager.getConnection(url + "?user=admin");
        Statement s = admin.createStatement()) {
      s.executeUpdate("CREATE COMPANY acme");
      s.executeUpdate("CREATE COMPANY globex");
      s.executeUpdate("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-secret-1'");
      s.executeUpdate("CREATE USER \"globex_user\" COMPANY globex PASSWORD 'globex-secret-1'");
    }
    try (Connection acme = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = acme.createStatement()) {
      long loaded =
          s.executeLargeUpdate(
              "COPY INTO company_data.orders FROM '" + src.resolve("orders.csv") + "'");
      assertThat(loaded).isEqualTo(3);
    }
    try (Connection globex = DriverManager.getConnection(url + "?user=globex_user");
        Statement s = globex.createStatement()) {
      s.executeUpdate("CREATE DATASET \"purchases\" (id BIGINT, amount DECIMAL(12, 2))");
    }
    try (Connection acme = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = acme.createStatement()) {
      // 1,000 USD per 1,000 rows: each row costs exactly 1 USD.
      s.executeUpdate(
          "CREATE ACCESS RULE \"orders_public\" PRICE_CPM_USD = 1000 SHARE WITH ALL"
              + " AS SELECT order_id, city FROM company_data.orders");
    }
  }

  /** No row for a very long time: a count of the rows of a recursive query without an end. */
  static final String ENDLESS =
      "WITH RECURSIVE r(k) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT k + 1 FROM r)"
          + " SELECT COUNT(*) FROM r";

  @Test
  void aQueryTimeoutStopsTheStatementWith57014() throws Exception {
    try (Connection acme = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = acme.createStatement()) {
      s.setQueryTimeout(1);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.executeQuery(ENDLESS).next())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
      assertThat(System.nanoTime() - t0).isLessThan(20_000_000_000L);
      s.setQueryTimeout(0);
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void aCancelFromAnotherThreadStopsTheStatementWith57014() throws Exception {
    try (Connection acme = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = acme.createStatement()) {
      java.util.concurrent.CompletableFuture<Throwable> run =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = s.executeQuery(ENDLESS)) {
                  rs.next();
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              });
      Thread.sleep(500);
      while (!run.isDone()) {
        s.cancel(); // a cancel before the statement starts is not kept: repeat it
        Thread.sleep(100);
      }
      assertThat(run.get())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }
  }

  @Test
  void driverIsRegisteredAndDescribesItsProperties() throws Exception {
    Driver d = DriverManager.getDriver(url);
    assertThat(d).isInstanceOf(NqlDriver.class);
    assertThat(d.acceptsURL("jdbc:nql://localhost:8765")).isTrue();
    assertThat(d.acceptsURL("jdbc:postgresql://localhost/x")).isFalse();
    DriverPropertyInfo[] props = d.getPropertyInfo(url + "?user=acme_user", null);
    assertThat(props)
        .extracting(p -> p.name)
        .contains("user", "password", "budget_usd", "strict", "ssl", "trustStore");
    for (DriverPropertyInfo p : props) {
      assertThat(p.description).as(p.name).isNotBlank();
    }
    assertThat(props)
        .filteredOn(p -> p.name.equals("user"))
        .extracting(p -> p.value)
        .containsExactly("acme_user");
  }

  @Test
  void queryReturnsTypedValues() throws Exception {
    try (Connection c = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT order_id, amount, city, ordered_on, ordered_at"
                    + " FROM company_data.orders ORDER BY order_id")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(5);
      assertThat(md.getColumnType(1)).isEqualTo(Types.BIGINT);
      assertThat(md.getColumnType(2)).isEqualTo(Types.DECIMAL);
      assertThat(md.getScale(2)).isEqualTo(2);
      assertThat(md.getColumnType(3)).isEqualTo(Types.VARCHAR);
      assertThat(md.getColumnType(4)).isEqualTo(Types.DATE);
      assertThat(md.getColumnType(5)).isEqualTo(Types.TIMESTAMP);
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        BigDecimal amount = rs.getBigDecimal(2);
        LocalDate day = rs.getObject(4, LocalDate.class);
        LocalDateTime at =
            rs.getTimestamp(5).toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDateTime();
        rows.add(rs.getLong(1) + "|" + amount + "|" + rs.getString(3) + "|" + day + "|" + at);
      }
      assertThat(rows)
          .containsExactly(
              "1|10.50|Zürich|2026-10-01|2026-10-01T08:00",
              "2|null|東京|2026-10-02|2026-10-02T09:30",
              "3|99.99|New York, NY|2026-10-03|2026-10-03T23:59:59");
    }
  }

  @Test
  void preparedStatementBindsParameters() throws Exception {
    try (Connection c = DriverManager.getConnection(url + "?user=acme_user");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT city FROM company_data.orders WHERE amount > ? AND ordered_on <= ?"
                    + " ORDER BY order_id")) {
      assertThat(ps.getMetaData().getColumnName(1)).isEqualTo("city");
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(2);
      ps.setBigDecimal(1, new BigDecimal("5.00"));
      ps.setObject(2, java.sql.Date.valueOf("2026-10-03"));
      List<String> cities = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cities.add(rs.getString(1));
        }
      }
      assertThat(cities).containsExactly("Zürich", "New York, NY");
      ps.setBigDecimal(1, new BigDecimal("50"));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("New York, NY");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void errorsCarryTheEngineSqlStateAndMessage() throws Exception {
    try (Connection c = DriverManager.getConnection(url + "?user=acme_user");
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM globex.purchases"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42P01");
                assertThat(e.getMessage())
                    .isEqualTo("Unknown table or insufficient table permissions: globex.purchases");
              });
      assertThatThrownBy(() -> s.executeQuery("SELEC 1"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42601");
                assertThat(e.getMessage()).contains("SELEC").doesNotContain("Exception");
              });
      assertThatThrownBy(() -> s.executeUpdate("CREATE COMPANY initech"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      assertThatThrownBy(() -> c.prepareStatement("SELECT nope FROM company_data.orders"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("42703");
                assertThat(e.getMessage()).contains("nope");
              });
    }
  }

  @Test
  void budgetCutArrivesAsSqlWarning() throws Exception {
    try (Connection c = DriverManager.getConnection(url + "?user=globex_user&budget_usd=2.50");
        Statement s = c.createStatement()) {
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT order_id FROM acme.orders_public")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      assertThat(ids).hasSize(2);
      java.sql.SQLWarning w = s.getWarnings();
      assertThat((Object) w).isNotNull();
      assertThat(w.getSQLState()).isEqualTo("01N01");
      assertThat(w.getMessage()).contains("2.50 USD", "2 rows");
      try (ResultSet rs = s.executeQuery("SELECT order_id FROM acme.orders_public NO LIMIT")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertThat(n).isEqualTo(3);
      }
      assertThat((Object) s.getWarnings()).isNull();
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    assertThatThrownBy(
            () -> DriverManager.getConnection(url + "?user=acme_user&password=wrong-password"))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("28000");
              assertThat(e.getMessage()).doesNotContain("wrong-password");
            });
    assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=nobody"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
  }

  @Test
  void rightPasswordIsAccepted() throws Exception {
    try (Connection c =
            DriverManager.getConnection(url + "?user=acme_user&password=acme-secret-1");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(3);
    }
  }

  @Test
  void metadataListsOnlyWhatTheCallerMayQuery() throws Exception {
    try (Connection c = DriverManager.getConnection(url + "?user=acme_user")) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getDatabaseProductName()).isEqualTo("NQL Gateway");
      assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, null, "%", null)) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
      }
      assertThat(tables)
          .containsExactlyInAnyOrder(
              "company_data.orders",
              "company_data._ledger",
              "company_data._audit",
              "company_data.orders_public",
              "company_data.rosetta_stone",
              "narrative.rosetta_stone",
              "information_schema.columns",
              "information_schema.key_column_usage",
              "information_schema.schemata",
              "information_schema.table_constraints",
              "information_schema.tables",
              "information_schema.views");
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "company_data", "orders", "%")) {
        while (rs.next()) {
          columns.add(
              rs.getString("COLUMN_NAME")
                  + ":"
                  + rs.getInt("DATA_TYPE")
                  + ":"
                  + rs.getInt("ORDINAL_POSITION"));
        }
      }
      assertThat(columns)
          .containsExactly(
              "order_id:" + Types.BIGINT + ":1",
              "amount:" + Types.DECIMAL + ":2",
              "city:" + Types.VARCHAR + ":3",
              "ordered_on:" + Types.DATE + ":4",
              "ordered_at:" + Types.TIMESTAMP + ":5");
      try (ResultSet rs = md.getPrimaryKeys(null, "company_data", "orders")) {
        assertThat(rs.getMetaData().getColumnName(4)).isEqualTo("COLUMN_NAME");
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = md.getTypeInfo()) {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
          names.add(rs.getString("TYPE_NAME"));
        }
        assertThat(names).contains("BIGINT", "DECIMAL", "VARCHAR", "TIMESTAMP");
      }
    }
    try (Connection c = DriverManager.getConnection(url + "?user=globex_user");
        ResultSet rs =
            c.getMetaData().getTables(null, "company_data", "%", new String[] {"TABLE"})) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("TABLE_NAME")).isEqualTo("purchases");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void anEngineThatCannotOpenIsASqlExceptionWithItsSqlState() throws Exception {
    // another warehouse, whose ingest root does not exist: the engine refuses to open
    String roots = System.getProperty("nql.ingest.roots");
    Path missing = dir.resolve("no-such-root");
    System.setProperty("nql.ingest.roots", missing.toString());
    try {
      assertThatThrownBy(
              () -> DriverManager.getConnection("jdbc:nql:embedded:" + dir.resolve("wh2")))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isNotNull().isNotEqualTo("XX000");
                assertThat(e.getMessage()).contains(missing.toString()).doesNotContain("Exception");
              });
    } finally {
      System.setProperty("nql.ingest.roots", roots);
    }
  }
}
