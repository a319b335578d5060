package io.nql.bench.joins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JoinOptionsTest {
  @Test
  void defaultsAreTheIssuesSizes() {
    JoinOptions o = JoinOptions.parse();
    assertThat(o.chain()).isEqualTo(15);
    assertThat(o.chainRuns()).isEqualTo(20);
    assertThat(o.queries()).isEqualTo(700);
    assertThat(o.minTables()).isEqualTo(4);
    assertThat(o.maxTables()).isEqualTo(64);
    assertThat(o.tablesLoaded()).isEqualTo(64);
    assertThat(o.client()).isEqualTo("flight");
    assertThat(o.systems()).containsExactly("nql", "postgres");
  }

  @Test
  void parsesOptions() {
    JoinOptions o =
        JoinOptions.parse(
            "--queries", "30", "--max-tables", "20", "--client", "JDBC", "--systems", "nql");
    assertThat(o.queries()).isEqualTo(30);
    assertThat(o.tablesLoaded()).isEqualTo(20);
    assertThat(o.client()).isEqualTo("jdbc");
    assertThat(o.systems()).isEqualTo(List.of("nql"));
    assertThat(JoinOptions.parse("--chain", "30", "--max-tables", "20").tablesLoaded())
        .isEqualTo(30);
  }

  @Test
  void refusesBadInputWithAReason() {
    assertThatThrownBy(() -> JoinOptions.parse("--queries", "0"))
        .hasMessage("--queries must be positive");
    assertThatThrownBy(() -> JoinOptions.parse("--max-tables", "65"))
        .hasMessage("--max-tables must be between 2 and 64");
    assertThatThrownBy(() -> JoinOptions.parse("--min-tables", "9", "--max-tables", "8"))
        .hasMessageContaining("must not exceed");
    assertThatThrownBy(() -> JoinOptions.parse("--systems", "oracle"))
        .hasMessageContaining("nql, postgres");
    assertThatThrownBy(() -> JoinOptions.parse("--chain")).hasMessageContaining("needs a value");
    assertThat(JoinOptions.parse("--help")).isNull();
  }
}
