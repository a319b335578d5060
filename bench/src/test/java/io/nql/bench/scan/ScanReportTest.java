package io.nql.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanReportTest {
  @Test
  void eachNqlFigureCarriesItsGoalsAgainstTheSameRun() {
    List<ScanBench.Measure> results =
        List.of(
            measure("full", "Flight SQL", 1_000, 1.0),
            measure("full", "PostgreSQL", 1_000, 4.0),
            measure("full", "DuckDB", 1_000, 0.5),
            measure("aggregate", "Flight SQL", 1_000, 1.0),
            measure("aggregate", "DuckDB", 1_000, 0.3));
    // 4x PostgreSQL (goal 5), exactly 0.5x DuckDB (goal 0.5).
    assertThat(ScanReport.goals(results.get(0), results))
        .isEqualTo(">= 5x PostgreSQL: NOT met; >= 0.5x DuckDB: met");
    assertThat(ScanReport.goals(results.get(1), results)).isEmpty();
    assertThat(ScanReport.goals(results.get(3), results)).isEqualTo(">= 0.3x DuckDB: met");
    List<ScanBench.Measure> withoutPg =
        List.of(measure("selective", "jdbc:nql", 10, 1.0), measure("selective", "DuckDB", 10, 1));
    assertThat(ScanReport.goals(withoutPg.get(0), withoutPg))
        .isEqualTo(">= 2x PostgreSQL: PostgreSQL not run; >= 0.5x DuckDB: met");
  }

  @Test
  void theConcurrentRunIsJudgedOnEveryFigure() {
    // Two streams of 1,000 rows: one 1 s, one 2 s, over 2 s of wall time.
    long s = 1_000_000_000L;
    ConcurrentStreams.Outcome ok =
        new ConcurrentStreams.Outcome(
            List.of(stream(1_000, 0, s), stream(1_000, 0, 2 * s)),
            512L << 20,
            100L << 20,
            0,
            0,
            List.of());
    assertThat(ok.aggregateRowsPerSecond()).isEqualTo(1_000.0);
    assertThat(ok.slowestOverMean()).isEqualTo(500.0 / 750.0);
    assertThat(ok.failed()).isFalse();
    String printed = print(ok, 1_000);
    assertThat(printed)
        .contains("| aggregate / best single stream | 1.00 | >= 0.9: met |")
        .contains("| slowest stream rows/s / mean stream rows/s | 0.67 | >= 0.5: met |")
        .contains("| 512 MiB | <= 1 GiB: met |")
        .contains("| of which the old generation's peak | 100 MiB |  |")
        .contains("| 0 bytes | = 0 bytes: met |")
        .contains("| 2 of 2 | all: met |");

    ConcurrentStreams.Outcome leaked =
        new ConcurrentStreams.Outcome(
            List.of(stream(1_000, 0, s), stream(100, 0, 2 * s)),
            2L << 30,
            1L << 30,
            0,
            4_096,
            List.of("stream 2: rows=100 vs rows=1000"));
    assertThat(leaked.failed()).isTrue();
    assertThat(print(leaked, 2_000))
        .contains("| aggregate / best single stream | 0.28 | >= 0.9: NOT met |")
        .contains("<= 1 GiB: NOT met")
        .contains("| 4,096 bytes | = 0 bytes: NOT met |")
        .contains("| 1 of 2 | all: NOT met |")
        .contains("stream 2: rows=100 vs rows=1000");
  }

  private static String print(ConcurrentStreams.Outcome o, double bestSingle) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ScanReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).streams(o, bestSingle);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static ConcurrentStreams.Stream stream(long rows, long start, long end) {
    Checksum c = new Checksum();
    c.rows = rows;
    return new ConcurrentStreams.Stream(c, start, end);
  }

  private static ScanBench.Measure measure(
      String scenario, String system, long rows, double seconds) {
    Checksum c = new Checksum();
    c.rows = rows;
    return new ScanBench.Measure(scenario, system, c, seconds);
  }
}
