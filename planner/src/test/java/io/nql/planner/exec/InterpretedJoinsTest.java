package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interpreted inner equi-joins ({@link InterpretedJoins}) give the rows of the compiled plan, in
 * the same order, for every join shape around them: keys of several types and several columns, NULL
 * keys, duplicate keys, one-column inputs and outputs, compiled operators above and below
 * (aggregates, sorts, limits, outer joins, expressions), parameters.
 */
class InterpretedJoinsTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  private static List<List<Object>> run(
      QueryExecutor executor, String sql, boolean interpreted, Object... params) throws Exception {
    try (QueryResult r =
        executor.execute(
            NqlParser.parse(sql),
            data.acmeRoot(),
            new ScanMetrics(),
            List.of(params),
            Map.of(QueryExecutor.INTERPRETED_JOINS, interpreted))) {
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.row()));
      }
      return rows;
    }
  }

  static Stream<Arguments> statements() {
    String c = "company_data.customers";
    String o = "company_data.orders";
    return Stream.of(
        Arguments.of(
            "one BIGINT key, a NULL key, a key without match",
            "SELECT c.name, o.amount, o.id FROM "
                + c
                + " c JOIN "
                + o
                + " o"
                + " ON o.customer_id = c.id",
            List.of()),
        Arguments.of(
            "two keys, duplicates",
            "SELECT a.id, b.id FROM "
                + o
                + " a JOIN "
                + o
                + " b"
                + " ON a.customer_id = b.customer_id AND a.status = b.status",
            List.of()),
        Arguments.of(
            "DATE key",
            "SELECT a.id, b.name FROM " + c + " a JOIN " + c + " b ON a.signup = b.signup",
            List.of()),
        Arguments.of(
            "BOOLEAN key",
            "SELECT a.id, b.id FROM " + c + " a JOIN " + c + " b ON a.vip = b.vip",
            List.of()),
        Arguments.of(
            "VARCHAR key",
            "SELECT a.id, b.id, b.country FROM "
                + c
                + " a JOIN "
                + c
                + " b"
                + " ON a.country = b.country",
            List.of()),
        Arguments.of(
            "one-column inputs and output",
            "SELECT o.id FROM (SELECT id FROM "
                + c
                + ") k"
                + " JOIN (SELECT customer_id, id FROM "
                + o
                + ") o ON o.customer_id = k.id",
            List.of()),
        Arguments.of(
            "keys of two types",
            "SELECT c.id, o.id FROM " + c + " c JOIN " + o + " o ON o.qty = c.id",
            List.of()),
        Arguments.of(
            "three tables",
            "SELECT c.name, a.id, b.id FROM "
                + c
                + " c JOIN "
                + o
                + " a ON a.customer_id = c.id"
                + " JOIN "
                + o
                + " b ON b.customer_id = a.customer_id",
            List.of()),
        Arguments.of(
            "sort and limit above",
            "SELECT c.name, o.id FROM "
                + c
                + " c JOIN "
                + o
                + " o ON o.customer_id = c.id"
                + " ORDER BY o.id DESC LIMIT 3",
            List.of()),
        Arguments.of(
            "limit without order",
            "SELECT c.name, o.id FROM "
                + c
                + " c JOIN "
                + o
                + " o ON o.customer_id = c.id"
                + " LIMIT 2",
            List.of()),
        Arguments.of(
            "aggregate above",
            "SELECT c.country, COUNT(*), SUM(o.amount), MAX(o.ordered_at) FROM "
                + c
                + " c"
                + " JOIN "
                + o
                + " o ON o.customer_id = c.id GROUP BY c.country",
            List.of()),
        Arguments.of(
            "expressions above",
            "SELECT c.name || '-' || o.status, o.qty * 2, o.score FROM "
                + c
                + " c JOIN "
                + o
                + " o ON o.customer_id = c.id WHERE o.amount > 1",
            List.of()),
        Arguments.of(
            "outer join above an inner join",
            "SELECT c.id, x.amount FROM "
                + c
                + " c LEFT JOIN (SELECT o.customer_id, o.amount"
                + " FROM "
                + o
                + " o JOIN "
                + c
                + " k ON k.id = o.customer_id) x"
                + " ON x.customer_id = c.id",
            List.of()),
        Arguments.of(
            "a condition beyond equality (compiled)",
            "SELECT a.id, b.id FROM "
                + o
                + " a JOIN "
                + o
                + " b ON a.customer_id = b.customer_id"
                + " AND a.id < b.id",
            List.of()),
        Arguments.of(
            "parameters",
            "SELECT c.name, o.id FROM "
                + c
                + " c JOIN "
                + o
                + " o ON o.customer_id = c.id"
                + " WHERE o.qty > ? AND c.country <> ?",
            List.of(1, "zz")),
        Arguments.of(
            "a sub-query",
            "SELECT c.id FROM "
                + c
                + " c WHERE c.id IN (SELECT o.customer_id FROM "
                + o
                + " o"
                + " JOIN "
                + c
                + " k ON k.id = o.customer_id WHERE o.status = 'paid')",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void interpretedJoinsGiveTheCompiledPlansRowsInItsOrder(
      String name, String sql, List<Object> params) throws Exception {
    QueryExecutor executor = new QueryExecutor();
    List<List<Object>> compiled = run(executor, sql, false, params.toArray());
    assertThat(compiled).as("the compiled plan finds rows").isNotEmpty();
    assertThat(run(executor, sql, true, params.toArray())).isEqualTo(compiled);
    // again, with the parts compiled at the first run
    assertThat(run(executor, sql, true, params.toArray())).isEqualTo(compiled);
  }

  @Test
  void aJoinOfTheSameTablesCompilesNothingNew() throws Exception {
    // The join itself is not compiled, and each table's part compiles to the same class in every
    // statement that reads the same columns: the second join finds all its classes.
    String first =
        "SELECT c.name, o.amount FROM company_data.customers c JOIN company_data.orders o"
            + " ON o.customer_id = c.id";
    String second =
        "SELECT o.amount, c.name, c.name AS again FROM company_data.orders o"
            + " JOIN company_data.customers c ON c.id = o.customer_id";
    QueryExecutor interpreted = new QueryExecutor();
    run(interpreted, first, true);
    long misses = interpreted.compiledPlans().misses();
    long partHits = interpreted.compiledPlans().partHits();
    assertThat(run(interpreted, second, true)).hasSize(6);
    assertThat(interpreted.compiledPlans().misses()).isEqualTo(misses);
    // the second statement's two table parts were found by their digest: no code generated
    assertThat(interpreted.compiledPlans().partHits()).isEqualTo(partHits + 2);
    // a part reading other columns of a table has another digest
    assertThat(
            run(
                interpreted,
                "SELECT c.id, o.id FROM company_data.customers c JOIN company_data.orders o"
                    + " ON o.customer_id = c.id",
                true))
        .hasSize(6);
    assertThat(interpreted.compiledPlans().partHits()).isEqualTo(partHits + 2);

    QueryExecutor compiled = new QueryExecutor();
    run(compiled, first, false);
    long before = compiled.compiledPlans().misses();
    assertThat(run(compiled, second, false)).hasSize(6);
    assertThat(compiled.compiledPlans().misses()).isEqualTo(before + 1);
  }
}
