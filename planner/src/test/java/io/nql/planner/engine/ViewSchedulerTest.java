package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.MaterializedViews.Run;
import io.nql.planner.store.MaterializedViews.View;
import io.nql.planner.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler runs a view when its schedule says, once per due time however many passes (and
 * schedulers) look, once for all the times missed while nothing ran, retries a failed run after 1,
 * 2 and 4 minutes and then waits for its next time. Time is the test's clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewSchedulerTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;
  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:20:00Z"));

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    engine.useClock(clock);
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    engine.close();
  }

  private View view(String company, String name) {
    long companyId = engine.store().company(company).orElseThrow().id();
    long id = engine.warehouse().dataset(companyId, name).orElseThrow().id();
    return engine.store().views().get(companyId, id).orElseThrow();
  }

  private List<Run> runs(String company, String name) {
    return engine.store().views().runs(view(company, name).datasetId(), 100);
  }

  private long count(NqlSession s, String table) throws Exception {
    try (StatementResult r = s.execute("SELECT COUNT(*) FROM company_data." + table)) {
      return Long.parseLong(String.valueOf(ResultText.read(r, false, 10).get(0).get(0)));
    }
  }

  @Test
  void aViewRunsWhenDueOnceAndOnceForTheTimesMissed() throws Exception {
    clock.now = Instant.parse("2026-12-07T10:20:00Z");
    beta.execute(
            "CREATE MATERIALIZED VIEW \"hourly\" REFRESH_SCHEDULE = '@hourly' AS"
                + " SELECT id FROM acme.people_eu WHERE id <= 4 NO LIMIT")
        .close();
    assertThat(count(beta, "hourly")).isEqualTo(3);
    assertThat(view("beta", "hourly").nextRunAt()).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
    ViewScheduler scheduler = ViewScheduler.manual(engine);

    clock.now = Instant.parse("2026-12-07T10:59:59Z");
    assertThat(scheduler.pass()).isZero();
    clock.now = Instant.parse("2026-12-07T11:00:00Z");
    assertThat(scheduler.pass()).isEqualTo(1);
    assertThat(scheduler.pass()).isZero(); // the 11:00 run is done; next at 12:00
    assertThat(count(beta, "hourly")).isEqualTo(6);

    // down from 11:00 to 15:30: one run for the four missed times, then the next hour
    clock.now = Instant.parse("2026-12-07T15:30:00Z");
    assertThat(scheduler.pass()).isEqualTo(1);
    assertThat(scheduler.pass()).isZero();
    assertThat(view("beta", "hourly").nextRunAt()).isEqualTo(Instant.parse("2026-12-07T16:00:00Z"));
    assertThat(runs("beta", "hourly"))
        .extracting(Run::trigger)
        .containsExactly("schedule", "schedule", "create");
    // a REFRESH between times keeps the schedule
    beta.execute("REFRESH MATERIALIZED VIEW \"hourly\"").close();
    assertThat(view("beta", "hourly").nextRunAt()).isEqualTo(Instant.parse("2026-12-07T16:00:00Z"));
    beta.execute("DROP MATERIALIZED VIEW \"hourly\"").close();
  }

  @Test
  void twoSchedulersRunADueTimeOnce() throws Exception {
    clock.now = Instant.parse("2026-12-07T10:20:00Z");
    beta.execute(
            "CREATE MATERIALIZED VIEW \"shared\" REFRESH_SCHEDULE = '*/15 * * * *' AS"
                + " SELECT id FROM acme.people_eu WHERE id <= 2 NO LIMIT")
        .close();
    clock.now = Instant.parse("2026-12-07T10:30:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> passes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ViewScheduler s = ViewScheduler.manual(engine);
        passes.add(s::pass);
      }
      int ran = 0;
      for (Future<Integer> f : pool.invokeAll(passes)) {
        ran += f.get();
      }
      assertThat(ran).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(runs("beta", "shared"))
        .extracting(Run::trigger)
        .containsExactly("schedule", "create");
    beta.execute("DROP MATERIALIZED VIEW \"shared\"").close();
  }

  @Test
  void aFailingRunIsRetriedThreeTimesThenWaitsForItsNextTime() throws Exception {
    clock.now = Instant.parse("2026-12-07T10:20:00Z");
    acme.execute("CREATE DATASET \"numbers\" (n INTEGER)").close();
    acme.execute("INSERT INTO company_data.numbers VALUES (1), (2)").close();
    acme.execute(
            "CREATE MATERIALIZED VIEW \"inverse\" REFRESH_SCHEDULE = '@daily' AS"
                + " SELECT 10 / n AS q FROM company_data.numbers")
        .close();
    acme.execute("INSERT INTO company_data.numbers VALUES (0)").close();
    ViewScheduler scheduler = ViewScheduler.manual(engine);
    Instant midnight = Instant.parse("2026-12-08T00:00:00Z");
    assertThat(view("acme", "inverse").nextRunAt()).isEqualTo(midnight);
    clock.now = midnight;
    List<Instant> next = new ArrayList<>();
    for (int attempt = 0; attempt < 4; attempt++) {
      assertThat(scheduler.pass()).isZero(); // the run failed
      Instant retry = view("acme", "inverse").nextRunAt();
      next.add(retry);
      clock.now = retry;
    }
    assertThat(next)
        .containsExactly(
            midnight.plusSeconds(60),
            midnight.plusSeconds(60 + 120),
            midnight.plusSeconds(60 + 120 + 240),
            Instant.parse("2026-12-09T00:00:00Z"));
    assertThat(runs("acme", "inverse"))
        .extracting(Run::status)
        .containsExactly("error", "error", "error", "error", "ok");
    assertThat(count(acme, "inverse")).isEqualTo(2); // the first run's rows, kept
    acme.execute("DELETE FROM company_data.numbers WHERE n = 0").close();
    assertThat(scheduler.pass()).isEqualTo(1);
    assertThat(count(acme, "inverse")).isEqualTo(4);
    acme.execute("DROP MATERIALIZED VIEW \"inverse\"").close();
    acme.execute("DROP DATASET \"numbers\"").close();
  }

  @Test
  void schedulesThatNameNoTimeAreRefusedAndOnceIsNeverDue() throws Exception {
    for (String schedule : List.of("0 0 30 2 *", "61 * * * *")) {
      assertThatThrownBy(
              () ->
                  beta.execute(
                      "CREATE MATERIALIZED VIEW \"never\" REFRESH_SCHEDULE = '"
                          + schedule
                          + "' AS SELECT 1 AS x"))
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).isEqualTo("22023");
                assertThat(e.getMessage()).contains("REFRESH_SCHEDULE '" + schedule + "'");
              });
    }
    beta.execute("CREATE MATERIALIZED VIEW \"once\" AS SELECT 1 AS x").close();
    assertThat(view("beta", "once").nextRunAt()).isNull();
    clock.now = Instant.parse("2030-01-01T00:00:00Z");
    assertThat(engine.store().views().due(clock.now, 100))
        .extracting(View::name)
        .doesNotContain("once");
    beta.execute("DROP MATERIALIZED VIEW \"once\"").close();
  }
}
