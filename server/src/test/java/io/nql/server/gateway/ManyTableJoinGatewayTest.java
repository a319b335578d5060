package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.testing.JoinQueries;
import io.nql.planner.testing.JoinQuery;
import io.nql.planner.testing.JoinTables;
import io.nql.server.gateway.FlightClients.Login;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code select5}-like joins of many small tables through an in-process gateway: a provider shares
 * 20 {@link JoinTables} through one access rule each, and a buyer runs 30 generated equality-chain
 * joins of 4 to 20 tables and the 15-table chain, over {@code jdbc:nql} and over Flight SQL ({@link
 * org.apache.arrow.flight.sql.FlightSqlClient}). Every answer equals the one computed in plain Java
 * from the visible rows, and the buyer's {@code EXPLAIN PLAN FOR} shows no nested-loop join, and
 * hash joins only from five tables on. Timings are the join benchmark's ({@code bench/joins}), not
 * this test's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyTableJoinGatewayTest {
  private static final String PW = "joins-secret-1";
  private static final int TABLES = 20;
  private static final long SEED = 20261207;
  private static final JoinTables DATA = new JoinTables(SEED);
  private static final Pattern JOIN = Pattern.compile("Enumerable(\\w*Join)\\(");

  @TempDir static Path dir;
  private Gateway gateway;
  private BufferAllocator allocator;
  private Login flight;

  @BeforeAll
  void start() throws Exception {
    Path ingest = dir.resolve("incoming");
    Path area = Files.createDirectories(ingest.resolve("prov"));
    EngineConfig config =
        new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-secret-1");
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        for (String s :
            List.of(
                "CREATE COMPANY prov",
                "CREATE COMPANY buy",
                "CREATE USER \"prov_user\" COMPANY prov PASSWORD '" + PW + "'",
                "CREATE USER \"buy_user\" COMPANY buy PASSWORD '" + PW + "'")) {
          admin.execute(s).close();
        }
      }
      try (NqlSession provider = engine.trusted("prov_user")) {
        DATA.load(provider, area, TABLES, "buy");
      }
    }
    gateway =
        Gateway.start(
            GatewayConfig.builder(dir.resolve("wh"))
                .jdbcPort(0)
                .flightPort(0)
                .metricsPort(0)
                .bindAddress("127.0.0.1")
                .build());
    allocator = new RootAllocator();
    flight = FlightClients.login(allocator, gateway.flightPort(), "buy_user", PW);
  }

  @AfterAll
  void stop() throws Exception {
    if (flight != null) {
      flight.close();
    }
    if (allocator != null) {
      allocator.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  static Stream<Arguments> queries() {
    List<JoinQuery> all = new ArrayList<>(JoinQueries.suite(SEED, 30, 4, TABLES));
    all.add(JoinQueries.chain(15));
    return all.stream().map(q -> Arguments.of(q.name(), q));
  }

  private static String sql(JoinQuery q) {
    return q.sql(n -> "prov." + JoinTables.rule(n));
  }

  private Connection nql() throws Exception {
    return DriverManager.getConnection(
        "jdbc:nql://127.0.0.1:" + gateway.jdbcPort() + "?user=buy_user&password=" + PW);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void jdbcNqlAnswersFromHashJoins(String name, JoinQuery q) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    String plan;
    try (Connection c = nql();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql(q))) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
      }
      try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql(q))) {
        rs.next();
        plan = rs.getString(1);
      }
    }
    assertThat(sorted(rows, q)).as(sql(q)).isEqualTo(q.expected(DATA));
    List<String> joins = new ArrayList<>();
    Matcher m = JOIN.matcher(plan);
    while (m.find()) {
      joins.add(m.group(1));
    }
    assertThat(joins).as(plan).doesNotContain("NestedLoopJoin");
    if (q.from().size() >= 5) {
      assertThat(joins).as(plan).hasSize(q.from().size() - 1).containsOnly("HashJoin");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void flightSqlAnswersTheSame(String name, JoinQuery q) throws Exception {
    FlightClients.Read read =
        FlightClients.read(
            flight.sql(), flight.sql().execute(sql(q), flight.auth()), flight.auth());
    List<List<String>> rows = new ArrayList<>();
    for (String row : read.rows()) {
      rows.add(Arrays.asList(row.split("\\|", -1)));
    }
    assertThat(sorted(rows, q)).as(sql(q)).isEqualTo(q.expected(DATA));
  }

  private static List<List<String>> sorted(List<List<String>> rows, JoinQuery q) {
    if (!q.orderBy()) {
      rows.sort(Comparator.comparing(List::toString));
    }
    return rows;
  }
}
