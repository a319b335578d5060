package io.nql.planner.policy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.policy.harness.Observation.Aspect;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential harness: a rule answers every statement as a plain table holding exactly its rows
 * and columns would, and charges exactly the rows it delivered.
 *
 * <p><b>Worlds.</b> The base world of {@link NoninterferenceHarnessTest}, and an oracle world
 * ({@link HarnessWorld#createOracle}) in which the buyer owns, besides the same datasets of its
 * own, one dataset per rule loaded with the rule's visible rows and columns in file order. Each
 * generated statement ({@link StatementGenerator.Mode#DIFFERENTIAL}: no pseudo-columns, {@code NO
 * LIMIT} or a large session budget so that nothing is cut) is rendered against the rules in the
 * base world and against the plain tables in the oracle world, and runs on the vectorized path and
 * on the row engine.
 *
 * <p><b>Compared.</b> Per executor: the result columns (name and type) and the rows (ordered when
 * the statement orders by every output column, else as multisets). Which rows a row limit without
 * ORDER BY keeps is not defined, so for such a statement the rule's rows must be as many as the
 * oracle's and all be rows of the oracle's answer without the limit. A statement that fails in
 * either world is not compared: SQL does not fix the order in which predicates are evaluated nor
 * the order of rows, and a rule evaluates its leak-proof predicates first, so whether an expression
 * that fails on some rows raises an error, and which error comes first, depend on the plan (the
 * noninterference harness compares errors strictly, between identical plans).
 *
 * <p><b>Charge.</b> For every rule the statement reads, the rows charged in the ledger must equal
 * the rows the rule delivered: the number of <em>distinct</em> rule rows that pass the buyer's
 * filters on at least one of the rule's scans, counted in the oracle world as {@code SELECT
 * COUNT(*) FROM <plain table> r WHERE (filters of scan 1) OR (filters of scan 2) …} (no WHERE when
 * a scan has no filter), capped at {@code limit + offset} when a row limit applies directly to the
 * statement's only scan without ORDER BY (the offset's rows are delivered to the query too), and at
 * 0 when that limit is 0 (nothing needs to be read). "Filters on a scan" are defined by {@link
 * StatementGenerator.Mode#DIFFERENTIAL}. The amount must be rows × the rule's price, and rules the
 * statement does not read must not be charged. A rule row is charged once per statement even when
 * the rule is read twice (self-joins, set operations, a CTE used twice, IN subqueries on the same
 * rule). The check is skipped for statements that fail, and for shapes whose charge would depend on
 * the plan: a rule read inside a correlated subquery or an EXISTS, a row limit of 0 (except
 * directly over the only scan), and a row limit without ORDER BY over a join or a set operation.
 *
 * <p>All failures of a run are collected and reported together ({@code
 * target/nql-harness/differential.txt}); longer runs: see {@link HarnessSettings}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialHarnessTest {
  /** Statements per {@code mvn verify} (each runs in two worlds on two executors). */
  static final int DEFAULT_STATEMENTS = 400;

  @TempDir static Path dir;

  private HarnessSettings settings;
  private Observers observers;
  private HarnessWorld rules;
  private HarnessWorld plain;

  /** Statements per {@code mvn verify} unless {@code nql.harness.statements} is set. */
  int defaultStatements() {
    return DEFAULT_STATEMENTS;
  }

  /** The report's name ({@code target/nql-harness/<name>.txt}). */
  String reportName() {
    return "differential";
  }

  /** The world whose rules are checked (the oracle world is always embedded). */
  HarnessWorld rulesWorld(Path at, WorldData data) {
    return HarnessWorld.create(at, data);
  }

  /** Runs on the test's thread before any world is set up (a test may be skipped here). */
  void beforeWorlds() {}

  /** Releases what {@link #rulesWorld} needed besides the worlds, after the worlds are closed. */
  void afterWorlds() throws Exception {}

  @BeforeAll
  void setUp() throws Exception {
    beforeWorlds();
    settings = HarnessSettings.fromSystemProperties(defaultStatements());
    observers = new Observers(settings.threads());
    WorldData data = WorldData.base();
    Future<HarnessWorld> r = observers.submit(() -> rulesWorld(dir.resolve("rules"), data));
    Future<HarnessWorld> p =
        observers.submit(() -> HarnessWorld.createOracle(dir.resolve("plain"), data));
    rules = r.get();
    plain = p.get();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (observers != null) {
      observers.close();
    }
    for (HarnessWorld w : new HarnessWorld[] {rules, plain}) {
      if (w != null) {
        w.close();
      }
    }
    afterWorlds();
  }

  @Test
  void rulesAnswerAndChargeAsTheirPlainTables() throws Exception {
    HarnessReport report = new HarnessReport(reportName(), settings.seed());
    StatementGenerator generator = new StatementGenerator(settings.seed(), rules.catalog());
    Set<Aspect> compared = EnumSet.of(Aspect.COLUMNS, Aspect.ROWS);
    DataValues values = new DataValues(List.of(rules.data()));
    Map<String, String> tables = rules.tables();
    run:
    for (int i = 0; i < settings.statements(); i++) {
      HarnessStatement s = generator.next(StatementGenerator.Mode.DIFFERENTIAL);
      report.statement();
      Map<String, Long> expected = null;
      for (boolean vector : List.of(true, false)) {
        String executor = vector ? "vector" : "row";
        List<Observation> o;
        try {
          List<Callable<Observation>> calls =
              List.of(() -> rules.observe(s, vector), () -> plain.observe(s, vector));
          o = observers.all(calls);
        } catch (Observers.Hang e) {
          report.expectation("hang", executor, s, tables, e.getMessage());
          break run;
        }
        Observation r = o.get(0);
        Observation p = o.get(1);
        report.compared();
        // SQL does not fix the order in which predicates are evaluated, nor the order of rows:
        // whether an expression that fails on some rows raises an error when another predicate
        // rejects those rows, and which failing row comes first, depend on the plan (a rule's
        // plan evaluates leak-proof predicates first). So statements that fail are not compared.
        boolean fails = r.error() != null || p.error() != null;
        if (fails) {
          report.note(
              r.error() == null
                  ? "statements failing over the plain tables only (not compared)"
                  : p.error() == null
                      ? "statements failing over the rules only (not compared)"
                      : "statements failing in both worlds (not compared)",
              "["
                  + executor
                  + "] "
                  + s.describe(tables)
                  + " rules: "
                  + r.error()
                  + " plain: "
                  + p.error());
        }
        Set<Aspect> diff = fails ? Set.of() : r.differences(p, compared);
        if (!fails && s.unlimitedTemplate() != null && diff.equals(ROWS)) {
          // which rows a limit without ORDER BY keeps is not defined: as many, all from the
          // answer without the limit
          diff = limitedRowsAgree(s, r, p) ? Set.of() : diff;
        }
        if (!diff.isEmpty()) {
          report.difference(
              "rules vs plain tables", executor, s, tables, diff, "rules", r, "plain tables", p);
        }
        List<String> left = rules.planeSessionsLeft();
        if (!left.isEmpty()) {
          report.expectation(PLANE_SESSION_LEFT, executor, s, tables, left.toString());
        }
        String error = r.error();
        if (error != null && (error.startsWith("XX000") || error.startsWith("not an NqlExc"))) {
          report.expectation("internal error", executor, s, tables, error);
        }
        List<String> quoted = values.quotedIn(r.error(), s.render(tables));
        if (!quoted.isEmpty()) {
          report.expectation(
              "data value in an error", executor, s, tables, error + " (quotes " + quoted + ")");
        }
        if (r.error() != null || s.chargeUndefined() != null) {
          continue;
        }
        if (expected == null) {
          expected = expectedCharges(s);
        }
        if (expected.isEmpty() && !s.charges().isEmpty()) {
          report.note("charges not checked: a count of the filters fails on some row");
          continue;
        }
        // A join or subquery one of whose sides keeps no row may stop reading the others (or
        // the planner may prove it empty and read nothing): then only an upper bound holds.
        boolean exact = s.scanCounts().size() == 1 || everyScanKeepsRows(s);
        report.note(exact ? "charges checked exactly" : "charges checked as an upper bound");
        checkCharges(report, executor, s, expected, r, exact);
      }
    }
    Path file = report.write(Path.of("target", "nql-harness"));
    System.out.println(report.summary(0));
    assertThat(report.isEmpty())
        .withFailMessage(() -> report.summary(3) + "\nEvery failure: " + file.toAbsolutePath())
        .isTrue();
  }

  /** The check that a statement leaves no session open on a plane. */
  static final String PLANE_SESSION_LEFT = "plane session left open after the statement";

  private static final Set<Aspect> ROWS = EnumSet.of(Aspect.ROWS);

  private boolean limitedRowsAgree(HarnessStatement s, Observation rule, Observation oracle) {
    if (rule.rows().size() != oracle.rows().size()) {
      return false;
    }
    Observation all = plain.query(s.renderTemplate(s.unlimitedTemplate(), plain.tables()));
    Map<String, Integer> left = new java.util.HashMap<>();
    all.rows().forEach(row -> left.merge(row, 1, Integer::sum));
    for (String row : rule.rows()) {
      if (left.merge(row, -1, Integer::sum) < 0) {
        return false;
      }
    }
    return all.error() == null;
  }

  private boolean everyScanKeepsRows(HarnessStatement s) {
    for (String count : s.scanCounts()) {
      Observation o = plain.query(s.renderTemplate(count, plain.tables()));
      if (o.error() != null || o.rows().isEmpty() || o.rows().get(0).startsWith("0 ")) {
        return false;
      }
    }
    return true;
  }

  /** Rows each rule must be charged (by rule name), counted in the oracle world. */
  private Map<String, Long> expectedCharges(HarnessStatement s) {
    Map<String, Long> out = new TreeMap<>();
    for (HarnessStatement.ExpectedCharge c : s.charges()) {
      Observation count = plain.query(s.renderTemplate(c.countTemplate(), plain.tables()));
      if (count.error() != null) {
        // a filter fails on a row another filter rejects: which rows pass is not defined
        return Map.of();
      }
      if (count.rows().size() != 1) {
        throw new IllegalStateException(
            "cannot count the rows of " + c.countTemplate() + ": " + count.render());
      }
      long n = Long.parseLong(count.rows().get(0).replace(" | ", "").trim());
      out.put(c.rule().ruleName(), Math.min(n, c.cap()));
    }
    return out;
  }

  /** Adds a failure for each rule charged other than the rows it delivered. */
  private void checkCharges(
      HarnessReport report,
      String executor,
      HarnessStatement s,
      Map<String, Long> expected,
      Observation observed,
      boolean exact) {
    Map<String, long[]> charged = new TreeMap<>();
    for (String line : observed.ledger()) {
      // "company <id> rule <name> v<version> rows=<n> micros=<m> <status>"
      String[] f = line.split(" ");
      long[] sum = charged.computeIfAbsent(f[3], k -> new long[2]);
      sum[0] += Long.parseLong(f[5].substring("rows=".length()));
      sum[1] += Long.parseLong(f[6].substring("micros=".length()));
    }
    for (HarnessStatement.ExpectedCharge c : s.charges()) {
      String rule = c.rule().ruleName();
      long rows = expected.get(rule);
      long[] got = charged.getOrDefault(rule, new long[2]);
      charged.remove(rule);
      boolean wrong = exact ? got[0] != rows : got[0] > rows;
      if (!wrong && got[1] == got[0] * c.rule().microsPerRow()) {
        continue;
      }
      String message =
          rule
              + ": charged "
              + got[0]
              + " rows / "
              + got[1]
              + " micro-USD, delivered "
              + (exact ? "" : "at most ")
              + rows
              + " rows at "
              + c.rule().microsPerRow()
              + " micro-USD each (count: "
              + c.countTemplate()
              + (c.cap() == Long.MAX_VALUE ? "" : ", capped at " + c.cap())
              + "); ledger "
              + observed.ledger();
      report.add(
          new HarnessReport.Expectation("charge", executor, s.describe(rules.tables()), message));
    }
    for (Map.Entry<String, long[]> e : charged.entrySet()) {
      report.expectation(
          "charge",
          executor,
          s,
          rules.tables(),
          e.getKey() + ": charged " + e.getValue()[0] + " rows but not read");
    }
  }
}
