package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine tells its {@link StatementListener}: every statement's end exactly once (a query
 * when its result is read, closed, failed or cancelled; any other statement when it returns or
 * fails; a statement refused while being prepared), with its front end, outcome and rows; and every
 * settlement that charged something, a view's run included, with the amounts by provider. The rule
 * costs 1 USD a row (ids 1..40 but multiples of 4), so amounts follow from the rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementListenerTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private long acmeId;
  private final List<FinishedStatement> finished = new CopyOnWriteArrayList<>();
  private final List<Settlement> settled = new CopyOnWriteArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    engine = PeopleMarketplace.open(dir);
    acmeId = engine.store().company("acme").orElseThrow().id();
    engine.listen(
        new StatementListener() {
          @Override
          public void finished(FinishedStatement s) {
            finished.add(s);
          }

          @Override
          public void settled(Settlement s) {
            settled.add(s);
          }
        });
  }

  @AfterAll
  void tearDown() {
    engine.close();
  }

  @BeforeEach
  void clear() {
    finished.clear();
    settled.clear();
  }

  private static long read(StatementResult r) {
    long n = 0;
    while (r.next() != null) {
      n++;
    }
    return n;
  }

  @Test
  void aPricedQueryEndsOnceWhenReadAndSettlesWhatItBought() {
    try (NqlSession beta = engine.trusted("beta_user")) {
      beta.frontEnd(FrontEnd.FLIGHT);
      try (StatementResult r = beta.execute("SELECT id FROM acme.people_eu LIMIT 5 USD")) {
        assertThat(finished).as("not ended before its rows are read").isEmpty();
        assertThat(read(r)).isEqualTo(5);
      }
    }
    assertThat(finished).hasSize(1);
    FinishedStatement f = finished.get(0);
    assertThat(f.frontEnd()).isEqualTo(FrontEnd.FLIGHT);
    assertThat(f.outcome()).isEqualTo(FinishedStatement.Outcome.OK);
    assertThat(f.sqlState()).isNull();
    assertThat(f.query()).isTrue();
    assertThat(f.rows()).isEqualTo(5);
    assertThat(f.planningNanos()).isPositive();
    assertThat(f.firstRowNanos()).isPositive().isLessThanOrEqualTo(f.totalNanos());
    assertThat(f.executionNanos()).isEqualTo(f.totalNanos() - f.planningNanos());
    assertThat(settled).hasSize(1);
    Settlement s = settled.get(0);
    assertThat(s.microsByProvider()).isEqualTo(Map.of(acmeId, 5_000_000L));
    assertThat(s.micros()).isEqualTo(5_000_000L);
    assertThat(s.rowsBought()).isEqualTo(5);
    assertThat(s.budgetCut()).as("30 rows, budget for 5").isTrue();
  }

  @Test
  void otherStatementsEndWhenTheyReturnAndSessionsStartEmbedded() {
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("CREATE DATASET \"listened\" (id BIGINT)").close();
      assertThat(finished).hasSize(1);
      try (StatementResult shown = acme.execute("SHOW DATASETS")) {
        assertThat(shown.isQuery()).isTrue();
      }
      acme.execute("DROP DATASET \"listened\"").close();
    }
    assertThat(finished).hasSize(3);
    assertThat(finished).allSatisfy(f -> assertThat(f.frontEnd()).isEqualTo(FrontEnd.EMBEDDED));
    assertThat(finished)
        .extracting(FinishedStatement::outcome)
        .containsOnly(FinishedStatement.Outcome.OK);
    assertThat(finished).extracting(FinishedStatement::query).containsExactly(false, true, false);
    assertThat(finished).allSatisfy(f -> assertThat(f.planningNanos()).isEqualTo(-1));
    assertThat(settled).as("acme's own data is free").isEmpty();
  }

  @Test
  void failuresEndOnceWithTheirSqlStateAlsoWhenRefusedWhilePrepared() {
    try (NqlSession beta = engine.trusted("beta_user")) {
      beta.frontEnd(FrontEnd.JDBC);
      NqlException run =
          catchThrowableOfType(
              NqlException.class, () -> beta.execute("SELECT * FROM company_data.nope"));
      NqlException prepared =
          catchThrowableOfType(
              NqlException.class, () -> beta.prepare("SELECT * FROM company_data.nope2"));
      assertThat(finished).hasSize(2);
      assertThat(finished)
          .extracting(FinishedStatement::sqlState)
          .containsExactly(run.sqlState(), prepared.sqlState());
      assertThat(finished)
          .allSatisfy(
              f -> {
                assertThat(f.outcome()).isEqualTo(FinishedStatement.Outcome.ERROR);
                assertThat(f.frontEnd()).isEqualTo(FrontEnd.JDBC);
                assertThat(f.rows()).isZero();
              });
      // a prepared statement that is fine is no statement of its own
      beta.prepare("SELECT id FROM acme.people_eu");
      assertThat(finished).hasSize(2);
    }
  }

  @Test
  void aCancelledReadEndsCancelled() {
    try (NqlSession beta = engine.trusted("beta_user");
        StatementResult r = beta.execute("SELECT id FROM acme.people_eu NO LIMIT")) {
      assertThat(r.next()).isNotNull();
      beta.cancel();
      NqlException e = catchThrowableOfType(NqlException.class, () -> read(r));
      assertThat(finished).hasSize(1);
      assertThat(finished.get(0).outcome()).isEqualTo(FinishedStatement.Outcome.CANCELLED);
      assertThat(finished.get(0).sqlState()).isEqualTo(e.sqlState()).isEqualTo("57014");
      assertThat(finished.get(0).rows()).isEqualTo(1);
    }
    assertThat(settled).hasSize(1);
    assertThat(settled.get(0).micros()).as("only what was delivered").isPositive();
  }

  @Test
  void aViewsRunSettlesThroughItsStatementWhichEndsOnce() {
    try (NqlSession beta = engine.trusted("beta_user")) {
      beta.execute(
              "CREATE MATERIALIZED VIEW \"listened_view\" AS"
                  + " SELECT id FROM acme.people_eu WHERE id <= 10 NO LIMIT")
          .close();
      assertThat(finished).hasSize(1);
      assertThat(finished.get(0).query()).isFalse();
      // ids 1..10 but 4 and 8
      assertThat(settled).hasSize(1);
      assertThat(settled.get(0).microsByProvider()).isEqualTo(Map.of(acmeId, 8_000_000L));
      assertThat(settled.get(0).budgetCut()).isFalse();
      beta.execute("DROP MATERIALIZED VIEW \"listened_view\"").close();
    }
  }
}
