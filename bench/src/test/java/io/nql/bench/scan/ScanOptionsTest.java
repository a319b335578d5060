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
    assertThat(o.systems()).containsExactly("flight", "jdbc", "postgres", "duckdb");
  }

  @Test
  void parsesOptions() {
    ScanOptions o =
        ScanOptions.parse(
            new String[] {"--rows", "2000", "--runs", "5", "--systems", "flight, DuckDB"});
    assertThat(o.rows()).isEqualTo(2000);
    assertThat(o.runs()).isEqualTo(5);
    assertThat(o.systems()).isEqualTo(List.of("flight", "duckdb"));
  }

  @Test
  void refusesBadInputWithAReason() {
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--rows", "0"}))
        .hasMessage("--rows must be positive");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--systems", "oracle"}))
        .hasMessageContaining("Unknown system oracle");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--runs"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ScanOptions.parse(new String[] {"--help"}))
        .isInstanceOf(ScanOptions.HelpRequested.class);
  }

  @Test
  void selectiveQueryAddsTheOnePercentFilter() {
    assertThat(ScanBench.sql("t", "selective", "segment <> 'internal'"))
        .isEqualTo(
            "SELECT id, user_id, amount, country, label, event_ts FROM t"
                + " WHERE segment <> 'internal' AND user_id < 1000");
    assertThat(ScanBench.sql("t", "full", "")).doesNotContain("WHERE");
  }
}
