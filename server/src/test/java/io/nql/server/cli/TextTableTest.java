package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  static String draw(List<String> headers, boolean[] right, List<String[]> rows, int width) {
    StringWriter sw = new StringWriter();
    Iterator<String[]> it = rows.iterator();
    TextTable.Rows<RuntimeException> source = () -> it.hasNext() ? it.next() : null;
    long n = TextTable.print(headers, right, source, width, new PrintWriter(sw, true));
    assertThat(n).isEqualTo(rows.size());
    return sw.toString();
  }

  @Test
  void withoutALimitNothingIsCut() {
    String long80 = "y".repeat(80);
    String out =
        draw(
            List.of("id", "text"),
            new boolean[] {true, false},
            List.of(new String[] {"1", long80}, new String[] {"22", null}),
            TextTable.UNLIMITED);
    assertThat(out.lines().toList())
        .containsExactly(
            "+----+" + "-".repeat(82) + "+",
            "| id | text" + " ".repeat(76) + " |",
            "+----+" + "-".repeat(82) + "+",
            "|  1 | " + long80 + " |",
            "| 22 | NULL" + " ".repeat(76) + " |",
            "+----+" + "-".repeat(82) + "+");
  }

  @Test
  void theWidestColumnGivesWayAndCutCellsEndInAnEllipsis() {
    String out =
        draw(
            List.of("id", "city", "note"),
            new boolean[] {true, false, false},
            List.of(
                new String[] {"1", "東京", "z".repeat(60)}, new String[] {"2", "Zürich", "short"}),
            30);
    List<String> lines = out.lines().toList();
    assertThat(lines).allMatch(l -> TextTable.width(l) == 30);
    assertThat(lines.get(3)).isEqualTo("|  1 | 東京   | zzzzzzzzzzz… |");
    assertThat(lines.get(4)).isEqualTo("|  2 | Zürich | short        |");
  }

  @Test
  void wideCharactersAreCutByTheirWidth() {
    assertThat(TextTable.width("東京abc")).isEqualTo(7);
    assertThat(TextTable.truncate("東京東京", 5)).isEqualTo("東京…");
    assertThat(TextTable.truncate("東京", 4)).isEqualTo("東京");
  }

  @Test
  void controlCharactersAreShownEscaped() {
    String out =
        draw(
            List.of("v"),
            new boolean[] {false},
            List.<String[]>of(new String[] {"a\nb\tc\u001b[31mred"}),
            TextTable.UNLIMITED);
    assertThat(out).contains("| a\\nb\\tc\\u001b[31mred |").doesNotContain("\u001b");
  }
}
