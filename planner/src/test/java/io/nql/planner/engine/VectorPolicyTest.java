package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buyer through a priced rule gets the same rows, charge, ledger entries and warning from the
 * vector path (rows and Arrow batches) as from the row engine; hidden rows and columns never
 * appear; shapes outside the vector path fall back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorPolicyTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession vector;
  NqlSession rows;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    // The provider stages its files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,country,amount,qty,secret\n");
    for (int i = 0; i < 5000; i++) {
      String country = i % 4 == 0 ? "USA" : i % 4 == 1 ? "GBR" : i % 4 == 2 ? "DEU" : "FRA";
      csv.append(i).append(',').append(country).append(',').append(i % 100).append(".25,");
      csv.append(country.equals("USA") ? 1 + i % 5 : 0).append(",s").append(i).append('\n');
    }
    Files.writeString(src.resolve("events.csv"), csv);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("COPY INTO company_data.events FROM '" + src.resolve("events.csv") + "'")
          .close();
      acme.execute(
              "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 1.50"
                  + " SHARE WITH COMPANIES (buyer_co)"
                  + " AS SELECT e.id, e.country, e.amount, e.qty FROM company_data.events e"
                  + " WHERE e.country = 'USA'")
          .close();
    }
    vector = engine.trusted("buyer_co_user");
    rows = engine.trusted("buyer_co_user");
    rows.setProperty("vector_execution", "false");
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    vector.close();
    rows.close();
    engine.close();
  }

  /** What a statement returned and what it cost. */
  record Outcome(
      List<List<Object>> rows,
      List<String> warnings,
      List<List<Object>> ledger,
      boolean vector,
      long batchAggregations) {}

  Outcome run(NqlSession session, String sql, boolean arrow) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    String id;
    List<String> warnings = new ArrayList<>();
    boolean vectorized;
    long aggregations;
    try (StatementResult r = session.execute(sql)) {
      id = r.statementId();
      vectorized = ((QueryStatementResult) r).vectorized();
      out.addAll(ResultText.read(r, arrow, 64));
      r.warnings().forEach(w -> warnings.add(w.sqlState() + " " + w.message()));
      aggregations = ((QueryStatementResult) r).batchAggregations();
    }
    List<List<Object>> ledger = new ArrayList<>();
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      if (e.statementId().equals(id)) {
        ledger.add(
            Arrays.asList(
                e.providerCompanyId(),
                e.ruleId(),
                e.ruleVersion(),
                e.rows(),
                e.amountMicros(),
                e.reservedMicros(),
                e.status()));
      }
    }
    return new Outcome(out, warnings, ledger, vectorized, aggregations);
  }

  void assertSame(String sql, boolean vectorizable) throws Exception {
    assertSame(sql, vectorizable, false);
  }

  void assertSame(String sql, boolean vectorizable, boolean aggregatedOnBatches) throws Exception {
    Outcome expected = run(rows, sql, false);
    assertThat(expected.vector()).isFalse();
    assertThat(expected.batchAggregations()).isZero();
    for (boolean arrow : new boolean[] {false, true}) {
      Outcome actual = run(vector, sql, arrow);
      assertThat(actual.vector()).as("vectorized " + sql).isEqualTo(vectorizable);
      assertThat(actual.batchAggregations() > 0)
          .as("aggregated on batches: " + sql)
          .isEqualTo(aggregatedOnBatches);
      assertThat(actual.rows()).as(sql).containsExactlyElementsOf(expected.rows());
      assertThat(actual.warnings()).as(sql).isEqualTo(expected.warnings());
      assertThat(actual.ledger()).as(sql).isEqualTo(expected.ledger());
    }
  }

  @Test
  void budgetCutIsRowExactOnBothPaths() throws Exception {
    // 1.50 USD per 1,000 rows: 0.15 USD buys exactly 100 rows, then a warning
    String sql = "SELECT id, country, amount, _price_cpm_usd FROM acme.us_events LIMIT 0.15 USD";
    assertSame(sql, true);
    Outcome o = run(vector, sql, true);
    assertThat(o.rows()).hasSize(100);
    assertThat(o.warnings()).singleElement().asString().contains("01N01", "100 rows");
    assertThat(o.ledger()).singleElement().satisfies(e -> assertThat(e.get(3)).isEqualTo(100L));
  }

  @Test
  void budgetAcrossReservationsAndFilters() throws Exception {
    // more than one 1,000-row reservation, and a filter paid only for the rows it keeps
    assertSame("SELECT id, qty FROM acme.us_events WHERE qty >= 2 LIMIT 1.7 USD", true);
    assertSame("SELECT * FROM acme.us_events NO LIMIT", true);
    assertSame("SELECT id FROM acme.us_events WHERE amount > 50 LIMIT 0.02 USD", true);
  }

  @Test
  void rowLimitChargesOnlyTheRowsTaken() throws Exception {
    assertSame("SELECT id, country FROM acme.us_events LIMIT 10 ROWS NO LIMIT", true);
    assertSame("SELECT id FROM acme.us_events OFFSET 7 ROWS FETCH NEXT 5 ROWS ONLY NO LIMIT", true);
    assertSame("SELECT id FROM acme.us_events LIMIT 30 ROWS LIMIT 0.03 USD", true);
  }

  @Test
  void hiddenRowsAndColumnsNeverAppear() throws Exception {
    Outcome o = run(vector, "SELECT * FROM acme.us_events NO LIMIT", true);
    assertThat(o.vector()).isTrue();
    assertThat(o.rows()).hasSize(1250).allMatch(r -> r.get(1).equals("USA"));
    try (StatementResult r = vector.execute("SELECT * FROM acme.us_events NO LIMIT")) {
      assertThat(r.columns().stream().map(ResultColumn::name))
          .containsExactly(
              "id",
              "country",
              "amount",
              "qty",
              "_price_cpm_usd",
              "_source_company_id",
              "_access_rule_id");
    }
  }

  @Test
  void aggregatesOfRuleRowsRunOnBatchesAndChargeAlike() throws Exception {
    assertSame("SELECT COUNT(*) FROM acme.us_events NO LIMIT", false, true);
    assertSame(
        "SELECT country, COUNT(*), SUM(amount), MIN(id), MAX(qty), AVG(qty) FROM acme.us_events"
            + " GROUP BY country NO LIMIT",
        false,
        true);
    // the budget buys 100 rows: they are aggregated, and the cut is reported
    String cut =
        "SELECT qty, COUNT(*), SUM(amount) FROM acme.us_events GROUP BY qty LIMIT 0.15 USD";
    assertSame(cut, false, true);
    Outcome o = run(vector, cut, false);
    assertThat(o.warnings()).singleElement().asString().contains("01N01", "100 rows");
    assertThat(o.rows().stream().mapToLong(r -> Long.parseLong(r.get(1).toString())).sum())
        .isEqualTo(100);
    assertSame(
        "SELECT qty, AVG(amount), COUNT(*) AS n FROM acme.us_events WHERE amount > 50"
            + " GROUP BY qty HAVING COUNT(*) > 10 ORDER BY n DESC, qty LIMIT 1.7 USD",
        false,
        true);
    assertSame(
        "SELECT COUNT(*), SUM(qty) FROM (SELECT qty FROM acme.us_events FETCH FIRST 30 ROWS ONLY)"
            + " NO LIMIT",
        false,
        true);
  }

  @Test
  void ruleColumnsTheBuyerDoesNotReadAreNotDecoded() throws Exception {
    assertSame("SELECT id FROM acme.us_events NO LIMIT", true);
    assertSame("SELECT qty, COUNT(*) FROM acme.us_events GROUP BY qty NO LIMIT", false, true);
    long all = pages(vector, "SELECT * FROM acme.us_events NO LIMIT");
    long one = pages(vector, "SELECT id FROM acme.us_events NO LIMIT");
    // the rule reads id, country (its filter), amount and qty: the buyer's id needs two of them
    assertThat(one).isPositive().isLessThan(all);
    assertThat(one).isLessThanOrEqualTo(all * 3 / 4);
  }

  @Test
  void theRulesStringFilterAndTheBuyersFilterChooseTheRowsDecoded() throws Exception {
    // the rule's country = 'USA' (a string, dictionary-encoded) and the buyer's leak-proof
    // id < 200 are tested on their columns first; the other columns are decoded only for the rows
    // that pass both, so a selective read decodes its result and nothing more
    String sql = "SELECT id, amount, qty FROM acme.us_events WHERE id < 200 NO LIMIT";
    assertSame(sql, true);
    try (StatementResult r = vector.execute(sql)) {
      assertThat(ResultText.read(r, false, 1000)).hasSize(50);
      assertThat(((QueryStatementResult) r).rowsDecoded()).isEqualTo(50);
    }
    // the rule's filter alone keeps a quarter of the rows: only they are decoded
    try (StatementResult r = vector.execute("SELECT amount FROM acme.us_events NO LIMIT")) {
      ResultText.read(r, false, 10_000);
      assertThat(((QueryStatementResult) r).rowsDecoded()).isEqualTo(1250);
    }
    // a string equality the buyer adds (leak-proof) narrows the rows the same way
    String pick = "SELECT id, qty FROM acme.us_events WHERE country IN ('USA', 'GBR') AND qty = 3";
    assertSame(pick + " NO LIMIT", true);
  }

  private long pages(NqlSession session, String sql) throws Exception {
    try (StatementResult r = session.execute(sql)) {
      ResultText.read(r, false, 64);
      return ((QueryStatementResult) r).pagesRead();
    }
  }

  @Test
  void otherShapesFallBack() throws Exception {
    // a division runs only above the barrier, on the row engine
    assertSame("SELECT COUNT(*) FROM acme.us_events WHERE 10 / qty > 2 NO LIMIT", false);
    assertSame("SELECT id FROM acme.us_events ORDER BY id DESC LIMIT 5 ROWS NO LIMIT", false);
  }

  @Test
  void cancellationStopsTheBatches() throws Exception {
    try (StatementResult r = vector.execute("SELECT * FROM acme.us_events NO LIMIT");
        BufferAllocator a = new RootAllocator();
        ArrowReader reader = r.arrow(a, 10)) {
      assertThat(reader.loadNextBatch()).isTrue();
      vector.cancel();
      assertThatThrownBy(reader::loadNextBatch)
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
    }
  }
}
