package io.nql.planner.policy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.policy.harness.Observation.Aspect;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures the harnesses found (issue 9), one minimal statement each in the worlds of the
 * harnesses, kept as regression tests: each once failed and is fixed. Expected values come from the
 * worlds' data ({@link WorldData}), not from the code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarnessFindingsTest {
  @TempDir static Path dir;

  private final WorldData data = WorldData.base();
  private HarnessWorld base;
  private final Map<Difference, HarnessWorld> worlds = new EnumMap<>(Difference.class);

  @AfterAll
  void tearDown() {
    worlds.values().forEach(HarnessWorld::close);
    if (base != null) {
      base.close();
    }
  }

  @Test
  void rowLimitsBeyondTheIntegerRangeWork() throws Exception {
    Observation o =
        observe(
            base(),
            "SELECT t1.id AS c1 FROM {US} t1 LIMIT 9223372036854775807" + " OFFSET 2 NO LIMIT",
            Budget.DEFAULT,
            Map.of());
    assertThat(o.error()).isNull();
    assertThat(o.rows()).hasSize(WorldData.US_ROWS - 2);
    HarnessStatement union =
        statement(
            "SELECT t1.id AS c1 FROM {OWN} t1 UNION ALL SELECT t2.id AS c1 FROM {D1} t2"
                + " ORDER BY 1 LIMIT 9223372036854775807",
            Budget.DEFAULT,
            Map.of());
    try (Observers observers = new Observers(1)) {
      // the planner once never finished this one
      Observation all = observers.all(List.of(() -> base().observe(union, true))).get(0);
      assertThat(all.error()).isNull();
      assertThat(all.rows()).hasSize(data.buyerEvents().size() + data.buyerDigitRows().size());
    }
  }

  @Test
  void budgetCutDoesNotTellWhetherUnboughtRowsExist() {
    // at budget 0: the base world has us_events rows, the other world none
    assertIndistinguishable(
        Difference.UNPAID_ROWS, "SELECT t1.id AS c1 FROM {US} t1", Budget.DEFAULT);
    // 0.12 USD buys the base world's 60 rows; the other world has 50 more after them
    assertIndistinguishable(
        Difference.UNAFFORDABLE_ROWS,
        "SELECT t1.id AS c1 FROM {US} t1",
        Budget.clause("LIMIT 0.12 USD"));
  }

  @Test
  void unpaidRowsRaiseNoErrors() {
    // the base world has an us_events row with amount 1234.56 (too large for DECIMAL(5, 2)); at
    // budget 0 it is not bought, and the other world has no such row
    assertIndistinguishable(
        Difference.UNPAID_ROWS,
        "SELECT t1.qty AS c1 FROM {US} t1 WHERE CAST(t1.amount AS DECIMAL(5, 2)) < 42.10",
        Budget.clause("BUDGET 0 USD"));
  }

  @Test
  void planDoesNotDependOnHiddenRows() {
    // the hidden-rows world has 170 rows no rule shows where the base world has 120
    assertIndistinguishable(
        Difference.HIDDEN_ROWS,
        "EXPLAIN PLAN FOR SELECT t1.amount AS c1 FROM {US} t1 JOIN {OWN} t2 ON t1.id = t2.id"
            + " JOIN {D2} t3 ON t2.grp = t3.grp WHERE POSITION('a' IN t2.tag) BETWEEN 2 AND 6",
        Budget.DEFAULT);
  }

  @Test
  void errorsQuoteNoDataValues() {
    String sql = "SELECT CAST(t1.code AS INTEGER) AS c1 FROM {US} t1";
    Observation o = observe(base(), sql, Budget.clause("NO LIMIT"), Map.of());
    // a visible row has code '7x': the cast fails, and the message must not say with which value
    assertThat(o.error()).startsWith("22");
    assertThat(
            new DataValues(List.of(data))
                .quotedIn(
                    o.error(), statement(sql, Budget.DEFAULT, Map.of()).render(base().tables())))
        .isEmpty();
  }

  @Test
  void ruleRowReadTwiceIsChargedOnce() {
    Observation o =
        observe(
            base(),
            "SELECT COUNT(*) AS c1 FROM {US} a JOIN {US} b ON a.id = b.id",
            Budget.clause("NO LIMIT"),
            Map.of());
    assertThat(rowsCharged(o, HarnessSource.US)).isEqualTo(usRows());
  }

  @Test
  void rowsALongInListRejectsAreNotCharged() {
    // the first 25 ids of the provider's file, of any country
    StringJoiner ids = new StringJoiner(", ", "(", ")");
    long matching = 0;
    for (ProviderRow r : data.providerEvents().subList(0, 25)) {
      ids.add(Long.toString(r.id()));
      matching += "USA".equals(r.country()) ? 1 : 0;
    }
    Observation o =
        observe(
            base(),
            "SELECT t1.id AS c1 FROM {US} t1 WHERE t1.id IN " + ids,
            Budget.clause("NO LIMIT"),
            Map.of());
    assertThat(o.rows()).hasSize((int) matching);
    assertThat(rowsCharged(o, HarnessSource.US)).isEqualTo(matching);
  }

  @Test
  void rowLimitStaysAboveAWindow() {
    Observation o =
        observe(
            base(),
            "SELECT w.* FROM (SELECT t1.id AS c1, COUNT(*) OVER () AS c2 FROM {US} t1) w LIMIT 1",
            Budget.clause("NO LIMIT"),
            Map.of());
    // the window counts every us_events row, whichever row the limit keeps
    assertThat(o.rows()).singleElement().asString().endsWith(" | " + usRows() + " | ");
    assertThat(rowsCharged(o, HarnessSource.US)).isEqualTo(usRows());
  }

  @Test
  void longInListInAScalarSubqueryWorks() {
    StringJoiner groups = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < 25; i++) {
      groups.add(Integer.toString(i % 10));
    }
    Observation o =
        observe(
            base(),
            "SELECT t1.id AS c1, (SELECT COUNT(*) FROM {OWN} t2 WHERE t2.grp IN "
                + groups
                + ") AS c2 FROM {D1} t1",
            Budget.DEFAULT,
            Map.of());
    assertThat(o.error()).isNull();
    assertThat(o.rows()).hasSize(data.buyerDigitRows().size());
  }

  @Test
  void failedStatementLeavesItsLedgerFinal() {
    // us_events shows rows with grp = 0: the aggregate fails before the result is returned
    Observation o =
        observe(
            base(),
            "SELECT t1.id / 50 AS c1, SUM(t1.id) AS c2 FROM {US} t1 WHERE 100 / t1.grp <> 52"
                + " GROUP BY t1.id / 50",
            Budget.clause("NO LIMIT"),
            Map.of());
    assertThat(o.error()).startsWith("22012");
    assertThat(o.ledger()).allSatisfy(e -> assertThat(e).endsWith(" final"));
  }

  @Test
  void parameterLimitChargesNoRowAfterTheLast() {
    Observation o =
        observe(
            base(),
            "SELECT t1.id AS c1 FROM {US} t1 LIMIT ?{0}",
            Budget.session("1000"),
            Map.of(0, 1));
    assertThat(o.rows()).hasSize(1);
    assertThat(rowsCharged(o, HarnessSource.US)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------- helpers

  private HarnessWorld base() {
    if (base == null) {
      base = HarnessWorld.create(dir.resolve("base"), data);
    }
    return base;
  }

  private HarnessWorld world(Difference d) {
    return worlds.computeIfAbsent(
        d, k -> HarnessWorld.create(dir.resolve(k.name()), k.apply(data)));
  }

  private long usRows() {
    return data.providerEvents().stream().filter(r -> "USA".equals(r.country())).count();
  }

  private static HarnessStatement statement(
      String sql, Budget budget, Map<Integer, Object> params) {
    return new HarnessStatement(
        0,
        0,
        StatementGenerator.Mode.ANY_BUDGET,
        "reproduction",
        sql,
        params,
        budget,
        false,
        List.of(),
        null,
        List.of(),
        null);
  }

  private static Observation observe(
      HarnessWorld w, String sql, Budget budget, Map<Integer, Object> params) {
    return w.observe(statement(sql, budget, params), true);
  }

  private void assertIndistinguishable(Difference d, String sql, Budget budget) {
    HarnessStatement s = statement(sql, budget, Map.of());
    for (boolean vector : List.of(true, false)) {
      Observation a = base().observe(s, vector);
      Observation b = world(d).observe(s, vector);
      assertThat(a.differences(b, EnumSet.allOf(Aspect.class)))
          .as("%s (vector %s)%n base: %s%n %s: %s", sql, vector, a.render(), d, b.render())
          .isEmpty();
    }
  }

  private static long rowsCharged(Observation o, HarnessSource rule) {
    long rows = 0;
    for (String line : o.ledger()) {
      String[] f = line.split(" ");
      if (f[3].equals(rule.ruleName())) {
        rows += Long.parseLong(f[5].substring("rows=".length()));
      }
    }
    return rows;
  }
}
