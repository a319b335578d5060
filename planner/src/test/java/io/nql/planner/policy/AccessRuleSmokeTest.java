package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The access-rule path end to end on the engine API: visibility, rewrite, price, budget. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessRuleSmokeTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession acme;
  NqlSession buyer;
  NqlSession globex;

  @BeforeAll
  void setUp() throws Exception {
    // The provider stages its files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,country,amount,qty\n");
    for (int i = 0; i < 1000; i++) {
      String country = i % 4 == 0 ? "USA" : i % 4 == 1 ? "GBR" : i % 4 == 2 ? "DEU" : "FRA";
      csv.append(i)
          .append(',')
          .append(country)
          .append(',')
          .append(i % 100)
          .append(".25,")
          .append(country.equals("USA") ? 1 + i % 5 : 0)
          .append('\n');
    }
    Files.writeString(src.resolve("events.csv"), csv);
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
    acme.execute("COPY INTO company_data.events FROM '" + src.resolve("events.csv") + "'").close();
    acme.execute(
            "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 1.50"
                + " SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT e.id, e.country, e.amount, e.qty FROM company_data.events e"
                + " WHERE e.country = 'USA'")
        .close();
  }

  @AfterAll
  void tearDown() {
    engine.close();
  }

  static List<List<Object>> rows(StatementResult r) {
    List<List<Object>> out = new ArrayList<>();
    for (Object[] row; (row = r.next()) != null; ) {
      out.add(java.util.Arrays.asList(row));
    }
    return out;
  }

  @Test
  void buyerSeesOnlyTheRuleRowsWithNoLimit() {
    try (StatementResult r =
        buyer.execute("SELECT COUNT(*), MIN(country), MAX(country) FROM acme.us_events NO LIMIT")) {
      assertThat(rows(r)).containsExactly(List.of(250L, "USA", "USA"));
      assertThat(r.warnings()).isEmpty();
    }
  }

  @Test
  void defaultBudgetBuysNothingAndWarns() {
    try (StatementResult r = buyer.execute("SELECT id FROM acme.us_events")) {
      assertThat(rows(r)).isEmpty();
      assertThat(r.warnings()).hasSize(1);
      assertThat(r.warnings().get(0).message()).contains("session budget of 0 USD", "0 rows");
    }
  }

  @Test
  void budgetCutsDeliveryAtTheRowItPays() {
    // 1.50 USD per 1,000 rows: 0.15 USD buys exactly 100 rows.
    try (StatementResult r = buyer.execute("SELECT id FROM acme.us_events LIMIT 0.15 USD")) {
      assertThat(rows(r)).hasSize(100);
      assertThat(r.warnings().get(0).message()).contains("0.15 USD", "100 rows");
    }
  }

  @Test
  void otherCompaniesAndDatasetsAreUnknown() {
    for (String sql :
        List.of(
            "SELECT * FROM acme.us_events NO LIMIT",
            "SELECT * FROM acme.events",
            "SELECT * FROM acme.\"1\"")) {
      assertThatThrownBy(() -> globex.execute(sql).close())
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    }
    assertThatThrownBy(() -> buyer.execute("SELECT * FROM acme.events").close())
        .hasMessage("Unknown table or insufficient table permissions: acme.events");
  }

  @Test
  void divisionProbeNeverRunsOnHiddenRows() {
    // qty is 0 on every hidden row and 1..5 on visible ones: evaluated on a hidden row this fails.
    try (StatementResult r =
        buyer.execute("SELECT COUNT(*) FROM acme.us_events WHERE 10 / qty > 2 NO LIMIT")) {
      assertThat(rows(r)).containsExactly(List.of(150L));
    }
  }

  @Test
  void leakProofFilterIsPushedAndPaidOnlyForKeptRows() {
    try (StatementResult r =
        buyer.execute("SELECT id FROM acme.us_events WHERE id < 40 LIMIT 1.00 USD")) {
      assertThat(rows(r)).hasSize(10);
      assertThat(r.warnings()).isEmpty();
    }
    List<LedgerEntry> ledger =
        engine.store().ledger().entriesOf(engine.store().company("buyer_co").orElseThrow().id());
    assertThat(ledger).isNotEmpty();
    assertThat(ledger.get(0).rows()).isEqualTo(10);
    assertThat(ledger.get(0).amountMicros()).isEqualTo(15_000);
  }

  @Test
  void ledgerTableShowsSpendToTheBuyerAndRevenueToTheProviderOnly() {
    try (StatementResult r =
        buyer.execute("SELECT id FROM acme.us_events WHERE id < 20 NO LIMIT")) {
      assertThat(rows(r)).hasSize(5);
    }
    String sql =
        "SELECT role, buyer, provider, rule, rows_delivered, amount_usd, status"
            + " FROM company_data._ledger WHERE rows_delivered = 5";
    try (StatementResult r = buyer.execute(sql)) {
      assertThat(rows(r))
          .contains(
              List.of(
                  "buyer",
                  "buyer_co",
                  "acme",
                  "us_events",
                  5L,
                  new java.math.BigDecimal("0.007500"),
                  "final"));
    }
    try (StatementResult r = acme.execute(sql)) {
      assertThat(rows(r)).allMatch(row -> row.get(0).equals("provider")).isNotEmpty();
    }
    try (StatementResult r = globex.execute("SELECT COUNT(*) FROM company_data._ledger")) {
      assertThat(rows(r)).containsExactly(List.of(0L));
    }
  }

  @Test
  void priceColumnFiltersAndReturnsThePrice() {
    try (StatementResult r =
        buyer.execute(
            "SELECT DISTINCT _price_cpm_usd, _access_rule_id > 0 FROM acme.us_events NO LIMIT")) {
      assertThat(rows(r)).containsExactly(List.of(new java.math.BigDecimal("1.50"), true));
    }
    try (StatementResult r =
        buyer.execute("SELECT COUNT(*) FROM acme.us_events WHERE _price_cpm_usd <= 0 NO LIMIT")) {
      assertThat(rows(r)).containsExactly(List.of(0L));
    }
  }

  @Test
  void explainShowsTheRuleAsOpaque() {
    try (StatementResult r =
        buyer.execute("EXPLAIN PLAN FOR SELECT id FROM acme.us_events WHERE id > 5")) {
      String plan = (String) rows(r).get(0).get(0);
      assertThat(plan).contains("RuleScan(rule=[acme.us_events]");
      assertThat(plan).doesNotContain("USA").doesNotContain("events]]").doesNotContain("c1");
    }
    try (StatementResult r =
        acme.execute("EXPLAIN PLAN FOR SELECT id FROM company_data.us_events WHERE id > 5")) {
      String plan = (String) rows(r).get(0).get(0);
      assertThat(plan).contains("USA");
    }
  }

  @Test
  void columnOutsideTheRuleIsAnErrorNamingOnlyWhatWasWritten() {
    assertThatThrownBy(() -> buyer.execute("SELECT secret_col FROM acme.us_events").close())
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("42703");
              assertThat(e.getMessage()).contains("secret_col").doesNotContain("events ");
            });
  }

  @Test
  void ownerQueriesItsRuleForFree() {
    try (StatementResult r =
        acme.execute("SELECT COUNT(*), MAX(_price_cpm_usd) FROM company_data.us_events")) {
      assertThat(rows(r)).containsExactly(List.of(250L, new java.math.BigDecimal("0.00")));
      assertThat(r.warnings()).isEmpty();
    }
  }

  @Test
  void replacingARulePublishesANewVersionThatTheLedgerNames() {
    acme.execute(
            "CREATE ACCESS RULE \"versioned\" PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT id FROM company_data.events WHERE country = 'GBR'")
        .close();
    assertThatThrownBy(
            () ->
                acme.execute(
                        "CREATE ACCESS RULE \"versioned\" PRICE_CPM_USD = 2.00 SHARE WITH ALL"
                            + " AS SELECT id FROM company_data.events")
                    .close())
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P07"));
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"versioned\" PRICE_CPM_USD = 3.00"
                + " SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT id FROM company_data.events WHERE country = 'DEU'")
        .close();
    String statementId;
    try (StatementResult r =
        buyer.execute(
            "SELECT MIN(id), COUNT(*), MAX(_price_cpm_usd) FROM acme.versioned NO LIMIT")) {
      // Version 2 reads DEU rows (i % 4 == 2) at 3.00; version 1 would read GBR rows at 1.00.
      assertThat(rows(r)).containsExactly(List.of(2L, 250L, new java.math.BigDecimal("3.00")));
      statementId = r.statementId();
    }
    long buyerId = engine.store().company("buyer_co").orElseThrow().id();
    LedgerEntry entry =
        engine.store().ledger().entriesOf(buyerId).stream()
            .filter(e -> e.statementId().equals(statementId))
            .findFirst()
            .orElseThrow();
    assertThat(entry.ruleVersion()).isEqualTo(2);
    assertThat(entry.rows()).isEqualTo(250);
    assertThat(entry.amountMicros()).isEqualTo(250 * 3_000L);
    try (StatementResult r = buyer.execute("SHOW ACCESS RULES")) {
      assertThat(rows(r))
          .filteredOn(row -> row.get(1).equals("versioned"))
          .extracting(row -> row.get(4))
          .containsExactly(2L);
    }
  }
}
