package io.nql.server.behaviour;

import static io.nql.server.behaviour.BehaviourData.ACME_PW;
import static io.nql.server.behaviour.BehaviourData.GLOBEX_PW;
import static io.nql.server.behaviour.BehaviourData.INITECH_PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.testing.CanonicalRows;
import io.nql.planner.testing.OwnerQueries;
import io.nql.server.behaviour.FrontEnd.Answer;
import io.nql.server.behaviour.FrontEnd.Client;
import io.nql.server.behaviour.FrontEnd.Failure;
import io.nql.server.gateway.MetricsScrape;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a buyer and a provider see through one front end, whatever its protocol: the owner-query
 * differential against DuckDB, access rules and budgets (NQL.md §3–§5), errors (§9), and parameters
 * of every type ({@link ParameterTypesSuite}). A front end plugs in with one subclass that starts
 * it; everything below goes through {@link FrontEnd} only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FrontEndBehaviourSuite extends ParameterTypesSuite {
  @TempDir static Path dir;

  BehaviourData data;
  TalliedFrontEnd frontEnd;
  private MetricsScrape before;
  Client acme;
  Client globex;
  long usaRows;
  long gbrRows;

  /**
   * Starts the front end over a new warehouse.
   *
   * @param warehouse the warehouse directory (empty)
   * @param ingestRoot the directory {@code COPY INTO} may read, each company below {@code
   *     <ingestRoot>/<company_slug>/}
   * @param adminPassword the bootstrap admin's password
   */
  abstract FrontEnd start(Path warehouse, Path ingestRoot, String adminPassword) throws Exception;

  @BeforeAll
  void setUp() throws Exception {
    data = new BehaviourData(dir);
    frontEnd =
        new TalliedFrontEnd(start(dir.resolve("wh"), data.ingestRoot, BehaviourData.ADMIN_PW));
    before = MetricsScrape.of(frontEnd.gateway());
    try (Client admin = frontEnd.open("admin", BehaviourData.ADMIN_PW, Map.of())) {
      for (String s : BehaviourData.admin()) {
        admin.update(s);
      }
    }
    acme = frontEnd.open("acme_user", ACME_PW, Map.of());
    assertThat(acme.update(data.loads.get(0))).isEqualTo(OwnerQueries.EVENTS);
    assertThat(acme.update(data.loads.get(1))).isEqualTo(OwnerQueries.USERS);
    assertThat(acme.update(data.loads.get(2))).isEqualTo(3);
    for (String s : BehaviourData.rules()) {
      acme.update(s);
    }
    globex = frontEnd.open("globex_user", GLOBEX_PW, Map.of());
    usaRows = data.count("SELECT COUNT(*) FROM company_data.events WHERE country = 'USA'");
    gbrRows = data.count("SELECT COUNT(*) FROM company_data.events WHERE country = 'GBR'");
  }

  /**
   * The gateway's {@code /metrics}, scraped when the suite started and again when it ends, moved as
   * the statements the suite ran: at least as many answered and refused statements, rows and budget
   * cuts as its clients saw (at least: metadata calls of the drivers run statements too).
   */
  private void metricsMovedAsTheStatementsRan() throws Exception {
    MetricsScrape after = MetricsScrape.of(frontEnd.gateway());
    String statements = "nql_statements_total";
    assertThat(after.delta(before, statements, "status", "ok"))
        .as("statements answered")
        .isGreaterThanOrEqualTo(frontEnd.answered.get())
        .isPositive();
    if (frontEnd.refused.get() > 0) {
      // a driver may refuse some bad input itself, before anything is sent
      assertThat(after.delta(before, statements) - after.delta(before, statements, "status", "ok"))
          .as("statements refused")
          .isPositive();
    }
    assertThat(after.delta(before, "nql_result_rows_total"))
        .as("rows delivered")
        .isGreaterThanOrEqualTo(frontEnd.rows.get());
    assertThat(after.delta(before, "nql_budget_cuts_total"))
        .as("budget cuts")
        .isGreaterThanOrEqualTo(frontEnd.budgetCuts.get());
    if (frontEnd.budgetCuts.get() > 0) {
      assertThat(after.delta(before, "nql_ledger_charged_microusd_total"))
          .as("charged")
          .isPositive();
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      if (before != null) {
        metricsMovedAsTheStatementsRan();
      }
    } finally {
      closeAll();
    }
  }

  private void closeAll() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {globex, acme, frontEnd, data}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Override
  Client owner() {
    return acme;
  }

  // ---- a. the owner-query differential ------------------------------------------------------

  static List<OwnerQueries.Query> ownerQueries() {
    return OwnerQueries.queries();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownerQueries")
  void ownerQueryAnswersAsDuckDb(OwnerQueries.Query query) throws Exception {
    List<String> expected = CanonicalRows.jdbc(data.duck, query.sql());
    List<String> actual = new ArrayList<>(acme.query(query.sql()).canonical());
    if (!query.ordered()) {
      expected.sort(Comparator.naturalOrder());
      actual.sort(Comparator.naturalOrder());
    }
    assertThat(expected).as("DuckDB returned rows for %s", query.name()).isNotEmpty();
    assertThat(actual).as(query.sql()).containsExactlyElementsOf(expected);
  }

  // ---- b. access rules and budgets, as the buyer sees them ----------------------------------

  @Test
  void aRuleShowsOnlyItsColumnsAndRows() throws Exception {
    Answer a = globex.query("SELECT * FROM acme.events_usa");
    // the rule's select list, then the pseudo-columns (docs/reference/access-rules.md)
    assertThat(a.columnNames())
        .containsExactly(
            "event_id",
            "country",
            "amount",
            "label",
            "_price_cpm_usd",
            "_source_company_id",
            "_access_rule_id");
    assertThat(a.rows()).hasSize((int) usaRows);
    assertThat(a.rows())
        .allSatisfy(
            r -> {
              assertThat(r.get(1)).isEqualTo("USA");
              assertThat((BigDecimal) r.get(4)).isEqualByComparingTo(BigDecimal.ZERO);
            });
    assertThat(
            globex
                .query("SELECT event_id, country, amount, label FROM acme.events_usa")
                .canonical())
        .containsExactlyInAnyOrderElementsOf(
            CanonicalRows.jdbc(
                data.duck,
                "SELECT event_id, country, amount, label FROM company_data.events"
                    + " WHERE country = 'USA'"));
    assertThat(a.warnings()).isEmpty();
  }

  @Test
  void hiddenColumnsDoNotExist() {
    for (String sql :
        List.of(
            "SELECT user_id FROM acme.events_usa",
            "SELECT e.score FROM acme.events_usa e",
            "SELECT COUNT(*) FROM acme.events_usa WHERE is_mobile",
            "SELECT event_id FROM acme.events_usa ORDER BY event_ts")) {
      assertFails(() -> globex.query(sql), "42703", null);
    }
  }

  @Test
  void hiddenRowsStayHiddenInEveryQueryShape() throws Exception {
    String usa = "SELECT COUNT(*) FROM company_data.events WHERE country = 'USA'";
    assertThat(number(globex.query("SELECT COUNT(*) FROM acme.events_usa"))).isEqualTo(usaRows);
    // joins, including with itself and with a hidden-row predicate
    assertThat(
            number(
                globex.query(
                    "SELECT COUNT(*) FROM acme.events_usa a JOIN acme.events_usa b"
                        + " ON a.event_id = b.event_id")))
        .isEqualTo(usaRows);
    assertThat(
            number(
                globex.query(
                    "SELECT COUNT(*) FROM acme.events_usa a JOIN acme.events_usa b"
                        + " ON a.event_id = b.event_id WHERE a.country <> 'USA'")))
        .isZero();
    // subqueries, EXISTS, set operations
    assertThat(
            number(
                globex.query(
                    "SELECT COUNT(*) FROM acme.events_usa WHERE event_id IN"
                        + " (SELECT event_id FROM acme.events_usa WHERE country IS NULL"
                        + " OR country <> 'USA')")))
        .isZero();
    assertThat(
            number(
                globex.query(
                    "SELECT COUNT(*) FROM (SELECT 1 AS x) t WHERE EXISTS (SELECT 1 FROM"
                        + " acme.events_usa WHERE country = 'GBR')")))
        .isZero();
    assertThat(
            globex
                .query(
                    "SELECT country FROM acme.events_usa UNION SELECT country FROM"
                        + " acme.events_usa")
                .canonical())
        .containsExactly("USA | ");
    // aggregates and window functions see the rule's rows only
    assertThat(
            globex
                .query("SELECT country, COUNT(*) AS n FROM acme.events_usa GROUP BY country")
                .canonical())
        .containsExactly("USA | " + usaRows + " | ");
    assertThat(
            number(
                globex.query(
                    "SELECT MAX(rn) FROM (SELECT ROW_NUMBER() OVER (ORDER BY event_id) AS rn"
                        + " FROM acme.events_usa) t")))
        .isEqualTo(usaRows);
    // ORDER BY / LIMIT pick among the rule's rows
    assertThat(
            globex
                .query("SELECT event_id FROM acme.events_usa ORDER BY event_id DESC LIMIT 5")
                .canonical())
        .containsExactlyElementsOf(
            CanonicalRows.jdbc(
                data.duck,
                "SELECT event_id FROM company_data.events WHERE country = 'USA'"
                    + " ORDER BY event_id DESC LIMIT 5"));
    assertThat(data.count(usa)).isEqualTo(usaRows);
  }

  @Test
  void anErrorOnAHiddenRowCannotHappen() throws Exception {
    // Evaluated on a hidden (non-USA) row the buyer's predicate would divide by zero.
    assertThat(
            number(
                globex.query(
                    "SELECT COUNT(*) FROM acme.events_usa"
                        + " WHERE 1 / (CASE WHEN country = 'USA' THEN 1 ELSE 0 END) = 1")))
        .isEqualTo(usaRows);
    assertThat(
            number(
                globex.query(
                    "SELECT SUM(1 / (CASE WHEN country = 'USA' THEN 1 ELSE 0 END))"
                        + " FROM acme.events_usa")))
        .isEqualTo(usaRows);
    // The same expression over visible rows does fail, as an ordinary error.
    assertFails(
        () ->
            globex.query(
                "SELECT COUNT(*) FROM acme.events_usa"
                    + " WHERE 1 / (CASE WHEN country = 'USA' THEN 0 ELSE 1 END) = 1"),
        "22012",
        null);
  }

  @Test
  void explainPlanDoesNotRevealTheProvidersPredicate() throws Exception {
    Answer plan = globex.query("EXPLAIN PLAN FOR SELECT event_id FROM acme.events_usa");
    String text = String.join("\n", plan.canonical());
    assertThat(text).contains("events_usa").doesNotContain("'USA'").doesNotContain("user_id");
    Answer own = acme.query("EXPLAIN PLAN FOR SELECT event_id FROM company_data.events_usa");
    assertThat(String.join("\n", own.canonical())).contains("USA");
  }

  @Test
  void metadataListsOnlyWhatTheCallerMayQuery() throws Exception {
    assertThat(globex.tables("acme"))
        .containsExactly("acme.events_gbr", "acme.events_usa", "acme.rosetta_stone");
    assertThat(globex.columns("acme", "events_usa"))
        .containsExactly(
            "event_id:BIGINT",
            "country:VARCHAR",
            "amount:DECIMAL",
            "label:VARCHAR",
            "_price_cpm_usd:DECIMAL",
            "_source_company_id:BIGINT",
            "_access_rule_id:BIGINT");
    assertThat(globex.columns("acme", "events")).isEmpty();
    assertThat(globex.columns("company_data", "events")).isEmpty();
    try (Client initech = frontEnd.open("initech_user", INITECH_PW, Map.of())) {
      assertThat(initech.tables("acme")).isEmpty();
      assertThat(initech.columns("acme", "events_usa")).isEmpty();
    }
  }

  @Test
  void aRuleNotSharedWithTheCallerLooksLikeNoTable() throws Exception {
    try (Client initech = frontEnd.open("initech_user", INITECH_PW, Map.of())) {
      String expected = "Unknown table or insufficient table permissions: ";
      assertFails(
          () -> initech.query("SELECT * FROM acme.events_usa"),
          "42P01",
          expected + "acme.events_usa");
      assertFails(
          () -> initech.query("SELECT * FROM acme.no_such_rule"),
          "42P01",
          expected + "acme.no_such_rule");
      assertFails(
          () -> globex.query("SELECT * FROM acme.events"), "42P01", expected + "acme.events");
    }
  }

  /**
   * A provider's staged upload is, to every other company, the same as no file at all: same
   * SQLSTATE, same message, however the path is written.
   */
  @Test
  void aProvidersStagedFileLooksLikeNoFileToOtherCompanies() throws Exception {
    Path staged = data.src.resolve("typed.parquet");
    assertThat(staged).isRegularFile();
    for (String written :
        List.of(
            staged.toString(),
            data.src.resolve("no_such.parquet").toString(),
            "../acme/typed.parquet",
            staged.toUri().toString())) {
      assertFails(
          () -> globex.update("COPY INTO company_data.loot FROM '" + written + "'"),
          "42501",
          "Cannot read '" + written + "': not a file in your company's ingest area");
    }
    assertThat(globex.tables("company_data")).doesNotContain("company_data.loot");
  }

  @Test
  void withoutABudgetOnlyFreeDataIsDelivered() throws Exception {
    // no budget clause and the default session budget of 0 USD: nothing priced is bought
    long bought = boughtRows(globex);
    Answer a = globex.query("SELECT event_id FROM acme.events_gbr");
    assertThat(a.rows()).isEmpty();
    assertBudgetCut(a);
    assertThat(boughtRows(globex)).isEqualTo(bought);
    // free data needs no budget
    assertThat(globex.query("SELECT event_id FROM acme.events_usa LIMIT 3").rows()).hasSize(3);
    // a price filter of 0 selects free rules only: no rows, nothing cut
    Answer free = globex.query("SELECT COUNT(*) FROM acme.events_gbr WHERE _price_cpm_usd = 0");
    assertThat(number(free)).isZero();
  }

  @Test
  void aBudgetCutArrivesAsAWarningWithTheRowsItPaidFor() throws Exception {
    try (Client buyer = frontEnd.open("globex_user", GLOBEX_PW, Map.of())) {
      long bought = boughtRows(buyer);
      Answer a = buyer.query("SELECT event_id, amount FROM acme.events_gbr LIMIT 3 USD");
      assertThat(a.rows()).hasSize(3);
      assertBudgetCut(a, "3 USD", "3 rows");
      assertThat(boughtRows(buyer) - bought).isEqualTo(3);
      // an aggregate pays for its input rows: COUNT under a budget counts the rows bought
      Answer counted = buyer.query("SELECT COUNT(*) FROM acme.events_gbr LIMIT 2 USD");
      assertThat(number(counted)).isEqualTo(2);
      assertBudgetCut(counted);
      assertThat(boughtRows(buyer) - bought).isEqualTo(5);
      // enough budget: every row, no warning
      Answer all = buyer.query("SELECT COUNT(*) FROM acme.events_gbr NO LIMIT");
      assertThat(number(all)).isEqualTo(gbrRows);
      assertThat(all.warnings()).isEmpty();
      assertThat(boughtRows(buyer) - bought).isEqualTo(5 + gbrRows);
    }
  }

  @Test
  void theSessionBudgetIsAConnectionProperty() throws Exception {
    try (Client buyer = frontEnd.open("globex_user", GLOBEX_PW, Map.of("budget_usd", "4.00"))) {
      long bought = boughtRows(buyer);
      Answer a = buyer.query("SELECT event_id FROM acme.events_gbr");
      assertThat(a.rows()).hasSize(4);
      assertBudgetCut(a);
      assertThat(boughtRows(buyer) - bought).isEqualTo(4);
    }
  }

  @Test
  void theLedgerShowsTheChargeToBuyerAndProvider() throws Exception {
    try (Client buyer = frontEnd.open("globex_user", GLOBEX_PW, Map.of())) {
      String spent =
          "SELECT COALESCE(SUM(amount_micros), 0) FROM company_data._ledger"
              + " WHERE role = 'buyer' AND rule = 'events_gbr'";
      long before = number(buyer.query(spent));
      String earned =
          "SELECT COALESCE(SUM(amount_micros), 0) FROM company_data._ledger"
              + " WHERE role = 'provider' AND rule = 'events_gbr'";
      long revenueBefore = number(acme.query(earned));
      assertThat(buyer.query("SELECT event_id FROM acme.events_gbr LIMIT 5 USD").rows()).hasSize(5);
      assertThat(number(buyer.query(spent)) - before).isEqualTo(5_000_000L);
      assertThat(number(acme.query(earned)) - revenueBefore).isEqualTo(5_000_000L);
      Answer rows =
          buyer.query(
              "SELECT buyer, provider, rule, rows_delivered, amount_usd FROM company_data._ledger"
                  + " WHERE role = 'buyer' AND rule = 'events_gbr' AND rows_delivered = 5");
      assertThat(rows.canonical()).contains("globex | acme | events_gbr | 5 | 5 | ");
      // the ledger is read-only and free: no warnings, no charge for reading it
      assertThat(rows.warnings()).isEmpty();
    }
  }

  // ---- forecasts: EXPLAIN <query> (docs/reference/forecast.md) -------------------------------

  /** The columns of {@code EXPLAIN <query>}, in order, with their JDBC types. */
  static final List<String> FORECAST_COLUMNS =
      List.of(
          "source:VARCHAR",
          "source_type:VARCHAR",
          "provider:VARCHAR",
          "price_cpm_usd:DECIMAL",
          "matching_rows:BIGINT",
          "estimated_rows:BIGINT",
          "rows_low:BIGINT",
          "rows_high:BIGINT",
          "estimated_cost_usd:DECIMAL",
          "cost_low_usd:DECIMAL",
          "cost_high_usd:DECIMAL",
          "budget_cut:BOOLEAN",
          "freshness:TIMESTAMP",
          "statistics:VARCHAR",
          "result_schema:VARCHAR",
          "detail:VARCHAR");

  static final List<String> FORECAST_NAMES =
      FORECAST_COLUMNS.stream().map(c -> c.substring(0, c.indexOf(':'))).toList();

  /** One row of a forecast by column name. */
  record ForecastRow(Map<String, Object> values) {
    Object get(String column) {
      assertThat(values).containsKey(column);
      return values.get(column);
    }

    long rows(String column) {
      return (Long) get(column);
    }

    BigDecimal usd(String column) {
      return (BigDecimal) get(column);
    }

    boolean cut() {
      return (Boolean) get("budget_cut");
    }
  }

  /** Runs {@code EXPLAIN <query>} and checks its shape: the documented columns, a last TOTAL. */
  static List<ForecastRow> forecast(Client client, String query) throws Failure {
    Answer a = client.query("EXPLAIN " + query);
    assertThat(a.columnNames()).as(query).containsExactlyElementsOf(FORECAST_NAMES);
    assertThat(a.warnings()).as("a forecast warns of nothing, not even of a budget cut").isEmpty();
    List<ForecastRow> rows = new ArrayList<>();
    for (List<Object> r : a.rows()) {
      Map<String, Object> values = new java.util.LinkedHashMap<>();
      for (int i = 0; i < r.size(); i++) {
        values.put(FORECAST_NAMES.get(i), r.get(i));
      }
      rows.add(new ForecastRow(values));
    }
    assertThat(rows).as(query).hasSizeGreaterThanOrEqualTo(2);
    assertThat(rows.subList(0, rows.size() - 1))
        .extracting(r -> r.get("source"))
        .doesNotContain("TOTAL")
        .doesNotHaveDuplicates();
    ForecastRow total = rows.get(rows.size() - 1);
    assertThat(total.get("source")).isEqualTo("TOTAL");
    assertThat(total.get("source_type")).isEqualTo("total");
    for (ForecastRow r : rows) {
      // values in the engine's external types of the documented column types
      Map<String, Class<?>> types =
          Map.of(
              "source", String.class,
              "price_cpm_usd", BigDecimal.class,
              "matching_rows", Long.class,
              "rows_high", Long.class,
              "estimated_cost_usd", BigDecimal.class,
              "budget_cut", Boolean.class,
              "freshness", java.time.LocalDateTime.class,
              "statistics", String.class);
      types.forEach(
          (column, type) -> {
            Object v = r.get(column);
            assertThat(v == null || type.isInstance(v))
                .as("%s %s is a %s", column, v, type.getSimpleName())
                .isTrue();
          });
    }
    return rows;
  }

  static Failure failure(ThrowingCallable call) {
    try {
      call.call();
    } catch (Failure f) {
      return f;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
    throw new AssertionError("expected a failure");
  }

  static String withoutPosition(String message) {
    return message.replaceAll(" at line \\d+, column \\d+", "");
  }

  /** The rows and amount of the caller's ledger, as text: a forecast must leave it unchanged. */
  static String ledger(Client client) throws Failure {
    return String.join(
        "\n",
        client
            .query(
                "SELECT role, COUNT(*), COALESCE(SUM(rows_delivered), 0),"
                    + " COALESCE(SUM(amount_micros), 0) FROM company_data._ledger GROUP BY role"
                    + " ORDER BY role")
            .canonical());
  }

  @Test
  void explainForecastsRowsAndCostWithoutCharging() throws Exception {
    String buyerLedger = ledger(globex);
    String providerLedger = ledger(acme);
    // the session default budget of 0 USD buys nothing of a priced rule: the forecast says so, and
    // what a larger budget would buy
    List<ForecastRow> atZero = forecast(globex, "SELECT event_id, amount FROM acme.events_gbr");
    assertThat(atZero).hasSize(2);
    ForecastRow rule = atZero.get(0);
    assertThat(rule.get("source")).isEqualTo("acme.events_gbr");
    assertThat(rule.get("source_type")).isEqualTo("access rule");
    assertThat(rule.get("provider")).isEqualTo("acme");
    assertThat(rule.usd("price_cpm_usd")).isEqualByComparingTo("1000");
    assertThat(rule.rows("matching_rows")).isCloseTo(gbrRows, withPercentage(3));
    assertThat(rule.rows("rows_low")).isLessThanOrEqualTo(rule.rows("estimated_rows"));
    assertThat(rule.rows("estimated_rows")).isZero();
    assertThat(rule.usd("estimated_cost_usd")).isEqualByComparingTo("0");
    assertThat(rule.cut()).isTrue();
    assertThat(rule.get("freshness")).isNotNull();
    assertThat((String) rule.get("statistics")).startsWith("statistics of the rule's ");
    assertThat(rule.get("detail")).isNull();
    ForecastRow total = atZero.get(1);
    assertThat(total.rows("estimated_rows")).isZero();
    assertThat(total.rows("rows_high")).as("an interval of the rows the budget buys").isZero();
    assertThat(total.usd("estimated_cost_usd")).isEqualByComparingTo("0");
    assertThat(total.cut()).isTrue();
    assertThat(total.get("freshness")).isEqualTo(rule.get("freshness"));
    assertThat((String) total.get("result_schema")).startsWith("event_id BIGINT, amount DECIMAL");

    // NO LIMIT: every matching row, at 1 USD a row, and no cut
    List<ForecastRow> unlimited =
        forecast(globex, "SELECT event_id, amount FROM acme.events_gbr NO LIMIT");
    ForecastRow all = unlimited.get(0);
    assertThat(all.rows("estimated_rows")).isEqualTo(all.rows("matching_rows"));
    assertThat(all.rows("rows_low")).isLessThanOrEqualTo(gbrRows);
    assertThat(all.rows("rows_high")).isGreaterThanOrEqualTo(gbrRows);
    assertThat(all.usd("estimated_cost_usd"))
        .isEqualByComparingTo(BigDecimal.valueOf(all.rows("estimated_rows")));
    assertThat(all.cut()).isFalse();
    assertThat(unlimited.get(1).usd("estimated_cost_usd"))
        .isEqualByComparingTo(all.usd("estimated_cost_usd"));
    assertThat(unlimited.get(1).cut()).isFalse();

    // a statement budget, and a session budget, buy what they pay for
    ForecastRow three = forecast(globex, "SELECT event_id FROM acme.events_gbr LIMIT 3 USD").get(0);
    assertThat(three.rows("estimated_rows")).isEqualTo(3);
    assertThat(three.usd("estimated_cost_usd")).isEqualByComparingTo("3");
    assertThat(three.cut()).isTrue();
    try (Client four = frontEnd.open("globex_user", GLOBEX_PW, Map.of("budget_usd", "4.00"))) {
      ForecastRow session = forecast(four, "SELECT event_id FROM acme.events_gbr").get(0);
      assertThat(session.rows("estimated_rows")).isEqualTo(4);
      assertThat(session.cut()).isTrue();
    }

    // one row per source: two rules, and a rule read twice, which is one source
    List<ForecastRow> two =
        forecast(
            globex,
            "SELECT event_id FROM acme.events_gbr UNION ALL SELECT event_id FROM acme.events_usa"
                + " NO LIMIT");
    assertThat(two)
        .extracting(r -> r.get("source"))
        .containsExactlyInAnyOrder("acme.events_gbr", "acme.events_usa", "TOTAL");
    ForecastRow usa =
        two.stream().filter(r -> "acme.events_usa".equals(r.get("source"))).findFirst().get();
    assertThat(usa.usd("price_cpm_usd")).isEqualByComparingTo("0");
    assertThat(usa.rows("matching_rows")).isCloseTo(usaRows, withPercentage(3));
    assertThat(usa.usd("estimated_cost_usd")).isEqualByComparingTo("0");
    assertThat(
            forecast(
                globex,
                "SELECT a.event_id FROM acme.events_gbr a JOIN acme.events_gbr b"
                    + " ON a.event_id = b.event_id"))
        .extracting(r -> r.get("source"))
        .containsExactly("acme.events_gbr", "TOTAL");

    // nothing of this was charged, to the buyer or to the provider
    assertThat(ledger(globex)).isEqualTo(buyerLedger);
    assertThat(ledger(acme)).isEqualTo(providerLedger);
  }

  @Test
  void aForecastIsCloseToWhatTheQueryThenBuys() throws Exception {
    try (Client buyer = frontEnd.open("globex_user", GLOBEX_PW, Map.of())) {
      String query = "SELECT event_id, amount FROM acme.events_gbr WHERE amount < 250";
      ForecastRow forecast = forecast(buyer, query + " NO LIMIT").get(0);
      long bought = boughtRows(buyer);
      String spent =
          "SELECT COALESCE(SUM(amount_micros), 0) FROM company_data._ledger"
              + " WHERE role = 'buyer' AND rule = 'events_gbr'";
      long before = number(buyer.query(spent));
      assertThat(boughtRows(buyer)).isEqualTo(bought);
      int actual = buyer.query(query + " NO LIMIT").rows().size();
      assertThat(actual)
          .isEqualTo(
              data.count(
                  "SELECT COUNT(*) FROM company_data.events WHERE country = 'GBR' AND amount < 250"));
      assertThat(forecast.rows("matching_rows")).isCloseTo(actual, withPercentage(15));
      assertThat(forecast.rows("rows_low")).isLessThanOrEqualTo(actual);
      assertThat(forecast.rows("rows_high")).isGreaterThanOrEqualTo(actual);
      assertThat(boughtRows(buyer) - bought).isEqualTo(actual);
      // the charge is actual × 1 USD; the forecast's cost is that of its estimated rows
      assertThat(number(buyer.query(spent)) - before).isEqualTo(actual * 1_000_000L);
      assertThat(forecast.usd("estimated_cost_usd").doubleValue())
          .isCloseTo(actual, withPercentage(15));
    }
  }

  @Test
  void aPreparedExplainDescribesItsColumnsBeforeItRuns() throws Exception {
    try (FrontEnd.Prepared p = globex.prepare("EXPLAIN SELECT event_id FROM acme.events_gbr")) {
      assertThat(p.columns()).containsExactlyElementsOf(FORECAST_COLUMNS);
      Answer a = p.execute(List.of());
      assertThat(a.columnNames()).containsExactlyElementsOf(FORECAST_NAMES);
      assertThat(a.rows()).extracting(r -> r.get(0)).containsExactly("acme.events_gbr", "TOTAL");
    }
    try (FrontEnd.Prepared p =
        globex.prepare("EXPLAIN (FORMAT JSON) SELECT event_id FROM acme.events_gbr")) {
      assertThat(p.columns()).containsExactly("FORECAST:VARCHAR");
      assertThat(p.execute(List.of()).rows()).hasSize(1);
    }
    // a bound parameter is forecast as its value: the same forecast as the literal's
    String literal = "EXPLAIN SELECT event_id FROM acme.events_gbr WHERE amount < 500 NO LIMIT";
    try (FrontEnd.Prepared p =
        globex.prepare("EXPLAIN SELECT event_id FROM acme.events_gbr WHERE amount < ? NO LIMIT")) {
      assertThat(p.columns()).containsExactlyElementsOf(FORECAST_COLUMNS);
      Answer bound = p.execute(List.of(new java.math.BigDecimal("500.00")));
      Answer expected = globex.query(literal);
      assertThat(column(bound, "matching_rows")).isEqualTo(column(expected, "matching_rows"));
      assertThat(column(bound, "estimated_cost_usd"))
          .isEqualTo(column(expected, "estimated_cost_usd"));
    }
  }

  private static List<Object> column(Answer a, String name) {
    int i = a.columnNames().indexOf(name);
    List<Object> out = new ArrayList<>();
    for (List<Object> row : a.rows()) {
      out.add(row.get(i));
    }
    return out;
  }

  @Test
  void explainFormatJsonIsTheSameForecastAsOneDocument() throws Exception {
    String query = "SELECT event_id, amount FROM acme.events_gbr WHERE amount < 500 LIMIT 10 USD";
    List<ForecastRow> text = forecast(globex, query);
    Answer json = globex.query("EXPLAIN (FORMAT JSON) " + query);
    assertThat(json.columnNames()).containsExactly("FORECAST");
    JsonNode doc = new ObjectMapper().readTree((String) json.single());
    assertThat(doc.path("sources")).hasSize(text.size() - 1);
    JsonNode source = doc.path("sources").get(0);
    assertThat(source.path("source").asText()).isEqualTo("acme.events_gbr");
    assertThat(source.path("provider").asText()).isEqualTo("acme");
    assertThat(source.path("price_cpm_usd").decimalValue()).isEqualByComparingTo("1000");
    ForecastRow total = text.get(text.size() - 1);
    JsonNode t = doc.path("total");
    assertThat(t.path("source").asText()).isEqualTo("TOTAL");
    for (String rows : List.of("matching_rows", "estimated_rows", "rows_low", "rows_high")) {
      assertThat(t.path(rows).asLong()).as(rows).isEqualTo(total.rows(rows));
    }
    for (String usd : List.of("estimated_cost_usd", "cost_low_usd", "cost_high_usd")) {
      assertThat(t.path(usd).decimalValue()).as(usd).isEqualByComparingTo(total.usd(usd));
    }
    assertThat(t.path("estimated_cost_usd").decimalValue()).isEqualByComparingTo("10");
    assertThat(t.path("budget_cut").asBoolean()).isEqualTo(total.cut()).isTrue();
    assertThat(doc.path("result_schema"))
        .extracting(c -> c.path("name").asText())
        .containsExactly("event_id", "amount");
  }

  @Test
  void aForecastShowsTheOwnerItsFilesAndTheBuyerNothingOfTheRule() throws Exception {
    // the owner's own dataset: free, with the data files left after pruning
    List<ForecastRow> own =
        forecast(acme, "SELECT event_id FROM company_data.events WHERE country = 'GBR'");
    assertThat(own).hasSize(2);
    ForecastRow events = own.get(0);
    assertThat(events.get("source")).isEqualTo("company_data.events");
    assertThat(events.get("source_type")).isEqualTo("dataset");
    assertThat(events.get("provider")).isEqualTo("acme");
    assertThat(events.usd("price_cpm_usd")).isEqualByComparingTo("0");
    assertThat(events.rows("matching_rows")).isCloseTo(gbrRows, withPercentage(3));
    assertThat(events.cut()).isFalse();
    assertThat((String) events.get("detail"))
        .matches("\\d+ of \\d+ data files after pruning \\(.*\\)");
    // the buyer: no cell, text or JSON, shows the rule's predicate, its dataset or hidden columns
    List<String> cells = new ArrayList<>();
    for (String q :
        List.of(
            "SELECT event_id, amount FROM acme.events_gbr",
            "SELECT event_id, amount FROM acme.events_gbr WHERE amount > 10 NO LIMIT",
            "SELECT COUNT(*) FROM acme.events_usa a JOIN acme.events_gbr b"
                + " ON a.event_id = b.event_id")) {
      for (ForecastRow r : forecast(globex, q)) {
        assertThat(r.get("detail")).isNull();
        r.values().values().forEach(v -> cells.add(String.valueOf(v)));
      }
      cells.add((String) globex.query("EXPLAIN (FORMAT JSON) " + q).single());
    }
    assertThat(cells)
        .allSatisfy(
            c ->
                assertThat(c)
                    .doesNotContain("GBR")
                    .doesNotContain("company_data.events")
                    .doesNotContain("country")
                    .doesNotContain("user_id")
                    .doesNotContain("data files"));
  }

  @Test
  void aForecastFailsAsItsQueryWould() throws Exception {
    // what the query may not see, its forecast may not either: same SQLSTATE, same message (a
    // position in it is in the statement's text, after "EXPLAIN ")
    for (String query :
        List.of(
            "SELECT user_id FROM acme.events_gbr",
            "SELECT * FROM acme.events",
            "SELECT * FROM company_data.events")) {
      Failure plain = failure(() -> globex.query(query));
      for (String explain : List.of("EXPLAIN ", "EXPLAIN (FORMAT JSON) ")) {
        Failure forecast = failure(() -> globex.query(explain + query));
        assertThat(forecast.sqlState()).as(explain + query).isEqualTo(plain.sqlState());
        assertThat(withoutPosition(forecast.getMessage()))
            .isEqualTo(withoutPosition(plain.getMessage()));
        assertClean(forecast.getMessage());
      }
    }
    try (Client initech = frontEnd.open("initech_user", INITECH_PW, Map.of())) {
      assertFails(
          () -> initech.query("EXPLAIN SELECT * FROM acme.events_gbr"),
          "42P01",
          "Unknown table or insufficient table permissions: acme.events_gbr");
    } catch (Failure e) {
      throw new AssertionError(e);
    }
    // a view's forecast is its first run's: the forecast of its query under its budget
    String q = "SELECT event_id FROM acme.events_usa LIMIT 5 USD";
    assertThat(globex.query("EXPLAIN CREATE MATERIALIZED VIEW v AS " + q).rows())
        .isNotEmpty()
        .isEqualTo(globex.query("EXPLAIN " + q).rows());
    Failure hidden = failure(() -> globex.query("SELECT user_id FROM acme.events_gbr"));
    assertFails(
        () ->
            globex.query(
                "EXPLAIN CREATE MATERIALIZED VIEW v AS SELECT user_id FROM acme.events_gbr"),
        hidden.sqlState(),
        null);
  }

  @Test
  void showAndDescribeAnswerWithRowsAlsoWhenPrepared() throws Exception {
    Answer datasets = acme.query("SHOW DATASETS");
    assertThat(datasets.columnNames()).startsWith("dataset_id", "name");
    assertThat(datasets.rows()).extracting(r -> r.get(1)).contains("events", "typed");
    Answer described = globex.query("DESCRIBE acme.events_usa");
    assertThat(described.columnNames()).startsWith("column_name", "data_type");
    assertThat(described.rows())
        .extracting(r -> r.get(0))
        .startsWith("event_id", "country", "amount", "label");
    try (FrontEnd.Prepared p = globex.prepare("SHOW ACCESS RULES")) {
      assertThat(p.execute(List.of()).rows())
          .extracting(r -> r.get(1))
          .contains("events_usa", "events_gbr");
    }
  }

  // ---- c. errors ----------------------------------------------------------------------------

  @Test
  void errorsCarrySqlStateAndOneCleanLine() throws Exception {
    assertFails(() -> acme.query("SELEC 1"), "42601", null);
    assertFails(
        () -> acme.query("SELECT * FROM company_data.nope"),
        "42P01",
        "Unknown table or insufficient table permissions: company_data.nope");
    assertFails(() -> acme.query("SELECT nope FROM company_data.events"), "42703", null);
    assertFails(
        () -> acme.prepare("SELECT nope FROM company_data.events WHERE event_id = ?"),
        "42703",
        "Column nope not found at line 1, column 8");
    assertFails(
        () -> acme.prepare("SELECT event_id FROM company_data.events WHERE"), "42601", null);
    assertFails(() -> acme.update("CREATE COMPANY umbrella"), "42501", null);
    assertFails(() -> globex.query("SELECT * FROM company_data.events"), "42P01", null);
    assertFails(() -> acme.query("SELECT * FROM company_data.events LIMIT -1 USD"), "42601", null);
    ThrowingCallable badParameter =
        () -> {
          try (FrontEnd.Prepared p =
              acme.prepare("SELECT event_id FROM company_data.events WHERE event_id = ?")) {
            p.execute(List.of("not a number"));
          }
        };
    if (frontEnd.bindsValuesAsGiven()) {
      assertFails(
          badParameter, "22023", "Cannot bind parameter 1: 'not a number' is not a valid BIGINT");
    } else {
      // the client converts to the declared BIGINT itself and refuses before sending
      assertThatThrownBy(badParameter)
          .isInstanceOfSatisfying(Failure.class, e -> assertClean(e.getMessage()));
    }
    assertFails(() -> acme.query("SELECT 1 / 0 FROM company_data.users"), "22012", null);
  }

  @Test
  void budgetBelowZeroIsRefused() {
    assertFails(
        () -> frontEnd.open("globex_user", GLOBEX_PW, Map.of("budget_usd", "-1")).close(),
        "22023",
        null);
  }

  /**
   * Asserts that a budget cut the answer short: where the front end reports warnings, with one
   * {@code 01N01} warning whose message contains {@code fragments}; where it cannot, with none
   * (callers then check the ledger, the documented way to see what a statement bought).
   */
  void assertBudgetCut(Answer a, String... fragments) {
    if (!frontEnd.reportsWarnings()) {
      assertThat(a.warnings()).isEmpty();
      return;
    }
    assertThat(a.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getKey()).isEqualTo("01N01");
              if (fragments.length > 0) {
                assertThat(w.getValue()).contains(fragments);
              }
            });
  }

  /** The rows the caller has bought through acme's priced rule, as its ledger shows them. */
  static long boughtRows(Client buyer) throws Failure {
    return number(
        buyer.query(
            "SELECT COALESCE(SUM(rows_delivered), 0) FROM company_data._ledger"
                + " WHERE role = 'buyer' AND rule = 'events_gbr'"));
  }

  static long number(Answer a) {
    Object v = a.single();
    return v instanceof BigDecimal d ? d.longValueExact() : ((Number) v).longValue();
  }

  /**
   * Asserts a failure with a SQLSTATE (a two-character class when {@code sqlState} has two
   * characters), an exact message when given, and a message of one line without Java internals.
   */
  static void assertFails(ThrowingCallable call, String sqlState, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            Failure.class,
            e -> {
              if (sqlState.length() == 2) {
                assertThat(e.sqlState()).as(e.getMessage()).startsWith(sqlState);
              } else {
                assertThat(e.sqlState()).as(e.getMessage()).isEqualTo(sqlState);
              }
              if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
              }
              assertClean(e.getMessage());
            });
  }

  static void assertClean(String message) {
    assertThat(message)
        .isNotBlank()
        .doesNotContain("\n")
        .doesNotContain("\tat ")
        .doesNotContainPattern("\\b(java|javax|org|com|io)\\.[a-z]+\\.[A-Za-z.]*")
        .doesNotContain("Exception")
        .doesNotContain("Error:");
  }
}
