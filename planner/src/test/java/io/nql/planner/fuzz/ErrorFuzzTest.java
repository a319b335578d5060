package io.nql.planner.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.NqlException;
import io.nql.planner.policy.harness.HarnessStatement;
import io.nql.planner.policy.harness.HarnessWorld;
import io.nql.planner.policy.harness.ProviderRow;
import io.nql.planner.policy.harness.StatementGenerator;
import io.nql.planner.policy.harness.WorldData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mistake gets a precise error (NQL.md §9): a seeded, grammar-aware fuzzer ({@link
 * StatementMutator}) mutates valid buyer statements of the policy harness ({@link
 * StatementGenerator}) and runs them as the buyer against a real engine with access rules, whose
 * hidden rows hold hostile values ({@link WorldData#withAllUnseenChanged()}), alternately on the
 * vector path and the row engine, from {@code nql.fuzz.threads} sessions at once (default 2). Every
 * statement must succeed or fail with an {@link NqlException} whose SQLSTATE is not {@code XX000}
 * (internal errors are for real defects) and whose message is one line without a stack trace, a
 * class name or a value of a row the buyer may not see. A statement that runs past {@link
 * #STATEMENT_LIMIT} is cancelled (57014). After the run the engine still answers a sanity statement
 * correctly.
 *
 * <p>Figures (statements, SQLSTATEs seen, time) and every failure are written to {@code
 * target/nql-fuzz/report.txt}. {@code mvn verify} runs {@value #DEFAULT_STATEMENTS} statements; a
 * longer run: {@code mvn -B -q verify -pl planner -Dtest=ErrorFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dnql.fuzz.statements=100000 -Dnql.fuzz.seed=$RANDOM}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorFuzzTest {
  static final int DEFAULT_STATEMENTS = 5000;
  static final long DEFAULT_SEED = 20261211L;

  /** A statement running longer is cancelled. */
  static final long STATEMENT_LIMIT = 5_000;

  /** At most this many rows of a result are read. */
  static final int MAX_ROWS = 200;

  /** A class name, a stack frame or an exception's name in a message. */
  static final Pattern LEAK =
      Pattern.compile(
          "Exception|Error:|\\tat |\\bjava\\.|\\bjavax\\.|\\borg\\.apache|\\bio\\.nql|\\bcom\\.google"
              + "|\\$[0-9]|\\.java:");

  @TempDir static Path dir;

  HarnessWorld world;
  ScheduledExecutorService timer;
  Set<String> hiddenValues;

  @BeforeAll
  void setUp() {
    WorldData data = WorldData.base().withAllUnseenChanged();
    world = HarnessWorld.create(dir.resolve("world"), data);
    timer = Executors.newSingleThreadScheduledExecutor();
    hiddenValues = hiddenValues(data);
  }

  @AfterAll
  void tearDown() {
    timer.shutdownNow();
    if (world != null) {
      world.close();
    }
  }

  /**
   * Values of the provider's rows and columns that no rule shows the buyer and that the buyer's
   * statements never contain: distinctive enough (four characters or more) to be found in a
   * message.
   */
  static Set<String> hiddenValues(WorldData data) {
    Set<String> visible = new TreeSet<>();
    Set<String> hidden = new TreeSet<>();
    for (ProviderRow r : data.providerEvents()) {
      boolean shown = WorldData.visible(r);
      for (Object v : new Object[] {r.code(), r.label(), r.big(), r.amount(), r.id(), r.qty()}) {
        (shown ? visible : hidden).add(String.valueOf(v));
      }
      hidden.add(String.valueOf(r.secret()));
      hidden.add(String.valueOf(r.hiddenNum()));
      if (!shown) {
        hidden.add(String.valueOf(r.country()));
      }
    }
    hidden.removeAll(visible);
    hidden.removeIf(v -> v.length() < 4 || v.equals("null"));
    return hidden;
  }

  @Test
  void everyMistakeGetsAPreciseErrorAndTheEngineKeepsServing() throws Exception {
    long seed = Long.getLong("nql.fuzz.seed", DEFAULT_SEED);
    int statements = Integer.getInteger("nql.fuzz.statements", DEFAULT_STATEMENTS);
    int threads = Integer.getInteger("nql.fuzz.threads", 2);
    // The statements first (the same for a seed), then run by several buyer sessions at once.
    StatementGenerator generator = new StatementGenerator(seed, world.catalog());
    StatementMutator mutator = new StatementMutator(new Random(seed));
    List<HarnessStatement.Rendered> mutated = new ArrayList<>();
    for (int i = 0; i < statements; i++) {
      HarnessStatement.Rendered valid =
          generator.next(StatementGenerator.Mode.ANY_BUDGET).render(world.tables());
      mutated.add(new HarnessStatement.Rendered(mutator.mutate(valid.sql()), valid.params()));
    }
    Map<String, Integer> states = new ConcurrentSkipListMap<>();
    Map<String, List<String>> failures = new ConcurrentSkipListMap<>();
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(pool.submit(() -> runSome(mutated, next, states, failures)));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    String report = report(seed, statements, millis, states, failures);
    Path file = Path.of("target", "nql-fuzz", "report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.println(report);
    assertThat(failures).as(report).isEmpty();

    // the engine still serves, and answers right
    try (NqlSession buyer = world.engine().trusted(HarnessWorld.BUYER);
        StatementResult r = buyer.execute("SELECT COUNT(*) FROM company_data.events")) {
      assertThat(r.next()[0]).isEqualTo((long) world.data().buyerEvents().size());
    }
  }

  /** Runs statements taken from {@code next} in a vectorized and a row-engine session. */
  private void runSome(
      List<HarnessStatement.Rendered> statements,
      AtomicInteger next,
      Map<String, Integer> states,
      Map<String, List<String>> failures) {
    try (NqlSession vector = world.engine().trusted(HarnessWorld.BUYER);
        NqlSession row = world.engine().trusted(HarnessWorld.BUYER)) {
      vector.setProperty("vector_execution", "true");
      row.setProperty("vector_execution", "false");
      for (NqlSession s : List.of(vector, row)) {
        s.setProperty("budget_usd", "0.05");
      }
      for (int i; (i = next.getAndIncrement()) < statements.size(); ) {
        HarnessStatement.Rendered st = statements.get(i);
        long t0 = System.nanoTime();
        String outcome = run(i % 2 == 0 ? vector : row, st.sql(), st.params(), failures);
        states.merge(outcome, 1, Integer::sum);
        states.merge(outcome + " ms", (int) ((System.nanoTime() - t0) / 1_000_000), Integer::sum);
      }
    }
  }

  /** Runs one statement; returns its SQLSTATE (or "ok"), and records what is wrong with it. */
  private String run(
      NqlSession session, String sql, List<Object> params, Map<String, List<String>> failures) {
    ScheduledFuture<?> limit =
        timer.schedule(session::cancel, STATEMENT_LIMIT, TimeUnit.MILLISECONDS);
    StatementResult result = null;
    try {
      result = params.isEmpty() ? session.execute(sql) : session.execute(sql, params);
      for (int n = 0; n < MAX_ROWS && result.next() != null; n++) {
        // read a part of the result: errors of evaluating rows surface here
      }
      return "ok";
    } catch (NqlException e) {
      check(sql, e, failures);
      return e.sqlState();
    } catch (RuntimeException | Error e) {
      failures
          .computeIfAbsent(
              "not an NqlException: " + e.getClass().getName(), k -> new CopyOnWriteArrayList<>())
          .add(sql + "\n      " + trace(e));
      return "not an NqlException";
    } finally {
      limit.cancel(false);
      if (result != null) {
        try {
          result.close();
        } catch (RuntimeException e) {
          failures
              .computeIfAbsent("close failed", k -> new CopyOnWriteArrayList<>())
              .add(sql + "\n      " + trace(e));
        }
      }
    }
  }

  private void check(String sql, NqlException e, Map<String, List<String>> failures) {
    String message = String.valueOf(e.getMessage());
    if (e.sqlState().equals("XX000")) {
      failures
          .computeIfAbsent("XX000 " + rootCause(e), k -> new CopyOnWriteArrayList<>())
          .add(sql + "\n      " + message + "\n      " + trace(e));
    }
    if (message.contains("\n") || message.contains("\r") || LEAK.matcher(message).find()) {
      failures
          .computeIfAbsent(
              e.sqlState() + " message leaks internals", k -> new CopyOnWriteArrayList<>())
          .add(sql + "\n      " + message);
    }
    for (String v : hiddenValues) {
      if (message.contains(v) && !sql.contains(v)) {
        failures
            .computeIfAbsent(
                e.sqlState() + " message shows a hidden value", k -> new CopyOnWriteArrayList<>())
            .add(sql + "\n      " + message + " (shows " + v + ")");
      }
    }
  }

  private static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = String.valueOf(c.getMessage()).lines().findFirst().orElse("");
    return c.getClass().getSimpleName() + ": " + (m.length() > 100 ? m.substring(0, 100) : m);
  }

  /** The innermost cause's class, message and first frames: where a defect is. */
  private static String trace(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    StringWriter w = new StringWriter();
    c.printStackTrace(new PrintWriter(w));
    return w.toString().lines().limit(14).reduce((a, b) -> a + "\n      " + b).orElse("");
  }

  private static String report(
      long seed,
      int statements,
      long millis,
      Map<String, Integer> states,
      Map<String, List<String>> failures) {
    StringBuilder sb = new StringBuilder();
    sb.append("Error fuzzer: seed ")
        .append(seed)
        .append(", ")
        .append(statements)
        .append(" statements in ")
        .append(millis)
        .append(" ms, ")
        .append(states.keySet().stream().filter(k -> !k.endsWith(" ms") && !k.equals("ok")).count())
        .append(" distinct SQLSTATEs\n  outcomes (statements, and milliseconds spent): ")
        .append(states)
        .append('\n');
    failures.forEach(
        (kind, list) -> {
          sb.append("FAILURE ").append(kind).append(" (").append(list.size()).append(")\n");
          for (String s : list.subList(0, Math.min(3, list.size()))) {
            sb.append("    ").append(s).append('\n');
          }
        });
    return sb.toString();
  }
}
