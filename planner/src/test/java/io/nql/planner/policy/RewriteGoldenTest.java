package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlExplainLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden plans of the policy rewrite: for each case, the NQL, the caller, and the plan right after
 * {@link PolicyRewriter} (before field trimming and the optimizer), compared with {@code
 * src/test/resources/golden/rewrite/<case>.txt}. The text is the full plan, also below barriers
 * (what the rewrite built, not what {@code EXPLAIN PLAN FOR} shows a buyer).
 *
 * <p>To regenerate after an intended change, run with {@code -Dgolden.update=true} and review the
 * diff of the files: {@code mvn -o -pl planner test -Dtest=RewriteGoldenTest -Dgolden.update=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteGoldenTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "rewrite");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TempDir static Path dir;
  private NqlEngine engine;

  /** The plans the policy rewrite returned since the last {@link #rewrittenPlan}. */
  private static final List<RelNode> REWRITTEN = new java.util.concurrent.CopyOnWriteArrayList<>();

  private NqlSession acme;
  private NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    // Each company stages its files in its own area <ingest root>/<slug>/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    Path buyerSrc = Files.createDirectories(ingest.resolve("buyer_co"));
    StringBuilder events = new StringBuilder("id,user_id,country,qty,code,email\n");
    for (int i = 0; i < 200; i++) {
      String country = List.of("USA", "GBR", "DEU", "FRA").get(i % 4);
      events
          .append(i)
          .append(',')
          .append(i % 30)
          .append(',')
          .append(country)
          .append(',')
          .append(country.equals("USA") ? 1 + i % 5 : 0)
          .append(',')
          .append(country.equals("USA") ? Integer.toString(i * 7 % 100) : "x" + i)
          .append(",user")
          .append(i)
          .append("@example.com\n");
    }
    Files.writeString(src.resolve("events_raw.csv"), events);
    StringBuilder crm = new StringBuilder("user_id,segment\n");
    for (int i = 0; i < 40; i++) {
      crm.append(i).append(',').append(i % 2 == 0 ? "gold" : "silver").append('\n');
    }
    Files.writeString(buyerSrc.resolve("crm.csv"), crm);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"),
            REWRITTEN::add);
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    buyer = engine.trusted("buyer_co_user");
    acme.execute(
            "COPY INTO company_data.events_raw FROM '"
                + src.resolve("events_raw.csv")
                + "' HEADER = TRUE")
        .close();
    buyer.execute("COPY INTO company_data.crm FROM 'crm.csv' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT e.id, e.user_id, e.country, e.qty, e.code,"
                + " UPPER(e.email) AS email_up FROM company_data.events_raw e"
                + " WHERE e.country = 'USA'")
        .close();
    acme.execute(
            "CREATE ACCESS RULE \"gbr_events\" PRICE_CPM_USD = 1.00 SHARE WITH ALL"
                + " AS SELECT e.id, e.user_id FROM company_data.events_raw e"
                + " WHERE e.country = 'GBR' AND e.id < 150")
        .close();
    // created last, so the ids in the plans of the cases before stay as they were
    StringBuilder visits = new StringBuilder("id,ts,phone\n");
    for (int i = 0; i < 50; i++) {
      visits
          .append(i)
          .append(",2026-01-")
          .append(10 + i % 20)
          .append(" 12:00:00,650253")
          .append(1000 + i)
          .append('\n');
    }
    Files.writeString(src.resolve("visits.csv"), visits);
    acme.execute("COPY INTO company_data.visits_raw FROM 'visits.csv' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"visits\" PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT v.id, v.ts, v.phone, SHA2(v.phone, 256) AS phone_sha256,"
                + " DATE_ADD('day', 1, v.ts) AS next_day FROM company_data.visits_raw v"
                + " WHERE v.id < 40")
        .close();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    buyer.close();
    engine.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "leakproof_filter_below_barrier",
            "buyer",
            "SELECT id, code FROM acme.us_events WHERE id < 100 AND code IS NOT NULL"),
        c(
            "non_leakproof_filter_above_barrier",
            "buyer",
            "SELECT id FROM acme.us_events WHERE 10 / qty > 2"),
        c(
            "mixed_filter_split_meter_on_top",
            "buyer",
            "SELECT id FROM acme.us_events"
                + " WHERE id < 100 AND CAST(code AS INTEGER) > 5 AND _price_cpm_usd <= 5"),
        c(
            "expression_column_filter_stays_above",
            "buyer",
            "SELECT email_up FROM acme.us_events WHERE email_up LIKE 'USER1%' AND qty = 3"),
        c(
            "invalid_like_pattern_stays_above",
            "buyer",
            "SELECT id FROM acme.us_events WHERE id = 5 AND code LIKE 'a\\' ESCAPE '\\'"),
        c(
            "price_or_trick",
            "buyer",
            "SELECT id FROM acme.us_events WHERE id < 10 OR _price_cpm_usd > 1"),
        c("owner_price_literal", "acme", "SELECT id, _price_cpm_usd FROM company_data.us_events"),
        c("buyer_price_literal", "buyer", "SELECT id, _price_cpm_usd FROM acme.us_events"),
        c(
            "two_rules_joined",
            "buyer",
            "SELECT u.id, g.id FROM acme.us_events u JOIN acme.gbr_events g"
                + " ON g.id = u.id + 1 WHERE u.qty > 1 AND g.user_id < 20"),
        c(
            "rule_joined_with_own_data",
            "buyer",
            "SELECT c.segment, e.id FROM company_data.crm c JOIN acme.us_events e"
                + " ON e.user_id = c.user_id WHERE c.segment = 'gold' AND e.qty = 2"),
        c(
            "aggregate_over_rule",
            "buyer",
            "SELECT qty, COUNT(*) AS n FROM acme.us_events WHERE id < 150 GROUP BY qty"
                + " HAVING COUNT(*) > 1"),
        c(
            "nql_functions_below_barrier",
            "buyer",
            "SELECT id FROM acme.us_events WHERE SHA2(code, 256) <> '' AND MD5(code) <> ''"
                + " AND SHA1(code) <> '' AND HMAC_SHA256('key', code) <> ''"
                + " AND NORMALIZE_EMAIL(code) IS NULL AND COUNTRY_CODE_3_TO_2(country) = 'US'"
                + " AND COUNTRY_CODE_2_TO_3('us') = country"
                + " AND NORMALIZE_PHONE('E164', code, 'US') IS NULL"),
        c(
            "nql_functions_that_can_fail_stay_above",
            "buyer",
            "SELECT id FROM acme.us_events WHERE id < 50 AND SHA2(code, qty) <> ''"
                + " AND NORMALIZE_PHONE(code, code, 'US') IS NULL"
                + " AND NORMALIZE_PHONE('E164', code, country) IS NULL"),
        c(
            "nql_date_functions_split",
            "buyer",
            "SELECT id FROM acme.visits WHERE DATE_TRUNC('month', ts) = TIMESTAMP '2026-01-01"
                + " 00:00:00' AND DATEDIFF('day', ts, TIMESTAMP '2026-02-01 00:00:00') < 10"
                + " AND DATE_ADD('day', 1, ts) > TIMESTAMP '2026-01-05 00:00:00'"
                + " AND FROM_UNIXTIME(id) > TIMESTAMP '1970-01-01 00:00:00'"
                + " AND DATE_TRUNC(CAST(phone AS VARCHAR), ts) IS NOT NULL"),
        c(
            "nql_function_rule_columns",
            "buyer",
            "SELECT id FROM acme.visits WHERE phone_sha256 <> ''"
                + " AND next_day > TIMESTAMP '2026-01-20 00:00:00'"),
        c(
            "not_exists_over_rule",
            "buyer",
            "SELECT c.user_id FROM company_data.crm c WHERE NOT EXISTS (SELECT 1"
                + " FROM acme.us_events e WHERE e.user_id = c.user_id AND e.qty = 5)"));
  }

  private static Arguments c(String name, String caller, String sql) {
    return Arguments.of(name, caller, sql);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rewrittenPlanMatchesGolden(String name, String caller, String sql) throws Exception {
    String actual = header(caller, sql) + rewrittenPlan(caller.equals("acme") ? acme : buyer, sql);
    Path file = GOLDEN.resolve(name + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (regenerate with -Dgolden.update=true)", file).exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static String header(String caller, String sql) {
    return "-- caller: " + caller + "\n-- " + sql + "\n";
  }

  /** The plan the rewriter returned while planning {@code EXPLAIN PLAN FOR sql} (nothing runs). */
  private static String rewrittenPlan(NqlSession session, String sql) {
    REWRITTEN.clear();
    try (StatementResult r = session.execute("EXPLAIN PLAN FOR " + sql)) {
      while (r.next() != null) {
        // the optimized plan is not what this test compares
      }
    }
    assertThat(REWRITTEN).hasSize(1);
    return RelOptUtil.toString(REWRITTEN.get(0), SqlExplainLevel.EXPPLAN_ATTRIBUTES);
  }
}
