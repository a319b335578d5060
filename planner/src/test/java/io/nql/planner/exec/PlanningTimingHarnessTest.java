package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import io.nql.planner.testing.ShopData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.calcite.sql.SqlNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeatable timing harness for the executor's phases: runs small statements many times, with the
 * compiled-plan cache off and on (interleaved, same JVM), and prints the median time per phase.
 * Prints only; it asserts results, never wall-clock times. Opt-in (timings belong to {@code
 * bench/}, not to every build): {@code mvn -B verify -pl planner -Dtest=PlanningTimingHarnessTest
 * -Dnql.timings=true}.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "nql.timings", matches = "true")
class PlanningTimingHarnessTest {
  @TempDir Path dir;

  private static final int WARMUP = 30;
  private static final int MEASURED = 40;

  @Test
  void printsPhaseTimings() throws Exception {
    ShopData data = new ShopData(dir);
    String[] statements = {
      "SELECT status, COUNT(*) AS n FROM company_data.orders WHERE qty > 1 GROUP BY status",
      "SELECT c.country, SUM(o.amount) AS total FROM company_data.orders o"
          + " JOIN company_data.customers c ON o.customer_id = c.id GROUP BY c.country",
    };
    for (String sql : statements) {
      SqlNode node = NqlParser.parse(sql);
      Run off = new Run(0);
      Run on = new Run(256);
      for (int i = 0; i < WARMUP + MEASURED; i++) {
        off.once(node, data, i >= WARMUP);
        on.once(node, data, i >= WARMUP);
      }
      off.print("cache off", sql);
      on.print("cache on ", sql);
    }
  }

  private static final class Run {
    final List<QueryExecutor.PhaseTimes> phases = new ArrayList<>();
    final List<Long> totals = new ArrayList<>();
    final QueryExecutor executor;
    int warmupPhases;

    Run(int cacheSize) {
      executor =
          new QueryExecutor(PlanRewriter.IDENTITY, BatchExecution.NONE, phases::add, cacheSize);
    }

    void once(SqlNode node, ShopData data, boolean measured) {
      if (!measured) {
        warmupPhases = phases.size() + 1;
      }
      long start = System.nanoTime();
      int rows = 0;
      try (QueryResult r = executor.execute(node, data.acmeRoot(), new ScanMetrics())) {
        while (r.next()) {
          rows++;
        }
      }
      if (measured) {
        totals.add(System.nanoTime() - start);
      }
      assertThat(rows).isPositive();
    }

    void print(String label, String sql) {
      List<QueryExecutor.PhaseTimes> m = phases.subList(warmupPhases, phases.size());
      System.out.printf(
          "PHASES %s median ms over %d runs: validate %.1f, convert %.1f, rewrite %.1f,"
              + " optimize %.1f, compile %.1f, whole statement %.1f; cache hits %d -- %s%n",
          label,
          m.size(),
          median(m, QueryExecutor.PhaseTimes::validate),
          median(m, QueryExecutor.PhaseTimes::convert),
          median(m, QueryExecutor.PhaseTimes::rewrite),
          median(m, QueryExecutor.PhaseTimes::optimize),
          median(m, QueryExecutor.PhaseTimes::compile),
          median(totals, Long::longValue),
          executor.compiledPlans().hits(),
          sql);
    }
  }

  private static <T> double median(List<T> values, ToLongFunction<T> f) {
    long[] v = values.stream().mapToLong(f).sorted().toArray();
    return v[v.length / 2] / 1e6;
  }
}
