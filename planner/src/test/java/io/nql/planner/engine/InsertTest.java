package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * {@code INSERT INTO company_data.<dataset> VALUES | SELECT}: rows appended as the statement wrote
 * them (column lists, conversions, NULLs), bad input refused with its SQLSTATE and nothing written,
 * and a buyer's INSERT … SELECT over a priced rule copies only the rule's rows, charged as a query
 * is, and writes nothing when the budget stops it. Expected values come from the statements the
 * test wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsertTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,region\n");
    for (int i = 1; i <= 40; i++) {
      csv.append(i).append(',').append(i % 4 == 0 ? "internal" : "eu").append('\n');
    }
    Files.writeString(area.resolve("people.csv"), csv);
    engine = io.nql.planner.testing.Marketplace.open(dir.resolve("wh"), ingest, "acme", "beta");
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    acme.execute(
            "CREATE DATASET \"events\" (id BIGINT NOT NULL, region VARCHAR, amount DECIMAL(10, 2),"
                + " day DATE, ts TIMESTAMP, flag BOOLEAN, small INTEGER)")
        .close();
    acme.execute("CREATE DATASET \"people\" (id BIGINT, region VARCHAR)").close();
    acme.execute("COPY INTO company_data.people FROM 'people.csv' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"people_eu\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta) AS"
                + " SELECT id, region FROM company_data.people WHERE region <> 'internal'")
        .close();
    beta.execute("CREATE DATASET \"bought\" (id BIGINT, region VARCHAR)").close();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    engine.close();
  }

  private static long update(NqlSession s, String sql, Object... params) {
    try (StatementResult r = s.execute(sql, List.of(params))) {
      assertThat(r.isQuery()).isFalse();
      return r.updateCount();
    }
  }

  private static List<List<Object>> rows(NqlSession s, String sql) throws Exception {
    try (StatementResult r = s.execute(sql)) {
      return ResultText.read(r, false, 100);
    }
  }

  private static List<Object> row(Object... values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(v == null ? null : String.valueOf(v));
    }
    return out;
  }

  @Test
  void valuesAreAppendedAsWrittenWithColumnListsConversionsAndNulls() throws Exception {
    assertThat(
            update(
                acme,
                "INSERT INTO company_data.events VALUES (1, 'eu', 12.5, DATE '2026-01-02',"
                    + " TIMESTAMP '2026-01-02 03:04:05', TRUE, 7)"))
        .isEqualTo(1);
    // a column list in another order; the columns it leaves out are NULL
    assertThat(update(acme, "INSERT INTO company_data.events (small, id) VALUES (8, 2), (9, 3)"))
        .isEqualTo(2);
    // values converted to their columns' types: an integer to DECIMAL (rounded half up to its
    // scale), text to DATE and TIMESTAMP
    assertThat(
            update(
                acme,
                "INSERT INTO company_data.events (id, amount, day, ts) VALUES"
                    + " (4, 1.005, '2026-03-04', '2026-03-04 05:06:07')"))
        .isEqualTo(1);
    // parameters, as a prepared INSERT binds them
    assertThat(update(acme, "INSERT INTO company_data.events (id, region) VALUES (?, ?)", 5L, "us"))
        .isEqualTo(1);
    assertThat(
            rows(
                acme,
                "SELECT id, region, amount, day, ts, flag, small FROM company_data.events"
                    + " WHERE id <= 5 ORDER BY id"))
        .containsExactly(
            row(1, "eu", "12.50", "2026-01-02", "2026-01-02T03:04:05", true, 7),
            row(2, null, null, null, null, null, 8),
            row(3, null, null, null, null, null, 9),
            row(4, null, "1.01", "2026-03-04", "2026-03-04T05:06:07", null, null),
            row(5, "us", null, null, null, null, null));
  }

  @Test
  void insertSelectCopiesTheOwnersRows() throws Exception {
    acme.execute("CREATE DATASET \"copy\" (id BIGINT, region VARCHAR)").close();
    assertThat(
            update(
                acme,
                "INSERT INTO company_data.copy SELECT id * 100, region FROM company_data.people"
                    + " WHERE id <= 3"))
        .isEqualTo(3);
    assertThat(rows(acme, "SELECT id, region FROM company_data.copy ORDER BY id"))
        .containsExactly(row(100, "eu"), row(200, "eu"), row(300, "eu"));
  }

  @Test
  void badInputIsRefusedWithItsSqlStateAndWritesNothing() throws Exception {
    acme.execute("CREATE DATASET \"strict\" (id BIGINT NOT NULL, small INTEGER)").close();
    update(acme, "INSERT INTO company_data.strict VALUES (1, 1)");
    String[][] cases = {
      // the third row does not fit INTEGER: the first two are not written either
      {
        "INSERT INTO company_data.strict VALUES (2, 2), (3, 3), (4, 3000000000)",
        "22003",
        "row 3, column 'small'"
      },
      {"INSERT INTO company_data.strict (small) VALUES (5)", "23502", "column 'id'"},
      {"INSERT INTO company_data.strict (id, nope) VALUES (6, 6)", "42703", "no column 'nope'"},
      {"INSERT INTO company_data.strict (id, id) VALUES (7, 7)", "42601", "listed twice"},
      {"INSERT INTO company_data.strict VALUES (8)", "42601", "1 values per row for 2 columns"},
      {"INSERT INTO company_data.strict VALUES (9, 'x')", "22P02", "'x' is not a valid"},
      {"INSERT INTO company_data.nothing VALUES (1)", "42P01", "company_data.nothing"},
      {"INSERT INTO beta.bought VALUES (1, 'x')", "42P01", "beta.bought"},
      {"INSERT INTO company_data.people_eu VALUES (1, 'x')", "42P01", "company_data.people_eu"},
      {"INSERT INTO strict VALUES (1, 1)", "3F000", "must be qualified"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> update(acme, c[0]))
          .as(c[0])
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).as(c[0]).isEqualTo(c[1]);
                assertThat(e.getMessage()).as(c[0]).contains(c[2]).doesNotContain("Exception");
              });
    }
    assertThat(rows(acme, "SELECT id, small FROM company_data.strict")).containsExactly(row(1, 1));
  }

  @Test
  void aBuyersInsertSelectCopiesOnlyTheRulesRowsAndPaysForThem() throws Exception {
    long betaId = engine.store().company("beta").orElseThrow().id();
    List<String> visible = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      if (i % 4 != 0) {
        visible.add(String.valueOf(i));
      }
    }
    // a budget too small for the rule's rows (1,000 USD per 1,000 rows: 1 USD a row)
    beta.setProperty("budget_usd", "5");
    assertThatThrownBy(
            () ->
                update(
                    beta, "INSERT INTO company_data.bought SELECT id, region FROM acme.people_eu"))
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("55000");
              assertThat(e.getMessage()).contains("budget").contains("nothing was changed");
            });
    assertThat(rows(beta, "SELECT id FROM company_data.bought")).isEmpty();

    beta.setProperty("budget_usd", "100");
    int before = engine.store().ledger().entriesOf(betaId).size();
    assertThat(
            update(beta, "INSERT INTO company_data.bought SELECT id, region FROM acme.people_eu"))
        .isEqualTo(visible.size());
    List<String> copied = new ArrayList<>();
    for (List<Object> r : rows(beta, "SELECT id FROM company_data.bought ORDER BY id")) {
      copied.add(String.valueOf(r.get(0)));
    }
    assertThat(copied).isEqualTo(visible); // no hidden row (multiples of 4)
    List<LedgerEntry> entries = engine.store().ledger().entriesOf(betaId);
    assertThat(entries).hasSize(before + 1);
    LedgerEntry charge = entries.get(0); // newest first
    assertThat(charge.buyerCompanyId()).isEqualTo(betaId);
    assertThat(charge.rows()).isEqualTo(visible.size());
    assertThat(charge.amountMicros()).isEqualTo(visible.size() * 1_000_000L);
  }
}
