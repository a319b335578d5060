package io.nql.server.gateway;

import static io.nql.server.gateway.FlightClients.fails;
import static io.nql.server.gateway.FlightClients.login;
import static io.nql.server.gateway.FlightClients.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import io.nql.server.gateway.FlightClients.Login;
import io.nql.server.gateway.FlightClients.Read;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandPreparedStatementQuery;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Flight SQL endpoint of an in-process gateway, through Arrow's {@link FlightSqlClient} and the
 * official Flight SQL JDBC driver. The client allocator and the gateway's root allocator must both
 * be empty at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlightSqlGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What globex may read of acme's rule: never amount, ordered_on, ordered_at or paid. */
  private static final String[] RULE_COLUMNS = {
    "order_id", "city", "_price_cpm_usd", "_source_company_id", "_access_rule_id"
  };

  /** A computation that returns its one row after minutes: 8·10⁹ joined rows, counted. */
  static final String COUNT_3_WAY =
      "SELECT COUNT(*) FROM company_data.numbers a CROSS JOIN company_data.numbers b"
          + " CROSS JOIN company_data.numbers c";

  Gateway gateway;
  BufferAllocator allocator;

  @BeforeAll
  void start() {
    gateway = Gateway.start(TestWarehouse.config().build());
    allocator = new RootAllocator();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      awaitNoOpenStatements();
      assertThat(gateway.flightAllocatedBytes()).as("gateway Flight allocator").isZero();
    } finally {
      gateway.close();
      allocator.close();
    }
  }

  private void awaitNoOpenStatements() throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while ((gateway.flightOpenStatements() > 0 || gateway.flightAllocatedBytes() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private Login acme() {
    return login(allocator, gateway.flightPort(), "acme_user", TestWarehouse.ACME_PW);
  }

  private Login globex() {
    return login(allocator, gateway.flightPort(), "globex_user", TestWarehouse.GLOBEX_PW);
  }

  // ---- authentication

  @Test
  void callsWithoutOrWithWrongCredentialsAreRefusedWithoutDetail() throws Exception {
    try (FlightClient raw = FlightClients.client(allocator, gateway.flightPort());
        FlightSqlClient sql = new FlightSqlClient(raw)) {
      FlightRuntimeException e =
          fails(
              () -> sql.execute("SELECT 1 FROM company_data.orders"),
              FlightStatusCode.UNAUTHENTICATED,
              null);
      assertThat(e.status().description()).isNullOrEmpty();
      fails(() -> sql.getCatalogs(), FlightStatusCode.UNAUTHENTICATED, null);
      e =
          fails(
              () -> raw.authenticateBasicToken("acme_user", "wrong-password"),
              FlightStatusCode.UNAUTHENTICATED,
              null);
      assertThat(String.valueOf(e.status().description())).doesNotContain("wrong-password");
      fails(
          () -> raw.authenticateBasicToken("nobody", TestWarehouse.ACME_PW),
          FlightStatusCode.UNAUTHENTICATED,
          null);
      CallHeaders forged = new FlightCallHeaders();
      forged.insert("authorization", "Bearer " + UUID.randomUUID());
      fails(
          () -> sql.getCatalogs(new HeaderCallOption(forged)),
          FlightStatusCode.UNAUTHENTICATED,
          null);
    }
  }

  @Test
  void basicCredentialsOnACallWorkWithoutAHandshake() throws Exception {
    try (FlightClient raw = FlightClients.client(allocator, gateway.flightPort());
        FlightSqlClient sql = new FlightSqlClient(raw)) {
      CallHeaders basic = new FlightCallHeaders();
      basic.insert(
          "authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(("acme_user:" + TestWarehouse.ACME_PW).getBytes()));
      HeaderCallOption h = new HeaderCallOption(basic);
      Read r = read(sql, sql.getCatalogs(h), h);
      assertThat(r.rows()).containsExactly("nql");
    }
  }

  @Test
  void closeSessionRevokesTheToken() throws Exception {
    try (Login acme = acme()) {
      assertThat(read(acme.sql(), acme.sql().getCatalogs(acme.auth()), acme.auth()).rows())
          .containsExactly("nql");
      acme.sql().closeSession(new CloseSessionRequest(), acme.auth());
      fails(() -> acme.sql().getCatalogs(acme.auth()), FlightStatusCode.UNAUTHENTICATED, null);
    }
  }

  @Test
  void anotherCallersHandlesAndTicketsAreRefusedAsUnknown() throws Exception {
    try (Login acme = acme();
        Login globex = globex();
        FlightClients.Prepared p =
            FlightClients.prepare(acme, "SELECT amount FROM company_data.orders")) {
      FlightSqlClient.PreparedStatement ps = p.ps();
      FlightInfo info = ps.execute(acme.auth());
      Ticket ticket = info.getEndpoints().get(0).getTicket();
      // globex presents acme's ticket: refused, and acme can still read it
      fails(
          () -> {
            try (FlightStream s = globex.sql().getStream(ticket, globex.auth())) {
              while (s.next()) {
                // must not get here
              }
            }
          },
          FlightStatusCode.NOT_FOUND,
          "42704");
      assertThat(read(acme.sql(), info, acme.auth()).rows()).hasSize(3);
      // globex executes acme's prepared statement handle: refused
      byte[] command =
          Any.pack(
                  CommandPreparedStatementQuery.newBuilder()
                      .setPreparedStatementHandle(
                          com.google.protobuf.ByteString.copyFrom(handleOf(ps)))
                      .build())
              .toByteArray();
      fails(
          () -> globex.flight().getInfo(FlightDescriptor.command(command), globex.auth()),
          FlightStatusCode.NOT_FOUND,
          "42704");
      // the same bytes with the owner's name swapped in are refused too
      String forged = new String(handleOf(ps)).replace("acme_user/", "globex_user/");
      byte[] forgedCommand =
          Any.pack(
                  CommandPreparedStatementQuery.newBuilder()
                      .setPreparedStatementHandle(
                          com.google.protobuf.ByteString.copyFromUtf8(forged))
                      .build())
              .toByteArray();
      fails(
          () -> globex.flight().getInfo(FlightDescriptor.command(forgedCommand), globex.auth()),
          FlightStatusCode.NOT_FOUND,
          "42704");
    }
  }

  /** The prepared statement's handle, as the client holds it. */
  private static byte[] handleOf(FlightSqlClient.PreparedStatement ps) throws Exception {
    java.lang.reflect.Field f = ps.getClass().getDeclaredField("preparedStatementResult");
    f.setAccessible(true);
    var result =
        (org.apache.arrow.flight.sql.impl.FlightSql.ActionCreatePreparedStatementResult) f.get(ps);
    return result.getPreparedStatementHandle().toByteArray();
  }

  // ---- queries and types

  @Test
  void queryResultsCarryEveryTypeAsItsNaturalArrowType() throws Exception {
    try (Login acme = acme()) {
      FlightInfo info =
          acme.sql()
              .execute(
                  "SELECT CAST(1 AS TINYINT) AS t, CAST(2 AS SMALLINT) AS s, CAST(3 AS INTEGER) AS i,"
                      + " order_id, CAST(1.5 AS REAL) AS r, CAST(2.5 AS DOUBLE) AS d, amount,"
                      + " city, X'0aff' AS bin, ordered_on, TIME '08:30:00' AS tm, ordered_at, paid"
                      + " FROM company_data.orders WHERE order_id = 1",
                  acme.auth());
      Read r = read(acme.sql(), info, acme.auth());
      List<String> types = new ArrayList<>();
      for (Field f : r.schema().getFields()) {
        types.add(f.getName() + ":" + f.getType());
      }
      assertThat(types)
          .containsExactly(
              "t:Int(8, true)",
              "s:Int(16, true)",
              "i:Int(32, true)",
              "order_id:Int(64, true)",
              "r:FloatingPoint(SINGLE)",
              "d:FloatingPoint(DOUBLE)",
              "amount:Decimal(4, 2, 128)",
              "city:Utf8",
              "bin:Binary",
              "ordered_on:Date(DAY)",
              "tm:Time(MILLISECOND, 32)",
              "ordered_at:Timestamp(MICROSECOND, null)",
              "paid:Bool");
      assertThat(r.rows())
          .containsExactly(
              "1|2|3|1|1.5|2.5|10.50|Zürich|0aff|20727|1970-01-01T08:30|2026-10-01T08:00|true");
      assertThat(info.getSchemaOptional()).contains(r.schema());
    }
  }

  @Test
  void resultsAreStreamedInBoundedBatches() throws Exception {
    try (Login acme = acme();
        FlightStream s =
            acme.sql()
                .getStream(
                    acme.sql()
                        .execute("SELECT n FROM company_data.numbers", acme.auth())
                        .getEndpoints()
                        .get(0)
                        .getTicket(),
                    acme.auth())) {
      int batches = 0;
      long rows = 0;
      while (s.next()) {
        assertThat(s.getRoot().getRowCount()).isLessThanOrEqualTo(GatewayConfig.FLIGHT_BATCH_ROWS);
        rows += s.getRoot().getRowCount();
        batches++;
      }
      assertThat(rows).isEqualTo(TestWarehouse.NUMBERS);
      assertThat(batches).isGreaterThanOrEqualTo(2); // data, then the empty metadata batch
    }
  }

  // ---- prepared statements and updates

  @Test
  void preparedStatementsBindOneOrSeveralParameterRows() throws Exception {
    try (Login acme = acme();
        FlightClients.Prepared p =
            FlightClients.prepare(
                acme, "SELECT order_id, city FROM company_data.orders WHERE order_id = ?")) {
      FlightSqlClient.PreparedStatement ps = p.ps();
      assertThat(ps.getParameterSchema().getFields()).hasSize(1);
      assertThat(ps.getResultSetSchema().getFields())
          .extracting(Field::getName)
          .containsExactly("order_id", "city");
      Schema params = ps.getParameterSchema();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(params, allocator)) {
        BigIntVector v = (BigIntVector) root.getVector(0);
        v.allocateNew();
        v.setSafe(0, 3);
        root.setRowCount(1);
        ps.setParameters(root);
        assertThat(read(acme.sql(), ps.execute(acme.auth()), acme.auth()).rows())
            .containsExactly("3|New York, NY");
        v.setSafe(0, 1);
        v.setSafe(1, 2);
        root.setRowCount(2);
        ps.setParameters(root);
        assertThat(read(acme.sql(), ps.execute(acme.auth()), acme.auth()).rows())
            .containsExactly("1|Zürich", "2|東京");
      }
    }
  }

  @Test
  void updatesAndDdlReturnCountsAndAdminStatementsNeedTheAdmin() throws Exception {
    String name = "flight_ds_" + UUID.randomUUID().toString().replace("-", "");
    try (Login globex = globex()) {
      long n =
          globex.sql().executeUpdate("CREATE DATASET \"" + name + "\" (id BIGINT)", globex.auth());
      assertThat(n).isGreaterThanOrEqualTo(0);
      Read tables =
          read(
              globex.sql(),
              globex.sql().getTables(null, "company_data", name, null, false, globex.auth()),
              globex.auth());
      assertThat(tables.rows()).containsExactly("nql|company_data|" + name + "|TABLE");
      try (FlightClients.Prepared p =
          FlightClients.prepare(globex, "DROP DATASET \"" + name + "\"")) {
        FlightSqlClient.PreparedStatement drop = p.ps();
        assertThat(drop.getResultSetSchema().getFields()).isEmpty();
        drop.executeUpdate(globex.auth());
      }
      assertThat(
              read(
                      globex.sql(),
                      globex
                          .sql()
                          .getTables(null, "company_data", name, null, false, globex.auth()),
                      globex.auth())
                  .rows())
          .isEmpty();
      fails(
          () -> globex.sql().executeUpdate("CREATE COMPANY initech", globex.auth()),
          FlightStatusCode.UNAUTHORIZED,
          "42501");
      // A DDL statement sent as a query answers with its update count.
      Read r =
          read(
              globex.sql(),
              globex.sql().execute("CREATE DATASET \"" + name + "\" (id BIGINT)", globex.auth()),
              globex.auth());
      assertThat(r.schema().getFields()).extracting(Field::getName).containsExactly("update_count");
      globex.sql().executeUpdate("DROP DATASET \"" + name + "\"", globex.auth());
    }
  }

  @Test
  void insertUpdateDeleteOverFlightSqlPlainAndPrepared() throws Exception {
    String name = "flight_ins_" + UUID.randomUUID().toString().replace("-", "");
    try (Login globex = globex()) {
      globex
          .sql()
          .executeUpdate(
              "CREATE DATASET \"" + name + "\" (id BIGINT NOT NULL, label VARCHAR)", globex.auth());
      try {
        assertThat(
                globex
                    .sql()
                    .executeUpdate(
                        "INSERT INTO company_data." + name + " VALUES (1, 'a'), (2, 'b')",
                        globex.auth()))
            .isEqualTo(2);
        try (FlightClients.Prepared p =
            FlightClients.prepare(
                globex, "INSERT INTO company_data." + name + " (id, label) VALUES (?, ?)")) {
          FlightSqlClient.PreparedStatement ps = p.ps();
          assertThat(ps.getParameterSchema().getFields()).hasSize(2);
          try (VectorSchemaRoot root =
              VectorSchemaRoot.create(ps.getParameterSchema(), allocator)) {
            BigIntVector ids = (BigIntVector) root.getVector(0);
            org.apache.arrow.vector.VarCharVector labels =
                (org.apache.arrow.vector.VarCharVector) root.getVector(1);
            for (int i = 0; i < 3; i++) {
              ids.setSafe(i, 10 + i);
              labels.setSafe(i, ("p" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            root.setRowCount(3);
            ps.setParameters(root);
            assertThat(ps.executeUpdate(globex.auth())).isEqualTo(3);
          }
        }
        fails(
            () ->
                globex
                    .sql()
                    .executeUpdate(
                        "INSERT INTO company_data." + name + " (label) VALUES ('x')",
                        globex.auth()),
            FlightStatusCode.INVALID_ARGUMENT,
            "23502");
        assertThat(
                globex
                    .sql()
                    .executeUpdate(
                        "UPDATE company_data." + name + " SET label = 'z' WHERE id >= 10",
                        globex.auth()))
            .isEqualTo(3);
        assertThat(
                globex
                    .sql()
                    .executeUpdate(
                        "DELETE FROM company_data." + name + " WHERE id = 1", globex.auth()))
            .isEqualTo(1);
        assertThat(
                read(
                        globex.sql(),
                        globex
                            .sql()
                            .execute(
                                "SELECT id, label FROM company_data." + name + " ORDER BY id",
                                globex.auth()),
                        globex.auth())
                    .rows())
            .containsExactly("2|b", "10|z", "11|z", "12|z");
      } finally {
        globex.sql().executeUpdate("DROP DATASET \"" + name + "\"", globex.auth());
      }
    }
  }

  // ---- errors

  @Test
  void errorsCarryTheSqlStateInTheDescriptionAndTheTrailer() throws Exception {
    try (Login acme = acme()) {
      FlightRuntimeException e =
          fails(
              () -> acme.sql().execute("SELECT * FROM globex.purchases", acme.auth()),
              FlightStatusCode.NOT_FOUND,
              "42P01");
      assertThat(e.status().description())
          .isEqualTo("42P01: Unknown table or insufficient table permissions: globex.purchases");
      fails(
          () -> acme.sql().execute("SELEC 1", acme.auth()),
          FlightStatusCode.INVALID_ARGUMENT,
          "42601");
      fails(
          () -> acme.sql().prepare("SELECT nope FROM company_data.orders", acme.auth()),
          FlightStatusCode.NOT_FOUND,
          "42703");
      fails(
          () ->
              read(
                  acme.sql(),
                  acme.sql()
                      .execute(
                          "SELECT 1 / (order_id - order_id) FROM company_data.orders", acme.auth()),
                  acme.auth()),
          FlightStatusCode.INVALID_ARGUMENT,
          "22012");
    }
  }

  // ---- budget metadata

  @Test
  void budgetCutAndChargeArriveInTheFinalBatchMetadata() throws Exception {
    try (Login globex = globex()) {
      CallHeaders h = new FlightCallHeaders();
      h.insert("budget_usd", "2.50");
      HeaderCallOption budget = new HeaderCallOption(h);
      Read r =
          read(
              globex.sql(),
              globex
                  .sql()
                  .execute("SELECT order_id FROM acme.orders_public", globex.auth(), budget),
              globex.auth());
      assertThat(r.rows()).hasSize(2);
      JsonNode m = JSON.readTree(r.metadata());
      assertThat(m.get("rows").asLong()).isEqualTo(2);
      assertThat(m.get("budget_cut").asBoolean()).isTrue();
      assertThat(m.get("charge").get("usd").asText()).isEqualTo("2.000000");
      assertThat(m.get("charge").get("rows").asLong()).isEqualTo(2);
      assertThat(m.get("warnings").get(0).get("sqlstate").asText()).isEqualTo("01N01");
      assertThat(m.get("warnings").get(0).get("message").asText()).contains("2.50 USD");
      assertThat(m.toString()).doesNotContain("1000").doesNotContain("price");
      // Own data is free and uncut.
      try (Login acme = acme()) {
        Read own =
            read(
                acme.sql(),
                acme.sql().execute("SELECT order_id FROM company_data.orders", acme.auth()),
                acme.auth());
        JsonNode o = JSON.readTree(own.metadata());
        assertThat(o.get("budget_cut").asBoolean()).isFalse();
        assertThat(o.get("charge").get("usd").asText()).isEqualTo("0.000000");
        assertThat(o.get("warnings")).isEmpty();
      }
      fails(
          () ->
              globex
                  .sql()
                  .execute("SELECT order_id FROM acme.orders_public", globex.auth(), badBudget()),
          FlightStatusCode.INVALID_ARGUMENT,
          "22023");
    }
  }

  private static HeaderCallOption badBudget() {
    CallHeaders h = new FlightCallHeaders();
    h.insert("budget_usd", "-1");
    return new HeaderCallOption(h);
  }

  // ---- cancel and disconnect

  @Test
  void cancelFlightInfoStopsALongQuery() throws Exception {
    try (Login acme = acme()) {
      FlightInfo info = acme.sql().execute(GatewayJdbcContract.ENDLESS, acme.auth());
      try (FlightStream s =
          acme.sql().getStream(info.getEndpoints().get(0).getTicket(), acme.auth())) {
        assertThat(s.next()).isTrue();
        assertThat(
                acme.sql()
                    .cancelFlightInfo(new CancelFlightInfoRequest(info), acme.auth())
                    .getStatus())
            .isEqualTo(CancelStatus.CANCELLED);
        fails(
            () -> {
              while (s.next()) {
                // drain until the cancellation arrives
              }
            },
            FlightStatusCode.CANCELLED,
            "57014");
      }
      // another caller cannot cancel it: nothing of theirs is named
      try (Login globex = globex()) {
        FlightInfo mine = acme.sql().execute("SELECT n FROM company_data.numbers", acme.auth());
        assertThat(
                globex
                    .sql()
                    .cancelFlightInfo(new CancelFlightInfoRequest(mine), globex.auth())
                    .getStatus())
            .isEqualTo(CancelStatus.NOT_CANCELLABLE);
        assertThat(read(acme.sql(), mine, acme.auth()).rows()).hasSize(TestWarehouse.NUMBERS);
      }
    }
  }

  /**
   * A COUNT over a 3-way cross join computes for minutes before its first row. GetFlightInfo only
   * plans it; it computes in the DoGet, where CancelFlightInfo from another thread stops it.
   */
  @Test
  void cancelFlightInfoStopsAComputationBeforeItsFirstRow() throws Exception {
    awaitNoOpenStatements();
    try (Login acme = acme()) {
      // answers at once (the computation would take minutes), with the result's schema
      FlightInfo info =
          acme.sql().execute(COUNT_3_WAY, acme.auth(), CallOptions.timeout(60, TimeUnit.SECONDS));
      assertThat(info.getSchemaOptional().orElseThrow().getFields()).hasSize(1);
      Ticket ticket = info.getEndpoints().get(0).getTicket();
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(
              () -> {
                try (FlightStream s = acme.sql().getStream(ticket, acme.auth())) {
                  while (s.next()) {
                    // no row before the count
                  }
                } catch (FlightRuntimeException e) {
                  throw e;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(500); // let the DoGet start computing (a cancel before it stops it too)
      assertThat(reader).isNotDone();
      assertThat(
              acme.sql()
                  .cancelFlightInfo(new CancelFlightInfoRequest(info), acme.auth())
                  .getStatus())
          .isEqualTo(CancelStatus.CANCELLED);
      fails(
          () -> {
            try {
              reader.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
              throw e.getCause();
            }
          },
          FlightStatusCode.CANCELLED,
          "57014");
    }
    awaitNoOpenStatements();
    assertThat(gateway.flightOpenStatements()).isZero();
    assertThat(gateway.flightAllocatedBytes()).isZero();
  }

  @Test
  void aTicketCancelledBeforeItsDoGetReleasesItsSessionAndFailsItsDoGet() throws Exception {
    awaitNoOpenStatements();
    try (Login acme = acme()) {
      FlightInfo info = acme.sql().execute(COUNT_3_WAY, acme.auth());
      assertThat(gateway.flightOpenStatements()).isGreaterThan(0);
      assertThat(
              acme.sql()
                  .cancelFlightInfo(new CancelFlightInfoRequest(info), acme.auth())
                  .getStatus())
          .isEqualTo(CancelStatus.CANCELLED);
      assertThat(gateway.flightOpenStatements()).isZero();
      fails(() -> read(acme.sql(), info, acme.auth()), FlightStatusCode.CANCELLED, "57014");
    }
    awaitNoOpenStatements();
    assertThat(gateway.flightAllocatedBytes()).isZero();
  }

  @Test
  void aClientThatDisconnectsMidStreamFreesTheStatement() throws Exception {
    awaitNoOpenStatements();
    Login acme = acme();
    FlightInfo info = acme.sql().execute(GatewayJdbcContract.CROSS_JOIN, acme.auth());
    FlightStream s = acme.sql().getStream(info.getEndpoints().get(0).getTicket(), acme.auth());
    assertThat(s.next()).isTrue();
    assertThat(gateway.flightOpenStatements()).isGreaterThan(0);
    // a slow reader: the server holds a bounded amount, not the 4 M-row result
    Thread.sleep(500);
    assertThat(gateway.flightAllocatedBytes()).isLessThan(8L << 20);
    s.cancel("bye", null);
    s.close();
    acme.close();
    awaitNoOpenStatements();
    assertThat(gateway.flightOpenStatements()).isZero();
    assertThat(gateway.flightAllocatedBytes()).isZero();
  }

  // ---- the official Flight SQL JDBC driver

  private String jdbcUrl(String user, String password, String extra) {
    return "jdbc:arrow-flight-sql://localhost:"
        + gateway.flightPort()
        + "/?useEncryption=false&user="
        + user
        + "&password="
        + password
        + extra;
  }

  @Test
  void theFlightSqlJdbcDriverQueriesPreparesUpdatesAndBrowses() throws Exception {
    String name = "jdbc_ds_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c =
            DriverManager.getConnection(jdbcUrl("globex_user", TestWarehouse.GLOBEX_PW, ""));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, amount FROM company_data.purchases")) {
        assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(java.sql.Types.BIGINT);
        assertThat(rs.getMetaData().getColumnType(2)).isEqualTo(java.sql.Types.DECIMAL);
        assertThat(rs.next()).isFalse();
      }
      s.executeUpdate("CREATE DATASET \"" + name + "\" (id BIGINT, label VARCHAR)");
      try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
          names.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
        }
        assertThat(names)
            .contains("company_data." + name, "acme.orders_public")
            .doesNotContain("acme.orders", "acme.numbers");
      }
      try (ResultSet rs = c.getMetaData().getColumns(null, "acme", "orders_public", "%")) {
        List<String> cols = new ArrayList<>();
        while (rs.next()) {
          cols.add(rs.getString("COLUMN_NAME"));
        }
        assertThat(cols).containsExactly(RULE_COLUMNS);
      }
      s.executeUpdate("DROP DATASET \"" + name + "\"");
    }
    try (Connection c =
            DriverManager.getConnection(jdbcUrl("acme_user", TestWarehouse.ACME_PW, ""));
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT order_id, amount, city, ordered_on, paid FROM company_data.orders"
                    + " WHERE order_id = ?")) {
      List<String> rows = new ArrayList<>();
      for (long id : new long[] {1, 3}) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(
                rs.getLong(1)
                    + "|"
                    + rs.getBigDecimal(2)
                    + "|"
                    + rs.getString(3)
                    + "|"
                    + rs.getDate(4).toLocalDate()
                    + "|"
                    + rs.getBoolean(5));
          }
        }
      }
      assertThat(rows)
          .containsExactly(
              "1|10.50|Zürich|2026-10-01|true", "3|99.99|New York, NY|2026-10-03|true");
      assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM globex.purchases"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("42P01")
          .hasMessageContaining("Unknown table or insufficient table permissions");
    }
    assertThatThrownBy(
            () -> DriverManager.getConnection(jdbcUrl("acme_user", "wrong-password", "")).close())
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password"));
  }

  @Test
  void theJdbcDriverPassesTheSessionBudgetAsAProperty() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                jdbcUrl("globex_user", TestWarehouse.GLOBEX_PW, "&budget_usd=2.50"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT order_id FROM acme.orders_public")) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      assertThat(n).isEqualTo(2);
    }
  }
}
