package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.testing.Marketplace;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Rosetta Stone: mapping DDL and its checks, and rosetta_stone queries against an oracle
 * computed from the providers' own data (which rule delivers each row is known to the test, not to
 * the buyer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RosettaStoneTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession acme;
  NqlSession globex;
  NqlSession buyer;
  long cheap;
  long allRows;
  long maidsOnly;
  long gp;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path a = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder events = new StringBuilder("id,maid,sex,country3,score\n");
    String[] countries = {"USA", "DEU", "USA", "ZZZ", "GBR", "USA"};
    String[] sexes = {"M", "F", "U", "M", "F", ""};
    for (int i = 1; i <= 30; i++) {
      events
          .append(i)
          .append(',')
          .append(String.format("AAAAAAAA-0000-0000-0000-%012d", i))
          .append(',')
          .append(sexes[i % sexes.length])
          .append(',')
          .append(countries[i % countries.length])
          .append(',')
          .append(i * 7 % 11)
          .append('\n');
    }
    Files.writeString(a.resolve("events.csv"), events);
    Path g = Files.createDirectories(ingest.resolve("globex"));
    Files.writeString(
        g.resolve("people.csv"),
        "pid,mobile_id,gender,country\n"
            + "1,bbbbbbbb-0000-0000-0000-000000000001,female,US\n"
            + "2,bbbbbbbb-0000-0000-0000-000000000002,male,FR\n"
            + "3,,male,US\n");
    Files.writeString(
        a.resolve("contacts.csv"),
        "cid,home_email,work_email\n"
            + "1,a@x.com,b@y.com\n"
            + "2,,c@y.com\n"
            + "3,,\n"
            + "4,D@X.COM,\n");
    engine = Marketplace.open(dir.resolve("wh"), ingest, "acme", "globex", "buyer_co");
    acme = engine.trusted("acme_user");
    globex = engine.trusted("globex_user");
    buyer = engine.trusted("buyer_co_user");
    run(acme, "COPY INTO company_data.events FROM '" + a.resolve("events.csv") + "'");
    run(globex, "COPY INTO company_data.people FROM '" + g.resolve("people.csv") + "'");
    run(acme, "COPY INTO company_data.contacts FROM '" + a.resolve("contacts.csv") + "'");
    run(
        acme,
        "CREATE ACCESS RULE contacts_rule PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
            + " AS SELECT cid, home_email, work_email FROM company_data.contacts");
    run(
        acme,
        "CREATE MAPPING ON company_data.contacts ATTRIBUTE email AS NORMALIZE_EMAIL(home_email),"
            + " ATTRIBUTE email AS NORMALIZE_EMAIL(work_email)");
    run(
        acme,
        "CREATE ACCESS RULE cheap PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
            + " AS SELECT id, maid, sex, country3 FROM company_data.events WHERE country3 = 'USA'");
    run(
        acme,
        "CREATE ACCESS RULE all_rows PRICE_CPM_USD = 3.00 SHARE WITH COMPANIES (buyer_co)"
            + " AS SELECT id, maid, sex, country3 FROM company_data.events"
            + " WHERE country3 <> 'ZZZ'");
    run(
        acme,
        "CREATE ACCESS RULE maids_only PRICE_CPM_USD = 0.50 SHARE WITH ALL"
            + " AS SELECT id, maid FROM company_data.events WHERE country3 <> 'ZZZ'");
    run(
        acme,
        "CREATE ACCESS RULE private_rule PRICE_CPM_USD = 0 SHARE WITH NONE"
            + " AS SELECT id, maid, sex, country3 FROM company_data.events");
    run(
        globex,
        "CREATE ACCESS RULE gp PRICE_CPM_USD = 2.00 SHARE WITH ALL"
            + " AS SELECT pid, mobile_id, gender, country FROM company_data.people");
    cheap = ruleId(acme, "cheap");
    allRows = ruleId(acme, "all_rows");
    maidsOnly = ruleId(acme, "maids_only");
    gp = ruleId(globex, "gp");
    run(
        acme,
        "CREATE MAPPING ON company_data.events"
            + " ATTRIBUTE maid AS LOWER(maid),"
            + " ATTRIBUTE hl7_gender AS CASE sex WHEN 'M' THEN 'male' WHEN 'F' THEN 'female'"
            + " ELSE 'unknown' END,"
            + " ATTRIBUTE iso_3166_1_country AS COUNTRY_CODE_3_TO_2(country3),"
            + " ATTRIBUTE unique_id.type AS 'maid',"
            + " ATTRIBUTE unique_id.value AS LOWER(maid)");
    run(
        globex,
        "CREATE MAPPING ON company_data.people ATTRIBUTE maid AS mobile_id,"
            + " ATTRIBUTE hl7_gender AS gender, ATTRIBUTE iso_3166_1_country AS country");
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    globex.close();
    acme.close();
    engine.close();
  }

  static void run(NqlSession s, String sql) {
    s.execute(sql).close();
  }

  static long ruleId(NqlSession s, String name) {
    for (List<Object> r : rows(s, "SHOW ACCESS RULES")) {
      if (r.get(1).equals(name)) {
        return (Long) r.get(3);
      }
    }
    throw new AssertionError("no rule " + name);
  }

  static List<List<Object>> rows(NqlSession s, String sql) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      Object[] row;
      while ((row = r.next()) != null) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }

  static List<String> lines(NqlSession s, String sql) {
    List<String> out = new ArrayList<>();
    for (List<Object> r : rows(s, sql)) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  @Test
  void showAttributesListsTheCoreSet() {
    List<List<Object>> attrs = rows(buyer, "SHOW ATTRIBUTES");
    List<Object> names = attrs.stream().map(r -> r.get(0)).toList();
    assertThat(names)
        .contains(
            "unique_id",
            "sha256_hashed_email",
            "hl7_gender",
            "iso_3166_1_country",
            "event_timestamp",
            "phone_e164");
    List<Object> gender =
        attrs.stream().filter(r -> r.get(0).equals("hl7_gender")).findFirst().get();
    assertThat(gender.get(1)).isEqualTo("string");
    assertThat((String) gender.get(3)).contains("male", "female", "unknown");
  }

  @Test
  void showMappingsListsTheOwnersMappings() {
    List<String> m = lines(acme, "SHOW MAPPINGS ON company_data.events");
    assertThat(m).hasSize(5);
    assertThat(String.join("\n", m)).contains("unique_id, value", "hl7_gender, null");
    assertThatThrownBy(() -> rows(buyer, "SHOW MAPPINGS ON company_data.events"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("Unknown table or insufficient table permissions");
  }

  @Test
  void mappingsAreCheckedWhenCreated() {
    assertThatThrownBy(
            () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE no_such AS sex"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("no attribute 'no_such'");
    assertThatThrownBy(
            () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE age AS sex"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("age is a long, but its expression gives VARCHAR");
    assertThatThrownBy(
            () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE hl7_gender AS sex"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("hl7_gender: ")
        .hasMessageContaining("'M' (not one of male, female, other, unknown)");
    assertThatThrownBy(
            () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE unique_id AS maid"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("map it property by property");
    assertThatThrownBy(
            () ->
                run(
                    acme,
                    "CREATE MAPPING ON company_data.events ATTRIBUTE unique_id.value AS maid"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("needs its required property type");
    assertThatThrownBy(
            () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE maid AS nope"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> run(buyer, "CREATE MAPPING ON acme.cheap ATTRIBUTE maid AS maid"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("Unknown table or insufficient table permissions");
    // nothing was stored by the failed statements
    assertThat(lines(acme, "SHOW MAPPINGS ON company_data.events")).hasSize(5);
  }

  /** The oracle: each acme row through the cheapest rule that offers every attribute used. */
  @Test
  void crossProviderQueryEqualsTheUnionOfItsSourcesAtTheirLowestPrice() {
    String query =
        "SELECT rs.maid, rs.hl7_gender, rs.iso_3166_1_country, rs._access_rule_id,"
            + " rs._price_cpm_usd FROM narrative.rosetta_stone rs NO LIMIT";
    List<String> expected = new ArrayList<>();
    expected.addAll(
        lines(
            acme,
            "SELECT LOWER(maid), CASE sex WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' ELSE"
                + " 'unknown' END, COUNTRY_CODE_3_TO_2(country3), CASE WHEN country3 = 'USA'"
                + " THEN "
                + cheap
                + " ELSE "
                + allRows
                + " END, CAST(CASE WHEN country3 = 'USA' THEN 1.00 ELSE 3.00 END AS"
                + " DECIMAL(12, 2)) FROM company_data.events WHERE country3 <> 'ZZZ'"));
    expected.addAll(
        lines(
            globex,
            "SELECT mobile_id, gender, country, CAST("
                + gp
                + " AS BIGINT), CAST(2.00 AS DECIMAL(12, 2)) FROM company_data.people"));
    expected.sort(null);
    assertThat(lines(buyer, query)).isEqualTo(expected);
  }

  @Test
  void aSourceOffersOnlyTheAttributesItsRuleExposes() {
    // maids_only (0.50) exposes maid but not sex: it answers maid-only queries, cheapest
    List<List<Object>> r =
        rows(
            buyer,
            "SELECT rs._access_rule_id, COUNT(*) FROM acme.rosetta_stone rs"
                + " WHERE rs.maid IS NOT NULL GROUP BY rs._access_rule_id NO LIMIT");
    assertThat(r).hasSize(1);
    assertThat(r.get(0).get(0)).isEqualTo(maidsOnly);
    assertThat(r.get(0).get(1)).isEqualTo(25L);
    // and nothing when gender is used
    assertThat(
            rows(
                buyer,
                "SELECT COUNT(*) FROM acme.rosetta_stone rs WHERE rs._access_rule_id = "
                    + maidsOnly
                    + " AND rs.hl7_gender = 'male' NO LIMIT"))
        .containsExactly(List.of(0L));
  }

  @Test
  void ownRosettaStoneReadsOwnDatasetsFree() {
    List<List<Object>> r =
        rows(
            acme,
            "SELECT COUNT(*), MIN(rs._price_cpm_usd), MAX(rs._access_rule_id)"
                + " FROM company_data.rosetta_stone rs WHERE rs.hl7_gender = 'female'");
    assertThat(r.get(0).get(0)).isEqualTo(10L);
    assertThat((BigDecimal) r.get(0).get(1)).isEqualByComparingTo("0");
    assertThat(r.get(0).get(2)).isNull();
  }

  @Test
  void objectAttributesAreReadByDotNotation() {
    List<String> r =
        lines(
            buyer,
            "SELECT rs.unique_id.type, rs.unique_id.\"value\" FROM acme.rosetta_stone rs"
                + " WHERE rs.unique_id.\"value\" LIKE '%000000000001' NO LIMIT");
    assertThat(r).containsExactly("[maid, aaaaaaaa-0000-0000-0000-000000000001]");
  }

  @Test
  void withoutBudgetNothingPricedIsDeliveredAndTheCutIsSaid() {
    try (StatementResult r = buyer.execute("SELECT rs.maid FROM narrative.rosetta_stone rs")) {
      assertThat(r.next()).isNull();
      assertThat(r.warnings()).isNotEmpty();
    }
  }

  @Test
  void priceFilterKeepsOnlyRowsAtOrBelowIt() {
    List<List<Object>> r =
        rows(
            buyer,
            "SELECT DISTINCT rs._access_rule_id FROM narrative.rosetta_stone rs"
                + " WHERE rs._price_cpm_usd <= 1.00 AND rs.hl7_gender IS NOT NULL NO LIMIT");
    assertThat(r).containsExactly(List.of(cheap));
  }

  @Test
  void starBrowsesEverySourceWithNullForAttributesItDoesNotOffer() {
    List<String> star = new ArrayList<>();
    try (StatementResult r = acme.execute("SELECT * FROM company_data.rosetta_stone")) {
      List<String> names = r.columns().stream().map(c -> c.name()).toList();
      assertThat(names).startsWith("unique_id", "sha256_hashed_email").endsWith("_access_rule_id");
      int email = names.indexOf("email");
      int maid = names.indexOf("maid");
      Object[] row;
      while ((row = r.next()) != null) {
        star.add(row[maid] + "|" + row[email]);
      }
    }
    // events offers maid (not email), contacts offers email (not maid): each row once per value
    assertThat(star)
        .contains("null|a@x.com", "null|d@x.com", "aaaaaaaa-0000-0000-0000-000000000001|null")
        .filteredOn(x -> !x.startsWith("null|"))
        .hasSize(30);
    assertThat(
            rows(
                buyer,
                "SELECT COUNT(*) FROM (SELECT * FROM narrative.rosetta_stone rs) t"
                    + " WHERE t.hl7_gender IS NULL NO LIMIT"))
        // contacts' 4 rows (email is not read here: one row per source row), and events' 25
        // shared rows, each once through its cheapest rule, maids_only, which does not expose sex
        .containsExactly(List.of(29L));
  }

  @Test
  void buyersPlanShowsNoProviderPredicate() {
    String plan =
        rows(
                buyer,
                "EXPLAIN PLAN FOR SELECT rs.maid, rs.hl7_gender FROM narrative.rosetta_stone rs")
            .toString();
    assertThat(plan).contains("acme.cheap", "acme.all_rows", "globex.gp");
    assertThat(plan).doesNotContain("USA", "ZZZ", "score", "country3");
  }

  @Test
  void forecastEstimatesEverySourceAndBoundsTheDelivery() {
    String q =
        "SELECT rs.maid, rs.hl7_gender FROM narrative.rosetta_stone rs"
            + " WHERE rs.iso_3166_1_country <> 'FR'";
    List<List<Object>> forecast = rows(buyer, "EXPLAIN " + q + " NO LIMIT");
    Map<Object, List<Object>> bySource = new java.util.HashMap<>();
    forecast.forEach(r -> bySource.put(r.get(0), r));
    // maids_only does not expose sex: it does not offer hl7_gender
    assertThat(bySource).containsKeys("acme.cheap", "acme.all_rows", "globex.gp", "TOTAL");
    assertThat(bySource).doesNotContainKey("acme.maids_only");
    long delivered = rows(buyer, q + " NO LIMIT").size();
    long estimated = ((Number) bySource.get("TOTAL").get(5)).longValue();
    // every source counted in full: the rows cheap and all_rows both offer count twice
    assertThat(estimated).isGreaterThanOrEqualTo(delivered);
    assertThat(((Number) bySource.get("acme.cheap").get(5)).longValue()).isEqualTo(15);
    assertThat(((Number) bySource.get("globex.gp").get(5)).longValue()).isEqualTo(2);
    // a forecast is free
    assertThat(bySource.get("TOTAL").toString()).doesNotContain("USA", "country3");
  }

  @Test
  void bothExecutorsAgree() {
    String q =
        "SELECT rs.maid, rs.iso_3166_1_country, rs._price_cpm_usd FROM narrative.rosetta_stone rs"
            + " WHERE rs.hl7_gender <> 'unknown' NO LIMIT";
    buyer.setProperty("vector_execution", "false");
    List<String> row;
    try {
      row = lines(buyer, q);
    } finally {
      buyer.setProperty("vector_execution", "true");
    }
    assertThat(lines(buyer, q)).isEqualTo(row).isNotEmpty();
  }

  @Test
  void eachRowIsChargedOnceAtThePriceOfTheRuleThatDeliveredIt() {
    String sid;
    try (StatementResult r =
        buyer.execute("SELECT rs.maid, rs.hl7_gender FROM narrative.rosetta_stone rs NO LIMIT")) {
      sid = r.statementId();
      while (r.next() != null) {
        // drain
      }
    }
    long usa =
        (Long)
            rows(acme, "SELECT COUNT(*) FROM company_data.events WHERE country3 = 'USA'")
                .get(0)
                .get(0);
    long other =
        (Long)
            rows(
                    acme,
                    "SELECT COUNT(*) FROM company_data.events"
                        + " WHERE country3 <> 'USA' AND country3 <> 'ZZZ'")
                .get(0)
                .get(0);
    long people = (Long) rows(globex, "SELECT COUNT(*) FROM company_data.people").get(0).get(0);
    List<String> ledger =
        lines(
            buyer,
            "SELECT rule, rows_delivered, amount_micros FROM company_data._ledger"
                + " WHERE statement_id = '"
                + sid
                + "'");
    assertThat(ledger)
        .containsExactlyInAnyOrder(
            List.of("cheap", usa, usa * 1000).toString(),
            List.of("all_rows", other, other * 3000).toString(),
            List.of("gp", people, people * 2000).toString());
  }

  static String state(Throwable e) {
    return ((NqlException) e).sqlState();
  }

  @Test
  void adminsAddAttributesThatProvidersThenMap() {
    try (NqlSession admin = engine.trusted("admin")) {
      run(
          admin,
          "CREATE ATTRIBUTE loyalty_tier TYPE = 'string' ENUM = ('gold', 'silver')"
              + " DESCRIPTION = 'Loyalty tier'");
      run(
          admin,
          "CREATE ATTRIBUTE household TYPE = 'object'"
              + " PROPERTIES (hid 'string' REQUIRED, size 'long')");
      run(admin, "CREATE ATTRIBUTE score TYPE = 'double' MINIMUM = 0 MAXIMUM = 1");
      assertThatThrownBy(() -> run(acme, "CREATE ATTRIBUTE x TYPE = 'string'"))
          .satisfies(e -> assertThat(state(e)).isEqualTo("42501"));
      assertThatThrownBy(() -> run(admin, "CREATE ATTRIBUTE maid TYPE = 'string'"))
          .hasMessageContaining("built in")
          .satisfies(e -> assertThat(state(e)).isEqualTo("42710"));
      assertThatThrownBy(() -> run(admin, "CREATE ATTRIBUTE loyalty_tier TYPE = 'string'"))
          .satisfies(e -> assertThat(state(e)).isEqualTo("42710"));
      assertThatThrownBy(() -> run(admin, "CREATE ATTRIBUTE bad TYPE = 'number'"))
          .hasMessageContaining("unknown attribute type 'number'")
          .satisfies(e -> assertThat(state(e)).isEqualTo("22023"));
      assertThatThrownBy(() -> run(admin, "CREATE ATTRIBUTE bad TYPE = 'string' PATTERN = '[a-'"))
          .hasMessageContaining("not a regular expression");
      assertThatThrownBy(() -> run(admin, "CREATE ATTRIBUTE bad TYPE = 'string' MINIMUM = 1"))
          .hasMessageContaining("MINIMUM and MAXIMUM apply to long and double");

      List<Object> tier =
          rows(buyer, "SHOW ATTRIBUTES").stream()
              .filter(r -> r.get(0).equals("loyalty_tier"))
              .findFirst()
              .orElseThrow();
      assertThat(tier)
          .containsExactly(
              "loyalty_tier", "string", null, "one of (gold, silver)", false, "Loyalty tier");

      assertThatThrownBy(
              () -> run(acme, "CREATE MAPPING ON company_data.events ATTRIBUTE score AS 2.5"))
          .hasMessageContaining("score: 30 of 30 sampled values fail, e.g. '2.5' (greater than 1)");
      run(
          acme,
          "CREATE MAPPING ON company_data.events ATTRIBUTE loyalty_tier AS"
              + " CASE WHEN id > 10 THEN 'gold' ELSE 'silver' END");
      assertThatThrownBy(() -> run(admin, "DROP ATTRIBUTE loyalty_tier"))
          .satisfies(e -> assertThat(state(e)).isEqualTo("55000"));
      assertThat(
              rows(
                  acme,
                  "SELECT rs.loyalty_tier, COUNT(*) FROM company_data.rosetta_stone rs"
                      + " GROUP BY rs.loyalty_tier ORDER BY 1"))
          .containsExactly(List.of("gold", 20L), List.of("silver", 10L));
      run(acme, "DROP MAPPING ON company_data.events ATTRIBUTE loyalty_tier");
      run(admin, "DROP ATTRIBUTE loyalty_tier");
      assertThatThrownBy(() -> run(admin, "DROP ATTRIBUTE maid"))
          .satisfies(e -> assertThat(state(e)).isEqualTo("55000"));
      assertThatThrownBy(() -> run(admin, "DROP ATTRIBUTE loyalty_tier"))
          .satisfies(e -> assertThat(state(e)).isEqualTo("42704"));
    }
  }

  @Test
  void oneSourcesAttributesAreReadThroughItsRosettaStoneColumn() {
    List<String> expected =
        lines(
            acme,
            "SELECT id, CASE sex WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' ELSE 'unknown' END,"
                + " LOWER(maid) FROM company_data.events WHERE country3 = 'USA' AND id <= 12");
    assertThat(expected).hasSize(6);
    try (StatementResult r =
        buyer.execute(
            "SELECT t.id, t._rosetta_stone.hl7_gender, t._rosetta_stone.\"maid\""
                + " FROM acme.cheap t WHERE t.id <= 12 NO LIMIT")) {
      assertThat(r.columns().stream().map(c -> c.name()).toList())
          .containsExactly("id", "hl7_gender", "maid");
    }
    assertThat(
            lines(
                buyer,
                "SELECT t.id, t._rosetta_stone.hl7_gender, t._rosetta_stone.\"maid\""
                    + " FROM acme.cheap t WHERE t.id <= 12 NO LIMIT"))
        .isEqualTo(expected);
    assertThat(
            rows(
                buyer,
                "SELECT c._rosetta_stone.unique_id.\"value\" FROM acme.cheap c"
                    + " WHERE c._rosetta_stone.maid LIKE '%0002' NO LIMIT"))
        .containsExactly(List.of("aaaaaaaa-0000-0000-0000-000000000002"));
    assertThat(
            rows(
                acme,
                "SELECT e._rosetta_stone.iso_3166_1_country FROM company_data.events e"
                    + " WHERE e.id = 1"))
        .containsExactly(List.of("DE"));
    assertThatThrownBy(
            () -> rows(buyer, "SELECT m._rosetta_stone.hl7_gender FROM acme.maids_only m NO LIMIT"))
        .hasMessageContaining("acme.maids_only offers no attribute hl7_gender")
        .satisfies(e -> assertThat(state(e)).isEqualTo("42703"));
    assertThatThrownBy(() -> rows(buyer, "SELECT m._rosetta_stone.nope FROM acme.cheap m NO LIMIT"))
        .satisfies(e -> assertThat(state(e)).isEqualTo("42703"));
  }

  @Test
  void severalMappingsGiveOneRowPerValueChargedOncePerSourceRow() {
    String sid;
    List<String> got = new ArrayList<>();
    try (StatementResult r = buyer.execute("SELECT rs.email FROM acme.rosetta_stone rs NO LIMIT")) {
      sid = r.statementId();
      Object[] row;
      while ((row = r.next()) != null) {
        got.add(String.valueOf(row[0]));
      }
    }
    assertThat(got).containsExactlyInAnyOrder("a@x.com", "b@y.com", "c@y.com", "null", "d@x.com");
    assertThat(
            lines(
                buyer,
                "SELECT rule, rows_delivered, amount_micros FROM company_data._ledger"
                    + " WHERE statement_id = '"
                    + sid
                    + "'"))
        .containsExactly(List.of("contacts_rule", 4L, 4000L).toString());
  }

  @Test
  void aBudgetCapsTheStatementAcrossSources() {
    List<String> all =
        lines(
            buyer,
            "SELECT rs.maid, rs._price_cpm_usd FROM narrative.rosetta_stone rs"
                + " WHERE rs.hl7_gender IS NOT NULL NO LIMIT");
    String sid;
    List<String> got = new ArrayList<>();
    long spentMicros = 0;
    try (StatementResult r =
        buyer.execute(
            "SELECT rs.maid, rs._price_cpm_usd FROM narrative.rosetta_stone rs"
                + " WHERE rs.hl7_gender IS NOT NULL LIMIT 0.010 USD")) {
      sid = r.statementId();
      Object[] row;
      while ((row = r.next()) != null) {
        got.add(Arrays.asList(row).toString());
        spentMicros += ((BigDecimal) row[1]).movePointRight(3).longValueExact();
      }
      assertThat(r.warnings()).isNotEmpty();
    }
    assertThat(all).hasSizeGreaterThan(got.size()).containsAll(got);
    assertThat(got).isNotEmpty();
    assertThat(spentMicros).isLessThanOrEqualTo(10_000);
    long charged =
        rows(
                buyer,
                "SELECT amount_micros FROM company_data._ledger WHERE statement_id = '" + sid + "'")
            .stream()
            .mapToLong(x -> (Long) x.get(0))
            .sum();
    assertThat(charged).isEqualTo(spentMicros);
  }

  @Test
  void suggestedMappingsAreReadyToRun() throws Exception {
    Path file = dir.resolve("ingest").resolve("acme").resolve("signups.csv");
    StringBuilder csv = new StringBuilder("signup_id,Contact,cc,g,client_ip,notes\n");
    String[] cc = {"us", "de", "fr", "gb", "br"};
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 300; i++) {
      csv.append(i)
          .append(",")
          .append(i % 3 == 0 ? " " : "")
          .append("User")
          .append(r.nextInt(100_000))
          .append("@Example.com,")
          .append(cc[i % cc.length])
          .append(',')
          .append(i % 2 == 0 ? "M" : "F")
          .append(",10.")
          .append(r.nextInt(256))
          .append('.')
          .append(r.nextInt(256))
          .append('.')
          .append(r.nextInt(256))
          .append(",note ")
          .append(r.nextInt())
          .append('\n');
    }
    Files.writeString(file, csv);
    run(acme, "COPY INTO company_data.signups FROM '" + file + "'");
    List<List<Object>> suggestions = rows(acme, "SUGGEST MAPPINGS FOR company_data.signups");
    Map<Object, Object> byColumn = new java.util.HashMap<>();
    for (List<Object> row : suggestions) {
      byColumn.put(row.get(0), row.get(1));
      assertThat((BigDecimal) row.get(3)).isBetween(new BigDecimal("0.60"), BigDecimal.ONE);
    }
    assertThat(byColumn)
        .containsEntry("contact", "email")
        .containsEntry("cc", "iso_3166_1_country")
        .containsEntry("g", "hl7_gender")
        .containsEntry("client_ip", "ip_address")
        .doesNotContainKeys("signup_id", "notes");
    for (List<Object> row : suggestions) {
      run(acme, (String) row.get(5));
    }
    assertThat(lines(acme, "SHOW MAPPINGS ON company_data.signups")).hasSize(suggestions.size());
    assertThat(
            rows(
                acme,
                "SELECT COUNT(*) FROM company_data.rosetta_stone rs"
                    + " WHERE rs.iso_3166_1_country = 'US' AND rs.email LIKE 'user%@example.com'"
                    + " AND rs.hl7_gender IN ('male', 'female') AND rs.ip_address LIKE '10.%'"))
        .containsExactly(List.of(60L));
    assertThatThrownBy(() -> rows(buyer, "SUGGEST MAPPINGS FOR company_data.signups"))
        .satisfies(e -> assertThat(state(e)).isEqualTo("42P01"));
  }

  @Test
  void anObjectAttributeReadWholeArrivesAsJsonText() {
    try (StatementResult r =
        buyer.execute(
            "SELECT rs.unique_id FROM acme.rosetta_stone rs WHERE rs.maid LIKE '%0002' NO LIMIT")) {
      assertThat(r.columns().get(0).typeName()).isEqualTo("VARCHAR");
      assertThat(r.next())
          .containsExactly(
              "{\"type\":\"maid\",\"value\":\"aaaaaaaa-0000-0000-0000-000000000002\"}");
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void arraysArriveAsJsonText() {
    try (StatementResult r = acme.execute("SELECT ARRAY['a', NULL, 'c'] AS a, ARRAY[1, 2] AS b")) {
      assertThat(r.columns().get(0).typeName()).isEqualTo("VARCHAR");
      assertThat(r.next()).containsExactly("[\"a\",null,\"c\"]", "[1,2]");
    }
  }

  @Test
  void aBudgetThatPaysForEverySourceBuysFromEvery() {
    // full delivery costs 0.051 USD; the first source must not hold the whole budget
    List<List<Object>> r =
        rows(
            buyer,
            "SELECT rs._access_rule_id, COUNT(*) FROM narrative.rosetta_stone rs"
                + " WHERE rs.hl7_gender IS NOT NULL GROUP BY rs._access_rule_id LIMIT 0.10 USD");
    assertThat(r)
        .containsExactlyInAnyOrder(List.of(cheap, 15L), List.of(allRows, 10L), List.of(gp, 3L));
  }
}
