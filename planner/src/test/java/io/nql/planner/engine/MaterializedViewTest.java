package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import io.nql.planner.store.MaterializedViews.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Materialized views of a buyer over a provider's priced rule: created from the query's columns and
 * filled by a first run, refreshed (appended or overwritten, one snapshot each), capped by their
 * budget per run and per period across runs, recorded run by run; a failed run keeps the previous
 * rows; bad definitions leave nothing behind. The rule shows ids 1..40 except multiples of 4 (30
 * rows) at 1 USD a row; expected rows and amounts follow from that.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaterializedViewTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private long betaId;

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    betaId = engine.store().company("beta").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    engine.close();
  }

  private static long update(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      assertThat(r.isQuery()).isFalse();
      return r.updateCount();
    }
  }

  private static List<String> column(NqlSession s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 1000)) {
        out.add(String.valueOf(row.get(0)));
      }
    }
    return out;
  }

  private long spentMicros() {
    long spent = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(betaId)) {
      if (e.buyerCompanyId() == betaId) {
        spent += e.amountMicros();
      }
    }
    return spent;
  }

  private List<Run> runs(String view) {
    long id = engine.warehouse().dataset(betaId, view).orElseThrow().id();
    return engine.store().views().runs(id, 100);
  }

  private static List<String> ids(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      if (i % 4 != 0) {
        out.add(String.valueOf(i));
      }
    }
    return out;
  }

  @Test
  void aViewIsCreatedFilledAndChargedLikeItsQuery() throws Exception {
    long before = spentMicros();
    assertThat(
            update(
                beta,
                "CREATE MATERIALIZED VIEW \"eu_people\" DISPLAY_NAME = 'EU people'"
                    + " TAGS = ('crm', 'eu') AS SELECT id, region AS area FROM acme.people_eu"
                    + " WHERE id <= 20 LIMIT 100 USD"))
        .isEqualTo(15);
    assertThat(column(beta, "SELECT id FROM company_data.eu_people ORDER BY id"))
        .isEqualTo(ids(1, 20));
    assertThat(column(beta, "SELECT DISTINCT area FROM company_data.eu_people"))
        .containsExactly("eu");
    assertThat(spentMicros() - before).isEqualTo(15_000_000L);
    List<Run> runs = runs("eu_people");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).trigger()).isEqualTo("create");
    assertThat(runs.get(0).status()).isEqualTo("ok");
    assertThat(runs.get(0).rowsWritten()).isEqualTo(15);
    assertThat(runs.get(0).spentMicros()).isEqualTo(15_000_000L);
    assertThat(runs.get(0).snapshotId()).isNotNull();

    // append mode (the default): a refresh adds the query's rows again, charged again
    assertThat(update(beta, "REFRESH MATERIALIZED VIEW \"eu_people\"")).isEqualTo(15);
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.eu_people")).containsExactly("30");
    assertThat(spentMicros() - before).isEqualTo(30_000_000L);

    try (StatementResult r = beta.execute("SHOW MATERIALIZED VIEWS")) {
      List<List<Object>> shown = ResultText.read(r, false, 10);
      shown.removeIf(row -> !row.get(0).equals("eu_people")); // other tests' views
      assertThat(shown).hasSize(1);
      List<Object> v = shown.get(0);
      assertThat(v.get(0)).isEqualTo("eu_people");
      assertThat(v.get(1)).isEqualTo("EU people");
      assertThat(v.get(3)).isEqualTo("@once");
      assertThat(v.get(4)).isEqualTo("append");
      assertThat(v.get(6)).isEqualTo("crm, eu");
      assertThat(v.get(7)).isEqualTo("LIMIT 100 USD");
      assertThat(v.get(8)).isEqualTo("ok");
      assertThat(v.get(10)).isEqualTo("15");
      assertThat(v.get(11)).isEqualTo("30");
      assertThat(v.get(12)).isEqualTo("2");
      assertThat(v.get(13)).isEqualTo("30.000000");
    }
    // the provider sees none of it
    try (StatementResult r = acme.execute("SHOW MATERIALIZED VIEWS")) {
      assertThat(ResultText.read(r, false, 10)).isEmpty();
    }
    update(beta, "DROP MATERIALIZED VIEW \"eu_people\"");
    assertThatThrownBy(() -> column(beta, "SELECT id FROM company_data.eu_people"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
  }

  @Test
  void anOverwritingViewHoldsItsLastRunOnly() throws Exception {
    update(
        beta,
        "CREATE MATERIALIZED VIEW \"latest\" WRITE_MODE = 'overwrite' AS"
            + " SELECT id FROM acme.people_eu WHERE id > 30 NO LIMIT");
    assertThat(column(beta, "SELECT id FROM company_data.latest ORDER BY id"))
        .isEqualTo(ids(31, 40));
    long first = runs("latest").get(0).snapshotId();
    assertThat(update(beta, "REFRESH MATERIALIZED VIEW latest")).isEqualTo(ids(31, 40).size());
    assertThat(column(beta, "SELECT id FROM company_data.latest ORDER BY id"))
        .isEqualTo(ids(31, 40));
    assertThat(runs("latest").get(0).snapshotId()).isNotEqualTo(first);
    update(beta, "DROP MATERIALIZED VIEW latest");
  }

  @Test
  void expiredRowsLeaveWithTheNextRunInTheSameSnapshot() throws Exception {
    // rows written more than two seconds before a run expire with that run
    update(
        beta,
        "CREATE MATERIALIZED VIEW \"recent\" EXPIRE = 'PT2S' AS"
            + " SELECT id FROM acme.people_eu WHERE id <= 2 NO LIMIT");
    update(beta, "REFRESH MATERIALIZED VIEW \"recent\"");
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.recent")).containsExactly("4");
    Thread.sleep(2_500);
    int snapshots = snapshots("recent");
    assertThat(update(beta, "REFRESH MATERIALIZED VIEW \"recent\"")).isEqualTo(2);
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.recent")).containsExactly("2");
    assertThat(snapshots("recent")).isEqualTo(snapshots + 1); // new rows and expiry: one snapshot
    update(beta, "REFRESH MATERIALIZED VIEW \"recent\"");
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.recent")).containsExactly("4");
    update(beta, "DROP MATERIALIZED VIEW \"recent\"");

    // expire_everything: each run keeps its own rows only
    update(
        beta,
        "CREATE MATERIALIZED VIEW \"latest_only\" EXPIRE = 'expire_everything' AS"
            + " SELECT id FROM acme.people_eu WHERE id <= 3 NO LIMIT");
    update(beta, "REFRESH MATERIALIZED VIEW \"latest_only\"");
    update(beta, "REFRESH MATERIALIZED VIEW \"latest_only\"");
    assertThat(column(beta, "SELECT id FROM company_data.latest_only ORDER BY id"))
        .containsExactly("1", "2", "3");
    update(beta, "DROP MATERIALIZED VIEW \"latest_only\"");
  }

  private int snapshots(String view) {
    int n = 0;
    for (var ignored :
        engine
            .warehouse()
            .loadTable(engine.warehouse().dataset(betaId, view).orElseThrow())
            .snapshots()) {
      n++;
    }
    return n;
  }

  @Test
  void anOverwritingRunThatCouldBuyNothingKeepsTheRowsBought() throws Exception {
    StatementResult created =
        beta.execute(
            "CREATE MATERIALIZED VIEW \"kept\" WRITE_MODE = 'overwrite' AS"
                + " SELECT id FROM acme.people_eu LIMIT 5 USD PER CALENDAR_DAY");
    assertThat(created.updateCount()).isEqualTo(5);
    created.close();
    long snapshot = runs("kept").get(0).snapshotId();
    StatementResult again = beta.execute("REFRESH MATERIALIZED VIEW \"kept\"");
    assertThat(again.updateCount()).isZero();
    assertThat(again.warnings()).hasSize(1);
    again.close();
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.kept")).containsExactly("5");
    assertThat(runs("kept").get(0).snapshotId()).isNull();
    assertThat(
            engine
                .warehouse()
                .loadTable(engine.warehouse().dataset(betaId, "kept").orElseThrow())
                .currentSnapshot()
                .snapshotId())
        .isEqualTo(snapshot);
    update(beta, "DROP MATERIALIZED VIEW \"kept\"");
  }

  @Test
  void aBudgetCutsARunShortWithAWarningAndAPeriodBudgetSpansRuns() throws Exception {
    // 12 USD per calendar month at 1 USD a row: the first run buys 12 of 30 rows, the next none
    StatementResult created =
        beta.execute(
            "CREATE MATERIALIZED VIEW \"capped\" AS SELECT id FROM acme.people_eu"
                + " LIMIT 12 USD PER CALENDAR_MONTH");
    assertThat(created.updateCount()).isEqualTo(12);
    assertThat(created.warnings()).hasSize(1);
    assertThat(created.warnings().get(0).message()).contains("12 rows bought");
    created.close();
    StatementResult again = beta.execute("REFRESH MATERIALIZED VIEW \"capped\"");
    assertThat(again.updateCount()).isZero();
    assertThat(again.warnings()).hasSize(1);
    again.close();
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.capped")).containsExactly("12");
    List<Run> runs = runs("capped");
    assertThat(runs).extracting(Run::budgetCut).containsExactly(true, true);
    assertThat(runs.stream().mapToLong(Run::spentMicros).sum()).isEqualTo(12_000_000L);
    update(beta, "DROP MATERIALIZED VIEW \"capped\"");
  }

  @Test
  void aViewWithoutABudgetClauseKeepsTheSessionBudgetOfItsCreation() throws Exception {
    beta.setProperty("budget_usd", "3");
    try {
      StatementResult r =
          beta.execute("CREATE MATERIALIZED VIEW \"small\" AS SELECT id FROM acme.people_eu");
      assertThat(r.updateCount()).isEqualTo(3);
      r.close();
    } finally {
      beta.setProperty("budget_usd", "0");
    }
    // refreshed under a session budget of 0, the view's own 3 USD still apply
    assertThat(update(beta, "REFRESH MATERIALIZED VIEW \"small\"")).isEqualTo(3);
    assertThat(column(beta, "SELECT COUNT(*) FROM company_data.small")).containsExactly("6");
    update(beta, "DROP MATERIALIZED VIEW \"small\"");
  }

  @Test
  void badDefinitionsLeaveNothingBehind() throws Exception {
    assertThatThrownBy(
            () ->
                update(
                    beta,
                    "CREATE MATERIALIZED VIEW \"twice\" AS SELECT id, id FROM acme.people_eu"
                        + " NO LIMIT"))
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.sqlState()).isEqualTo("42701");
              assertThat(e.getMessage()).contains("twice").contains("id");
            });
    assertThatThrownBy(
            () ->
                update(
                    beta, "CREATE MATERIALIZED VIEW \"bad-name\" AS SELECT id FROM acme.people_eu"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42602"));
    assertThatThrownBy(
            () ->
                update(
                    beta,
                    "CREATE MATERIALIZED VIEW \"unnamed\" AS SELECT id + 1 FROM acme.people_eu"))
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> assertThat(e.getMessage()).contains("column 1 (").contains(") has no name"));
    assertThatThrownBy(
            () ->
                update(
                    beta,
                    "CREATE MATERIALIZED VIEW \"nope\" AS SELECT missing FROM acme.people_eu"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42703"));
    // a run that fails at execution (division by zero on a bought row) leaves no view either
    assertThatThrownBy(
            () ->
                update(
                    beta,
                    "CREATE MATERIALIZED VIEW \"fails\" AS SELECT id / (id - 5) AS x"
                        + " FROM acme.people_eu NO LIMIT"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
    List<String> attempted = List.of("twice", "bad-name", "unnamed", "nope", "fails");
    try (StatementResult r = beta.execute("SHOW DATASETS")) {
      assertThat(ResultText.read(r, false, 100))
          .extracting(row -> String.valueOf(row.get(1)))
          .doesNotContainAnyElementsOf(attempted);
    }
    try (StatementResult r = beta.execute("SHOW MATERIALIZED VIEWS")) {
      assertThat(ResultText.read(r, false, 100))
          .extracting(row -> String.valueOf(row.get(0)))
          .doesNotContainAnyElementsOf(attempted);
    }
    beta.execute("CREATE DATASET \"plain\" (id BIGINT)").close();
    assertThatThrownBy(() -> update(beta, "CREATE MATERIALIZED VIEW \"plain\" AS SELECT 1 AS x"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P07"));
    assertThatThrownBy(() -> update(beta, "REFRESH MATERIALIZED VIEW \"plain\""))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42809"));
    assertThatThrownBy(() -> update(beta, "DROP MATERIALIZED VIEW \"nothing\""))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    update(beta, "DROP DATASET \"plain\"");
  }

  @Test
  void aFailedRefreshKeepsThePreviousRows() throws Exception {
    acme.execute("CREATE DATASET \"numbers\" (n INTEGER)").close();
    acme.execute("INSERT INTO company_data.numbers VALUES (1), (2)").close();
    update(
        acme,
        "CREATE MATERIALIZED VIEW \"inverse\" AS SELECT 10 / n AS q FROM company_data.numbers");
    long snapshot = runs(acme, "inverse").get(0).snapshotId();
    acme.execute("INSERT INTO company_data.numbers VALUES (0)").close();
    assertThatThrownBy(() -> update(acme, "REFRESH MATERIALIZED VIEW \"inverse\""))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
    assertThat(column(acme, "SELECT q FROM company_data.inverse ORDER BY q"))
        .containsExactly("5", "10");
    List<Run> runs = runs(acme, "inverse");
    assertThat(runs.get(0).status()).isEqualTo("error");
    assertThat(runs.get(0).sqlState()).isEqualTo("22012");
    assertThat(runs.get(0).snapshotId()).isNull();
    long id = engine.warehouse().dataset(acmeId(), "inverse").orElseThrow().id();
    assertThat(
            engine
                .warehouse()
                .loadTable(engine.warehouse().datasetById(acmeId(), id).orElseThrow())
                .currentSnapshot()
                .snapshotId())
        .isEqualTo(snapshot);
    try (StatementResult r = acme.execute("SHOW MATERIALIZED VIEWS")) {
      assertThat(String.valueOf(ResultText.read(r, false, 10).get(0).get(8)))
          .startsWith("error 22012");
    }
    update(acme, "DROP MATERIALIZED VIEW \"inverse\"");
    update(acme, "DROP DATASET \"numbers\"");
  }

  private long acmeId() {
    return engine.store().company("acme").orElseThrow().id();
  }

  private List<Run> runs(NqlSession owner, String view) {
    long id = engine.warehouse().dataset(acmeId(), view).orElseThrow().id();
    return engine.store().views().runs(id, 100);
  }
}
