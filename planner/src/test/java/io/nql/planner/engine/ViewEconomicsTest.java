package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.LedgerEntry;
import io.nql.planner.store.MaterializedViews.Run;
import io.nql.planner.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The economics of a scheduled view over simulated months: a provider adds a random number of rows
 * every day to a rule at a random price, a buyer's view runs every day at midnight (the scheduler,
 * on the test's clock) under a random monthly budget. Each month the view's runs spend at most the
 * budget, and within one row's price of it whenever the month offered more than it could buy (the
 * budget is shared by the month's runs, not per run); every run is charged exactly its rows times
 * the price, the ledger holds exactly what the runs recorded, and the view holds exactly the rows
 * its runs wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewEconomicsTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private long betaId;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));

  @BeforeAll
  void setUp() throws Exception {
    engine =
        io.nql.planner.testing.Marketplace.open(
            dir.resolve("wh"), Files.createDirectories(dir.resolve("ingest")), "acme", "beta");
    engine.useClock(clock);
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

  @ParameterizedTest
  @ValueSource(longs = {20261207L, 7L})
  void monthlyBudgetsHoldAndTheLedgerIsExactOverTwoMonthsOfDailyRuns(long seed) throws Exception {
    Random random = new Random(seed);
    String feed = "feed_" + seed;
    String view = "daily_" + seed;
    int cpm = List.of(700, 1000, 1500, 2500).get(random.nextInt(4)); // USD per 1,000 rows
    long microsPerRow = cpm * 1000L;
    int budgetUsd = 5 + random.nextInt(16);
    acme.execute("CREATE DATASET \"" + feed + "\" (id BIGINT, day DATE)").close();
    acme.execute(
            "CREATE ACCESS RULE \""
                + feed
                + "_rule\" PRICE_CPM_USD = "
                + cpm
                + " SHARE WITH COMPANIES (beta) AS SELECT id, day FROM company_data."
                + feed)
        .close();
    clock.now = Instant.parse("2026-11-30T12:00:00Z");
    beta.execute(
            "CREATE MATERIALIZED VIEW \""
                + view
                + "\" REFRESH_SCHEDULE = '@daily' AS SELECT id, day FROM acme."
                + feed
                + "_rule LIMIT "
                + budgetUsd
                + " USD PER CALENDAR_MONTH")
        .close();
    ViewScheduler scheduler = ViewScheduler.manual(engine);
    Map<YearMonth, Long> spentByMonth = new HashMap<>();
    Map<YearMonth, Boolean> moreThanBudget = new HashMap<>();
    long available = 0; // rows in the rule
    long id = 0;
    long previousRuns = 1;
    for (LocalDate day = LocalDate.of(2026, 12, 1);
        day.isBefore(LocalDate.of(2027, 2, 1));
        day = day.plusDays(1)) {
      int added = random.nextInt(9);
      if (added > 0) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < added; i++) {
          values
              .append(i == 0 ? "" : ", ")
              .append("(")
              .append(++id)
              .append(", DATE '")
              .append(day)
              .append("')");
        }
        acme.execute("INSERT INTO company_data." + feed + " VALUES " + values).close();
        available += added;
      }
      clock.now = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      scheduler.pass();
      List<Run> runs = engine.store().views().runs(datasetId(view), 1000);
      assertThat(runs).as("a run on %s", day).hasSize((int) ++previousRuns);
      Run run = runs.get(0);
      assertThat(run.status()).isEqualTo("ok");
      assertThat(run.spentMicros()).as("%s", day).isEqualTo(run.rowsWritten() * microsPerRow);
      YearMonth month = YearMonth.from(day);
      spentByMonth.merge(month, run.spentMicros(), Long::sum);
      if (available * microsPerRow > budgetUsd * 1_000_000L) {
        moreThanBudget.put(month, true); // the month's first run alone could spend it all
      }
    }
    for (Map.Entry<YearMonth, Long> m : spentByMonth.entrySet()) {
      long limit = budgetUsd * 1_000_000L;
      assertThat(m.getValue()).as("spent in %s", m.getKey()).isLessThanOrEqualTo(limit);
      if (moreThanBudget.getOrDefault(m.getKey(), false)) {
        assertThat(m.getValue()).as("spent in %s", m.getKey()).isGreaterThan(limit - microsPerRow);
      }
    }
    assertThat(spentByMonth).containsKeys(YearMonth.of(2026, 12), YearMonth.of(2027, 1));

    // the ledger holds exactly what each run recorded; the view exactly the rows written
    List<Run> runs = engine.store().views().runs(datasetId(view), 1000);
    Map<String, long[]> ledger = new HashMap<>();
    for (LedgerEntry e : engine.store().ledger().entriesOf(betaId)) {
      long[] t = ledger.computeIfAbsent(e.statementId(), k -> new long[2]);
      t[0] += e.rows();
      t[1] += e.amountMicros();
    }
    long written = 0;
    for (Run r : runs) {
      long[] t = ledger.getOrDefault(r.statementId(), new long[2]);
      assertThat(t[1]).as("ledger of run %s", r.statementId()).isEqualTo(r.spentMicros());
      assertThat(t[0]).as("rows of run %s", r.statementId()).isEqualTo(r.rowsWritten());
      written += r.rowsWritten();
    }
    try (StatementResult r = beta.execute("SELECT COUNT(*) FROM company_data." + view)) {
      assertThat(String.valueOf(ResultText.read(r, false, 10).get(0).get(0)))
          .isEqualTo(String.valueOf(written));
    }
    beta.execute("DROP MATERIALIZED VIEW \"" + view + "\"").close();
  }

  private long datasetId(String view) {
    return engine.warehouse().dataset(betaId, view).orElseThrow().id();
  }
}
