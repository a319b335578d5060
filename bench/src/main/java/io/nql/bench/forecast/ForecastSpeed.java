package io.nql.bench.forecast;

import io.nql.bench.Latencies;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The speed part of the forecast benchmark: {@code EXPLAIN} latency through {@code jdbc:nql} and
 * PostgreSQL's {@code EXPLAIN} latency on the same partitioned data.
 */
final class ForecastSpeed {
  private ForecastSpeed() {}

  /** One system's latencies over {@code explains} timed statements. */
  record Speed(String system, Latencies latencies, int explains) {}

  /** Times NQL's forecasts of the speed queries. */
  static Speed nql(
      ForecastOptions o,
      ForecastReport report,
      long rows,
      Connection buyer,
      List<ForecastQueries.BenchQuery> timed)
      throws SQLException {
    List<String> sql = new ArrayList<>();
    for (ForecastQueries.BenchQuery q : timed) {
      sql.add("EXPLAIN " + q.nql(ForecastBench.SPEED_SOURCES));
    }
    return time(o, report, rows, "NQL", buyer, sql);
  }

  /** Times PostgreSQL's {@code EXPLAIN} of the same queries (those it has an equivalent of). */
  static Speed postgres(
      ForecastOptions o,
      ForecastReport report,
      long rows,
      Connection pg,
      List<ForecastQueries.BenchQuery> timed)
      throws SQLException {
    List<String> sql = new ArrayList<>();
    for (ForecastQueries.BenchQuery q : timed) {
      String p = q.pg(ForecastBench.SPEED_SOURCES);
      if (p != null) {
        sql.add("EXPLAIN (FORMAT JSON) " + p);
      }
    }
    return time(o, report, rows, "PostgreSQL", pg, sql);
  }

  /** Runs {@code warmup} then {@code speedExplains} statements round-robin, reading every row. */
  private static Speed time(
      ForecastOptions o,
      ForecastReport report,
      long dataRows,
      String system,
      Connection c,
      List<String> sql)
      throws SQLException {
    long[] nanos = new long[o.speedExplains()];
    long rows = 0;
    try (Statement s = c.createStatement()) {
      for (int i = 0; i < o.warmup() + o.speedExplains(); i++) {
        long t0 = System.nanoTime();
        try (ResultSet rs = s.executeQuery(sql.get(i % sql.size()))) {
          while (rs.next()) {
            rows++;
          }
        }
        if (i >= o.warmup()) {
          nanos[i - o.warmup()] = System.nanoTime() - t0;
        }
      }
    }
    Latencies l = new Latencies(nanos, rows);
    report.line(
        String.format(
            Locale.ROOT,
            "%s: %d EXPLAIN statements (%d distinct, after %d warm-up) on %,d rows / %d"
                + " partitions: p50 %.2f ms, p99 %.2f ms",
            system,
            o.speedExplains(),
            sql.size(),
            o.warmup(),
            dataRows,
            SkewedData.DAYS,
            l.percentileMs(50),
            l.percentileMs(99)));
    return new Speed(system, l, o.speedExplains());
  }
}
