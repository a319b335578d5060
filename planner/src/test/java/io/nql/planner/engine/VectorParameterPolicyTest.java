package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.LedgerEntry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buyer's prepared statements with {@code ?} parameters through a priced rule run on the vector
 * path and get the row engine's rows, charge, ledger entries and warnings, for every value: the
 * rule's filter still applies when the value names a hidden row, hidden columns stay hidden, and a
 * budget cuts at the same row. The dataset is sorted and has small pages, so the point lookups skip
 * pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorParameterPolicyTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession vector;
  NqlSession rows;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,country,amount,qty,secret\n");
    // ids out of order: the dataset's sort order puts them in order
    for (int k = 0; k < 6000; k++) {
      int i = (k * 7919) % 6000;
      String country = i % 4 == 0 ? "USA" : i % 4 == 1 ? "GBR" : i % 4 == 2 ? "DEU" : "FRA";
      csv.append(i).append(',').append(country).append(',');
      csv.append(i % 13 == 0 ? "" : i % 100 + ".25").append(',');
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
      acme.execute(
              "CREATE DATASET \"events\" (id BIGINT, country VARCHAR, amount DECIMAL(10, 2),"
                  + " qty INTEGER, secret VARCHAR) SORTED_BY id BLOOM_FILTER id")
          .close();
      long acmeId = engine.store().company("acme").orElseThrow().id();
      engine
          .warehouse()
          .loadTable(engine.warehouse().dataset(acmeId, "events").orElseThrow())
          .updateProperties()
          .set("write.parquet.page-row-limit", "100")
          .set("write.parquet.row-group-size-bytes", "16384")
          .commit();
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
    for (NqlSession s : List.of(vector, rows)) {
      s.setProperty("budget_usd", "100");
    }
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
      long rowsScanned) {}

  Outcome run(NqlSession session, String sql, List<Object> params, boolean arrow) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    String id;
    List<String> warnings = new ArrayList<>();
    boolean vectorized;
    try (StatementResult r = session.execute(sql, params)) {
      id = r.statementId();
      vectorized = ((QueryStatementResult) r).vectorized();
      out.addAll(ResultText.read(r, arrow, 64));
      r.warnings().forEach(w -> warnings.add(w.sqlState() + " " + w.message()));
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
    long scanned = engine.store().queryLogEntry(id).orElseThrow().stats().rowsScanned();
    return new Outcome(out, warnings, ledger, vectorized, scanned);
  }

  Outcome assertSame(String sql, Object... values) throws Exception {
    List<Object> params = Arrays.asList(values);
    Outcome expected = run(rows, sql, params, false);
    assertThat(expected.vector()).isFalse();
    Outcome actual = null;
    for (boolean arrow : new boolean[] {false, true}) {
      actual = run(vector, sql, params, arrow);
      String what = sql + " " + params;
      assertThat(actual.vector()).as("vectorized " + what).isTrue();
      assertThat(actual.rows()).as(what).containsExactlyElementsOf(expected.rows());
      assertThat(actual.warnings()).as(what).isEqualTo(expected.warnings());
      assertThat(actual.ledger()).as(what).isEqualTo(expected.ledger());
    }
    return actual;
  }

  @Test
  void pointLookupsGiveTheRowEnginesRowsAndCharges() throws Exception {
    String sql = "SELECT id, country, amount, qty, _price_cpm_usd FROM acme.us_events WHERE id = ?";
    int visible = 0;
    for (long id = 0; id < 6000; id += 173) {
      Outcome o = assertSame(sql, id);
      // a hidden row (not USA) stays hidden whatever the value names
      if (id % 4 == 0) {
        assertThat(o.rows()).hasSize(1);
        visible++;
      } else {
        assertThat(o.rows()).isEmpty();
      }
    }
    // ids 173·k for k = 0..34 are visible when k is a multiple of 4
    assertThat(visible).isEqualTo(9);
    for (Object id : new Object[] {-1L, 6000L, Long.MAX_VALUE, null}) {
      assertThat(assertSame(sql, id).rows()).isEmpty();
    }
    // the same rows and charges, from one page of rows instead of a row group
    Outcome rowEngine = run(rows, sql, List.of(4444L), false);
    Outcome vectorPath = run(vector, sql, List.of(4444L), false);
    assertThat(vectorPath.rows()).isEqualTo(rowEngine.rows()).hasSize(1);
    assertThat(vectorPath.rowsScanned()).isPositive().isLessThanOrEqualTo(100);
    assertThat(rowEngine.rowsScanned()).isGreaterThan(100);
  }

  @Test
  void predicatesOnOtherColumnsAndRanges() throws Exception {
    assertSame("SELECT id, amount FROM acme.us_events WHERE amount = ?", new BigDecimal("4.25"));
    assertSame("SELECT id FROM acme.us_events WHERE amount IS NULL AND id > ?", 3000L);
    assertSame("SELECT id, qty FROM acme.us_events WHERE id BETWEEN ? AND ?", 1000L, 1300L);
    assertSame("SELECT id FROM acme.us_events WHERE country = ?", "GBR");
    assertSame("SELECT id, country FROM acme.us_events WHERE country = ? AND qty >= ?", "USA", 3);
  }

  @Test
  void budgetCutIsRowExact() throws Exception {
    vector.setProperty("budget_usd", "0.15");
    rows.setProperty("budget_usd", "0.15");
    try {
      // 1.50 USD per 1,000 rows: 0.15 USD buys exactly 100 rows, then a warning
      Outcome o = assertSame("SELECT id, qty FROM acme.us_events WHERE id >= ?", 10L);
      assertThat(o.rows()).hasSize(100);
      assertThat(o.warnings()).singleElement().asString().contains("01N01");
    } finally {
      vector.setProperty("budget_usd", "100");
      rows.setProperty("budget_usd", "100");
    }
  }
}
