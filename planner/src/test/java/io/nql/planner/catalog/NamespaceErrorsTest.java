package io.nql.planner.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.testing.ShopData;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespaceErrorsTest {
  @TempDir static Path dir;
  static ShopData data;

  @BeforeAll
  static void setUp() {
    data = new ShopData(dir);
  }

  private static long count(String sql) throws Exception {
    try (QueryResult r =
        new QueryExecutor().execute(NqlParser.parse(sql), data.acmeRoot(), new ScanMetrics())) {
      long n = 0;
      while (r.next()) {
        n++;
      }
      return n;
    }
  }

  private static NqlException error(String sql) {
    try {
      count(sql);
    } catch (NqlException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no error for " + sql);
  }

  @Test
  void datasetByNameAndById() throws Exception {
    assertThat(count("SELECT * FROM company_data.customers")).isEqualTo(5);
    assertThat(count("SELECT * FROM company_data.\"17\"")).isEqualTo(5);
    assertThat(count("SELECT * FROM company_data.\"18\" o WHERE o.qty > 2")).isEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM globex.purchases | globex.purchases",
        "SELECT * FROM company_data.\"99\" | company_data.\"99\"",
        "SELECT * FROM company_data.purchases | company_data.purchases",
        "SELECT * FROM nosuch.customers | nosuch.customers",
        "SELECT * FROM narrative.customers | narrative.customers",
        "SELECT * FROM Company_Data.Missing | company_data.missing",
        "SELECT * FROM company_data.customers.id | company_data.customers.id",
        "SELECT 1 FROM company_data.customers c JOIN globex.purchases p ON true | globex.purchases",
      })
  void unknownOrInvisibleTable(String sql, String written) {
    NqlException e = error(sql);
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE);
    assertThat(e.sqlState()).isEqualTo("42P01");
    assertThat(e.getMessage())
        .isEqualTo("Unknown table or insufficient table permissions: " + written);
  }

  @Test
  void unqualifiedTable() {
    NqlException e = error("SELECT * FROM customers");
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SCHEMA);
    assertThat(e.sqlState()).isEqualTo("3F000");
    assertThat(e.getMessage())
        .isEqualTo(
            "Table customers must be qualified with company_data, a company slug or narrative"
                + " at line 1, column 15");
  }

  @Test
  void cteNameNeedsNoSchema() throws Exception {
    assertThat(count("WITH c AS (SELECT id FROM company_data.customers) SELECT * FROM c"))
        .isEqualTo(5);
  }

  @Test
  void unknownColumn() {
    NqlException e = error("SELECT id,\n  c.nme FROM company_data.customers c");
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN);
    assertThat(e.sqlState()).isEqualTo("42703");
    assertThat(e.getMessage()).isEqualTo("Column c.nme not found at line 2, column 5");
  }

  @Test
  void groupingErrorIsOneLineWithoutClassNames() {
    NqlException e = error("SELECT id FROM company_data.customers GROUP BY name");
    assertThat(e.code()).isEqualTo(ErrorCode.GROUPING_ERROR);
    assertThat(e.getMessage())
        .startsWith("Expression 'id' is not being grouped")
        .endsWith("at line 1, column 8")
        .doesNotContain("\n")
        .doesNotContain("org.apache")
        .doesNotContain("Exception");
  }

  @Test
  void runtimeErrors() {
    assertThatThrownBy(() -> count("SELECT qty / (qty - qty) FROM company_data.orders"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
    assertThatThrownBy(() -> count("SELECT CAST(status AS INTEGER) FROM company_data.orders"))
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEXT_REPRESENTATION);
              // Never the value: it could come from a rule row the caller has not paid for.
              assertThat(e.getMessage()).isEqualTo("Invalid input syntax for a number");
            });
    assertThatThrownBy(() -> count("SELECT CAST(id * 1000 AS TINYINT) FROM company_data.customers"))
        .isInstanceOfSatisfying(
            NqlException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
  }
}
