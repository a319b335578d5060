package io.nql.planner.policy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.policy.harness.Observation.Aspect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Noninterference (NQL.md §3, §4): a buyer cannot tell apart two worlds that differ only in what it
 * may not see or has not paid for.
 *
 * <p><b>Invariants.</b> <em>Confidentiality</em>: nothing outside a rule's rows and columns
 * influences what a buyer observes. <em>Payment</em>: whatever the buyer observes about a rule's
 * rows beyond its schema, it paid for; at budget 0 the outcome is the same whether or not rule rows
 * match.
 *
 * <p><b>Worlds.</b> A base world and one world per {@link Difference}, each its own engine and
 * warehouse, all set up by the same statements ({@link HarnessWorld}) from data that differs only
 * in: rows outside every rule shared with the buyer (hostile values, other count and positions,
 * colliding ids); columns outside the rules' select lists; the third company's datasets, dataset
 * ids and rules and the provider's unshared objects; the priced rules' visible rows (checked at
 * budget 0 only); and {@code us_events} rows after the first {@link WorldData#US_ROWS} in file
 * order (checked only with statements that read {@code us_events} without any predicate on it, no
 * other priced rule, and a budget of at most {@code US_ROWS} rows: then the rows bought are the
 * same first rows in both worlds, and whether further rows exist that the budget could not buy is
 * information the buyer did not pay for — so the budget-cut warning must not depend on it either).
 *
 * <p><b>Compared.</b> Each generated statement ({@link StatementGenerator}) runs in the base world
 * and in the world of its difference (in turn), on the vectorized path and on the row engine; per
 * executor the two observations ({@link Observation}) must be equal in every aspect: result columns
 * (name and type), rows (as an ordered list when the statement orders by every output column, else
 * as a multiset), the error's SQLSTATE and message, the warnings' SQLSTATEs and messages, the
 * engine's charge (rows, micro-USD, budget cut), and the statement's ledger entries (rule, version,
 * rows, micro-USD, status). A plan may depend on a rule's estimated rows, which its forecast
 * publishes: so what depends on the plan ({@code EXPLAIN PLAN FOR}, which rows a row limit without
 * ORDER BY over a join or a set operation keeps) is generated only for worlds that differ in what
 * no budget buys. The buyer's own setup statements (creating a dataset named like the provider
 * dataset's id, …) must have the same outcomes in every world.
 *
 * <p>Two further checks ride along on the same observations: an engine error ({@code XX000}) or an
 * exception other than {@code NqlException} is never an acceptable answer (NQL.md §9), and the two
 * executors must agree with each other in the base world (same observation on the vectorized path
 * and on the row engine).
 *
 * <p>All failures of a run are collected, grouped and reported together (with the seed, the
 * statements and both observations; every failure is written to {@code
 * target/nql-harness/noninterference.txt}). Longer runs: see {@link HarnessSettings}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoninterferenceHarnessTest {
  /** Statements per {@code mvn verify} (each runs in two worlds on two executors). */
  static final int DEFAULT_STATEMENTS = 2000;

  @TempDir static Path dir;

  private HarnessSettings settings;
  private Observers observers;
  private HarnessWorld base;
  private final Map<Difference, HarnessWorld> worlds = new EnumMap<>(Difference.class);

  /** Statements per {@code mvn verify} unless {@code nql.harness.statements} is set. */
  int defaultStatements() {
    return DEFAULT_STATEMENTS;
  }

  /** The report's name ({@code target/nql-harness/<name>.txt}). */
  String reportName() {
    return "noninterference";
  }

  /** One world of the comparison (the base world and each difference's). */
  HarnessWorld world(Path at, WorldData data) {
    return HarnessWorld.create(at, data);
  }

  /** Runs on the test's thread before any world is set up (a test may be skipped here). */
  void beforeWorlds() {}

  /** Releases what {@link #world} needed besides the worlds, after the worlds are closed. */
  void afterWorlds() throws Exception {}

  @BeforeAll
  void setUp() throws Exception {
    beforeWorlds();
    settings = HarnessSettings.fromSystemProperties(defaultStatements());
    observers = new Observers(settings.threads());
    WorldData data = WorldData.base();
    Future<HarnessWorld> b = observers.submit(() -> world(dir.resolve("base"), data));
    Map<Difference, Future<HarnessWorld>> pending = new EnumMap<>(Difference.class);
    for (Difference d : Difference.values()) {
      pending.put(d, observers.submit(() -> world(dir.resolve(d.name()), d.apply(data))));
    }
    base = b.get();
    for (Map.Entry<Difference, Future<HarnessWorld>> e : pending.entrySet()) {
      worlds.put(e.getKey(), e.getValue().get());
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (observers != null) {
      observers.close();
    }
    for (HarnessWorld w : worlds.values()) {
      w.close();
    }
    if (base != null) {
      base.close();
    }
    afterWorlds();
  }

  @Test
  void worldsAreSetUpTheSameWayForTheBuyer() {
    for (Map.Entry<Difference, HarnessWorld> e : worlds.entrySet()) {
      HarnessWorld w = e.getValue();
      assertThat(w.buyerSetup()).as(e.getKey().name()).isEqualTo(base.buyerSetup());
      for (HarnessSource r : HarnessSource.values()) {
        if (r.isRule()) {
          assertThat(w.ruleIds().get(r.ruleName()))
              .as(e.getKey() + " " + r)
              .isEqualTo(base.ruleIds().get(r.ruleName()));
        }
      }
      assertThat(w.providerCompanyId()).isEqualTo(base.providerCompanyId());
    }
    // The ids the probes name: the provider dataset's id in the base world and in the
    // other-companies world; the buyer could not take them as names of its own datasets.
    assertThat(base.providerDatasetId()).isEqualTo(WorldData.providerDatasetId(0));
    assertThat(worlds.get(Difference.OTHER_COMPANIES).providerDatasetId())
        .isEqualTo(WorldData.providerDatasetId(WorldData.OTHER_COMPANY_PADDING));
    assertThat(base.buyerSetup())
        .filteredOn(step -> step.startsWith("CREATE DATASET \"" + base.providerDatasetId() + "\""))
        .singleElement()
        .asString()
        .contains("22023");
  }

  @Test
  void buyerCannotTellTheWorldsApart() {
    HarnessReport report = new HarnessReport(reportName(), settings.seed());
    StatementGenerator generator = new StatementGenerator(settings.seed(), base.catalog());
    Difference[] differences = Difference.values();
    Set<Aspect> all = EnumSet.allOf(Aspect.class);
    List<WorldData> data = new ArrayList<>(List.of(base.data()));
    worlds.values().forEach(w -> data.add(w.data()));
    DataValues values = new DataValues(data);
    Map<String, String> tables = base.tables();
    run:
    for (int i = 0; i < settings.statements(); i++) {
      Difference d = differences[i % differences.length];
      HarnessStatement s = generator.next(d.mode());
      HarnessWorld other = worlds.get(d);
      report.statement();
      Observation[] inBase = new Observation[2];
      for (boolean vector : List.of(true, false)) {
        String executor = vector ? "vector" : "row";
        List<Observation> o;
        try {
          List<Callable<Observation>> calls =
              List.of(() -> base.observe(s, vector), () -> other.observe(s, vector));
          o = observers.all(calls);
        } catch (Observers.Hang e) {
          report.expectation("hang", executor, s, tables, e.getMessage());
          break run;
        }
        report.compared();
        Set<Aspect> diff = o.get(0).differences(o.get(1), all);
        if (!diff.isEmpty()) {
          report.difference(
              label(d), executor, s, tables, diff, "base", o.get(0), label(d), o.get(1));
        }
        for (HarnessWorld w : List.of(base, other)) {
          List<String> left = w.planeSessionsLeft();
          if (!left.isEmpty()) {
            report.expectation(
                DifferentialHarnessTest.PLANE_SESSION_LEFT, executor, s, tables, left.toString());
          }
        }
        String error = o.get(0).error();
        if (error != null && (error.startsWith("XX000") || error.startsWith("not an NqlExc"))) {
          report.expectation("internal error", executor, s, tables, error);
        }
        for (Observation each : o) {
          List<String> quoted = values.quotedIn(each.error(), s.render(tables));
          if (!quoted.isEmpty()) {
            report.expectation(
                "data value in an error",
                executor,
                s,
                tables,
                each.error() + " (quotes " + quoted + ")");
            break;
          }
        }
        if (o.get(0).ledgerLeftOpen()) {
          report.expectation(
              Observation.LEDGER_NOT_FINAL, executor, s, tables, o.get(0).ledgerNotFinal());
        }
        inBase[vector ? 0 : 1] = o.get(0);
      }
      Set<Aspect> disagree = inBase[0].differences(inBase[1], all);
      if (!disagree.isEmpty()) {
        report.add(
            new HarnessReport.Failure(
                "executors disagree (base world)",
                "vector vs row",
                s.describe(tables),
                s.render(tables).sql().length(),
                disagree,
                "vector",
                inBase[0],
                "row",
                inBase[1]));
      }
    }
    Path file = report.write(Path.of("target", "nql-harness"));
    System.out.println(report.summary(0));
    assertThat(report.isEmpty())
        .withFailMessage(() -> report.summary(3) + "\nEvery failure: " + file.toAbsolutePath())
        .isTrue();
  }

  private static String label(Difference d) {
    return d.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
