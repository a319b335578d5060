package io.nql.bench.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ForecastOptionsTest {
  @Test
  void defaultsAreTheIssuesSizes() {
    ForecastOptions o = ForecastOptions.parse();
    assertThat(o.rows()).isEqualTo(1_000_000L);
    assertThat(o.speedRows()).isEqualTo(10_000_000L);
    assertThat(o.speedExplains()).isEqualTo(200);
    assertThat(o.tolerance()).isEqualTo(0.20);
    assertThat(o.floorRows()).isEqualTo(10);
    assertThat(o.skipSpeed()).isFalse();
    assertThat(o.skipPostgres()).isFalse();
    assertThat(o.skipDemo()).isFalse();
    assertThat(o.pgUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/nql_test");
  }

  @Test
  void parsesValuesFlagsAndEqualsForm() {
    ForecastOptions o =
        ForecastOptions.parse(
            "--rows",
            "100000",
            "--speed-rows=300000",
            "--skip-postgres",
            "--skip-demo",
            "--tolerance",
            "0.1",
            "--work-dir",
            "/tmp/f",
            "--warmup",
            "0");
    assertThat(o.rows()).isEqualTo(100_000);
    assertThat(o.speedRows()).isEqualTo(300_000);
    assertThat(o.skipPostgres()).isTrue();
    assertThat(o.skipDemo()).isTrue();
    assertThat(o.skipSpeed()).isFalse();
    assertThat(o.tolerance()).isEqualTo(0.1);
    assertThat(o.workDir()).isEqualTo(Path.of("/tmp/f"));
    assertThat(o.warmup()).isZero();
    assertThat(ForecastOptions.parse("--skip-speed").skipSpeed()).isTrue();
  }

  @Test
  void refusesBadInputWithAReason() {
    assertThatThrownBy(() -> ForecastOptions.parse("--rows", "10"))
        .hasMessage("--rows must be at least 1000, got 10");
    assertThatThrownBy(() -> ForecastOptions.parse("--tolerance", "2"))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> ForecastOptions.parse("--speed-explains", "x"))
        .hasMessageContaining("is not a number");
    assertThatThrownBy(() -> ForecastOptions.parse("--seed")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ForecastOptions.parse("--oracle", "1"))
        .hasMessageContaining("Unknown option --oracle");
    assertThatThrownBy(() -> ForecastOptions.parse("--help"))
        .isInstanceOf(ForecastOptions.HelpRequested.class);
  }
}
