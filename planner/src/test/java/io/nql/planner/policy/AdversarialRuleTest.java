package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.VisibleTable;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.LedgerEntry;
import io.nql.planner.testing.CanonicalRows;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial buyer queries against one access rule, differential against DuckDB.
 *
 * <p>acme's dataset {@code events_raw} has 4,000 rows; the rule {@code acme.us_events} shows the
 * 1,000 rows with {@code country = 'USA'} and seven of its columns plus {@code UPPER(email) AS
 * email_up} (not {@code email}, not {@code secret}). The hidden rows are built so that touching one
 * is observable: {@code qty = 0} (division by zero), {@code code = 'x<id>'} (failed cast), {@code
 * big ≈ 9e18} (overflow), {@code amount = 9999999.99} (a distinctive MIN/MAX/SUM). The oracle is
 * DuckDB over the same file with {@code acme.us_events} defined as a view of only the rule-visible
 * rows and columns, pseudo-columns as constants; every buyer query must give the same answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdversarialRuleTest {
  private static final String RULE_SELECT =
      "e.id, e.user_id, e.country, e.qty, e.code, e.big, e.amount, UPPER(e.email) AS email_up";

  /** A row the rule hides ({@code 5 % 4 = 1}: GBR) and an id no row has. */
  private static final long HIDDEN_ID = 5;

  private static final long ABSENT_ID = 100_001;

  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession buyer;
  private NqlSession globex;
  private Connection duck;
  private long buyerId;
  private long datasetId;
  private long usRuleId;
  private long gbrRuleId;

  @BeforeAll
  void setUp() throws Exception {
    // Each company stages its files in its own area <ingest root>/<slug>/.
    Path ingest = dir.resolve("ingest");
    Path events = Files.createDirectories(ingest.resolve("acme")).resolve("events_raw.parquet");
    Path crm = Files.createDirectories(ingest.resolve("buyer_co")).resolve("crm.csv");
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute(
          "COPY (SELECT i::BIGINT AS id, (i % 300)::INTEGER AS user_id,"
              + " (['USA','GBR','DEU','FRA'])[1 + i % 4] AS country,"
              + " (CASE WHEN i % 4 = 0 THEN 1 + (i // 4) % 5 ELSE 0 END)::INTEGER AS qty,"
              + " CASE WHEN i % 4 = 0 THEN ((i * 7) % 1000)::VARCHAR ELSE 'x' || i END AS code,"
              + " (CASE WHEN i % 4 = 0 THEN i ELSE 9000000000000000000 + i END)::BIGINT AS big,"
              + " (CASE WHEN i % 4 = 0 THEN (i % 1000) / 4.0 ELSE 9999999.99 END)::DECIMAL(10,2)"
              + "  AS amount,"
              + " 'user' || i || '@example.com' AS email, 'ssn-' || i AS secret"
              + " FROM range(4000) t(i)) TO '"
              + events
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT i::INTEGER AS user_id, (['gold','silver','bronze'])[1 + i % 3] AS segment,"
              + " (1 + i % 7)::INTEGER AS weight FROM range(0, 400) t(i)) TO '"
              + crm
              + "' (FORMAT CSV, HEADER TRUE)");
    }
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co", "globex")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    buyer = engine.trusted("buyer_co_user");
    globex = engine.trusted("globex_user");
    acme.execute("COPY INTO company_data.events_raw FROM '" + events + "'").close();
    buyer.execute("COPY INTO company_data.crm FROM '" + crm + "' HEADER = TRUE").close();
    Path globexCrm =
        Files.copy(crm, Files.createDirectories(ingest.resolve("globex")).resolve("crm.csv"));
    globex.execute("COPY INTO company_data.g_crm FROM '" + globexCrm + "' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT "
                + RULE_SELECT
                + " FROM company_data.events_raw e WHERE e.country = 'USA'")
        .close();
    acme.execute(
            "CREATE ACCESS RULE \"gbr_events\" PRICE_CPM_USD = 1.00 SHARE WITH ALL"
                + " AS SELECT e.id, e.user_id, e.amount FROM company_data.events_raw e"
                + " WHERE e.country = 'GBR'")
        .close();
    acme.execute(
            "CREATE ACCESS RULE \"private_events\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (globex)"
                + " AS SELECT e.id FROM company_data.events_raw e")
        .close();
    globex
        .execute(
            "CREATE ACCESS RULE \"g_rule\" PRICE_CPM_USD = 0 SHARE WITH ALL EXCEPT (buyer_co)"
                + " AS SELECT c.user_id FROM company_data.g_crm c")
        .close();

    long acmeId = engine.store().company("acme").orElseThrow().id();
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
    datasetId = engine.warehouse().dataset(acmeId, "events_raw").orElseThrow().id();
    for (AccessRule r : engine.store().accessRules().rules(acmeId)) {
      if (r.name().equals("us_events")) {
        usRuleId = r.id();
      } else if (r.name().equals("gbr_events")) {
        gbrRuleId = r.id();
      }
    }
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE SCHEMA acme");
      s.execute("CREATE SCHEMA company_data");
      s.execute(
          "CREATE VIEW acme.us_events AS SELECT "
              + RULE_SELECT
              + ", 2.00::DECIMAL(12,2) AS _price_cpm_usd, "
              + acmeId
              + "::BIGINT AS _source_company_id, "
              + usRuleId
              + "::BIGINT AS _access_rule_id FROM read_parquet('"
              + events
              + "') e WHERE e.country = 'USA'");
      s.execute(
          "CREATE VIEW acme.gbr_events AS SELECT e.id, e.user_id, e.amount,"
              + " 1.00::DECIMAL(12,2) AS _price_cpm_usd, "
              + acmeId
              + "::BIGINT AS _source_company_id, "
              + gbrRuleId
              + "::BIGINT AS _access_rule_id FROM read_parquet('"
              + events
              + "') e WHERE e.country = 'GBR'");
      s.execute(
          "CREATE VIEW company_data.crm AS SELECT * FROM read_csv('"
              + crm
              + "', header = true, auto_detect = true)");
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    for (NqlSession s : new NqlSession[] {acme, buyer, globex}) {
      if (s != null) {
        s.close();
      }
    }
    if (engine != null) {
      engine.close();
    }
    if (duck != null) {
      duck.close();
    }
  }

  // ---------------------------------------------------------------- differential against DuckDB

  static Stream<Arguments> buyerQueries() {
    return Stream.of(
        q(
            "count and extremes",
            "SELECT COUNT(*) AS n, MIN(amount) AS lo, MAX(amount) AS hi, SUM(qty) AS q,"
                + " MIN(big) AS b0, MAX(big) AS b1, MIN(code) AS c0, MAX(code) AS c1"
                + " FROM acme.us_events"),
        q(
            "avg and count distinct",
            "SELECT AVG(CAST(amount AS DOUBLE)) AS a, COUNT(DISTINCT user_id) AS u,"
                + " COUNT(DISTINCT country) AS c FROM acme.us_events"),
        q(
            "group by hidden-valued column",
            "SELECT qty, COUNT(*) AS n, SUM(amount) AS s FROM acme.us_events GROUP BY qty"),
        q(
            "group by having",
            "SELECT country, COUNT(*) AS n FROM acme.us_events GROUP BY country"
                + " HAVING COUNT(*) > 0"),
        d(
            "division probe in where",
            "SELECT id FROM acme.us_events WHERE 10 / qty > 2",
            "SELECT id FROM acme.us_events WHERE 10 // qty > 2"),
        d(
            "division probe in select",
            "SELECT id, 100 / qty AS q FROM acme.us_events WHERE id < 400",
            "SELECT id, 100 // qty AS q FROM acme.us_events WHERE id < 400"),
        d(
            "division probe in aggregate",
            "SELECT SUM(100 / qty) AS s, MIN(7 / qty) AS m FROM acme.us_events",
            "SELECT SUM(100 // qty) AS s, MIN(7 // qty) AS m FROM acme.us_events"),
        d(
            "division probe in having",
            "SELECT user_id, COUNT(*) AS n FROM acme.us_events GROUP BY user_id"
                + " HAVING SUM(60 / qty) > 60",
            "SELECT user_id, COUNT(*) AS n FROM acme.us_events GROUP BY user_id"
                + " HAVING SUM(60 // qty) > 60"),
        d(
            "division probe guarded by case",
            "SELECT COUNT(*) AS n FROM acme.us_events"
                + " WHERE CASE WHEN qty = 0 THEN 99 ELSE 10 / qty END > 2",
            "SELECT COUNT(*) AS n FROM acme.us_events"
                + " WHERE CASE WHEN qty = 0 THEN 99 ELSE 10 // qty END > 2"),
        q(
            "failed cast probe in where",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE CAST(code AS INTEGER) >= 500"),
        ordered(
            "failed cast probe in select and order by",
            "SELECT id, CAST(code AS INTEGER) AS c FROM acme.us_events ORDER BY c DESC, id LIMIT 7"),
        q(
            "failed cast probe in join condition",
            "SELECT COUNT(*) AS n FROM company_data.crm c"
                + " JOIN acme.us_events e ON CAST(e.code AS INTEGER) = c.user_id"),
        q(
            "string compared with a number",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE CAST(code AS INTEGER) > 5"),
        q("overflow probe", "SELECT COUNT(*) AS n FROM acme.us_events WHERE big * 1000 > 0"),
        q(
            "decimal overflow probe",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE CAST(amount AS DECIMAL(5,2)) > 100"),
        q(
            "narrowing cast probe",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE CAST(big AS INTEGER) < 1000"),
        q(
            "window row_number",
            "SELECT * FROM (SELECT user_id, id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY"
                + " id) AS rn FROM acme.us_events) t WHERE rn <= 2 AND user_id < 40"),
        q(
            "window aggregates over the whole rule",
            "SELECT id, COUNT(*) OVER () AS n, MAX(amount) OVER () AS mx, SUM(qty) OVER (ORDER BY"
                + " id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_sum"
                + " FROM acme.us_events WHERE id < 100"),
        d(
            "window rank over a division",
            "SELECT id, RANK() OVER (ORDER BY 100 / qty, id) AS r FROM acme.us_events"
                + " WHERE id < 80",
            "SELECT id, RANK() OVER (ORDER BY 100 // qty, id) AS r FROM acme.us_events"
                + " WHERE id < 80"),
        q(
            "self join",
            "SELECT COUNT(*) AS n FROM acme.us_events a JOIN acme.us_events b"
                + " ON a.user_id = b.user_id AND a.id < b.id"),
        d(
            "self join on neighbouring ids with probe",
            "SELECT a.id, b.id FROM acme.us_events a JOIN acme.us_events b ON a.id + 1 = b.id"
                + " OR a.id + 4 = b.id WHERE 10 / b.qty > 3 AND a.id < 400",
            "SELECT a.id, b.id FROM acme.us_events a JOIN acme.us_events b ON a.id + 1 = b.id"
                + " OR a.id + 4 = b.id WHERE 10 // b.qty > 3 AND a.id < 400"),
        q(
            "join with own data",
            "SELECT c.segment, COUNT(*) AS n, SUM(e.amount) AS s FROM company_data.crm c"
                + " JOIN acme.us_events e ON e.user_id = c.user_id GROUP BY c.segment"),
        q(
            "left join own data keeps unmatched rows",
            "SELECT c.user_id, e.id FROM company_data.crm c LEFT JOIN acme.us_events e"
                + " ON e.user_id = c.user_id AND e.id < 400 WHERE c.user_id < 14"),
        q(
            "full join own data",
            "SELECT c.user_id, e.id FROM company_data.crm c FULL JOIN acme.us_events e"
                + " ON e.user_id = c.user_id AND c.user_id < 30"
                + " WHERE COALESCE(e.id, 0) < 200 AND COALESCE(c.user_id, 0) < 60"),
        q(
            "two rules joined",
            "SELECT COUNT(*) AS n, SUM(g.amount) AS s FROM acme.us_events u"
                + " JOIN acme.gbr_events g ON g.id = u.id + 1"),
        q(
            "correlated scalar subquery",
            "SELECT c.user_id, (SELECT MAX(e.amount) FROM acme.us_events e"
                + " WHERE e.user_id = c.user_id) AS m FROM company_data.crm c WHERE c.user_id < 30"),
        q(
            "correlated subquery on the rule itself",
            "SELECT e.id FROM acme.us_events e WHERE e.amount >= (SELECT MAX(e2.amount)"
                + " FROM acme.us_events e2 WHERE e2.user_id = e.user_id)"),
        q(
            "uncorrelated scalar subquery",
            "SELECT COUNT(*) AS n FROM acme.us_events"
                + " WHERE amount > (SELECT MAX(amount) - 10 FROM acme.us_events)"),
        q(
            "exists",
            "SELECT c.user_id FROM company_data.crm c WHERE EXISTS (SELECT 1 FROM acme.us_events e"
                + " WHERE e.user_id = c.user_id AND e.qty = 5)"),
        q(
            "not exists",
            "SELECT COUNT(*) AS n FROM company_data.crm c WHERE NOT EXISTS (SELECT 1"
                + " FROM acme.us_events e WHERE e.user_id = c.user_id)"),
        d(
            "in subquery with probe",
            "SELECT COUNT(*) AS n FROM company_data.crm WHERE user_id IN (SELECT user_id"
                + " FROM acme.us_events WHERE 10 / qty = 2)",
            "SELECT COUNT(*) AS n FROM company_data.crm WHERE user_id IN (SELECT user_id"
                + " FROM acme.us_events WHERE 10 // qty = 2)"),
        q(
            "not in subquery",
            "SELECT COUNT(*) AS n FROM company_data.crm WHERE user_id NOT IN (SELECT user_id"
                + " FROM acme.us_events)"),
        q(
            "not in with the rule outside",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE user_id NOT IN (SELECT user_id"
                + " FROM company_data.crm WHERE segment = 'gold')"),
        q(
            "union of two rules",
            "SELECT user_id FROM acme.us_events UNION SELECT user_id FROM acme.gbr_events"),
        q(
            "union all with own data",
            "SELECT country AS v FROM acme.us_events WHERE id < 40 UNION ALL"
                + " SELECT segment FROM company_data.crm WHERE user_id < 5"),
        q(
            "intersect",
            "SELECT user_id FROM company_data.crm INTERSECT SELECT user_id FROM acme.us_events"),
        q(
            "except",
            "SELECT user_id FROM company_data.crm EXCEPT SELECT user_id FROM acme.us_events"),
        q(
            "rule except rule",
            "SELECT id FROM acme.us_events WHERE id < 300 EXCEPT SELECT id - 1 FROM acme.gbr_events"),
        q(
            "cte",
            "WITH per_user AS (SELECT user_id, COUNT(*) AS n, MAX(amount) AS mx"
                + " FROM acme.us_events GROUP BY user_id)"
                + " SELECT n, COUNT(*) AS users, MAX(mx) AS mx FROM per_user GROUP BY n"),
        d(
            "cte used twice",
            "WITH v AS (SELECT id, user_id FROM acme.us_events WHERE 10 / qty >= 5)"
                + " SELECT COUNT(*) AS n FROM v a JOIN v b ON a.user_id = b.user_id",
            "WITH v AS (SELECT id, user_id FROM acme.us_events WHERE 10 // qty >= 5)"
                + " SELECT COUNT(*) AS n FROM v a JOIN v b ON a.user_id = b.user_id"),
        q(
            "lateral",
            "SELECT c.user_id, x.id FROM company_data.crm c, LATERAL (SELECT e.id"
                + " FROM acme.us_events e WHERE e.user_id = c.user_id ORDER BY e.id LIMIT 1) x"
                + " WHERE c.user_id < 50"),
        q(
            "values joined with the rule",
            "SELECT v.k, e.id, e.code FROM (VALUES (1), (5), (8), (12), (4001)) AS v(k)"
                + " JOIN acme.us_events e ON e.id = v.k"),
        q(
            "in list over hidden and visible ids",
            "SELECT id, code FROM acme.us_events WHERE id IN (1, 2, 3, 4, 5, 8)"),
        ordered(
            "order by limit",
            "SELECT id, amount FROM acme.us_events ORDER BY amount DESC, id LIMIT 5"),
        ordered(
            "order by offset fetch",
            "SELECT id FROM acme.us_events ORDER BY big DESC OFFSET 3 ROWS FETCH FIRST 4 ROWS ONLY"),
        q(
            "or on the price pseudo-column",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE country <> 'USA' OR _price_cpm_usd > 0"),
        q(
            "or on the price pseudo-column, false side",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE id < 100 OR _price_cpm_usd < 1"),
        q(
            "or on the rule id",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE _access_rule_id <> 0 OR qty = 0"),
        q(
            "pseudo-columns",
            "SELECT DISTINCT _price_cpm_usd, _source_company_id, _access_rule_id"
                + " FROM acme.us_events"),
        q(
            "hidden rows asked for",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE country = 'GBR'"),
        q(
            "negated rule predicate",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE country IS DISTINCT FROM 'USA'"
                + " OR NOT (country = 'USA')"),
        q(
            "expression column",
            "SELECT email_up FROM acme.us_events WHERE email_up LIKE 'USER1%' AND id < 500"),
        q(
            "like on a plain column",
            "SELECT COUNT(*) AS n FROM acme.us_events WHERE code LIKE '1%' OR code LIKE '%9'"),
        q(
            "quoted and upper-case names",
            "SELECT COUNT(*) AS n FROM ACME.US_EVENTS a JOIN \"acme\".\"us_events\" b ON a.ID = b.id"),
        d(
            "aggregate over a join of the rule and values",
            "SELECT v.k, MAX(e.amount) AS m FROM acme.us_events e, (VALUES (0), (1)) AS v(k)"
                + " WHERE MOD(e.id, 8) = v.k GROUP BY v.k",
            "SELECT v.k, MAX(e.amount) AS m FROM acme.us_events e, (VALUES (0), (1)) AS v(k)"
                + " WHERE e.id % 8 = v.k GROUP BY v.k"));
  }

  private static Arguments q(String name, String sql) {
    return Arguments.of(name, sql, sql, false);
  }

  private static Arguments d(String name, String sql, String duckSql) {
    return Arguments.of(name, sql, duckSql, false);
  }

  private static Arguments ordered(String name, String sql) {
    return Arguments.of(name, sql, sql, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("buyerQueries")
  void buyerSeesExactlyTheRuleRows(String name, String sql, String duckSql, boolean ordered)
      throws Exception {
    List<String> expected = CanonicalRows.jdbc(duck, duckSql);
    List<String> actual = CanonicalRows.engine(buyer, sql + " NO LIMIT");
    if (!ordered) {
      expected.sort(Comparator.naturalOrder());
      actual.sort(Comparator.naturalOrder());
    }
    assertThat(actual).as(sql).containsExactlyElementsOf(expected);
  }

  // ------------------------------------------- probes: a hidden row must look like no row at all

  static Stream<String> probes() {
    return Stream.of(
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code LIKE 'a\\' ESCAPE '\\'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND NOT (code LIKE 'a\\' ESCAPE '\\')",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code LIKE 'a%' ESCAPE 'ab'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code LIKE 'a\\b' ESCAPE '\\'",
        "SELECT COUNT(*) FROM acme.us_events"
            + " WHERE CASE WHEN id = {ID} THEN code LIKE 'a\\' ESCAPE '\\' ELSE FALSE END",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} OR code LIKE 'a\\' ESCAPE '\\'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code SIMILAR TO '('",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND 10 / qty > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND MOD(10, qty) >= 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND CAST(code AS INTEGER) > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code = 5",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code = TRUE",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND code = DATE '2020-01-01'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND CAST(amount AS DECIMAL(5,2)) > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND CAST(big AS INTEGER) > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND big * 1000 > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND big + big > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND ABS(big * -1000) > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND SQRT(-1 * qty) >= 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND SUBSTRING(code, qty) <> ''",
        "SELECT 10 / qty FROM acme.us_events WHERE id = {ID}",
        "SELECT CAST(code AS BIGINT) FROM acme.us_events WHERE id = {ID}",
        "SELECT SUM(10 / qty) OVER () FROM acme.us_events WHERE id = {ID}",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} GROUP BY user_id"
            + " HAVING MIN(10 / qty) > 0",
        "SELECT COUNT(*) FROM acme.us_events e JOIN company_data.crm c"
            + " ON e.id = {ID} AND 10 / e.qty > c.weight",
        "SELECT COUNT(*) FROM company_data.crm c WHERE EXISTS (SELECT 1 FROM acme.us_events e"
            + " WHERE e.id = {ID} AND CAST(e.code AS INTEGER) = c.user_id)",
        "SELECT c.user_id FROM company_data.crm c WHERE c.user_id IN (SELECT 10 / e.qty"
            + " FROM acme.us_events e WHERE e.id = {ID})",
        "SELECT (SELECT MAX(CAST(e.code AS INTEGER)) FROM acme.us_events e WHERE e.id = {ID})"
            + " FROM company_data.crm c WHERE c.user_id = 1",
        "SELECT COUNT(*) FROM (SELECT id, qty FROM acme.us_events UNION ALL"
            + " SELECT -user_id, weight FROM company_data.crm) t WHERE id = {ID} AND 10 / qty > 0",
        "WITH t AS (SELECT * FROM acme.us_events WHERE id = {ID})"
            + " SELECT COUNT(*) FROM t WHERE CAST(t.code AS INTEGER) > 0",
        "SELECT COUNT(*) FROM (SELECT id, CAST(code AS INTEGER) AS c FROM acme.us_events) t"
            + " WHERE t.id = {ID} AND t.c > 0",
        "SELECT COUNT(*) FROM (SELECT id, qty, ROW_NUMBER() OVER (ORDER BY id) AS rn"
            + " FROM acme.us_events) t WHERE t.id = {ID} AND 10 / t.qty > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND CAST(email_up AS INTEGER) > 0",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND CAST(_price_cpm_usd AS INTEGER) + 10 / qty > 0",
        // NQL functions that can fail on a value stay above the barrier
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND SHA2(code, user_id) <> ''",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND NORMALIZE_PHONE(code, code, 'US') <> ''",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND NORMALIZE_PHONE('E164', code, code) <> ''",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND FROM_UNIXTIME(big) > TIMESTAMP '1970-01-01 00:00:00'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND DATE_ADD('day', big, DATE '2020-01-01') <> DATE '2020-01-01'",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND DATE_TRUNC(code, TIMESTAMP '2020-01-01 00:00:00')"
            + " <> TIMESTAMP '2020-01-01 00:00:00'",
        "SELECT FROM_UNIXTIME(big) FROM acme.us_events WHERE id = {ID}",
        // leak-proof ones go below it, and cannot fail there
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND SHA2(code, 512) <> ''"
            + " AND NORMALIZE_PHONE('E164', code, 'US') IS NULL AND MD5(code) <> ''",
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID}"
            + " AND DATEDIFF('day', DATE '2020-01-01', DATE '2020-01-02') = qty");
  }

  /**
   * Each probe is run once with the id of a row the rule hides and once with an id no row has: the
   * outcomes (rows, or error code and message) must be the same, and never mention a hidden value.
   */
  @ParameterizedTest
  @MethodSource("probes")
  void hiddenRowIsIndistinguishableFromNoRow(String probe) {
    String hidden = outcome(buyer, probe.replace("{ID}", Long.toString(HIDDEN_ID)) + " NO LIMIT");
    String absent = outcome(buyer, probe.replace("{ID}", Long.toString(ABSENT_ID)) + " NO LIMIT");
    assertThat(hidden).as(probe).isEqualTo(absent);
    assertThat(hidden).doesNotContain("x5", "9000000000000000005", "9999999.99");
  }

  /**
   * Payment at budget 0 (the session default) on a priced rule: a buyer's filter with {@code
   * SHA2(code, user_id)}, whose bit length is a column (invalid on the visible row 4 and the hidden
   * row 5 alike), gives the same outcome whether rule rows match it or not; evaluated on a row it
   * would fail (paid for, with NO LIMIT, below).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT COUNT(*) FROM acme.us_events WHERE id = {ID} AND SHA2(code, user_id) <> ''",
        "SELECT id FROM acme.us_events WHERE id = {ID} AND SHA2(code, user_id) IS NULL",
        "SELECT SHA2(code, user_id) FROM acme.us_events WHERE id = {ID}",
        "SELECT COUNT(*) FROM acme.us_events WHERE id >= {ID} AND SHA2(code, user_id) <> ''"
      })
  void aFailingNqlFunctionAtBudgetZeroLooksTheSameWhetherRowsMatch(String probe) {
    List<String> outcomes = new ArrayList<>();
    for (long id : new long[] {4, HIDDEN_ID, ABSENT_ID}) {
      outcomes.add(outcome(buyer, probe.replace("{ID}", Long.toString(id))));
    }
    assertThat(outcomes).as(probe).containsOnly(outcomes.get(0));
    assertThat(outcomes.get(0)).doesNotStartWith("ERR");
    assertThat(outcome(buyer, probe.replace("{ID}", "4") + " NO LIMIT"))
        .isEqualTo("ERR 22023 Invalid bit length for SHA2: expected 224, 256, 384 or 512");
  }

  /** A probe that fails on a visible row may fail: the row it names is one the buyer may see. */
  @Test
  void probeOnAVisibleRowMayFailButNamesOnlyVisibleValues() {
    assertThat(outcome(buyer, "SELECT CAST(email_up AS INTEGER) FROM acme.us_events NO LIMIT"))
        .startsWith("ERR 22P02")
        .doesNotContain("user1@", "ssn-");
  }

  // --------------------------------------------------------------------------- names and errors

  @ParameterizedTest
  @ValueSource(
      strings = {
        "acme.events_raw",
        "acme.\"events_raw\"",
        "ACME.EVENTS_RAW",
        "acme.\"{DS}\"",
        "company_data.events_raw",
        "company_data.\"{DS}\"",
        "acme.\"US_EVENTS\"",
        "\"ACME\".us_events",
        "acme.private_events",
        "globex.g_rule",
        "globex.g_crm",
        "acme.no_such_rule",
        "no_such_company.us_events"
      })
  void unreachableTablesGiveTheSameErrorAsMissingOnes(String name) {
    String written = name.replace("{DS}", Long.toString(datasetId));
    // The message names the table as written, with unquoted parts folded as the parser folds them.
    String expected =
        "Unknown table or insufficient table permissions: "
            + (written.startsWith("ACME.") ? written.toLowerCase(java.util.Locale.ROOT) : written);
    for (String sql :
        List.of(
            "SELECT * FROM " + written + " NO LIMIT",
            "SELECT COUNT(*) FROM acme.us_events e JOIN " + written + " x ON 1 = 1 NO LIMIT",
            "SELECT 1 FROM company_data.crm WHERE EXISTS (SELECT 1 FROM "
                + written
                + ") NO LIMIT")) {
      assertThatThrownBy(() -> buyer.execute(sql).close())
          .as(sql)
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).isEqualTo("42P01");
                assertThat(e.getMessage()).isEqualTo(expected);
              });
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT secret FROM acme.us_events|secret",
        "SELECT email FROM acme.us_events|email",
        "SELECT e.secret FROM acme.us_events e|e.secret",
        "SELECT \"EMAIL_UP\" FROM acme.us_events|\"EMAIL_UP\"",
        "SELECT id FROM acme.us_events WHERE secret = 'ssn-5'|secret",
        "SELECT id FROM acme.us_events ORDER BY email|email",
        "SELECT COUNT(*) FROM acme.us_events GROUP BY secret|secret",
        "SELECT id FROM acme.us_events e WHERE EXISTS (SELECT 1 FROM company_data.crm c"
            + " WHERE c.user_id = e.secret)|e.secret"
      })
  void columnsOutsideTheRuleAreUnknown(String spec) {
    String sql = spec.substring(0, spec.indexOf('|')) + " NO LIMIT";
    String written = spec.substring(spec.indexOf('|') + 1);
    assertThatThrownBy(() -> buyer.execute(sql).close())
        .as(sql)
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("42703");
              assertThat(e.getMessage()).startsWith("Column " + written + " not found");
              assertThat(e.getMessage().replace(written, ""))
                  .doesNotContain("events_raw", "secret", "email", "ssn", "USA");
            });
  }

  @Test
  void nameVariantsOfTheRuleResolve() {
    for (String name : List.of("ACME.US_EVENTS", "\"acme\".\"us_events\"", "Acme.Us_Events")) {
      assertThat(CanonicalRows.engine(buyer, "SELECT COUNT(*) FROM " + name + " NO LIMIT"))
          .as(name)
          .containsExactly("1000 | ");
    }
  }

  // --------------------------------------------------------------------------------- metadata

  @Test
  void metadataShowsOnlyTheRuleColumns() {
    List<VisibleTable> tables = buyer.visibleTables();
    List<String> names = new ArrayList<>();
    for (VisibleTable t : tables) {
      if (t.schema().equals("information_schema")) {
        continue; // the same for every caller (InformationSchemaTest)
      }
      names.add(t.schema() + "." + t.name() + ":" + t.type());
      if (t.name().equals("rosetta_stone")) {
        // the catalog's attributes (one is named email) and the pseudo-columns, nothing else
        assertThat(t.columns().stream().map(ResultColumn::name).toList())
            .contains("email", "maid", "_price_cpm_usd")
            .doesNotContain("events_raw", "secret", "email_up", "user_id");
        continue;
      }
      String text = t.toString();
      assertThat(text)
          .doesNotContain("events_raw", "secret", "USA", "'")
          .doesNotContainPattern("\\bemail\\b");
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            "company_data.crm:TABLE",
            "company_data._ledger:SYSTEM TABLE",
            "company_data._audit:SYSTEM TABLE",
            "company_data.rosetta_stone:VIEW",
            "acme.us_events:VIEW",
            "acme.gbr_events:VIEW",
            "acme.rosetta_stone:VIEW",
            "narrative.rosetta_stone:VIEW");
    VisibleTable us =
        tables.stream().filter(t -> t.name().equals("us_events")).findFirst().orElseThrow();
    assertThat(us.columns().stream().map(ResultColumn::name).toList())
        .containsExactly(
            "id",
            "user_id",
            "country",
            "qty",
            "code",
            "big",
            "amount",
            "email_up",
            "_price_cpm_usd",
            "_source_company_id",
            "_access_rule_id");
    assertThat(buyer.visibleSchemas())
        .containsExactly("company_data", "acme", "narrative", "information_schema");
  }

  @Test
  void showAccessRulesShowsNoPredicateNorDataset() {
    List<String> shown = CanonicalRows.engine(buyer, "SHOW ACCESS RULES");
    assertThat(shown).hasSize(2);
    assertThat(String.join("\n", shown))
        .contains("us_events", "gbr_events")
        .doesNotContain(
            "USA",
            "GBR",
            "country",
            "events_raw",
            "company_data",
            "private_events",
            "g_rule",
            "globex",
            "SELECT");
  }

  @Test
  void describeOfASharedRuleShowsExactlyItsQueryableColumns() {
    List<String> queryable = new java.util.ArrayList<>();
    try (StatementResult r = buyer.execute("SELECT * FROM acme.us_events WHERE 1 = 0")) {
      r.columns().forEach(c -> queryable.add(c.name()));
    }
    List<String> described = new java.util.ArrayList<>();
    try (StatementResult r = buyer.execute("DESCRIBE acme.us_events")) {
      for (Object[] row; (row = r.next()) != null; ) {
        described.add((String) row[0]);
        assertThat(row[3]).as("no partitioning is revealed").isNull();
      }
    }
    assertThat(described).containsExactlyElementsOf(queryable);
    assertThat(described).contains("_price_cpm_usd", "_source_company_id", "_access_rule_id");
  }

  @Test
  void describeOfADatasetBehindARuleRevealsNothing() {
    for (String target :
        List.of(
            "acme.events_raw", "company_data.events_raw", "company_data.\"" + datasetId + "\"")) {
      assertThatThrownBy(() -> buyer.execute("DESCRIBE " + target).close())
          .isInstanceOfSatisfying(
              NqlException.class,
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo("Unknown table or insufficient table permissions: " + target));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT id FROM acme.us_events WHERE id > 5 AND 10 / qty > 1",
        "SELECT * FROM acme.us_events e JOIN company_data.crm c ON e.user_id = c.user_id"
            + " WHERE e.code LIKE '1%'",
        "SELECT COUNT(*) FROM acme.us_events u JOIN acme.gbr_events g ON g.id = u.id + 1",
        "SELECT c.user_id FROM company_data.crm c WHERE NOT EXISTS (SELECT 1 FROM acme.us_events"
            + " e WHERE e.user_id = c.user_id AND e.amount > 10)",
        "SELECT email_up, ROW_NUMBER() OVER (ORDER BY id) FROM acme.us_events"
      })
  void explainPlanForHidesTheRule(String sql) {
    String plan = CanonicalRows.engine(buyer, "EXPLAIN PLAN FOR " + sql).get(0);
    assertThat(plan)
        .contains("RuleScan(rule=[acme.")
        .doesNotContain(
            "USA",
            "GBR",
            "events_raw",
            "[company_data, " + datasetId + "]",
            "secret",
            "UPPER",
            "IcebergTableScan(table=[[company_data, " + datasetId)
        .doesNotContainPattern("\\bemail\\b");
  }

  @Test
  void explainPlanForShowsTheOwnerItsOwnRule() {
    String plan =
        CanonicalRows.engine(acme, "EXPLAIN PLAN FOR SELECT id FROM company_data.us_events").get(0);
    assertThat(plan).contains("USA", "EnumerableRuleBarrier");
  }

  // ----------------------------------------------------------------------- metering and budget

  static Stream<Arguments> meteredQueries() {
    return Stream.of(
        Arguments.of("SELECT id FROM acme.us_events WHERE id < 400", 100L),
        Arguments.of("SELECT COUNT(*) FROM acme.us_events WHERE 10 / qty > 2", 600L),
        Arguments.of("SELECT COUNT(*) FROM acme.us_events WHERE CAST(code AS INTEGER) >= 500", -1L),
        Arguments.of(
            "SELECT COUNT(*) FROM company_data.crm c JOIN acme.us_events e"
                + " ON e.user_id = c.user_id WHERE e.qty = 1",
            200L),
        Arguments.of("SELECT MAX(amount) FROM acme.us_events WHERE country = 'GBR'", 0L),
        Arguments.of(
            "SELECT qty, COUNT(*) FROM acme.us_events WHERE id < 2000 GROUP BY qty", 500L));
  }

  /**
   * The rows charged for the rule equal the rule's rows that pass the buyer's own filters on the
   * rule scan (counted by the oracle); -1 means "the oracle's count of the same WHERE".
   */
  @ParameterizedTest
  @MethodSource("meteredQueries")
  void ledgerChargesTheRowsTheRuleDelivered(String sql, long expectedRows) throws Exception {
    long expected = expectedRows;
    if (expected < 0) {
      String where = sql.substring(sql.indexOf(" WHERE "));
      expected =
          Long.parseLong(
              CanonicalRows.jdbc(duck, "SELECT COUNT(*) FROM acme.us_events" + where)
                  .get(0)
                  .replace(" | ", ""));
    }
    String statementId;
    try (StatementResult r = buyer.execute(sql + " NO LIMIT")) {
      while (r.next() != null) {
        // drain
      }
      statementId = r.statementId();
    }
    long rows = 0;
    long micros = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      if (e.statementId().equals(statementId)) {
        assertThat(e.ruleId()).isEqualTo(usRuleId);
        rows += e.rows();
        micros += e.amountMicros();
      }
    }
    assertThat(rows).as(sql).isEqualTo(expected);
    assertThat(micros).isEqualTo(expected * 2_000);
  }

  @Test
  void twoRulesAreChargedSeparately() {
    String statementId;
    try (StatementResult r =
        buyer.execute(
            "SELECT COUNT(*) FROM acme.us_events u JOIN acme.gbr_events g ON g.id = u.id + 1"
                + " WHERE u.id < 400 AND g.id < 200 NO LIMIT")) {
      assertThat(r.next()).containsExactly(50L);
      statementId = r.statementId();
    }
    List<LedgerEntry> entries =
        engine.store().ledger().entriesOf(buyerId).stream()
            .filter(e -> e.statementId().equals(statementId))
            .toList();
    assertThat(entries)
        .extracting(LedgerEntry::ruleId, LedgerEntry::rows, LedgerEntry::amountMicros)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(usRuleId, 100L, 200_000L),
            org.assertj.core.groups.Tuple.tuple(gbrRuleId, 50L, 50_000L));
  }

  /**
   * Calcite's EnumerableLimit (linq4j {@code take}) pulls row n+1 before it stops; the policy caps
   * the meter under a LIMIT so that row is neither pulled nor charged, and a budget of exactly n
   * rows carries no "budget cut" warning.
   */
  @Test
  void rowLimitIsChargedOnlyForTheRowsReturned() {
    String statementId;
    try (StatementResult r = buyer.execute("SELECT id FROM acme.us_events LIMIT 3 NO LIMIT")) {
      while (r.next() != null) {
        // drain
      }
      statementId = r.statementId();
    }
    long charged =
        engine.store().ledger().entriesOf(buyerId).stream()
            .filter(e -> e.statementId().equals(statementId))
            .mapToLong(LedgerEntry::rows)
            .sum();
    assertThat(charged).isEqualTo(3);
    try (StatementResult r =
        buyer.execute("SELECT id FROM acme.us_events LIMIT 3 LIMIT 0.006 USD")) {
      while (r.next() != null) {
        // drain
      }
      assertThat(r.warnings()).isEmpty();
    }
  }

  @Test
  void budgetBuysOnlyVisibleRowsItCanPayFor() throws Exception {
    // 2.00 USD per 1,000 rows: 0.01 USD buys 5 rows; an aggregate counts only the rows bought.
    try (StatementResult r =
        buyer.execute("SELECT COUNT(*), MAX(amount) FROM acme.us_events LIMIT 0.01 USD")) {
      Object[] row = r.next();
      assertThat(row[0]).isEqualTo(5L);
      assertThat((BigDecimal) row[1]).isLessThan(new BigDecimal("250"));
      assertThat(r.warnings()).hasSize(1);
    }
    List<String> visible = CanonicalRows.jdbc(duck, "SELECT id, code FROM acme.us_events");
    List<String> bought =
        CanonicalRows.engine(buyer, "SELECT id, code FROM acme.us_events LIMIT 0.02 USD");
    assertThat(bought).hasSize(10);
    assertThat(visible).containsAll(bought);
    // A budget large enough changes nothing.
    assertThat(
            CanonicalRows.engine(
                buyer, "SELECT COUNT(*) FROM acme.us_events WHERE qty = 5 LIMIT 5 USD"))
        .containsExactly("200 | ");
    // Free data only (the session default) returns no rule rows and does not fail on hidden rows.
    assertThat(
            CanonicalRows.engine(buyer, "SELECT COUNT(*) FROM acme.us_events WHERE 10 / qty > 0"))
        .containsExactly("0 | ");
  }

  // ------------------------------------------------------------------------------------ helpers

  private String outcome(NqlSession session, String sql) {
    try {
      return String.join("\n", CanonicalRows.engine(session, sql));
    } catch (NqlException e) {
      return "ERR " + e.sqlState() + " " + e.getMessage();
    }
  }
}
