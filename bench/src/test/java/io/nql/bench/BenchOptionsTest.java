package io.nql.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsMatchTheIssue() {
    BenchOptions o = BenchOptions.parse();
    assertThat(o.rows()).isEqualTo(1_000_000);
    assertThat(o.pointQueries()).isEqualTo(1_000);
    assertThat(o.totalRows()).isEqualTo(1_250_000);
    assertThat(BenchData.visibleRows(o.totalRows())).isEqualTo(1_000_000);
    assertThat(o.pgUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/nql_test");
    // the gateway's own frames: no row cap, about 2 MiB each, columnar for jdbc:nql
    assertThat(o.frameRows()).isZero();
    assertThat(o.frameEncoding()).isEqualTo("columnar");
  }

  @Test
  void readsTheFrameOptions() {
    BenchOptions o =
        BenchOptions.parse(
            "--frame-rows", "1000", "--frame-encoding=standard", "--frame-bytes", "512k");
    assertThat(o.frameRows()).isEqualTo(1000);
    assertThat(o.frameBytes()).isEqualTo(512 << 10);
    assertThat(BenchOptions.parse().frameBytes()).isZero();
    assertThat(o.frameEncoding()).isEqualTo("standard");
    assertThatThrownBy(() -> BenchOptions.parse("--frame-encoding", "arrow"))
        .hasMessage(
            "Cannot read option --frame-encoding: expected columnar or standard, got 'arrow'");
  }

  @Test
  void readsOptionsWithSpaceOrEquals() {
    BenchOptions o =
        BenchOptions.parse(
            "--rows",
            "2000",
            "--point-queries=50",
            "--warmup",
            "0",
            "--price-cpm",
            "1.50",
            "--pg-user",
            "owner",
            "--pg-buyer=reader",
            "--literal-points");
    assertThat(o.rows()).isEqualTo(2000);
    assertThat(o.pointQueries()).isEqualTo(50);
    assertThat(o.warmup()).isZero();
    assertThat(o.priceCpm()).isEqualByComparingTo(new BigDecimal("1.5"));
    assertThat(o.pgUser()).isEqualTo("owner");
    assertThat(o.pgBuyer()).isEqualTo("reader");
    assertThat(o.literalPoints()).isTrue();
    assertThat(BenchOptions.parse().literalPoints()).isFalse();
    assertThat(BenchOptions.parse("--help")).isNull();
  }

  @Test
  void refusesBadOptionsByName() {
    assertThatThrownBy(() -> BenchOptions.parse("--rows", "0"))
        .hasMessage("Cannot read option --rows: must be at least 1, got 0");
    assertThatThrownBy(() -> BenchOptions.parse("--rows", "many"))
        .hasMessage("Cannot read option --rows: 'many' is not a number");
    assertThatThrownBy(() -> BenchOptions.parse("--rowz", "1"))
        .hasMessage("Cannot read option --rowz: unknown (see --help)");
    assertThatThrownBy(() -> BenchOptions.parse("--warmup"))
        .hasMessage("Cannot read option --warmup: missing value");
    assertThatThrownBy(() -> BenchOptions.parse("--pg-buyer", "x; DROP TABLE t"))
        .hasMessageStartingWith("Cannot read option --pg-buyer: expected a lowercase role name");
  }
}
