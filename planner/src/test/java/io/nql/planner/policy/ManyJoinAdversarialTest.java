package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.testing.JoinQueries;
import io.nql.planner.testing.JoinQuery;
import io.nql.planner.testing.JoinTables;
import io.nql.planner.testing.Marketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial buyer predicates in joins of many rule tables, the statements the heuristic join
 * ordering plans ({@code exec.JoinOrdering}, from four joins).
 *
 * <p><b>Invariant.</b> Reordering joins never evaluates a buyer's predicate on a row a rule hides:
 * a buyer's filter or join condition only ever sees rows that left the rules' barriers, and each
 * barrier stays a leaf of the join tree.
 *
 * <p><b>Worlds.</b> Each of the provider's 16 {@link JoinTables} datasets hides two rows behind its
 * rule, built so that touching one is observable: their divisor {@code d} is 0 (a buyer's {@code
 * 100 / d} fails), their {@code a} and {@code b} repeat visible values (a hidden row that reached a
 * join would add rows) and their {@code x} says {@code hidden}. Every probe conjunct holds on every
 * visible row, so the answer must be exactly the one computed in plain Java from the visible rows
 * ({@link JoinQuery#expected}) — no error, no extra row — and the plan must show every rule scan as
 * a leaf under its meter (the buyer's {@code EXPLAIN PLAN FOR}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyJoinAdversarialTest {
  private static final int TABLES = 16;
  private static final long SEED = 990711;
  private static final JoinTables DATA = new JoinTables(SEED);

  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("prov"));
    engine = Marketplace.open(dir.resolve("wh"), ingest, "prov", "buy");
    try (NqlSession provider = engine.trusted("prov_user")) {
      DATA.load(provider, area, TABLES, "buy");
    }
    buyer = engine.trusted("buy_user");
  }

  @AfterAll
  void tearDown() {
    if (buyer != null) {
      buyer.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  private static String rule(int n) {
    return "prov." + JoinTables.rule(n);
  }

  /**
   * Generated chains of 5 to 16 tables, each with probes on tables drawn from its FROM list: a
   * division by one table's divisor; a division of one table's key by another's divisor (a join
   * condition, below neither barrier); a division guarded by a CASE that only fails where the
   * divisor is 0; and a comparison with a hidden row's text (leak-proof: it may go below the
   * barrier, and cannot fail there).
   */
  static Stream<Arguments> probedJoins() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Arguments> all = new ArrayList<>();
    for (JoinQuery q : JoinQueries.suite(SEED, 24, 5, TABLES)) {
      int t = q.from().get(random.nextInt(q.from().size()));
      int u = q.from().get(random.nextInt(q.from().size()));
      JoinQuery probed =
          q.with(
              List.of(
                  "100 / d" + t + " > 0",
                  "a" + t + " / d" + u + " >= 0",
                  "CASE WHEN d" + u + " = 0 THEN a" + u + " / d" + u + " ELSE 1 END = 1",
                  "x" + u + " <> 'hidden t" + u + " row 1'"));
      all.add(Arguments.of(q.name(), probed.sql(ManyJoinAdversarialTest::rule), probed));
    }
    // Outer joins go to LoptOptimizeJoinRule: the probes in the ON clauses of a LEFT JOIN chain.
    for (int n : new int[] {6, 12}) {
      StringBuilder sql = new StringBuilder("SELECT ");
      for (int i = 1; i <= n; i++) {
        sql.append(i == 1 ? "" : ",").append("x").append(i);
      }
      sql.append(" FROM ").append(rule(1));
      for (int i = 2; i <= n; i++) {
        sql.append(" LEFT JOIN ")
            .append(rule(i))
            .append(" ON a")
            .append(i - 1)
            .append(" = b")
            .append(i)
            .append(" AND 100 / d")
            .append(i)
            .append(" > a")
            .append(i - 1)
            .append(" / d")
            .append(i - 1)
            .append(" - 200");
      }
      // Every b is a permutation of the keys: each left row finds its one match, as in the chain.
      all.add(Arguments.of("left-join-" + n, sql.toString(), JoinQueries.chain(n)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probedJoins")
  void buyerPredicatesNeverSeeHiddenRows(String name, String sql, JoinQuery answer) {
    assertThat(rows(sql, answer.orderBy())).as(sql).isEqualTo(answer.expected(DATA));
    assertRuleScansAreLeaves(explain(sql), answer.from().size());
  }

  /**
   * In the buyer's plan, each rule is a meter whose subtree (filters the buyer may place there)
   * ends in the rule's scan, with no join below a meter and nothing below a rule scan.
   */
  private static void assertRuleScansAreLeaves(String plan, int rules) {
    List<String> lines = plan.lines().toList();
    int meters = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("EnumerableRuleMeter(")) {
        continue;
      }
      meters++;
      int depth = indent(line);
      int j = i + 1;
      for (; j < lines.size() && indent(lines.get(j)) > depth; j++) {
        assertThat(lines.get(j)).as(plan).doesNotContain("Join(", "EnumerableRuleMeter(");
      }
      String last = lines.get(j - 1);
      assertThat(last).as(plan).contains("RuleScan(");
    }
    assertThat(meters).as(plan).isEqualTo(rules);
    for (int k = 0; k < lines.size(); k++) {
      if (lines.get(k).contains("RuleScan(")) {
        boolean leaf = k + 1 == lines.size() || indent(lines.get(k + 1)) <= indent(lines.get(k));
        assertThat(leaf).as(plan).isTrue();
      }
    }
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private List<List<String>> rows(String sql, boolean ordered) {
    List<List<String>> rows = new ArrayList<>();
    try (StatementResult r = buyer.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        List<String> values = new ArrayList<>();
        for (Object v : row) {
          values.add(String.valueOf(v));
        }
        rows.add(values);
      }
    }
    if (!ordered) {
      rows.sort(Comparator.comparing(List::toString));
    }
    return rows;
  }

  private String explain(String sql) {
    try (StatementResult r = buyer.execute("EXPLAIN PLAN FOR " + sql)) {
      return String.valueOf(r.next()[0]);
    }
  }
}
