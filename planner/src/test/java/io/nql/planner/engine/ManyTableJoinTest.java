package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.JoinQueries;
import io.nql.planner.testing.JoinQuery;
import io.nql.planner.testing.JoinTables;
import io.nql.planner.testing.Marketplace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Joins of many small tables ({@code select5}-like, {@link JoinQueries}): a buyer reads the
 * provider's tables through one access rule each, the provider reads its own datasets. Every answer
 * equals the one computed in plain Java from the visible rows ({@link JoinQuery#expected}), and
 * from five tables on the equality chain runs as hash joins only (heuristic join ordering): no
 * nested-loop or merge join, no cartesian product. One plan of each kind is golden text in {@code
 * src/test/resources/golden/joins/} (regenerate with {@code -Dgolden.update=true}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyTableJoinTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "joins");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final int TABLES = 20;
  private static final long SEED = 20261206;
  private static final JoinTables DATA = new JoinTables(SEED);
  private static final Pattern JOIN = Pattern.compile("Enumerable(\\w*Join)\\(");

  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession provider;
  private NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("prov"));
    engine = Marketplace.open(dir.resolve("wh"), ingest, "prov", "buy");
    provider = engine.trusted("prov_user");
    buyer = engine.trusted("buy_user");
    DATA.load(provider, area, TABLES, "buy");
  }

  @AfterAll
  void tearDown() {
    for (AutoCloseable c : new AutoCloseable[] {buyer, provider, engine}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Stream<Arguments> queries() {
    List<JoinQuery> all = new ArrayList<>(JoinQueries.suite(SEED, 30, 4, TABLES));
    all.add(JoinQueries.chain(15));
    return all.stream().map(q -> Arguments.of(q.name(), q));
  }

  /** The buyer's tables: the provider's rules. */
  private static String rule(int n) {
    return "prov." + JoinTables.rule(n);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void buyerGetsTheVisibleRowsAnswerFromHashJoins(String name, JoinQuery q) {
    assertThat(rows(buyer, q.sql(ManyTableJoinTest::rule), q.orderBy()))
        .isEqualTo(q.expected(DATA));
    assertHashJoinsOnly(explain(buyer, q.sql(ManyTableJoinTest::rule)), q);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void ownerGetsTheSameAnswerFromItsDatasets(String name, JoinQuery q) {
    // The provider reads its datasets, hidden rows included: it filters them out itself.
    List<String> visible = new ArrayList<>();
    q.from().forEach(t -> visible.add("h" + t + " = 0"));
    JoinQuery own = q.with(visible);
    IntFunction<String> dataset = n -> "company_data." + JoinTables.dataset(n);
    assertThat(rows(provider, own.sql(dataset), q.orderBy())).isEqualTo(q.expected(DATA));
    assertHashJoinsOnly(explain(provider, own.sql(dataset)), q);
  }

  /** Tables {@code from}..{@code to} of the buyer, comma-separated, each aliased by its name. */
  private static String tables(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to)
        .mapToObj(ManyTableJoinTest::rule)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private String errorOf(String sql) {
    try {
      rows(buyer, sql, false);
    } catch (io.nql.planner.error.NqlException e) {
      // the position differs with the statement's length
      return e.sqlState() + " " + e.getMessage().replaceAll(" at line \\d+, column \\d+", "");
    }
    throw new AssertionError("no error: " + sql);
  }

  /** Tables {@code from}..{@code to} chained, each row of one matching one row of the next. */
  private static String chain(int from, int to) {
    return java.util.stream.IntStream.range(from, to)
        .mapToObj(n -> "t" + n + ".b" + n + " = t" + (n + 1) + ".a" + (n + 1))
        .collect(java.util.stream.Collectors.joining(" AND "));
  }

  @Test
  void namesInLongFromListsResolveAsInShortOnes() {
    // From eight tables on, unqualified names are qualified before validation (ColumnQualifier):
    // they must name the same columns, and fail with the same errors, as the validator decides.
    String eight = tables(1, 8);
    assertThat(errorOf("SELECT a1 FROM " + eight + ", prov.t1 AS again WHERE a1 = b2"))
        .contains("ambiguous")
        .isEqualTo(errorOf("SELECT a1 FROM prov.t1, prov.t1 AS again WHERE a1 = b2"));
    // three tables with the name: still ambiguous, never one of them (joined so that a wrong
    // qualification would answer at once)
    assertThat(
            errorOf(
                "SELECT x1 FROM "
                    + eight
                    + ", prov.t1 AS again, prov.t1 AS third WHERE a1 = 1 AND "
                    + chain(1, 8)
                    + " AND again.a1 = t1.a1 AND third.a1 = t1.a1"))
        .contains("ambiguous")
        .isEqualTo(
            errorOf("SELECT x1 FROM prov.t1, prov.t1 AS again, prov.t1 AS third WHERE a1 = b2"));
    assertThat(errorOf("SELECT x1 FROM " + eight + " WHERE nope = 1"))
        .isEqualTo(errorOf("SELECT x1 FROM prov.t1, prov.t2 WHERE nope = 1"));

    // an outer reference from a sub-query with eight tables of its own
    List<List<String>> correlated =
        rows(
            buyer,
            "SELECT x1, x2 FROM "
                + eight
                + " WHERE a3 = 1 AND "
                + chain(1, 8)
                + " AND EXISTS (SELECT 1 FROM "
                + tables(9, 16)
                + " WHERE a9 = a1 AND "
                + chain(9, 16)
                + ")",
            false);
    assertThat(correlated)
        .isNotEmpty()
        .isEqualTo(
            rows(
                buyer,
                "SELECT t1.x1, t2.x2 FROM "
                    + eight
                    + " WHERE "
                    + chain(1, 8)
                    + " AND t3.a3 = 1 AND EXISTS (SELECT 1 FROM "
                    + tables(9, 16)
                    + " WHERE t9.a9 = t1.a1 AND "
                    + chain(9, 16)
                    + ")",
                false));

    // an alias that is also a column's name: the statement is left to the validator as written
    assertThat(
            rows(
                buyer,
                "SELECT x2, b2 FROM prov.t1 AS a2, "
                    + tables(2, 8)
                    + " WHERE b2 = 3 AND a2.b1 = t2.a2 AND "
                    + chain(2, 8),
                false))
        .isEqualTo(
            rows(
                buyer,
                "SELECT t2.x2, t2.b2 FROM prov.t1 AS a2, "
                    + tables(2, 8)
                    + " WHERE t2.b2 = 3 AND a2.b1 = t2.a2 AND "
                    + chain(2, 8),
                false));
  }

  @Test
  void buyerPlanOfASixTableChain() throws Exception {
    golden("buyer-chain-6", explain(buyer, JoinQueries.chain(6).sql(ManyTableJoinTest::rule)));
  }

  @Test
  void ownerPlanOfASixTableChain() throws Exception {
    golden(
        "owner-chain-6",
        explain(provider, JoinQueries.chain(6).sql(n -> "company_data." + JoinTables.dataset(n))));
  }

  private static void assertHashJoinsOnly(String plan, JoinQuery q) {
    List<String> joins = new ArrayList<>();
    Matcher m = JOIN.matcher(plan);
    while (m.find()) {
      joins.add(m.group(1));
    }
    assertThat(joins).as(plan).doesNotContain("NestedLoopJoin");
    if (q.from().size() >= 5) {
      assertThat(joins).as(plan).hasSize(q.from().size() - 1).containsOnly("HashJoin");
    }
  }

  private static List<List<String>> rows(NqlSession session, String sql, boolean ordered) {
    List<List<String>> rows = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
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

  private static String explain(NqlSession session, String sql) {
    try (StatementResult r = session.execute("EXPLAIN PLAN FOR " + sql)) {
      return String.valueOf(r.next()[0]);
    }
  }

  private static void golden(String name, String plan) throws Exception {
    Path file = GOLDEN.resolve(name + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, plan, StandardCharsets.UTF_8);
    }
    assertThat(plan).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
