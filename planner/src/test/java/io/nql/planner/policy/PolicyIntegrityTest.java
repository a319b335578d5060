package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import io.nql.planner.testing.CanonicalRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regressions of the policy-integrity findings (issue 9), each as a buyer would try it.
 *
 * <p>holdco's dataset {@code events} has 2,000 rows: even ids are {@code US}, odd ids {@code FR};
 * {@code email} is {@code u<id>@example.com}. Rules, all shared with buyco: {@code us_free} (free:
 * id, country, amount, ts of US rows), {@code us_only} (2.00 USD CPM: id, country of US rows) and
 * {@code us_mail} (1.00 USD CPM: id, email of US rows). Each test runs on both executors where the
 * executor matters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyIntegrityTest {
  private static final int ROWS = 2000;
  private static final int US_ROWS = ROWS / 2;

  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession holdco;
  private NqlSession buyco;
  private long buycoId;
  private long eventsId;

  @BeforeAll
  void setUp() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    StringBuilder events = new StringBuilder("id,country,amount,ts,email\n");
    for (int i = 0; i < ROWS; i++) {
      events
          .append(i)
          .append(',')
          .append(i % 2 == 0 ? "US" : "FR")
          .append(',')
          .append(String.format(java.util.Locale.ROOT, "%d.%02d", i % 10, i % 100))
          .append(",2026-01-01 00:00:00.000,u")
          .append(i)
          .append("@example.com\n");
    }
    Path file = stage(src, "holdco", "events.csv", events.toString());
    engine =
        NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(src), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("holdco", "buyco")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    holdco = engine.trusted("holdco_user");
    buyco = engine.trusted("buyco_user");
    holdco
        .execute(
            "CREATE DATASET \"events\" (id BIGINT, country VARCHAR, amount DECIMAL(3,2),"
                + " ts TIMESTAMP(3), email VARCHAR)")
        .close();
    holdco.execute("COPY INTO company_data.events FROM '" + file + "' HEADER = TRUE").close();
    rule("us_free", "0", "e.id, e.country, e.amount, e.ts");
    // The buyer's own empty look-alike of the provider's dataset: same name, same columns.
    buyco
        .execute(
            "CREATE DATASET \"events\" (id BIGINT, country VARCHAR, amount DECIMAL(3,2),"
                + " ts TIMESTAMP(3), email VARCHAR)")
        .close();
    rule("us_only", "2.00", "e.id, e.country");
    rule("us_mail", "1.00", "e.id, e.email");
    Path small = stage(src, "buyco", "small.csv", "k\n1\n5\n9\n");
    buyco.execute("COPY INTO company_data.small FROM '" + small + "' HEADER = TRUE").close();
    long holdcoId = engine.store().company("holdco").orElseThrow().id();
    buycoId = engine.store().company("buyco").orElseThrow().id();
    eventsId = engine.warehouse().dataset(holdcoId, "events").orElseThrow().id();
  }

  /** Where the test stages a company's upload (the one place that knows the staging layout). */
  private static Path stage(Path root, String company, String name, String text) throws Exception {
    Path file = Files.createDirectories(root.resolve(company)).resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private void rule(String name, String price, String columns) {
    holdco
        .execute(
            "CREATE ACCESS RULE \""
                + name
                + "\" PRICE_CPM_USD = "
                + price
                + " SHARE WITH COMPANIES (buyco) AS SELECT "
                + columns
                + " FROM company_data.events e WHERE e.country = 'US'")
        .close();
  }

  @AfterAll
  void tearDown() {
    for (NqlSession s : new NqlSession[] {holdco, buyco}) {
      if (s != null) {
        s.close();
      }
    }
    if (engine != null) {
      engine.close();
    }
  }

  // ------------------------------------------------------------------ 1. identity of plan nodes

  @Test
  void aDatasetNameOfDigitsIsRefusedSoItCanNeverReadAsAnId() {
    assertThatThrownBy(
            () ->
                buyco.execute(
                    "CREATE DATASET \""
                        + eventsId
                        + "\" (id BIGINT, country VARCHAR, amount DECIMAL(3,2), ts TIMESTAMP(3),"
                        + " email VARCHAR)"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("must not be only digits")
        .extracting(e -> ((NqlException) e).sqlState())
        .isEqualTo("22023");
  }

  /**
   * The buyer's own empty table with the provider's columns, beside the rule in one plan: the two
   * scans must never be merged (the finding: the buyer's scan returned the provider's raw rows).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBuyersLookAlikeTableNeverReadsTheProvidersRows(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    List<String> union =
        CanonicalRows.engine(
            buyco,
            "SELECT t.x FROM (SELECT r.country AS x FROM holdco.us_free r UNION ALL"
                + " SELECT e.email FROM company_data.events e) t NO LIMIT");
    assertThat(union).hasSize(US_ROWS).allMatch(row -> row.equals("US | "));
    List<String> rightJoin =
        CanonicalRows.engine(
            buyco,
            "SELECT r.id, e.email FROM holdco.us_free r RIGHT JOIN company_data.events e"
                + " ON e.id = r.id NO LIMIT");
    assertThat(rightJoin).isEmpty();
  }

  /**
   * The owner reads its dataset directly and through its own rule in one statement: the same table
   * at the same snapshot, for two purposes. Merged, one branch would return the other's rows.
   */
  @Test
  void theSameTableForTwoPurposesIsTwoScans() {
    List<String> rows =
        CanonicalRows.engine(
            holdco,
            "SELECT t.x, COUNT(*) FROM (SELECT r.country AS x FROM company_data.us_free r"
                + " UNION ALL SELECT e.country FROM company_data.\""
                + eventsId
                + "\" e) t GROUP BY t.x");
    assertThat(rows).containsExactlyInAnyOrder("US | " + (2 * US_ROWS) + " | ", "FR | 1000 | ");
  }

  // ------------------------------------------------------- 2. no free existence oracle at budget 0

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void atBudgetZeroAMatchLooksLikeNoMatch(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    String match = outcome("SELECT r.id FROM holdco.us_only r WHERE r.id = 42");
    String noMatch = outcome("SELECT r.id FROM holdco.us_only r WHERE r.id = 43");
    String absent = outcome("SELECT r.id FROM holdco.us_only r WHERE r.id = 100001");
    assertThat(match).isEqualTo(noMatch).isEqualTo(absent);
    // The budget warning is there, data or not: the budget, not the data, stopped the delivery.
    assertThat(match).contains("WARN 01N01");
  }

  @Test
  void freeDataOnlyByPriceNeedsNoBudgetAndWarnsNothing() {
    assertThat(outcome("SELECT r.id FROM holdco.us_only r WHERE r._price_cpm_usd = 0"))
        .isEqualTo("rows=0");
  }

  // ------------------------------------------------------------ 3. no free values through errors

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 1 FROM holdco.us_mail r WHERE r.id = {ID} AND CAST(r.email AS INTEGER) = 0",
        "SELECT 1 FROM holdco.us_mail r WHERE r.id = {ID}"
            + " AND 1 / CASE WHEN r.email < 'u5' THEN 0 ELSE 1 END = 1",
        "SELECT COUNT(*) FROM holdco.us_mail r WHERE r.id = {ID} AND CHAR_LENGTH(r.email)"
            + " / (r.id - {ID}) > 0"
      })
  void atBudgetZeroAnErrorOnARuleRowIsImpossible(String probe) {
    String match = outcome(probe.replace("{ID}", "42"));
    String absent = outcome(probe.replace("{ID}", "100001"));
    assertThat(match).isEqualTo(absent).doesNotContain("ERR");
  }

  @Test
  void anErrorOnARuleRowCarriesNoValueAndChargesTheRow() {
    long before = chargedRows();
    String out =
        outcome(
            "SELECT 1 FROM holdco.us_mail r WHERE r.id = 42 AND CAST(r.email AS INTEGER) = 0"
                + " NO LIMIT");
    assertThat(out).startsWith("ERR 22P02").doesNotContain("u42", "example.com");
    assertThat(chargedRows() - before).isEqualTo(1);
  }

  /**
   * An aggregate computes while its result opens: its error comes before any row. The row it failed
   * on is charged and the ledger entry is final (not left open, holding its reservation).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anErrorWhileTheResultOpensSettlesTheLedger(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    long before = chargedRows();
    assertThat(outcome("SELECT MIN(CAST(r.email AS INTEGER)) FROM holdco.us_mail r NO LIMIT"))
        .isEqualTo("ERR 22P02 Invalid input syntax for a number");
    assertThat(chargedRows() - before).isEqualTo(1);
    assertThat(engine.store().ledger().entriesOf(buycoId))
        .allSatisfy(e -> assertThat(e.status()).isEqualTo("final"));
  }

  // ------------------------------------------------------------------------- 4. barrier shape

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT e.id, COUNT(*) OVER () AS n FROM company_data.events e",
        "SELECT e.country, AVG(CAST(e.amount AS DOUBLE)) OVER (PARTITION BY e.country) AS a"
            + " FROM company_data.events e",
        "SELECT COUNT(*) AS n FROM company_data.events e",
        "SELECT MAX(e.amount) AS m FROM company_data.events e WHERE e.country = 'US'"
      })
  void aRuleWhoseRowsDependOnOtherRowsIsRefused(String query) {
    assertThatThrownBy(
            () ->
                holdco.execute(
                    "CREATE ACCESS RULE \"not_row_local\" PRICE_CPM_USD = 0 SHARE WITH ALL AS "
                        + query))
        .isInstanceOf(NqlException.class)
        .hasMessageStartingWith("Cannot create access rule not_row_local: ")
        .hasMessageContaining("not allowed in a rule");
  }

  /** A buyer's window over a rule sees every rule row, whatever limit is written above it. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aLimitNeverMovesBelowAWindow(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    List<String> rows =
        CanonicalRows.engine(
            buyco,
            "SELECT r.id, COUNT(*) OVER () AS n FROM holdco.us_free r FETCH FIRST 1 ROWS ONLY"
                + " NO LIMIT");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).endsWith(" | " + US_ROWS + " | ");
  }

  // ------------------------------------------------------------------------------ 5. metering

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anInListOfAnyLengthIsAFilterOnTheRule(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    StringJoiner list = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < 21; i++) {
      list.add(Integer.toString(i < 5 ? 2 * i : 100_000 + i)); // 5 of them are US rule rows
    }
    String statement = "SELECT r.id FROM holdco.us_only r WHERE r.id IN " + list + " NO LIMIT";
    long before = chargedRows();
    assertThat(CanonicalRows.engine(buyco, statement)).hasSize(5);
    assertThat(chargedRows() - before).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aLimitOfTheLargestValueWithAnOffsetTakesTheRest(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT r.id FROM holdco.us_free r LIMIT 9223372036854775807 OFFSET 1 NO LIMIT"))
        .hasSize(US_ROWS - 1);
    // Past the row engine's int: a sort, then a limit counted in long.
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT r.id FROM holdco.us_free r ORDER BY r.id LIMIT 2147483648 OFFSET 5"
                    + " NO LIMIT"))
        .hasSize(US_ROWS - 5)
        .startsWith("10 | ");
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT r.id FROM holdco.us_free r OFFSET 9223372036854775807 ROWS"
                    + " FETCH NEXT 100 ROWS ONLY NO LIMIT"))
        .isEmpty();
    // Planner rules read literal limits as int: a larger one used to send Volcano into a loop.
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT r.id FROM holdco.us_free r LEFT JOIN holdco.us_only o ON o.id = r.id"
                    + " LIMIT 9223372036854775807 NO LIMIT"))
        .hasSize(US_ROWS);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aParameterLimitChargesOnlyTheRowsItTakes(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    long before = chargedRows();
    try (StatementResult r =
        buyco.execute("SELECT r.id FROM holdco.us_only r LIMIT ? NO LIMIT", List.of(3))) {
      int n = 0;
      while (r.next() != null) {
        n++;
      }
      assertThat(n).isEqualTo(3);
    }
    assertThat(chargedRows() - before).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theSameRuleTwiceChargesEachRowOnce(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    long before = chargedRows();
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT r.id FROM holdco.us_only r WHERE r.id < 100 UNION ALL"
                    + " SELECT r.id FROM holdco.us_only r WHERE r.id < 60 NO LIMIT"))
        .hasSize(50 + 30);
    assertThat(chargedRows() - before).isEqualTo(50);
    before = chargedRows();
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT COUNT(*) FROM holdco.us_only a JOIN holdco.us_only b ON a.id = b.id + 2"
                    + " WHERE a.id < 100 AND b.id < 100 NO LIMIT"))
        .containsExactly("49 | ");
    assertThat(chargedRows() - before).isEqualTo(50);
  }

  /** A join on an inequality re-reads the rule for every row of the buyer's table. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aRuleReReadPerOuterRowIsChargedOnce(boolean vector) {
    buyco.setProperty("vector_execution", Boolean.toString(vector));
    long before = chargedRows();
    assertThat(
            CanonicalRows.engine(
                buyco,
                "SELECT COUNT(*) FROM company_data.small s JOIN holdco.us_only r ON r.id > s.k"
                    + " WHERE r.id < 20 NO LIMIT"))
        .containsExactly(((9 + 7 + 5) + " | "));
    assertThat(chargedRows() - before).isEqualTo(10);
  }

  /** Shapes whose plans re-read a rule: each rule row is still charged once. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        // LATERAL: the rule is read once per row of the buyer's table
        "SELECT s.k, t.id FROM company_data.small s, LATERAL (SELECT r.id FROM holdco.us_only r"
            + " WHERE r.id > s.k AND r.id < 20) t",
        // a correlated scalar sub-query in the select list
        "SELECT s.k, (SELECT COUNT(*) FROM holdco.us_only r WHERE r.id > s.k AND r.id < 20)"
            + " FROM company_data.small s",
        // recursion: the rule is read in every iteration
        "WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL SELECT t.n + 1 FROM t"
            + " JOIN holdco.us_only r ON r.id = 2 * t.n WHERE t.n < 5 AND r.id < 20)"
            + " SELECT t.n FROM t"
      })
  void reReadingShapesChargeEachRowOnce(String sql) {
    buyco.setProperty("vector_execution", "false");
    long before = chargedRows();
    List<String> rows = CanonicalRows.engine(buyco, sql + " NO LIMIT");
    assertThat(rows).isNotEmpty();
    assertThat(chargedRows() - before).isEqualTo(10);
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Rows, warnings or the error of a statement, as one comparable text. */
  private String outcome(String sql) {
    try (StatementResult r = buyco.execute(sql)) {
      List<String> parts = new ArrayList<>();
      int n = 0;
      while (r.next() != null) {
        n++;
      }
      parts.add("rows=" + n);
      r.warnings().forEach(w -> parts.add("WARN " + w.sqlState() + " " + w.message()));
      return String.join("\n", parts);
    } catch (NqlException e) {
      return "ERR " + e.sqlState() + " " + e.getMessage();
    }
  }

  /** Rows buyco has been charged for through {@code us_only} and {@code us_mail}, all time. */
  private long chargedRows() {
    return engine.store().ledger().entriesOf(buycoId).stream().mapToLong(LedgerEntry::rows).sum();
  }
}
