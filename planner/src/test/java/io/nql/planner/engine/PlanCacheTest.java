package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.exec.Describing;
import io.nql.planner.exec.PlanCache;
import io.nql.planner.exec.QueryShape;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlBudgetQuery;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.calcite.sql.SqlNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan cache: a repeated statement (prepared, or plain with other literals) reuses its plan and
 * answers exactly as a freshly planned one; DDL, rule changes and new snapshots are seen at once;
 * two companies never share a plan; literals that do not fit a parameter's type are planned as
 * written. Answers are checked against the rows the test wrote, not against the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCacheTest {
  @TempDir static Path dir;

  private static final String[] REGIONS = {"eu", "us", "apac", "internal"};
  private static final int ROWS = 200;

  private NqlEngine engine;
  private Path area;
  private NqlSession acme;
  private NqlSession beta;
  private NqlSession gamma;

  /** One row of the test data, as written to the CSV. */
  private record Row(
      long id,
      int small,
      String region,
      BigDecimal amount,
      double score,
      LocalDate day,
      LocalDateTime ts,
      boolean flag) {}

  private final List<Row> data = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    area = Files.createDirectories(ingest.resolve("acme"));
    Files.createDirectories(ingest.resolve("gamma"));
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "beta", "gamma")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin
            .execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw-" + c + "-1'")
            .close();
      }
    }
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    gamma = engine.trusted("gamma_user");
    acme.execute(
            "CREATE DATASET \"events\" (id BIGINT NOT NULL, small INTEGER, region VARCHAR,"
                + " amount DECIMAL(10, 2), score DOUBLE, day DATE, ts TIMESTAMP, flag BOOLEAN)")
        .close();
    load(1, ROWS);
    acme.execute(
            "CREATE ACCESS RULE \"visible\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (beta) AS SELECT"
                + " id, small, region, amount, score, day, ts, flag FROM company_data.events"
                + " WHERE region <> 'internal'")
        .close();
    // gamma has a dataset of the same name with other rows: the same text, another answer
    gamma.execute("CREATE DATASET \"events\" (id BIGINT NOT NULL, region VARCHAR)").close();
    Files.writeString(area.getParent().resolve("gamma").resolve("g.csv"), "id,region\n7,eu\n");
    gamma.execute("COPY INTO company_data.events FROM 'g.csv' HEADER = TRUE").close();
  }

  private void load(int from, int to) throws Exception {
    StringBuilder csv = new StringBuilder("id,small,region,amount,score,day,ts,flag\n");
    for (int i = from; i <= to; i++) {
      Row r =
          new Row(
              i,
              i % 7,
              REGIONS[i % 4],
              BigDecimal.valueOf(i * 125L, 2),
              i / 2.0,
              LocalDate.of(2026, 1, 1).plusDays(i % 30),
              LocalDateTime.of(2026, 1, 1, 0, 0).plusHours(i),
              i % 3 == 0);
      data.add(r);
      csv.append(r.id)
          .append(',')
          .append(r.small)
          .append(',')
          .append(r.region)
          .append(',')
          .append(r.amount.toPlainString())
          .append(',')
          .append(r.score)
          .append(',')
          .append(r.day)
          .append(',')
          .append(r.ts.toString().replace('T', ' '))
          .append(',')
          .append(r.flag)
          .append('\n');
    }
    String file = "events-" + from + ".csv";
    Files.writeString(area.resolve(file), csv);
    acme.execute("COPY INTO company_data.events FROM '" + file + "' HEADER = TRUE").close();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    gamma.close();
    engine.close();
  }

  private PlanCache.Stats stats() {
    return engine.executor().planCacheStats();
  }

  private static List<Long> ids(NqlSession s, String sql, Object... params) {
    List<Long> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql, List.of(params))) {
      for (Object[] row = r.next(); row != null; row = r.next()) {
        out.add(((Number) row[0]).longValue());
      }
    }
    return out;
  }

  private List<Long> expected(Predicate<Row> p) {
    return data.stream()
        .filter(r -> !r.region.equals("internal"))
        .filter(p)
        .map(Row::id)
        .sorted()
        .toList();
  }

  @Test
  void plainStatementsWithOtherLiteralsReuseOnePlan() {
    String shape = "SELECT id FROM acme.visible WHERE id = %d AND region = '%s' ORDER BY id";
    ids(beta, String.format(shape, 1, "us"));
    PlanCache.Stats before = stats();
    for (int id = 2; id <= 40; id++) {
      for (String region : List.of("eu", "us", "internal")) {
        final int want = id;
        assertThat(ids(beta, String.format(shape, id, region)))
            .as("id %d region %s", id, region)
            .isEqualTo(expected(r -> r.id == want && r.region.equals(region)));
      }
    }
    PlanCache.Stats after = stats();
    assertThat(after.hits() - before.hits()).isEqualTo(39 * 3);
    assertThat(after.misses()).isEqualTo(before.misses());
  }

  @Test
  void comparisonsOfEveryKindAnswerAsPlannedAfresh() {
    List<String> shapes =
        List.of(
            "SELECT id FROM acme.visible WHERE small < %s ORDER BY id",
            "SELECT id FROM acme.visible WHERE %s >= small AND id <> 12 ORDER BY id",
            "SELECT id FROM acme.visible WHERE amount > %s.5 ORDER BY id",
            "SELECT id FROM acme.visible WHERE score <= %s ORDER BY id");
    for (int v = 0; v < 6; v++) {
      final int n = v;
      assertThat(ids(beta, String.format(shapes.get(0), v))).isEqualTo(expected(r -> r.small < n));
      assertThat(ids(beta, String.format(shapes.get(1), v)))
          .isEqualTo(expected(r -> n >= r.small && r.id != 12));
      BigDecimal a = new BigDecimal(v * 20 + ".5");
      assertThat(ids(beta, String.format(shapes.get(2), v * 20)))
          .isEqualTo(expected(r -> r.amount.compareTo(a) > 0));
      assertThat(ids(beta, String.format(shapes.get(3), v * 7)))
          .isEqualTo(expected(r -> r.score <= n * 7));
    }
  }

  @Test
  void literalsThatDoNotFitTheColumnAreComparedAsWritten() {
    // 3,000,000,000 does not fit the INTEGER column: as a parameter it could not be bound
    ids(beta, "SELECT id FROM acme.visible WHERE small < 3 ORDER BY id");
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE small < 3000000000 ORDER BY id"))
        .isEqualTo(expected(r -> true));
    // more decimals than DECIMAL(10, 2) holds: 2.505 must not be rounded to 2.51 or 2.50
    ids(beta, "SELECT id FROM acme.visible WHERE amount = 2.50 ORDER BY id");
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE amount < 2.505 ORDER BY id"))
        .isEqualTo(expected(r -> r.amount.compareTo(new BigDecimal("2.505")) < 0));
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE amount = 2.50 ORDER BY id"))
        .isEqualTo(expected(r -> r.amount.compareTo(new BigDecimal("2.50")) == 0));
    // a fraction against a whole-number column
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE id < 3.5 ORDER BY id"))
        .isEqualTo(expected(r -> r.id < 3.5));
    // a string with a trailing space is a different string (as in PostgreSQL's VARCHAR)
    ids(beta, "SELECT id FROM acme.visible WHERE region = 'eu' ORDER BY id");
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE region = 'eu ' ORDER BY id")).isEmpty();
    assertThat(ids(beta, "SELECT id FROM acme.visible WHERE region = 'us' ORDER BY id"))
        .isEqualTo(expected(r -> r.region.equals("us")));
  }

  @Test
  void preparedStatementsReuseTheirPlanForParametersOfEveryType() {
    String sql =
        "SELECT id FROM acme.visible WHERE id >= ? AND small <> ? AND region <> ? AND amount >= ?"
            + " AND score >= ? AND day >= ? AND ts >= ? AND flag = ? ORDER BY id";
    Object[][] cases = {
      {
        1L,
        3,
        "eu",
        new BigDecimal("10.00"),
        5.0,
        LocalDate.of(2026, 1, 10),
        LocalDateTime.of(2026, 1, 2, 0, 0),
        true
      },
      {
        50L,
        0,
        "us",
        new BigDecimal("0.00"),
        0.0,
        LocalDate.of(2026, 1, 1),
        LocalDateTime.of(2026, 1, 1, 0, 0),
        false
      },
      {
        150L,
        6,
        "apac",
        new BigDecimal("190.25"),
        80.5,
        LocalDate.of(2026, 1, 20),
        LocalDateTime.of(2026, 1, 5, 12, 0),
        true
      },
    };
    ids(beta, sql, cases[0]);
    PlanCache.Stats before = stats();
    for (Object[] c : cases) {
      assertThat(ids(beta, sql, c))
          .isEqualTo(
              expected(
                  r ->
                      r.id >= (Long) c[0]
                          && r.small != (Integer) c[1]
                          && !r.region.equals(c[2])
                          && r.amount.compareTo((BigDecimal) c[3]) >= 0
                          && r.score >= (Double) c[4]
                          && !r.day.isBefore((LocalDate) c[5])
                          && !r.ts.isBefore((LocalDateTime) c[6])
                          && r.flag == (Boolean) c[7]));
    }
    assertThat(stats().hits() - before.hits()).isEqualTo(cases.length);
  }

  @Test
  void aDescribedQueryRunsThePlanMadeWhenItWasDescribed() {
    // Flight SQL describes a statement just before running it (GetFlightInfo, then DoGet): a new
    // statement is planned then, and its run reuses that plan. The shape the plan gives is the one
    // validation alone gives. A plain prepare (a JDBC client, a BI tool reading metadata) only
    // describes.
    String[] statements = {
      "SELECT id, region, amount FROM acme.visible WHERE id = 17 AND region <> 'apac'",
      "SELECT id, small, score, day, ts, flag FROM acme.visible WHERE id >= ? AND region <> ?"
          + " ORDER BY id",
      "SELECT region, COUNT(*) AS n, SUM(amount) AS total, MAX(ts) AS latest FROM acme.visible"
          + " WHERE id < 100 GROUP BY region ORDER BY region BUDGET 3 USD",
      "SELECT v.id, w.region FROM acme.visible v JOIN acme.visible w ON w.id = v.id + 1"
          + " WHERE v.small = 3 ORDER BY v.id"
    };
    EngineSession session = (EngineSession) engine.trusted("beta_user");
    try {
      PlanCache.Stats beforePrepare = stats();
      session.prepare(statements[0] + " AND small <> 1");
      assertThat(stats().misses()).isEqualTo(beforePrepare.misses());
      for (String sql : statements) {
        SqlNode parsed = NqlParser.parse(sql);
        SqlNode query = parsed instanceof SqlBudgetQuery b ? b.getQuery() : parsed;
        QueryShape validated = Describing.describe(query, session.rootSchema());
        PlanCache.Stats before = stats();
        PreparedInfo described = session.plan(sql);
        PlanCache.Stats prepared = stats();
        assertThat(described.columns()).as(sql).isEqualTo(validated.columns());
        assertThat(described.parameters()).as(sql).isEqualTo(validated.parameters());
        assertThat(prepared.misses() - before.misses()).as(sql).isEqualTo(1);
        List<Object> values = validated.parameters().isEmpty() ? List.of() : List.of(150L, "eu");
        try (StatementResult r = session.execute(sql, values)) {
          assertThat(r.columns()).as(sql).isEqualTo(validated.columns());
          int rows = 0;
          while (r.next() != null) {
            rows++;
          }
          assertThat(rows).as(sql).isPositive();
        }
        assertThat(stats().hits() - prepared.hits()).as(sql).isEqualTo(1);
        assertThat(stats().misses()).as(sql).isEqualTo(prepared.misses());
      }
    } finally {
      session.close();
    }
  }

  @Test
  void aCancelStopsAQueryPlannedWhileItIsDescribed() throws Exception {
    // a hundred four-table chains: seconds of join ordering, unless the cancel stops it
    String chains =
        java.util.stream.IntStream.range(0, 100)
            .mapToObj(
                b ->
                    "SELECT t0.id + 1 FROM acme.visible t0, acme.visible t1, acme.visible t2,"
                        + " acme.visible t3 WHERE t0.id = t1.small + "
                        + b
                        + " AND t1.id = t2.small AND t2.id = t3.small")
            .collect(java.util.stream.Collectors.joining(" UNION ALL "));
    try (NqlSession session = engine.trusted("beta_user")) {
      java.util.concurrent.ScheduledExecutorService timer =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      try {
        timer.schedule(session::cancel, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> session.plan(chains))
            .isInstanceOfSatisfying(
                NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
      } finally {
        timer.shutdownNow();
      }
      // the session goes on: the next statement is described and runs
      assertThat(session.plan("SELECT id FROM acme.visible WHERE id = 5").columns()).hasSize(1);
      // id 5 is in region "us" (REGIONS[5 % 4])
      assertThat(ids(session, "SELECT id FROM acme.visible WHERE id = 5")).containsExactly(5L);
    }
  }

  @Test
  void twoCompaniesNeverShareAPlan() {
    String sql = "SELECT id FROM company_data.events WHERE id = 7";
    assertThat(ids(acme, sql)).containsExactly(7L);
    assertThat(ids(acme, sql)).containsExactly(7L);
    assertThat(ids(gamma, sql)).containsExactly(7L);
    assertThat(ids(gamma, "SELECT COUNT(*) FROM company_data.events")).containsExactly(1L);
    // beta has no dataset of that name and gamma no rule of acme's: each fails on its own terms
    assertThatThrownBy(() -> ids(beta, sql))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("events");
    String rule = "SELECT id FROM acme.visible WHERE id = 8";
    assertThat(ids(beta, rule)).containsExactly(8L);
    assertThatThrownBy(() -> ids(gamma, rule))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
  }

  @Test
  void ruleChangesAndNewRowsAreSeenByTheNextStatement() throws Exception {
    acme.execute(
            "CREATE ACCESS RULE \"changing\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id, region FROM company_data.events WHERE region = 'eu'")
        .close();
    String sql = "SELECT id FROM acme.changing WHERE id < 20 ORDER BY id";
    List<Long> eu =
        data.stream().filter(r -> r.region.equals("eu") && r.id < 20).map(Row::id).toList();
    assertThat(ids(beta, sql)).isEqualTo(eu);
    assertThat(ids(beta, sql)).isEqualTo(eu);
    long invalidations = stats().invalidations();
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"changing\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES"
                + " (beta) AS SELECT id, region FROM company_data.events WHERE region = 'us'")
        .close();
    List<Long> us =
        data.stream().filter(r -> r.region.equals("us") && r.id < 20).map(Row::id).toList();
    assertThat(ids(beta, sql)).isEqualTo(us);
    assertThat(stats().invalidations()).isGreaterThan(invalidations);

    // a new snapshot of the dataset: the plan is checked against it, the new rows are read
    String count = "SELECT COUNT(*) FROM acme.visible WHERE id > 0";
    long visible = expected(r -> true).size();
    assertThat(ids(beta, count)).containsExactly(visible);
    load(ROWS + 1, ROWS + 8);
    assertThat(ids(beta, count)).containsExactly((long) expected(r -> true).size());
    assertThat(expected(r -> true).size()).isGreaterThan((int) visible);

    // the share is withdrawn: the rule is gone for beta at once
    acme.execute("DROP ACCESS RULE \"changing\"").close();
    assertThatThrownBy(() -> ids(beta, sql))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
  }

  @Test
  void aSecondGatewayOnTheSameStoreSeesChangesAtItsNextStatement() throws Exception {
    acme.execute(
            "CREATE ACCESS RULE \"shared_twice\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id, region FROM company_data.events WHERE region = 'apac'")
        .close();
    try (NqlEngine second =
            NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
        NqlSession beta2 = second.trusted("beta_user")) {
      String sql = "SELECT id FROM acme.shared_twice WHERE id > 0 ORDER BY id";
      List<Long> apac = expectedRegion("apac");
      assertThat(ids(beta2, sql)).isEqualTo(apac);
      assertThat(ids(beta2, sql)).isEqualTo(apac);
      assertThat(second.executor().planCacheStats().hits()).isPositive();

      // the provider, on the first gateway, republishes the rule with another filter
      acme.execute(
              "CREATE OR REPLACE ACCESS RULE \"shared_twice\" PRICE_CPM_USD = 0 SHARE WITH"
                  + " COMPANIES (beta) AS SELECT id, region FROM company_data.events"
                  + " WHERE region = 'eu'")
          .close();
      assertThat(ids(beta2, sql)).isEqualTo(expectedRegion("eu"));

      // and loads more rows: the second gateway reads the new snapshot
      load(ROWS + 100, ROWS + 120);
      assertThat(ids(beta2, sql)).isEqualTo(expectedRegion("eu"));

      acme.execute("DROP ACCESS RULE \"shared_twice\"").close();
      assertThatThrownBy(() -> ids(beta2, sql))
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    }
  }

  @Test
  void sessionsOpenedForATokenFollowUserChangesOnEveryGateway() throws Exception {
    try (NqlEngine second =
        NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"))) {
      // unknown on both gateways (and remembered as unknown for this catalog version)
      assertThatThrownBy(() -> second.trusted("late_user"))
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("28000"));
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("CREATE USER \"late_user\" COMPANY beta PASSWORD 'pw-late-user-1'").close();
      }
      // created on the first gateway: the second opens its sessions at once, in its company
      try (NqlSession late = second.trusted("late_user")) {
        assertThat(late.userName()).isEqualTo("late_user");
        assertThat(late.companySlug()).isEqualTo("beta");
      }
      try (NqlSession admin = engine.trusted("admin")) {
        admin.execute("DROP USER \"late_user\"").close();
      }
      // dropped: no session opens any more, on either gateway
      for (NqlEngine e : List.of(engine, second)) {
        assertThatThrownBy(() -> e.trusted("late_user"))
            .isInstanceOfSatisfying(
                NqlException.class, x -> assertThat(x.sqlState()).isEqualTo("28000"));
      }
    }
  }

  @Test
  void describedShapesFollowRuleChanges() {
    acme.execute(
            "CREATE ACCESS RULE \"reshaped\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id, region FROM company_data.events")
        .close();
    String sql = "SELECT * FROM acme.reshaped WHERE id = ?";
    assertThat(
            beta.prepare(sql).columns().stream()
                .map(c -> c.name())
                .filter(n -> !n.startsWith("_"))
                .toList())
        .containsExactly("id", "region");
    assertThat(
            beta.prepare(sql).columns().stream()
                .map(c -> c.name())
                .filter(n -> !n.startsWith("_"))
                .toList())
        .containsExactly("id", "region");
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"reshaped\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES"
                + " (beta) AS SELECT id, small, amount FROM company_data.events")
        .close();
    assertThat(
            beta.prepare(sql).columns().stream()
                .map(c -> c.name())
                .filter(n -> !n.startsWith("_"))
                .toList())
        .containsExactly("id", "small", "amount");
    try (StatementResult r = beta.execute(sql, List.of(5L))) {
      assertThat(r.columns().stream().map(c -> c.name()).filter(n -> !n.startsWith("_")).toList())
          .containsExactly("id", "small", "amount");
      Object[] row = r.next();
      assertThat(java.util.Arrays.asList(row).subList(0, 3))
          .containsExactly(5L, 5, new BigDecimal("6.25"));
    }
  }

  private List<Long> expectedRegion(String region) {
    return data.stream().filter(r -> r.region.equals(region)).map(Row::id).sorted().toList();
  }

  @Test
  void administratorsSeeTheCountersOthersAreRefused() {
    ids(beta, "SELECT id FROM acme.visible WHERE id = 3");
    ids(beta, "SELECT id FROM acme.visible WHERE id = 4");
    PlanCache.Stats now = stats();
    try (NqlSession admin = engine.trusted("admin");
        StatementResult r = admin.execute("SHOW PLAN CACHE")) {
      assertThat(r.columns().stream().map(c -> c.name()).toList())
          .containsExactly(
              "entries", "hits", "misses", "evictions", "invalidations", "not_cacheable");
      Object[] row = r.next();
      assertThat(((Number) row[0]).longValue()).isPositive();
      assertThat(((Number) row[1]).longValue()).isGreaterThanOrEqualTo(now.hits());
      assertThat(((Number) row[2]).longValue()).isGreaterThanOrEqualTo(now.misses());
      assertThat(r.next()).isNull();
    }
    assertThatThrownBy(() -> beta.execute("SHOW PLAN CACHE"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42501"));
  }

  @Test
  void plansOfSystemTablesAndDynamicFunctionsAreNotKept() {
    long before = stats().uncacheable();
    ids(beta, "SELECT COUNT(*) FROM company_data._ledger");
    ids(beta, "SELECT COUNT(*) FROM acme.visible WHERE ts < CURRENT_TIMESTAMP");
    assertThat(stats().uncacheable()).isEqualTo(before + 2);
    long hits = stats().hits();
    ids(beta, "SELECT COUNT(*) FROM company_data._ledger");
    assertThat(stats().hits()).isEqualTo(hits);
  }
}
