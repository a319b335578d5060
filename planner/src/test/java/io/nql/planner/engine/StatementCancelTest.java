package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.NqlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cancel reaches every long computation of a statement: planning (the join order of many joins:
 * {@code exec.JoinOrderingTest}), operators that compute before their first row (hash joins whose
 * rows multiply, aggregates over cross joins, sorts, windows, set operations, nested-loop joins
 * over a materialized side, recursive queries, correlated sub-queries) and plain streaming. Each
 * statement fails with 57014 within a bounded time of the cancel, on the thread that ran it, and
 * the session runs its next statement. A cancel stops a long {@code COPY INTO} too, before it
 * commits anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementCancelTest {
  /** How long after a cancel a statement may still run (generous for a loaded build machine). */
  static final Duration BOUND = Duration.ofSeconds(3);

  @TempDir static Path dir;

  /**
   * Rows of {@code numbers}: every statement below must still run 500 ms after it started, on an
   * idle machine too (with 2,000, a window and an EXCEPT over two tables' 4 M pairs ended sooner).
   */
  static final int ROWS = 5_000;

  NqlEngine engine;
  NqlSession acme;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("n,s\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(",s").append(i).append('\n');
    }
    Files.writeString(src.resolve("numbers.csv"), csv);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'").close();
    }
    acme = engine.trusted("acme_user");
    acme.execute("COPY INTO company_data.numbers FROM '" + src.resolve("numbers.csv") + "'")
        .close();
  }

  @Test
  void aCancelStopsACopyIntoAndNothingIsLoaded() throws Exception {
    Path big = dir.resolve("ingest/acme/big.csv");
    try (var out = Files.newBufferedWriter(big)) {
      out.write("n,s\n");
      for (int i = 0; i < 1_000_000; i++) {
        out.write(i + ",row number " + i + "\n");
      }
    }
    acme.execute("CREATE DATASET \"big\" (n BIGINT, s VARCHAR)").close();
    CompletableFuture<Throwable> run =
        CompletableFuture.supplyAsync(
            () -> {
              try (StatementResult r =
                  acme.execute("COPY INTO company_data.big FROM '" + big + "'")) {
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    Thread.sleep(500);
    assertThat(run).as("still loading before the cancel").isNotDone();
    long cancelled = System.nanoTime();
    while (!run.isDone()) {
      acme.cancel();
      Thread.sleep(50);
      assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(BOUND);
    }
    assertThat(run.get()).isInstanceOf(NqlException.class);
    assertThat(((NqlException) run.get()).sqlState()).isEqualTo("57014");
    try (StatementResult r = acme.execute("SELECT COUNT(*) FROM company_data.big")) {
      assertThat(r.next()[0]).isEqualTo(0L);
    }
  }

  @AfterAll
  void tearDown() {
    acme.close();
    engine.close();
  }

  static List<String> longStatements() {
    String n = "company_data.numbers";
    String tables =
        IntStream.range(0, 10).mapToObj(i -> n + " t" + i).collect(Collectors.joining(", "));
    String chain =
        IntStream.range(0, 9)
            .mapToObj(i -> "t" + i + ".n / 3 = t" + (i + 1) + ".n / 3")
            .collect(Collectors.joining(" AND "));
    return List.of(
        // a 10-table join: ordered in milliseconds (JoinOrdering, whose cancel JoinOrderingTest
        // checks), then hash joins whose rows multiply by three at each step
        "SELECT t0.n FROM " + tables + " WHERE " + chain,
        // an aggregate over a cross join: no row before billions of combinations
        "SELECT COUNT(*) FROM " + n + " a, " + n + " b, " + n + " c",
        // a full join on a condition that never holds: the inner side is a materialized list
        "SELECT COUNT(*) FROM "
            + n
            + " a FULL JOIN (SELECT x.n FROM "
            + n
            + " x, "
            + n
            + " y) b"
            + " ON a.n > b.n + 100000",
        // a sort of a large input
        "SELECT a.n, b.n, c.n FROM " + n + " a, " + n + " b, " + n + " c ORDER BY 3, 2, 1",
        // a window over the whole input
        "SELECT COUNT(*) FROM (SELECT SUM(a.n) OVER (ORDER BY a.n, b.n ROWS BETWEEN UNBOUNDED"
            + " PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM "
            + n
            + " a, "
            + n
            + " b) w WHERE s < 0",
        // set operations
        "SELECT COUNT(*) FROM (SELECT a.n + b.n AS v FROM "
            + n
            + " a, "
            + n
            + " b EXCEPT SELECT a.n * b.n FROM "
            + n
            + " a, "
            + n
            + " b) d",
        // a recursive query that never ends by itself
        "WITH RECURSIVE r(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM r) SELECT COUNT(*) FROM r",
        // a correlated sub-query evaluated per row (decorrelated or not, it reads billions of
        // combinations: with two tables inside, a decorrelated plan could finish in 500 ms)
        "SELECT COUNT(*) FROM "
            + n
            + " a WHERE a.n < (SELECT COUNT(*) FROM "
            + n
            + " b, "
            + n
            + " c, "
            + n
            + " d WHERE b.n + c.n + d.n = a.n)",
        // DISTINCT over a cross join
        "SELECT COUNT(DISTINCT a.s || b.s || c.s) FROM " + n + " a, " + n + " b, " + n + " c",
        // rows streamed to a reader
        "SELECT a.s, b.s, c.s FROM " + n + " a, " + n + " b, " + n + " c");
  }

  @ParameterizedTest
  @MethodSource("longStatements")
  void aCancelStopsTheStatementWith57014(String sql) throws Exception {
    CompletableFuture<Throwable> run =
        CompletableFuture.supplyAsync(
            () -> {
              try (StatementResult r = acme.execute(sql)) {
                while (r.next() != null) {
                  // read everything: only the cancel ends it
                }
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    Thread.sleep(500);
    assertThat(run).as("still running before the cancel").isNotDone();
    long cancelled = System.nanoTime();
    // A cancel that lands before the statement starts is not kept for it: repeat it.
    Throwable failure = null;
    while (failure == null) {
      acme.cancel();
      try {
        failure = run.get(100, TimeUnit.MILLISECONDS);
        assertThat(failure).as("a cancelled statement fails").isNotNull();
      } catch (TimeoutException running) {
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled))
            .as("stopped within %s of the cancel: %s", BOUND, sql)
            .isLessThan(BOUND);
      } catch (ExecutionException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(failure).isInstanceOf(NqlException.class);
    assertThat(((NqlException) failure).sqlState()).as(failure.toString()).isEqualTo("57014");
    List<Object[]> rows = new ArrayList<>();
    try (StatementResult r = acme.execute("SELECT COUNT(*) FROM company_data.numbers")) {
      for (Object[] row; (row = r.next()) != null; ) {
        rows.add(row);
      }
    }
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)[0]).isEqualTo((long) ROWS);
  }
}
