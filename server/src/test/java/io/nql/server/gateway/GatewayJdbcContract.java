package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway through the real {@code jdbc:nql://} driver and {@link java.sql.DriverManager}: the
 * same behaviour suite runs once per serialization (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayJdbcContract {
  static final String CROSS_JOIN =
      "SELECT a.n AS x, b.n AS y FROM company_data.numbers a CROSS JOIN company_data.numbers b";

  /**
   * Eight billion rows: no client reads them before a timeout or a cancel on any machine (the
   * two-way {@link #CROSS_JOIN}, four million rows, streams in under a second with columnar
   * frames).
   */
  static final String ENDLESS =
      "SELECT a.n AS x, b.n AS y, c.n AS z FROM company_data.numbers a"
          + " CROSS JOIN company_data.numbers b CROSS JOIN company_data.numbers c";

  Gateway gateway;

  abstract Serialization serialization();

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().serialization(serialization()).build());
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  String url(String props) {
    return "jdbc:nql://127.0.0.1:"
        + gateway.jdbcPort()
        + "?serialization="
        + serialization().name().toLowerCase(java.util.Locale.ROOT)
        + (props.isEmpty() ? "" : "&" + props);
  }

  Connection acme() throws SQLException {
    return DriverManager.getConnection(url("user=acme_user&password=" + TestWarehouse.ACME_PW));
  }

  Connection globex() throws SQLException {
    return DriverManager.getConnection(url("user=globex_user&password=" + TestWarehouse.GLOBEX_PW));
  }

  @Test
  void queryReturnsTypedValues() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT order_id, amount, city, ordered_on, ordered_at, paid"
                    + " FROM company_data.orders ORDER BY order_id")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnType(1)).isEqualTo(Types.BIGINT);
      assertThat(md.getColumnType(2)).isEqualTo(Types.DECIMAL);
      assertThat(md.getColumnType(4)).isEqualTo(Types.DATE);
      assertThat(md.getColumnType(5)).isEqualTo(Types.TIMESTAMP);
      assertThat(md.getColumnType(6)).isEqualTo(Types.BOOLEAN);
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        LocalDateTime at =
            rs.getTimestamp(5).toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDateTime();
        rows.add(
            rs.getLong(1)
                + "|"
                + rs.getBigDecimal(2)
                + "|"
                + rs.getString(3)
                + "|"
                + rs.getObject(4, LocalDate.class)
                + "|"
                + at
                + "|"
                + rs.getBoolean(6));
      }
      assertThat(rows)
          .containsExactly(
              "1|10.50|Zürich|2026-10-01|2026-10-01T08:00|true",
              "2|null|東京|2026-10-02|2026-10-02T09:30|false",
              "3|99.99|New York, NY|2026-10-03|2026-10-03T23:59:59|true");
    }
  }

  @Test
  void errorsCarryTheEngineSqlState() throws Exception {
    try (Connection c = acme();
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
                assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
              });
      assertThatThrownBy(() -> s.executeUpdate("CREATE COMPANY initech"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      assertThatThrownBy(() -> c.prepareStatement("SELECT nope FROM company_data.orders"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42703"));
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void preparedStatementBindsParametersOfEachType() throws Exception {
    try (Connection c = acme();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT order_id FROM company_data.orders WHERE order_id >= ? AND amount > ?"
                    + " AND city <> ? AND ordered_on <= ? AND ordered_at < ? AND paid = ?"
                    + " ORDER BY order_id")) {
      assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(6);
      ps.setLong(1, 1L);
      ps.setBigDecimal(2, new BigDecimal("5.00"));
      ps.setString(3, "東京 ✓");
      ps.setDate(4, java.sql.Date.valueOf("2026-10-03"));
      ps.setTimestamp(5, Timestamp.valueOf("2026-10-04 00:00:00"));
      ps.setBoolean(6, true);
      assertThat(ids(ps)).containsExactly(1L, 3L);
      ps.setString(3, "Zürich");
      assertThat(ids(ps)).containsExactly(3L);
      ps.setNull(2, Types.DECIMAL);
      assertThat(ids(ps)).isEmpty();
    }
  }

  @Test
  void insertUpdateDeletePlainAndPreparedAndBadRowsRefusedWholly() throws Exception {
    String name = "inserted_" + serialization().name().toLowerCase(java.util.Locale.ROOT);
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "CREATE DATASET \""
              + name
              + "\" (id BIGINT NOT NULL, label VARCHAR, amount DECIMAL(8, 2), at TIMESTAMP)");
      try {
        assertThat(
                s.executeUpdate(
                    "INSERT INTO company_data."
                        + name
                        + " (id, label) VALUES (1, 'one'), (2, 'zwei ✓')"))
            .isEqualTo(2);
        try (PreparedStatement ps =
            c.prepareStatement("INSERT INTO company_data." + name + " VALUES (?, ?, ?, ?)")) {
          assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(4);
          assertThat(ps.getParameterMetaData().getParameterType(3)).isEqualTo(Types.DECIMAL);
          ps.setLong(1, 3L);
          ps.setString(2, "drei");
          ps.setBigDecimal(3, new BigDecimal("12.345"));
          ps.setTimestamp(4, Timestamp.valueOf("2026-12-07 08:09:10"));
          assertThat(ps.executeUpdate()).isEqualTo(1);
          ps.setNull(1, Types.BIGINT); // NOT NULL: refused, nothing written
          SQLException e = catchThrowableOfType(ps::executeUpdate, SQLException.class);
          assertThat(e.getSQLState()).isEqualTo("23502");
          assertThat(e.getMessage()).contains("column 'id'");
        }
        SQLException bad =
            catchThrowableOfType(
                () ->
                    s.executeUpdate(
                        "INSERT INTO company_data."
                            + name
                            + " (id) VALUES (4), (5), (99999999999999999999)"),
                SQLException.class);
        // the third row does not fit BIGINT: the first two are not written either
        assertThat(bad.getSQLState()).isEqualTo("22003");
        assertThat(bad.getMessage()).contains("row 3, column 'id'");
        try (PreparedStatement up =
            c.prepareStatement("UPDATE company_data." + name + " SET label = ? WHERE id = ?")) {
          assertThat(up.getParameterMetaData().getParameterCount()).isEqualTo(2);
          up.setString(1, "EINS");
          up.setLong(2, 1L);
          assertThat(up.executeUpdate()).isEqualTo(1);
        }
        assertThat(s.executeUpdate("DELETE FROM company_data." + name + " WHERE id = 2"))
            .isEqualTo(1);
        List<String> rows = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT id, label, amount, at FROM company_data." + name + " ORDER BY id")) {
          while (rs.next()) {
            rows.add(
                rs.getLong(1)
                    + "|"
                    + rs.getString(2)
                    + "|"
                    + rs.getBigDecimal(3)
                    + "|"
                    + rs.getTimestamp(4));
          }
        }
        assertThat(rows).containsExactly("1|EINS|null|null", "3|drei|12.35|2026-12-07 08:09:10.0");
      } finally {
        s.executeUpdate("DROP DATASET \"" + name + "\"");
      }
    }
  }

  private static List<Long> ids(PreparedStatement ps) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  @Test
  void metadataListsOnlyTheCallersDatasets() throws Exception {
    try (Connection c = acme()) {
      DatabaseMetaData md = c.getMetaData();
      assertThat(tables(md))
          .containsExactly(
              "company_data._audit",
              "company_data._ledger",
              "company_data.numbers",
              "company_data.orders",
              "company_data.orders_public",
              "company_data.rosetta_stone");
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "company_data", "orders", "%")) {
        while (rs.next()) {
          columns.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("DATA_TYPE"));
        }
      }
      assertThat(columns)
          .containsExactly(
              "order_id:" + Types.BIGINT,
              "amount:" + Types.DECIMAL,
              "city:" + Types.VARCHAR,
              "ordered_on:" + Types.DATE,
              "ordered_at:" + Types.TIMESTAMP,
              "paid:" + Types.BOOLEAN);
      try (ResultSet rs = md.getColumns(null, "company_data", "purchases", "%")) {
        assertThat(rs.next()).isFalse();
      }
    }
    try (Connection c = globex()) {
      assertThat(tables(c.getMetaData()))
          .containsExactly(
              "company_data._audit",
              "company_data._ledger",
              "company_data.purchases",
              "company_data.rosetta_stone");
    }
  }

  @Test
  void budgetCutArrivesAsSqlWarningOverTheNetwork() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                url("user=globex_user&password=" + TestWarehouse.GLOBEX_PW + "&budget_usd=2.50"));
        Statement s = c.createStatement()) {
      int n = 0;
      try (ResultSet rs = s.executeQuery("SELECT order_id FROM acme.orders_public")) {
        while (rs.next()) {
          n++;
        }
      }
      assertThat(n).isEqualTo(2);
      java.sql.SQLWarning w = s.getWarnings();
      assertThat((Object) w).isNotNull();
      assertThat(w.getSQLState()).isEqualTo("01N01");
      assertThat(w.getMessage()).contains("2.50 USD", "2 rows");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM acme.orders_public NO LIMIT")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isGreaterThan(2);
      }
      assertThat((Object) s.getWarnings()).isNull();
    }
  }

  /**
   * A buyer's materialized view over the network: created and filled under its budget (the cut
   * arrives as a warning of the update), refreshed, listed, read and dropped.
   */
  @Test
  void materializedViewCreatedRefreshedListedAndDropped() throws Exception {
    String name = "bought_" + serialization().name().toLowerCase(java.util.Locale.ROOT);
    try (Connection c = globex();
        Statement s = c.createStatement()) {
      // 1 USD a row: 3 USD buy 3 rows, the cut arrives as a warning of the update
      assertThat(
              s.executeUpdate(
                  "CREATE MATERIALIZED VIEW \""
                      + name
                      + "\" WRITE_MODE = 'overwrite' AS SELECT order_id, city"
                      + " FROM acme.orders_public LIMIT 3 USD"))
          .isEqualTo(3);
      try {
        java.sql.SQLWarning w = s.getWarnings();
        assertThat((Object) w).isNotNull();
        assertThat(w.getSQLState()).isEqualTo("01N01");
        assertThat(w.getMessage()).contains("3 rows bought");
        assertThat(s.executeUpdate("REFRESH MATERIALIZED VIEW \"" + name + "\"")).isEqualTo(3);
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data." + name)) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(3); // overwritten, not appended
        }
        try (ResultSet rs = s.executeQuery("SHOW MATERIALIZED VIEWS")) {
          boolean found = false;
          while (rs.next()) {
            if (rs.getString("name").equals(name)) {
              found = true;
              assertThat(rs.getString("write_mode")).isEqualTo("overwrite");
              assertThat(rs.getString("status")).isEqualTo("ok (budget cut)");
              assertThat(rs.getLong("runs")).isEqualTo(2);
              assertThat(rs.getBigDecimal("spent_usd")).isEqualByComparingTo("6");
            }
          }
          assertThat(found).isTrue();
        }
      } finally {
        s.executeUpdate("DROP MATERIALIZED VIEW \"" + name + "\"");
      }
      SQLException gone =
          catchThrowableOfType(
              () -> s.executeQuery("SELECT * FROM company_data." + name), SQLException.class);
      assertThat(gone.getSQLState()).isEqualTo("42P01");
    }
  }

  private static List<String> tables(DatabaseMetaData md) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, "company_data", "%", null)) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void missingOrWrongCredentialsAreRefusedWith28000() {
    for (String props :
        List.of(
            "",
            "user=acme_user",
            "user=acme_user&password=wrong-password",
            "user=nobody&password=" + TestWarehouse.ACME_PW)) {
      assertThatThrownBy(() -> DriverManager.getConnection(url(props)).close())
          .as(props)
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("28000");
                assertThat(e.getMessage()).doesNotContain("wrong-password");
              });
    }
  }

  @Test
  void rawRequestsWithoutCredentialsOrWithAForgedConnectionIdAreRefused() throws Exception {
    Service.Request create = new Service.CreateStatementRequest(UUID.randomUUID().toString());
    assertThat(RawAvatica.send(gateway.jdbcPort(), serialization(), null, null, create).status())
        .isEqualTo(401);
    assertThat(
            RawAvatica.send(gateway.jdbcPort(), serialization(), "acme_user", "wrong", create)
                .status())
        .isEqualTo(401);
    RawAvatica.Answer forged =
        RawAvatica.send(
            gateway.jdbcPort(), serialization(), "acme_user", TestWarehouse.ACME_PW, create);
    assertThat(forged.status()).isEqualTo(500);
    assertThat(forged.error().sqlState).isEqualTo("28000");
  }

  @Test
  void anotherUsersConnectionCannotBeUsedAndLooksUnknown() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      s.setFetchSize(10);
      ResultSet rs = s.executeQuery("SELECT n FROM company_data.numbers");
      assertThat(rs.next()).isTrue();
      String connectionId = c.unwrap(AvaticaConnection.class).id;
      int statementId = s.unwrap(AvaticaStatement.class).getId();
      int port = gateway.jdbcPort();
      String pw = TestWarehouse.GLOBEX_PW;
      RawAvatica.Answer unknown =
          RawAvatica.send(
              port,
              serialization(),
              "globex_user",
              pw,
              new Service.FetchRequest(UUID.randomUUID().toString(), statementId, 0, 10));
      for (Service.Request hijack :
          List.<Service.Request>of(
              new Service.FetchRequest(connectionId, statementId, 0, 10),
              new Service.PrepareAndExecuteRequest(
                  connectionId, statementId, "SELECT COUNT(*) FROM company_data.orders", -1),
              new Service.CreateStatementRequest(connectionId),
              new Service.OpenConnectionRequest(connectionId, java.util.Map.of()),
              new Service.CloseStatementRequest(connectionId, statementId),
              new Service.CloseConnectionRequest(connectionId))) {
        RawAvatica.Answer a = RawAvatica.send(port, serialization(), "globex_user", pw, hijack);
        assertThat(a.error().sqlState).as(hijack.toString()).isEqualTo("28000");
        assertThat(a.error().errorMessage).isEqualTo(unknown.error().errorMessage);
      }
      assertThat(RawAvatica.cancel(port, "globex_user", pw, connectionId)).isEqualTo(404);
      // The owner's connection and result are untouched.
      int rows = 1;
      while (rs.next()) {
        rows++;
      }
      assertThat(rows).isEqualTo(TestWarehouse.NUMBERS);
    }
  }

  @Test
  void cancelFromAnotherThreadEndsALongQueryWith57014() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      AtomicLong read = new AtomicLong();
      CompletableFuture<Throwable> reader =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = s.executeQuery(ENDLESS)) {
                  while (rs.next()) {
                    read.incrementAndGet();
                  }
                  return null;
                } catch (Throwable e) {
                  return e;
                }
              });
      while (read.get() < 2_000 && !reader.isDone()) {
        Thread.sleep(10);
      }
      s.cancel();
      Throwable e = reader.get(60, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(SQLException.class);
      assertThat(((SQLException) e).getSQLState()).as(e.toString()).isEqualTo("57014");
      assertThat(read.get()).isLessThan((long) TestWarehouse.NUMBERS * TestWarehouse.NUMBERS);
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void cancelStopsAStatementThatComputesBeforeItsFirstRow() throws Exception {
    // 8 billion combinations: without a cancel the aggregate produces its one row in hours.
    String rowless =
        "SELECT COUNT(*) FROM company_data.numbers a CROSS JOIN company_data.numbers b"
            + " CROSS JOIN company_data.numbers c";
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      CompletableFuture<Throwable> run =
          CompletableFuture.supplyAsync(
              () -> {
                try (ResultSet rs = s.executeQuery(rowless)) {
                  rs.next();
                  return null;
                } catch (Throwable e) {
                  return e;
                }
              });
      Thread.sleep(300);
      // The cancel may reach the gateway before the statement does: ask again until it ends.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!run.isDone() && System.nanoTime() < deadline) {
        s.cancel();
        try {
          run.get(500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
          // cancel again
        }
      }
      assertThat(run).as("cancelled within 60 s").isDone();
      Throwable e = run.get();
      assertThat(e).isInstanceOf(SQLException.class);
      assertThat(((SQLException) e).getSQLState()).as(String.valueOf(e)).isEqualTo("57014");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void statementTimeoutEndsAStatementThatComputesBeforeItsFirstRow() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      assertThatThrownBy(
              () ->
                  s.executeQuery(
                      "SELECT COUNT(*) FROM company_data.numbers a CROSS JOIN"
                          + " company_data.numbers b CROSS JOIN company_data.numbers c"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
      s.setQueryTimeout(0);
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM company_data.orders")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void clientQueryTimeoutCancelsWith57014() throws Exception {
    try (Connection c = acme();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      assertThatThrownBy(
              () -> {
                try (ResultSet rs = s.executeQuery(ENDLESS)) {
                  while (rs.next()) {
                    // read until cancelled
                  }
                }
              })
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }
  }
}
