package io.nql.planner.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** String functions count code points (PostgreSQL semantics), not UTF-16 units. */
class CodePointStringsTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  static List<Object> row(String sql) {
    List<List<Object>> rows = rows(sql);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  static List<List<Object>> rows(String sql) {
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
  void lengthCountsCodePoints() {
    assertThat(row("SELECT CHAR_LENGTH('emoji 😀'), CHARACTER_LENGTH('😀😀'), CHAR_LENGTH('')"))
        .containsExactly(7, 2, 0);
  }

  @Test
  void lengthOfColumnsAndNull() {
    assertThat(
            rows(
                "SELECT CHAR_LENGTH(name || '😀'), CHAR_LENGTH(country) FROM company_data.customers"
                    + " WHERE id IN (2, 4) ORDER BY id"))
        .containsExactly(Arrays.asList(11, 2), Arrays.asList(7, null));
  }

  @Test
  void substringDoesNotSplitSurrogatePairs() {
    assertThat(
            row(
                "SELECT SUBSTRING('a😀b😀c' FROM 2 FOR 2), SUBSTRING('a😀b😀c' FROM 4),"
                    + " SUBSTRING('a😀b' FROM 0 FOR 2), SUBSTRING('a😀b' FROM -5 FOR 2),"
                    + " SUBSTRING('a😀b' FROM 9), SUBSTRING('a😀b' FROM 2 FOR 100)"))
        .containsExactly("😀b", "😀c", "a", "", "", "😀b");
  }

  @Test
  void substringOfColumnWithBigintPosition() {
    assertThat(
            rows(
                "SELECT SUBSTRING(name || '😀' FROM CAST(id AS BIGINT) + 8 FOR id)"
                    + " FROM company_data.customers WHERE id = 2"))
        .containsExactly(List.of("g😀"));
  }

  @Test
  void negativeSubstringLengthIsAnError() {
    assertThatThrownBy(
            () -> rows("SELECT SUBSTRING(name FROM 1 FOR id - 3) FROM company_data.customers"))
        .isInstanceOf(NqlException.class)
        .extracting(e -> ((NqlException) e).code())
        .isEqualTo(ErrorCode.SUBSTRING_ERROR);
  }

  @Test
  void positionCountsCodePoints() {
    assertThat(
            row(
                "SELECT POSITION('b' IN 'a😀b'), POSITION('x' IN 'a😀b'), POSITION('' IN '😀'),"
                    + " POSITION('😀' IN '😀a😀' FROM 2), POSITION('a' IN '😀a' FROM 3)"))
        .containsExactly(3, 0, 1, 3, 0);
  }

  @Test
  void overlayCountsCodePoints() {
    assertThat(
            row(
                "SELECT OVERLAY('a😀b😀c' PLACING 'XY' FROM 2),"
                    + " OVERLAY('a😀b😀c' PLACING '!' FROM 2 FOR 3),"
                    + " OVERLAY('😀' PLACING '-' FROM 5)"))
        .containsExactly("aXY😀c", "a!c", "😀-");
  }

  @Test
  void binaryStringsKeepByteSemantics() {
    assertThat(row("SELECT POSITION(X'02' IN X'010203'), OVERLAY(X'0102' PLACING X'FF' FROM 2)"))
        .containsExactly(2, new byte[] {1, (byte) 0xFF});
  }

  @Test
  void planShowsCodePointFunctions() throws Exception {
    String plan =
        new QueryExecutor()
            .explain(
                NqlParser.parse(
                    "SELECT CHAR_LENGTH(name), SUBSTRING(name, 2) FROM company_data.customers"),
                data.acmeRoot());
    assertThat(plan).contains("CP_CHAR_LENGTH(", "CP_SUBSTRING(");
  }

  @Test
  void functionsDirectly() {
    assertThat(CodePointStrings.left("😀a😀", 2)).isEqualTo("😀a");
    assertThat(CodePointStrings.left("😀a😀", -1)).isEqualTo("😀a");
    assertThat(CodePointStrings.left("😀a😀", -9)).isEmpty();
    assertThat(CodePointStrings.right("😀a😀", 2)).isEqualTo("a😀");
    assertThat(CodePointStrings.right("😀a😀", -1)).isEqualTo("a😀");
    assertThat(CodePointStrings.right("😀a😀", 9)).isEqualTo("😀a😀");
    assertThat(CodePointStrings.substring("abc", Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEmpty();
  }
}
