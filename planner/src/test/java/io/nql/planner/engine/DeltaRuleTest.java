package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.MaterializedViews.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code DELTA} over an access rule: a buyer's view receives the rule's rows added since its last
 * run. Two worlds run the same script of the provider's changes to the rows the rule shows
 * (inserts, updates, deletes) and the buyer's refreshes; in one of them the provider also inserts,
 * updates and deletes rows the rule hides, with copy-on-write statements that rewrite every file of
 * the dataset, visible new rows included. Confidentiality: the buyer's views and the charge of
 * every run are the same in both worlds. Payment and exactness: each run receives, and pays for,
 * exactly the visible rows inserted since the previous run (with their values at the run), each
 * once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaRuleTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private long betaId;

  /** USD per 1,000 rows: one dollar a row. */
  private static final int CPM = 1000;

  private static final long MICROS_PER_ROW = CPM * 1000L;

  @BeforeAll
  void setUp() throws Exception {
    engine =
        io.nql.planner.testing.Marketplace.open(
            dir.resolve("wh"), Files.createDirectories(dir.resolve("ingest")), "acme", "beta");
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

  private static long run(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      return r.updateCount();
    }
  }

  private List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r = beta.execute(sql)) {
      for (List<Object> row : ResultText.read(r, false, 100_000)) {
        out.add(row.stream().map(String::valueOf).collect(Collectors.joining("|")));
      }
    }
    out.sort(null);
    return out;
  }

  /** One world: the provider's dataset and rule, the buyer's view of the rule's delta. */
  private final class World {
    final String name;
    final boolean hiddenChurn;

    World(String name, boolean hiddenChurn) {
      this.name = name;
      this.hiddenChurn = hiddenChurn;
    }

    void create() {
      run(acme, "CREATE DATASET \"" + name + "\" (id BIGINT, region VARCHAR, amount BIGINT)");
      run(
          acme,
          "CREATE ACCESS RULE \""
              + name
              + "_eu\" PRICE_CPM_USD = "
              + CPM
              + " SHARE WITH COMPANIES (beta) AS SELECT id, region, amount FROM company_data."
              + name
              + " WHERE region <> 'internal'");
    }

    void createView() {
      run(
          beta,
          "CREATE MATERIALIZED VIEW \""
              + name
              + "_new\" AS SELECT id, region, amount FROM DELTA(TABLE acme."
              + name
              + "_eu) LIMIT 100000 USD");
    }

    long refresh() {
      return run(beta, "REFRESH MATERIALIZED VIEW \"" + name + "_new\"");
    }

    List<String> view() throws Exception {
      return rows("SELECT id, region, amount FROM company_data." + name + "_new");
    }

    Run lastRun() {
      long id = engine.warehouse().dataset(betaId, name + "_new").orElseThrow().id();
      return engine.store().views().runs(id, 1).get(0);
    }

    void provider(String sql) {
      run(acme, sql.replace("$t", "company_data." + name));
    }

    /** A change to hidden rows only: done in the churning world, skipped in the other. */
    void hidden(String sql) {
      if (hiddenChurn) {
        provider(sql);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {20261207L, 11L, 5L})
  void hiddenRowsChangeNothingAndEachNewVisibleRowIsBoughtOnce(long seed) throws Exception {
    Random random = new Random(seed);
    World plain = new World("plain_" + seed, false);
    World churn = new World("churn_" + seed, true);
    List<World> worlds = List.of(plain, churn);
    worlds.forEach(World::create);
    // the model of the visible rows: id -> "id|region|amount", and the run each was inserted in
    Map<Long, String> visible = new LinkedHashMap<>();
    Map<Long, Integer> insertedIn = new LinkedHashMap<>();
    List<String> delivered = new ArrayList<>();
    int epoch = 0;
    long nextId = 1;
    long nextHidden = 1_000_000;
    boolean viewCreated = false;
    for (int step = 0; step < 40; step++) {
      int action = random.nextInt(10);
      if (action < 4) { // visible inserts, and hidden ones in the churning world
        int n = 1 + random.nextInt(5);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < n; i++) {
          long id = nextId++;
          String region = random.nextBoolean() ? "eu" : "uk";
          long amount = random.nextInt(100);
          values
              .append(i == 0 ? "" : ", ")
              .append(String.format("(%d, '%s', %d)", id, region, amount));
          visible.put(id, id + "|" + region + "|" + amount);
          insertedIn.put(id, epoch);
        }
        for (World w : worlds) {
          w.provider("INSERT INTO $t VALUES " + values);
        }
        long h = nextHidden;
        nextHidden += 3;
        churn.hidden(
            String.format(
                "INSERT INTO $t VALUES (%d, 'internal', 1), (%d, 'internal', 2), (%d, 'internal', 3)",
                h, h + 1, h + 2));
      } else if (action == 4 && !visible.isEmpty()) { // a visible update
        long id = new ArrayList<>(visible.keySet()).get(random.nextInt(visible.size()));
        long amount = 100 + random.nextInt(100);
        for (World w : worlds) {
          w.provider("UPDATE $t SET amount = " + amount + " WHERE id = " + id);
        }
        String[] parts = visible.get(id).split("\\|");
        visible.put(id, parts[0] + "|" + parts[1] + "|" + amount);
      } else if (action == 5 && !visible.isEmpty()) { // a visible delete
        long id = new ArrayList<>(visible.keySet()).get(random.nextInt(visible.size()));
        for (World w : worlds) {
          w.provider("DELETE FROM $t WHERE id = " + id);
        }
        visible.remove(id);
        insertedIn.remove(id);
      } else if (action == 6) { // hidden churn: every file rewritten
        churn.hidden("UPDATE $t SET amount = amount + 1 WHERE region = 'internal'");
        churn.hidden("DELETE FROM $t WHERE region = 'internal' AND MOD(amount, 3) = 0");
      } else { // the buyer's run
        List<Long> expected = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : insertedIn.entrySet()) {
          if (!viewCreated || e.getValue() == epoch) {
            expected.add(e.getKey());
          }
        }
        List<Long> written = new ArrayList<>();
        List<Long> spent = new ArrayList<>();
        for (World w : worlds) {
          if (viewCreated) {
            written.add(w.refresh());
          } else {
            w.createView();
            written.add(w.lastRun().rowsWritten());
          }
          spent.add(w.lastRun().spentMicros());
        }
        viewCreated = true;
        epoch++;
        expected.forEach(id -> delivered.add(visible.get(id)));
        assertThat(written).as("rows of run %d", epoch).containsOnly((long) expected.size());
        assertThat(spent)
            .as("charge of run %d", epoch)
            .containsOnly(expected.size() * MICROS_PER_ROW);
        List<String> want = new ArrayList<>(delivered);
        want.sort(null);
        assertThat(plain.view()).as("after run %d", epoch).isEqualTo(want);
        assertThat(churn.view()).as("after run %d", epoch).isEqualTo(want);
      }
    }
    assertThat(viewCreated).isTrue();
    assertThat(delivered).isNotEmpty();
  }

  @Test
  void aRowByRowQueryOfARuleIsReadIncrementallyAndHiddenNamesStayHidden() throws Exception {
    run(acme, "CREATE DATASET \"visits\" (id BIGINT, region VARCHAR, amount BIGINT)");
    run(
        acme,
        "CREATE ACCESS RULE \"visits_eu\" PRICE_CPM_USD = "
            + CPM
            + " SHARE WITH COMPANIES (beta) AS SELECT id, amount FROM company_data.visits WHERE"
            + " region <> 'internal'");
    run(
        acme,
        "INSERT INTO company_data.visits VALUES (1, 'eu', 10), (2, 'internal', 20), (3, 'eu', 30)");
    String create =
        "CREATE MATERIALIZED VIEW \"big_visits\" AS SELECT * FROM DELTA((SELECT id, amount * 2"
            + " AS doubled FROM acme.visits_eu v WHERE v.amount >= 20)) LIMIT 1000 USD";
    // the forecast of its first run reads the whole rule, and creates nothing
    try (StatementResult r = beta.execute("EXPLAIN " + create)) {
      assertThat(ResultText.read(r, false, 100)).isNotEmpty();
    }
    assertThat(engine.warehouse().dataset(betaId, "big_visits")).isEmpty();
    run(beta, create);
    assertThat(rows("SELECT id, doubled FROM company_data.big_visits")).containsExactly("3|60");
    run(
        acme,
        "INSERT INTO company_data.visits VALUES (4, 'eu', 40), (5, 'internal', 50), (6, 'eu', 5)");
    assertThat(run(beta, "REFRESH MATERIALIZED VIEW \"big_visits\"")).isEqualTo(1);
    assertThat(rows("SELECT id, doubled FROM company_data.big_visits"))
        .containsExactly("3|60", "4|80");
    // the provider's dataset is not readable incrementally by the buyer, nor named in the error
    assertThatThrownBy(
            () ->
                run(
                    beta,
                    "CREATE MATERIALIZED VIEW \"raw\" AS SELECT * FROM DELTA(TABLE acme.visits)"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("0A000"));
    assertThat(engine.warehouse().dataset(betaId, "raw")).isEmpty();
  }
}
