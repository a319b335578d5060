package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Rules validated once per catalog state ({@code RuleTemplates}) and copied into each statement:
 * every caller of one rule version gets the rule's rows and columns, each at its own price (the
 * owner free, buyers at the rule's price); a replaced rule is read at its new version at once;
 * computed columns and filters survive the copy. Expected answers come from the rows the test
 * wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleTemplatesTest {
  @TempDir static Path dir;
  private static final String[] REGIONS = {"eu", "us", "internal"};
  private static final int ROWS = 90;
  private int rows = ROWS;

  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private NqlSession gamma;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,region,secret\n");
    for (int i = 1; i <= ROWS; i++) {
      csv.append(i).append(',').append(REGIONS[i % 3]).append(",s").append(i).append('\n');
    }
    Files.writeString(area.resolve("events.csv"), csv);
    engine =
        io.nql.planner.testing.Marketplace.open(dir.resolve("wh"), ingest, "acme", "beta", "gamma");
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    gamma = engine.trusted("gamma_user");
    for (NqlSession s : List.of(beta, gamma)) {
      s.setProperty("budget_usd", "100");
    }
    acme.execute("CREATE DATASET \"events\" (id BIGINT, region VARCHAR, secret VARCHAR)").close();
    acme.execute("COPY INTO company_data.events FROM 'events.csv' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"visible\" PRICE_CPM_USD = 10 SHARE WITH COMPANIES (beta, gamma)"
                + " AS SELECT id, region FROM company_data.events WHERE region <> 'internal'")
        .close();
    acme.execute(
            "CREATE ACCESS RULE \"computed\" PRICE_CPM_USD = 5 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id * 2 AS twice, UPPER(region) AS big FROM company_data.events"
                + " WHERE MOD(id, 4) = 1 AND region <> 'internal'")
        .close();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    gamma.close();
    engine.close();
  }

  /** The ids the rule shows above {@code above}, as the result text shows them. */
  private List<String> visibleIds(long above) {
    List<String> out = new ArrayList<>();
    for (long i = above + 1; i <= rows; i++) {
      if (!REGIONS[(int) (i % 3)].equals("internal")) {
        out.add(String.valueOf(i));
      }
    }
    return out;
  }

  /** The first column of a statement's rows, as text. */
  private static List<String> column(NqlSession session, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 1000)) {
        out.add(String.valueOf(row.get(0)));
      }
    }
    return out;
  }

  /** The ledger entries of a buyer, newest first. */
  private List<LedgerEntry> charges(String company) {
    long id = engine.store().company(company).orElseThrow().id();
    List<LedgerEntry> out = new ArrayList<>();
    for (LedgerEntry e : engine.store().ledger().entriesOf(id)) {
      if (e.buyerCompanyId() == id) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void everyCallerOfOneRuleVersionGetsItsRowsAtItsOwnPrice() throws Exception {
    List<String> expected = visibleIds(0);
    int betaCharges = charges("beta").size();
    int gammaCharges = charges("gamma").size();
    CatalogCache.State state = engine.catalog().current();
    assertThat(column(beta, "SELECT id FROM acme.visible ORDER BY id")).isEqualTo(expected);
    assertThat(column(acme, "SELECT id FROM company_data.visible ORDER BY id")).isEqualTo(expected);
    assertThat(column(gamma, "SELECT id FROM acme.visible ORDER BY id")).isEqualTo(expected);

    // the owner reads its rule free
    assertThat(charges("acme")).allSatisfy(e -> assertThat(e.amountMicros()).isZero());
    for (String buyer : List.of("beta", "gamma")) {
      List<LedgerEntry> all = charges(buyer);
      LedgerEntry last = last(all);
      assertThat(all).hasSize((buyer.equals("beta") ? betaCharges : gammaCharges) + 1);
      assertThat(last.rows()).isEqualTo(expected.size());
      assertThat(last.amountMicros()).isEqualTo(expected.size() * 10_000L); // 10 USD per 1,000
      // the statements of this state shared the rule's template (unless the state expired)
      if (engine.catalog().current() == state) {
        assertThat(state.ruleTemplates().holds(last.ruleId(), last.ruleVersion())).isTrue();
      }
    }
  }

  @Test
  void aReplacedRuleIsReadAtItsNewVersionAtOnce() throws Exception {
    acme.execute(
            "CREATE ACCESS RULE \"changing\" PRICE_CPM_USD = 1 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id FROM company_data.events WHERE region <> 'internal'")
        .close();
    assertThat(column(beta, "SELECT id FROM acme.changing ORDER BY id")).isEqualTo(visibleIds(0));
    int version = last(charges("beta")).ruleVersion();
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"changing\" PRICE_CPM_USD = 2 SHARE WITH COMPANIES"
                + " (beta) AS SELECT id FROM company_data.events WHERE region <> 'internal'"
                + " AND id > 60")
        .close();
    assertThat(column(beta, "SELECT id FROM acme.changing ORDER BY id")).isEqualTo(visibleIds(60));
    LedgerEntry after = last(charges("beta"));
    assertThat(after.ruleVersion()).isGreaterThan(version);
    assertThat(after.amountMicros()).isEqualTo(visibleIds(60).size() * 2_000L);
  }

  @Test
  void computedColumnsAndFiltersSurviveTheCopy() throws Exception {
    List<String> twice = new ArrayList<>();
    List<String> big = new ArrayList<>();
    for (String id : visibleIds(0)) {
      long i = Long.parseLong(id);
      if (i % 4 == 1) {
        twice.add(String.valueOf(i * 2));
        big.add(REGIONS[(int) (i % 3)].toUpperCase(java.util.Locale.ROOT));
      }
    }
    // twice in one statement (a row read twice: row ids through the copy) and in two statements
    for (int round = 0; round < 2; round++) {
      assertThat(column(beta, "SELECT twice FROM acme.computed ORDER BY twice")).isEqualTo(twice);
      assertThat(column(beta, "SELECT big FROM acme.computed ORDER BY twice")).isEqualTo(big);
    }
    assertThat(
            column(
                beta,
                "SELECT a.twice FROM acme.computed a JOIN acme.computed b ON a.twice = b.twice"
                    + " ORDER BY 1"))
        .isEqualTo(twice);
    // each rule row charged once in that statement, though read twice
    assertThat(last(charges("beta")).rows()).isEqualTo(twice.size());
  }

  @Test
  void buyersOfTheSameJoinShareItsPartsButNotTheirChargesAndSeeNewRows() throws Exception {
    acme.execute(
            "CREATE ACCESS RULE \"regions\" PRICE_CPM_USD = 10 SHARE WITH COMPANIES (beta, gamma)"
                + " AS SELECT id, region AS r FROM company_data.events WHERE region <> 'internal'")
        .close();
    String join =
        "SELECT v.id FROM acme.visible v JOIN acme.regions g ON v.id = g.id WHERE g.r = 'eu'"
            + " ORDER BY 1";
    for (int round = 0; round < 2; round++) {
      List<String> expected = new ArrayList<>();
      for (String id : visibleIds(0)) {
        if (REGIONS[(int) (Long.parseLong(id) % 3)].equals("eu")) {
          expected.add(id);
        }
      }
      for (String buyer : List.of("beta", "gamma")) {
        NqlSession session = buyer.equals("beta") ? beta : gamma;
        int before = charges(buyer).size();
        assertThat(column(session, join)).as(buyer + " round " + round).isEqualTo(expected);
        List<LedgerEntry> mine = charges(buyer).subList(0, charges(buyer).size() - before);
        // one entry per rule, on this buyer's account, for every row each rule delivered
        assertThat(mine).hasSize(2);
        // (the buyer's filter on g.r is applied below the regions rule's meter)
        assertThat(mine.stream().map(LedgerEntry::rows).sorted().toList())
            .isEqualTo(List.of((long) expected.size(), (long) visibleIds(0).size()));
        long buyerId = engine.store().company(buyer).orElseThrow().id();
        assertThat(mine).allSatisfy(e -> assertThat(e.buyerCompanyId()).isEqualTo(buyerId));
      }
      if (round == 0) { // a new snapshot: the next statements read it, not the kept parts' one
        StringBuilder more = new StringBuilder("id,region,secret\n");
        for (int i = ROWS + 1; i <= ROWS + 30; i++) {
          more.append(i).append(',').append(REGIONS[i % 3]).append(",s").append(i).append('\n');
        }
        Files.writeString(dir.resolve("ingest").resolve("acme").resolve("more.csv"), more);
        acme.execute("COPY INTO company_data.events FROM 'more.csv' HEADER = TRUE").close();
        rows = ROWS + 30;
      }
    }
  }

  private static LedgerEntry last(List<LedgerEntry> newestFirst) {
    return newestFirst.get(0);
  }
}
