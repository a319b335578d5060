package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryExecutorSmokeTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  static List<List<Object>> run(String sql) throws Exception {
    try (QueryResult r =
        new QueryExecutor().execute(NqlParser.parse(sql), data.acmeRoot(), new ScanMetrics())) {
      List<List<Object>> rows = new ArrayList<>();
      while (r.next()) {
        rows.add(Arrays.asList(r.row()));
      }
      return rows;
    }
  }

  @Test
  void selectsWithFilterAndOrder() throws Exception {
    assertThat(
            run(
                "SELECT id, amount FROM company_data.orders WHERE status = 'paid' AND amount > 6"
                    + " ORDER BY id"))
        .containsExactly(
            List.of(10L, new BigDecimal("19.99")),
            List.of(16L, new BigDecimal("7.00")),
            List.of(17L, new BigDecimal("12.34")));
  }

  @Test
  void singleColumnAndById() throws Exception {
    assertThat(run("SELECT count(*) FROM company_data.\"17\"")).containsExactly(List.of(5L));
  }

  @Test
  void repeatedStatementsGiveTheSameRows() throws Exception {
    // the second and later runs reuse the compiled plan: same rows
    String sql = "SELECT status, count(*) FROM company_data.orders WHERE qty > 1 GROUP BY status";
    List<List<Object>> expected = run(sql);
    for (int i = 0; i < 5; i++) {
      assertThat(run(sql)).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(expected)
        .containsExactlyInAnyOrder(
            List.of("paid", 3L), List.of("refunded", 1L), List.of("open", 1L));
  }
}
