package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.CanonicalRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Owner queries, differential against DuckDB: the source files are generated once by DuckDB, loaded
 * into the warehouse with {@code COPY INTO}, and every query's result must equal what DuckDB
 * computes over the same files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerQueryDifferentialTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;
  private Connection duck;

  @BeforeAll
  void setUp() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path events = src.resolve("events.parquet");
    Path users = src.resolve("users.csv");
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duck.createStatement()) {
      s.execute("SELECT setseed(0.42)");
      s.execute(
          "COPY (SELECT i::BIGINT AS event_id,"
              + " (i % 500)::INTEGER AS user_id,"
              + " CASE WHEN i % 17 = 0 THEN NULL"
              + "  ELSE (['USA','GBR','DEU','FRA','JPN','BRA'])[1 + (i * 7) % 6] END AS country,"
              + " CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 37) % 100000 / 100.0)::DECIMAL(10,2)"
              + "  END AS amount,"
              + " ((i * 13) % 1000) / 7.0 AS score,"
              + " TIMESTAMP '2026-10-01 00:00:00' + INTERVAL (i * 97 % 2592000) SECOND"
              + "  AS event_ts,"
              + " (DATE '2026-10-01' + (i % 30)::INTEGER) AS event_date,"
              + " (i % 3 = 0) AS is_mobile,"
              + " (['Zoë','München','東京','Ærø','naïve café','plain','O''Brien','emoji 😀'])"
              + "  [1 + i % 8] AS label"
              + " FROM range(20000) t(i)) TO '"
              + events
              + "' (FORMAT PARQUET)");
      s.execute(
          "COPY (SELECT i AS user_id, 'user_' || i AS user_name,"
              + " (DATE '2025-01-01' + (i * 3)::INTEGER) AS signup_date,"
              + " CASE WHEN i % 4 = 0 THEN 'gold' WHEN i % 4 = 1 THEN 'silver'"
              + "  WHEN i % 4 = 2 THEN NULL ELSE 'bronze' END AS tier"
              + " FROM range(0, 600) t(i)) TO '"
              + users
              + "' (FORMAT CSV, HEADER TRUE)");
      s.execute("CREATE SCHEMA company_data");
      s.execute("CREATE VIEW company_data.events AS SELECT * FROM read_parquet('" + events + "')");
      s.execute(
          "CREATE VIEW company_data.users AS SELECT * FROM read_csv('"
              + users
              + "', header = true, auto_detect = true)");
    }
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(src), "admin-pw-1"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    try (StatementResult r = acme.execute("COPY INTO company_data.events FROM '" + events + "'")) {
      assertThat(r.updateCount()).isEqualTo(20000);
    }
    try (StatementResult r =
        acme.execute("COPY INTO company_data.users FROM '" + users + "' HEADER = TRUE")) {
      assertThat(r.updateCount()).isEqualTo(600);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (acme != null) {
      acme.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (duck != null) {
      duck.close();
    }
  }

  static Stream<Arguments> queries() {
    return Stream.of(
        q("count", "SELECT COUNT(*) AS n FROM company_data.events"),
        q(
            "equality filter",
            "SELECT event_id, amount FROM company_data.events WHERE country = 'DEU'"),
        q("is null", "SELECT event_id FROM company_data.events WHERE country IS NULL"),
        q(
            "is not null and range",
            "SELECT event_id FROM company_data.events"
                + " WHERE amount IS NOT NULL AND amount BETWEEN 100 AND 120"),
        q(
            "in list",
            "SELECT event_id, country FROM company_data.events WHERE user_id IN (1, 7, 42)"),
        q(
            "not in with null-free list",
            "SELECT COUNT(*) AS n FROM company_data.events WHERE country NOT IN ('USA', 'GBR')"),
        q("like prefix", "SELECT DISTINCT label FROM company_data.events WHERE label LIKE 'na%'"),
        q(
            "timestamp range",
            "SELECT event_id, event_ts FROM company_data.events"
                + " WHERE event_ts >= TIMESTAMP '2026-10-05 00:00:00'"
                + " AND event_ts < TIMESTAMP '2026-10-05 06:00:00'"),
        q(
            "date equality",
            "SELECT COUNT(*) AS n, SUM(amount) AS total FROM company_data.events"
                + " WHERE event_date = DATE '2026-10-12'"),
        q(
            "group by with decimal sum",
            "SELECT country, COUNT(*) AS n, SUM(amount) AS total, MIN(amount) AS lo,"
                + " MAX(amount) AS hi FROM company_data.events GROUP BY country"),
        q(
            "having",
            "SELECT country, COUNT(*) AS n FROM company_data.events GROUP BY country"
                + " HAVING COUNT(*) > 3000 AND MAX(amount) > 999"),
        q(
            "avg of double",
            "SELECT country, AVG(score) AS s FROM company_data.events GROUP BY country"),
        q(
            "count distinct",
            "SELECT country, COUNT(DISTINCT user_id) AS users FROM company_data.events"
                + " GROUP BY country"),
        q(
            "min max timestamps",
            "SELECT MIN(event_ts) AS first_ts, MAX(event_ts) AS last_ts FROM company_data.events"),
        q(
            "inner join",
            "SELECT u.tier, COUNT(*) AS n, SUM(e.amount) AS total FROM company_data.events e"
                + " JOIN company_data.users u ON e.user_id = u.user_id GROUP BY u.tier"),
        q(
            "left join keeps nulls",
            "SELECT u.user_id, u.tier, e.event_id FROM company_data.users u"
                + " LEFT JOIN company_data.events e ON e.user_id = u.user_id AND e.event_id < 50"
                + " WHERE u.user_id >= 495"),
        q(
            "row_number window",
            "SELECT * FROM (SELECT country, event_id, ROW_NUMBER() OVER"
                + " (PARTITION BY country ORDER BY event_id) AS rn FROM company_data.events) t"
                + " WHERE rn <= 3"),
        q(
            "running sum window",
            "SELECT event_id, SUM(amount) OVER (ORDER BY event_id ROWS BETWEEN UNBOUNDED PRECEDING"
                + " AND CURRENT ROW) AS running_total FROM company_data.events WHERE event_id < 100"),
        q(
            "rank window",
            "SELECT user_id, n, RANK() OVER (ORDER BY n DESC) AS r FROM (SELECT user_id, COUNT(*)"
                + " AS n FROM company_data.events WHERE country = 'JPN' GROUP BY user_id) t"),
        q(
            "correlated subquery",
            "SELECT e.event_id FROM company_data.events e WHERE e.amount > (SELECT MAX(e2.amount)"
                + " - 2 FROM company_data.events e2 WHERE e2.country = e.country)"),
        q(
            "exists",
            "SELECT u.user_id FROM company_data.users u WHERE EXISTS (SELECT 1 FROM"
                + " company_data.events e WHERE e.user_id = u.user_id AND e.amount > 995)"),
        q(
            "not exists",
            "SELECT COUNT(*) AS n FROM company_data.users u WHERE NOT EXISTS (SELECT 1 FROM"
                + " company_data.events e WHERE e.user_id = u.user_id)"),
        q(
            "in subquery",
            "SELECT COUNT(*) AS n FROM company_data.events WHERE user_id IN (SELECT user_id FROM"
                + " company_data.users WHERE tier = 'gold')"),
        q(
            "not in subquery with nulls",
            "SELECT COUNT(*) AS n FROM company_data.users WHERE tier NOT IN (SELECT country FROM"
                + " company_data.events)"),
        q(
            "cte",
            "WITH daily AS (SELECT event_date, COUNT(*) AS n FROM company_data.events GROUP BY"
                + " event_date) SELECT event_date, n FROM daily WHERE n > 660"),
        q(
            "union all",
            "SELECT country AS v FROM company_data.events WHERE event_id < 20 UNION ALL"
                + " SELECT tier FROM company_data.users WHERE user_id < 20"),
        q(
            "union distinct",
            "SELECT country AS v FROM company_data.events UNION SELECT tier FROM company_data.users"),
        q(
            "intersect",
            "SELECT user_id FROM company_data.events WHERE country = 'USA' INTERSECT SELECT user_id"
                + " FROM company_data.users WHERE tier = 'gold'"),
        q(
            "except",
            "SELECT user_id FROM company_data.users EXCEPT SELECT user_id FROM company_data.events"
                + " WHERE is_mobile"),
        ordered(
            "order by limit offset",
            "SELECT event_id, amount FROM company_data.events WHERE amount IS NOT NULL"
                + " ORDER BY amount DESC, event_id LIMIT 10 OFFSET 5"),
        ordered(
            "nulls first ordering",
            "SELECT country, COUNT(*) AS n FROM company_data.events GROUP BY country"
                + " ORDER BY country NULLS FIRST"),
        q(
            "case and coalesce",
            "SELECT event_id, CASE WHEN amount IS NULL THEN 'none' WHEN amount > 500 THEN 'high'"
                + " ELSE 'low' END AS band, COALESCE(country, '??') AS c FROM company_data.events"
                + " WHERE event_id < 200"),
        q(
            "null arithmetic",
            "SELECT event_id, amount + NULL AS a, amount * 2 AS doubled, -amount AS neg"
                + " FROM company_data.events WHERE event_id < 40"),
        q(
            "unicode strings",
            "SELECT label, UPPER(label) AS up, CHAR_LENGTH(label) AS len, SUBSTRING(label, 1, 3)"
                + " AS pre FROM company_data.events WHERE event_id < 8"),
        q(
            "extract and cast to date",
            "SELECT EXTRACT(DAY FROM event_ts) AS d, CAST(event_ts AS DATE) AS event_day, COUNT(*) AS n"
                + " FROM company_data.events WHERE event_ts < TIMESTAMP '2026-10-04 00:00:00'"
                + " GROUP BY EXTRACT(DAY FROM event_ts), CAST(event_ts AS DATE)"),
        q(
            "boolean filter",
            "SELECT COUNT(*) AS n FROM company_data.events WHERE is_mobile AND NOT (country = 'FRA')"),
        q(
            "scalar subquery in select",
            "SELECT user_id, (SELECT COUNT(*) FROM company_data.events e WHERE e.user_id ="
                + " u.user_id) AS n FROM company_data.users u WHERE user_id < 10"),
        q(
            "csv-inferred types",
            "SELECT tier, MIN(signup_date) AS first_signup, COUNT(user_name) AS n"
                + " FROM company_data.users GROUP BY tier"));
  }

  private static Arguments q(String name, String sql) {
    return Arguments.of(name, sql, false);
  }

  private static Arguments ordered(String name, String sql) {
    return Arguments.of(name, sql, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void sameAnswerAsDuckDb(String name, String sql, boolean ordered) throws Exception {
    List<String> expected = CanonicalRows.jdbc(duck, sql);
    List<String> actual = CanonicalRows.engine(acme, sql);
    if (!ordered) {
      expected.sort(Comparator.naturalOrder());
      actual.sort(Comparator.naturalOrder());
    }
    assertThat(expected).as("DuckDB returned rows for %s", name).isNotEmpty();
    assertThat(actual).as(sql).containsExactlyElementsOf(expected);
  }
}
