package io.nql.bench.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScanOptionsTest {
  @Test
  void defaultsAreTheIssuesSizes() {
    ScanOptions o = ScanOptions.parse(new String[0]);
    assertThat(o.rows()).isEqualTo(10_000_000L);
    assertThat(o.loadedRows()).isEqualTo(12_500_000L);
    assertThat(ScanData.visibleRows(o.loadedRows())).isEqualTo(o.rows());
    assertThat(o.systems()).containsExactly("flight", "jdbc", "plane", "postgres", "duckdb");
    assertThat(o.streams()).isEqualTo(16);
  }

  @Test
  void streamsCanBeSetOrTurnedOff() {
    assertThat(ScanOptions.parse(new String[] {"--streams", "0"}).streams()).isZero();
    assertThat(ScanOptions.parse(new String[] {"--streams", "4", "--rows", "10"}).streams())
        .isEqualTo(4);
    assertThat(ScanOptions.parse(new String[] {"--streams", "256"}).streams()).isEqualTo(256);
  }

  @Test
  void refusesBadStreamCountsInOneLine() {
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--streams", "-1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--streams must be 0 or more (0: no concurrent run)");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--streams", "many"}))
        .hasMessage("--streams needs a whole number, not 'many'");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--streams", "1.5"}))
        .hasMessage("--streams needs a whole number, not '1.5'");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--streams", "257"}))
        .hasMessage("--streams must be at most 256");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--rows", "10", "--streams"}))
        .hasMessage("Option --streams needs a value (see --help)");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--runs", "x"}))
        .hasMessage("--runs needs a whole number, not 'x'");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--runs", "3000000000"}))
        .hasMessage("--runs must be at most 2147483647");
  }

  @Test
  void usageNamesEveryOption() {
    for (String option :
        List.of(
            "--rows",
            "--runs",
            "--warmup",
            "--systems",
            "--scenarios",
            "--streams",
            "--work-dir")) {
      assertThat(ScanOptions.USAGE).contains(option);
    }
  }

  @Test
  void parsesOptions() {
    ScanOptions o =
        ScanOptions.parse(
            new String[] {"--rows", "2000", "--runs", "5", "--systems", "flight, DuckDB"});
    assertThat(o.rows()).isEqualTo(2000);
    assertThat(o.runs()).isEqualTo(5);
    assertThat(o.systems()).isEqualTo(List.of("flight", "duckdb"));
    assertThat(o.scenarios()).containsExactly("full", "selective", "aggregate");
    assertThat(ScanOptions.parse(new String[] {"--scenarios", "Selective"}).scenarios())
        .containsExactly("selective");
  }

  @Test
  void refusesBadInputWithAReason() {
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--rows", "0"}))
        .hasMessage("--rows must be positive");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--systems", "oracle"}))
        .hasMessageContaining("Unknown system oracle");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--scenarios", "join"}))
        .hasMessage("Unknown scenario join: expected some of full,selective,aggregate");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--runs"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--help"}))
        .isInstanceOf(ScanOptions.HelpRequested.class);
  }

  @Test
  void selectiveQueryAddsTheOnePercentFilter() {
    assertThat(ScanQueries.sql("t", "selective", "segment <> 'internal'"))
        .isEqualTo(
            "SELECT id, user_id, amount, country, label, event_ts FROM t"
                + " WHERE segment <> 'internal' AND user_id < 1000");
    assertThat(ScanQueries.sql("t", "full", "")).doesNotContain("WHERE");
  }

  @Test
  void aggregateGroupsByTwoColumnsAfterThePolicy() {
    assertThat(ScanQueries.sql("t", "aggregate", "segment <> 'internal'"))
        .isEqualTo(
            "SELECT country, label, COUNT(*) AS row_count, SUM(amount) AS amount_sum,"
                + " MIN(user_id) AS user_id_min, MAX(event_ts) AS event_ts_max FROM t"
                + " WHERE segment <> 'internal' GROUP BY country, label");
    assertThat(ScanQueries.sql("t", "aggregate", "")).doesNotContain("WHERE");
    assertThatThrownBy(() -> ScanQueries.sql("t", "join", "")).hasMessage("no scenario join");
  }

  @Test
  void thePlaneSystemReadsThePostgresHostOfTheUrl() {
    assertThat(ScanOptions.parse(new String[] {"--systems", "plane,postgres"}).systems())
        .containsExactly("plane", "postgres");
    assertThat(ScanBench.hostAndPort("jdbc:postgresql://127.0.0.1:5432/nql_test"))
        .isEqualTo("127.0.0.1:5432");
    assertThat(ScanBench.hostAndPort("jdbc:postgresql://db.internal/sales"))
        .isEqualTo("db.internal:5432");
  }
}
