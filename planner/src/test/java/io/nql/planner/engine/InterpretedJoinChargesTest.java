package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A buyer's joins of priced rules (and of its own data) answer, charge, warn and cut at a budget
 * exactly alike whether the row engine interprets their inner equi-joins or compiles them: the
 * interpreted join reads its inputs — and the meters below charge — as the compiled one does, also
 * when a LIMIT or a budget stops the statement early. Rule rows hidden by a rule's filter
 * (multiples of 7) never appear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterpretedJoinChargesTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession interpreted;
  NqlSession compiled;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path acmeArea = Files.createDirectories(ingest.resolve("acme"));
    Path buyerArea = Files.createDirectories(ingest.resolve("buyer_co"));
    StringBuilder people = new StringBuilder("id,name,city,team,born\n");
    for (int i = 1; i <= 300; i++) {
      people.append(i).append(",n").append(i).append(',');
      people.append(i % 11 == 0 ? "" : "c" + i % 4).append(',');
      people.append(i % 13 == 0 ? "" : String.valueOf(i % 9)).append(',');
      people.append("2000-01-").append(String.format("%02d", 1 + i % 28)).append('\n');
    }
    Files.writeString(acmeArea.resolve("people.csv"), people);
    StringBuilder teams = new StringBuilder("team,city,label\n");
    for (int i = 0; i < 40; i++) {
      teams.append(i % 12 == 5 ? "" : String.valueOf(i % 10)).append(',');
      teams.append("c").append(i % 3).append(",t").append(i).append('\n');
    }
    Files.writeString(acmeArea.resolve("teams.csv"), teams);
    StringBuilder crm = new StringBuilder("id,tier\n");
    for (int i = 1; i <= 300; i += 3) {
      crm.append(i).append(",tier").append(i % 5).append('\n');
    }
    Files.writeString(buyerArea.resolve("crm.csv"), crm);
    engine = io.nql.planner.testing.Marketplace.open(dir.resolve("wh"), ingest, "acme", "buyer_co");
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute(
              "CREATE DATASET \"people\" (id BIGINT, name VARCHAR, city VARCHAR, team INTEGER,"
                  + " born DATE)")
          .close();
      acme.execute("COPY INTO company_data.people FROM 'people.csv' HEADER = TRUE").close();
      acme.execute("CREATE DATASET \"teams\" (team INTEGER, city VARCHAR, label VARCHAR)").close();
      acme.execute("COPY INTO company_data.teams FROM 'teams.csv' HEADER = TRUE").close();
      acme.execute(
              "CREATE ACCESS RULE \"people_r\" PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES"
                  + " (buyer_co) AS SELECT id, name, city, team, born FROM company_data.people"
                  + " WHERE MOD(id, 7) <> 0")
          .close();
      acme.execute(
              "CREATE ACCESS RULE \"teams_r\" PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES"
                  + " (buyer_co) AS SELECT team, city, label FROM company_data.teams")
          .close();
    }
    interpreted = engine.trusted("buyer_co_user");
    compiled = engine.trusted("buyer_co_user");
    compiled.setProperty("interpreted_joins", "false");
    for (NqlSession s : List.of(interpreted, compiled)) {
      s.setProperty("budget_usd", "100");
    }
    try (NqlSession buyer = engine.trusted("buyer_co_user")) {
      buyer.execute("CREATE DATASET \"crm\" (id BIGINT, tier VARCHAR)").close();
      buyer.execute("COPY INTO company_data.crm FROM 'crm.csv' HEADER = TRUE").close();
    }
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    interpreted.close();
    compiled.close();
    engine.close();
  }

  /** What a statement returned and what it cost. */
  record Outcome(List<List<Object>> rows, List<String> warnings, List<List<Object>> ledger) {}

  Outcome run(NqlSession session, String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String id;
    try (StatementResult r = session.execute(sql)) {
      id = r.statementId();
      out.addAll(ResultText.read(r, false, 64));
      r.warnings().forEach(w -> warnings.add(w.sqlState() + " " + w.message()));
    }
    List<List<Object>> ledger = new ArrayList<>();
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      if (e.statementId().equals(id)) {
        ledger.add(
            Arrays.asList(
                e.ruleId(), e.ruleVersion(), e.rows(), e.amountMicros(), e.status().toString()));
      }
    }
    ledger.sort((a, b) -> a.toString().compareTo(b.toString()));
    return new Outcome(out, warnings, ledger);
  }

  static Stream<String> statements() {
    String p = "acme.people_r";
    String t = "acme.teams_r";
    String crm3 =
        "SELECT c.tier, p.name, t.label FROM company_data.crm c JOIN "
            + p
            + " p ON p.id = c.id JOIN "
            + t
            + " t ON t.team = p.team";
    String born = "SELECT a.id, b.id FROM " + p + " a JOIN " + p + " b ON a.born = b.born";
    return Stream.of(
        "SELECT p.id, p.name, t.label FROM " + p + " p JOIN " + t + " t ON p.team = t.team",
        born + " WHERE a.id < 60",
        born + " AND a.city = b.city WHERE b.id > 200",
        born + " WHERE a.id < 60 LIMIT 5",
        born + " WHERE b.id > 250 ORDER BY a.id DESC, b.id LIMIT 7",
        "SELECT a.born, COUNT(*), MIN(b.name) FROM "
            + p
            + " a JOIN "
            + p
            + " b"
            + " ON a.born = b.born WHERE a.id < 100 GROUP BY a.born",
        crm3,
        crm3 + " LIMIT 4",
        "SELECT c.id, x.other FROM company_data.crm c LEFT JOIN (SELECT a.id, b.id AS other FROM "
            + p
            + " a JOIN "
            + p
            + " b ON a.born = b.born WHERE b.id < 40) x ON x.id = c.id",
        born + " WHERE a.id < 60 LIMIT 0.05 USD",
        born + " WHERE b.id > 150 LIMIT 0.30 USD",
        crm3 + " LIMIT 0.10 USD");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void interpretedJoinsAnswerAndChargeAsCompiledOnes(String sql) throws Exception {
    Outcome expected = run(compiled, sql);
    if (sql.endsWith(" USD")) {
      // the join reads one rule whole, then the other: the budget runs out in between
      assertThat(expected.warnings()).as("the budget cut of " + sql).isNotEmpty();
    } else {
      assertThat(expected.rows()).as("rows of " + sql).isNotEmpty();
    }
    assertThat(expected.ledger()).as("charges of " + sql).isNotEmpty();
    for (int i = 0; i < 2; i++) {
      Outcome actual = run(interpreted, sql);
      assertThat(actual.rows()).as(sql).containsExactlyElementsOf(expected.rows());
      assertThat(actual.warnings()).as(sql).isEqualTo(expected.warnings());
      assertThat(actual.ledger()).as(sql).isEqualTo(expected.ledger());
    }
    for (List<Object> row : expected.rows()) {
      assertThat(row.get(0)).as("a hidden rule row in " + sql).isNotEqualTo(7L);
    }
  }
}
