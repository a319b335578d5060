package io.nql.planner.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.result.ResultColumn;
import java.nio.file.Path;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.sql.SqlJdbcFunctionCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database properties are true of the engine: every advertised JDBC escape function runs, the
 * keywords are the grammar's, the version is the build's; and the metadata tables have the JDBC
 * shape and order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabasePropertiesTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;

  /** One sample call per JDBC escape function Calcite's parser knows. */
  private static final Map<String, String> SAMPLES = new TreeMap<>();

  static {
    String[][] calls = {
      {"ABS", "-1"},
      {"ACOS", "1"},
      {"ASIN", "0"},
      {"ATAN", "1"},
      {"ATAN2", "1, 1"},
      {"CBRT", "8"},
      {"CEILING", "1.5"},
      {"COS", "0"},
      {"COT", "1"},
      {"DEGREES", "1"},
      {"EXP", "1"},
      {"FLOOR", "1.5"},
      {"LOG", "2"},
      {"LOG10", "100"},
      {"MOD", "7, 3"},
      {"PI", ""},
      {"POWER", "2, 3"},
      {"RADIANS", "180"},
      {"RAND", ""},
      {"ROUND", "1.25, 1"},
      {"SIGN", "-2"},
      {"SIN", "0"},
      {"SQRT", "4"},
      {"TAN", "0"},
      {"TRUNCATE", "1.25, 1"},
      {"ASCII", "'a'"},
      {"CHAR", "65"},
      {"CONCAT", "'a', 'b'"},
      {"DIFFERENCE", "'a', 'b'"},
      {"INSERT", "'abc', 2, 1, 'x'"},
      {"LCASE", "'A'"},
      {"LEFT", "'abc', 2"},
      {"LENGTH", "'abc'"},
      {"LOCATE", "'b', 'abc'"},
      {"LTRIM", "' a'"},
      {"REPEAT", "'a', 2"},
      {"REPLACE", "'abc', 'b', 'x'"},
      {"RIGHT", "'abc', 2"},
      {"RTRIM", "'a '"},
      {"SOUNDEX", "'abc'"},
      {"SPACE", "2"},
      {"SUBSTRING", "'abc', 2, 1"},
      {"UCASE", "'a'"},
      {"CONVERT_TIMEZONE", "'UTC', 'UTC', TIMESTAMP '2026-01-01 00:00:00'"},
      {"CURDATE", ""},
      {"CURTIME", ""},
      {"DAYNAME", "DATE '2026-01-01'"},
      {"DAYOFMONTH", "DATE '2026-01-01'"},
      {"DAYOFWEEK", "DATE '2026-01-01'"},
      {"DAYOFYEAR", "DATE '2026-01-01'"},
      {"HOUR", "TIMESTAMP '2026-01-01 10:00:00'"},
      {"MINUTE", "TIMESTAMP '2026-01-01 10:00:00'"},
      {"MONTH", "DATE '2026-01-01'"},
      {"MONTHNAME", "DATE '2026-01-01'"},
      {"NOW", ""},
      {"QUARTER", "DATE '2026-01-01'"},
      {"SECOND", "TIMESTAMP '2026-01-01 10:00:00'"},
      {"TIMESTAMPADD", "SQL_TSI_DAY, 1, TIMESTAMP '2026-01-01 00:00:00'"},
      {
        "TIMESTAMPDIFF",
        "SQL_TSI_DAY, TIMESTAMP '2026-01-01 00:00:00'," + " TIMESTAMP '2026-01-03 00:00:00'"
      },
      {"TO_DATE", "'2026-01-01', 'YYYY-MM-DD'"},
      {"TO_TIMESTAMP", "'2026-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS'"},
      {"WEEK", "DATE '2026-01-01'"},
      {"YEAR", "DATE '2026-01-01'"},
      {"CONVERT", "1, SQL_VARCHAR"},
      {"DATABASE", ""},
      {"IFNULL", "NULL, 1"},
      {"USER", ""},
    };
    for (String[] c : calls) {
      SAMPLES.put(c[0], c[1]);
    }
  }

  @BeforeAll
  void open() {
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "admin-pw-1"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    acme.execute("CREATE DATASET \"t\" (id BIGINT NOT NULL, s VARCHAR, d DOUBLE)").close();
  }

  @AfterAll
  void close() {
    acme.close();
    engine.close();
  }

  private String run(String call) {
    try (StatementResult r = acme.execute("SELECT " + call + " AS v")) {
      Object[] row = r.next();
      return String.valueOf(row[0]);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "FAILED " + e.getMessage() + " (" + root + ")";
    }
  }

  @Test
  void everyAdvertisedEscapeFunctionRuns() {
    List<String> advertised = new ArrayList<>();
    advertised.addAll(DatabaseProperties.NUMERIC_FUNCTIONS);
    advertised.addAll(DatabaseProperties.STRING_FUNCTIONS);
    advertised.addAll(DatabaseProperties.TIME_DATE_FUNCTIONS);
    advertised.addAll(DatabaseProperties.SYSTEM_FUNCTIONS);
    List<String> failures = new ArrayList<>();
    for (String f : advertised) {
      assertThat(SAMPLES).as(f).containsKey(f);
      String out = run("{fn " + f + "(" + SAMPLES.get(f) + ")}");
      if (out.startsWith("FAILED")) {
        failures.add(f + ": " + out);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(run("{fn UCASE('a')}")).isEqualTo("A");
    assertThat(run("{fn lcase('A')}")).isEqualTo("a");
    assertThat(run("{fn MOD(7, 3)}")).isEqualTo("1");
    assertThat(run("{fn YEAR(DATE '2026-01-01')}")).isEqualTo("2026");
  }

  @Test
  void advertisedFunctionsAreJdbcEscapeFunctions() {
    assertThat(SqlJdbcFunctionCall.getNumericFunctions().split(","))
        .containsAll(DatabaseProperties.NUMERIC_FUNCTIONS);
    assertThat(SqlJdbcFunctionCall.getStringFunctions().split(","))
        .containsAll(DatabaseProperties.STRING_FUNCTIONS);
    assertThat(SqlJdbcFunctionCall.getTimeDateFunctions().split(","))
        .containsAll(DatabaseProperties.TIME_DATE_FUNCTIONS);
    assertThat(SqlJdbcFunctionCall.getSystemFunctions().split(","))
        .containsAll(DatabaseProperties.SYSTEM_FUNCTIONS);
  }

  @Test
  void keywordsAreTheGrammarsBeyondSql92() {
    List<String> keywords = List.of(DatabaseProperties.SQL_KEYWORDS.split(","));
    assertThat(keywords)
        .contains("DATASET", "PRICE_CPM_USD", "COMPANY", "SHARE", "RULE", "USD", "LIMIT")
        .doesNotContain("SELECT", "FROM", "WHERE", "TABLE")
        .isSorted();
  }

  @Test
  void versionIsTheBuilds() {
    Map<DatabaseProperty, Object> p = DatabaseProperties.all();
    assertThat(p.get(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION))
        .asString()
        .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(p.get(DatabaseProperty.GET_DATABASE_MAJOR_VERSION)).isEqualTo(0);
    assertThat(p.get(DatabaseProperty.GET_DATABASE_MINOR_VERSION)).isEqualTo(1);
    assertThat(p.get(DatabaseProperty.GET_DATABASE_PRODUCT_NAME)).isEqualTo("NQL Gateway");
  }

  @Test
  void columnsDescribeTypesTheJdbcWay() {
    MetadataTable t =
        ColumnResults.columns(acme, null, null, org.apache.calcite.avatica.Meta.Pat.of("t"), null);
    List<String> rows = new ArrayList<>();
    for (Object[] r : t.rows()) {
      rows.add(
          r[3] + " " + r[5] + " " + r[6] + " " + r[8] + " " + r[9] + " " + r[10] + " " + r[17]);
    }
    assertThat(rows)
        .containsExactly(
            "id BIGINT 19 0 10 0 NO",
            "s VARCHAR " + Integer.MAX_VALUE + " null null 1 YES",
            "d DOUBLE 15 null 10 1 YES");
  }

  @Test
  void typeInfoIsOrderedByDataType() {
    List<Integer> codes = new ArrayList<>();
    for (Object[] r : TypeInfo.table().rows()) {
      codes.add((Integer) r[1]);
    }
    assertThat(codes).isSorted().contains(Types.BIGINT, Types.VARCHAR, Types.TIMESTAMP);
    for (ResultColumn c : TypeInfo.table().columns()) {
      assertThat(c.name()).isUpperCase();
    }
  }

  @Test
  void typeInfoSaysWhichTypesLikeAccepts() {
    for (TypeInfo.SqlType t : TypeInfo.types()) {
      String value = TypeSamples.of(t.jdbcType(), "a");
      assertThat(run(value + " = " + value)).as(t.name()).isEqualTo("true");
      assertThat(run(value + " < " + value)).as(t.name()).isEqualTo("false");
      String like = run(value + " LIKE '%'");
      if (t.searchable() == java.sql.DatabaseMetaData.typeSearchable) {
        assertThat(like).as(t.name()).isEqualTo("true");
      } else {
        assertThat(t.searchable()).isEqualTo(java.sql.DatabaseMetaData.typePredBasic);
        assertThat(like).as(t.name()).startsWith("FAILED");
      }
    }
  }
}
