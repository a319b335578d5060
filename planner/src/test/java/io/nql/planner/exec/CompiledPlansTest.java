package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reused compiled plans read each statement's own scans and parameters. */
class CompiledPlansTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  static List<List<Object>> run(QueryExecutor executor, String sql, Object... params)
      throws Exception {
    try (QueryResult r =
        executor.execute(
            NqlParser.parse(sql), data.acmeRoot(), new ScanMetrics(), List.of(params))) {
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.row()));
      }
      return rows;
    }
  }

  @Test
  void repeatedStatementReusesCompiledPlan() throws Exception {
    QueryExecutor executor = new QueryExecutor();
    String sql = "SELECT status, COUNT(*) FROM company_data.orders WHERE qty > 1 GROUP BY status";
    List<List<Object>> first = run(executor, sql);
    long misses = executor.compiledPlans().misses();
    for (int i = 0; i < 3; i++) {
      assertThat(run(executor, sql)).containsExactlyInAnyOrderElementsOf(first);
    }
    assertThat(executor.compiledPlans().misses()).isEqualTo(misses);
    assertThat(executor.compiledPlans().hits()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void planWithHoistedDecimalConstantIsReused() throws Exception {
    // Calcite hoists the DECIMAL constant into a static final BigDecimal field (as it does for a
    // rule's price column); such a class is still shared.
    QueryExecutor executor = new QueryExecutor();
    String sql = "SELECT id, qty * 1.25 AS x FROM company_data.orders WHERE id = ? ORDER BY id";
    List<List<Object>> first = run(executor, sql, 14L);
    assertThat(first).hasSize(1);
    long misses = executor.compiledPlans().misses();
    assertThat(run(executor, sql, 17L)).hasSize(1);
    assertThat(run(executor, sql, 14L)).isEqualTo(first);
    assertThat(executor.compiledPlans().misses()).isEqualTo(misses);
    assertThat(executor.compiledPlans().hits()).isEqualTo(2);
  }

  @Test
  void reusedPlanBindsNewParameters() throws Exception {
    QueryExecutor executor = new QueryExecutor();
    String sql = "SELECT id FROM company_data.orders WHERE qty > ? ORDER BY id";
    assertThat(run(executor, sql, 4)).containsExactly(List.of(14L), List.of(17L));
    assertThat(run(executor, sql, 9)).containsExactly(List.of(14L));
    assertThat(executor.compiledPlans().hits()).isEqualTo(1);
  }

  @Test
  void samePlanShapeOverAnotherTableReadsThatTable() throws Exception {
    QueryExecutor executor = new QueryExecutor();
    // Both plans are a one-column scan; the generated code is the same, the stashed scans differ.
    assertThat(run(executor, "SELECT id FROM company_data.customers")).hasSize(5);
    assertThat(run(executor, "SELECT id FROM company_data.orders")).hasSize(8);
  }
}
