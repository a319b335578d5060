package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake gets a precise error (NQL.md §9): its SQLSTATE and a one-line message naming what
 * is wrong — never {@code XX000}, a class name, a planner-internal name or a value of the data —
 * the same each time the statement runs. Domain errors of functions charge the rule row they fail
 * on, as other evaluation errors do (docs/reference/access-rules.md, "Errors are paid for, and
 * carry no values"). The error fuzzer ({@code io.nql.planner.fuzz.ErrorFuzzTest}) found most of
 * these.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreciseErrorsTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession acme;
  NqlSession buyer;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,n,sex,label,secret\n");
    for (int i = 1; i <= 20; i++) {
      csv.append(i)
          .append(',')
          .append(i * 10)
          .append(',')
          .append(i % 2 == 0 ? 'F' : 'M')
          .append(",label")
          .append(i)
          .append(",Secret")
          .append(1000 + i)
          .append('\n');
    }
    Files.writeString(src.resolve("people.csv"), csv);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    acme.execute("COPY INTO company_data.people FROM '" + src.resolve("people.csv") + "'").close();
    acme.execute(
            "CREATE ACCESS RULE \"people_n\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, p.n FROM company_data.people p WHERE p.id > 5")
        .close();
    buyer = engine.trusted("buyer_co_user");
    buyer.setProperty("budget_usd", "100");
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    acme.close();
    engine.close();
  }

  static Stream<Arguments> mistakes() {
    String p = "company_data.people";
    return Stream.of(
        // the examples of issue 11, which gave XX000
        Arguments.of("SELECT COUNT(*) FROM " + p + " GROUP BY COALESCE()", "42883", "COALESCE"),
        Arguments.of("SELECT * FROM " + p + " WHERE n > LN(0)", "2201E", "logarithm"),
        Arguments.of(
            "SELECT * FROM " + p + " WHERE sex = (SELECT 1 UNION SELECT 2)", "21000", "sub-query"),
        Arguments.of("SELECT * FROM " + p + " WHERE 1/0 = 'F'", "22012", "Division by zero"),
        Arguments.of(
            "SELECT * FROM " + p + " WHERE POWER(10, 400) = 'F'", "22P02", "Invalid input"),
        // domain errors
        Arguments.of("SELECT SQRT(n - 100) FROM " + p, "2201F", "square root"),
        Arguments.of("SELECT SQRT(-1)", "2201F", "square root"),
        Arguments.of("SELECT POWER(10, 400)", "22003", "POWER"),
        Arguments.of("SELECT POWER(0, -1)", "2201F", "negative power"),
        Arguments.of("SELECT POWER(n - 100, 0.3) FROM " + p, "2201F", "not a whole number"),
        Arguments.of("SELECT EXP(n * 100) FROM " + p, "22003", "EXP"),
        Arguments.of("SELECT ACOS(n) FROM " + p, "22003", "ACOS"),
        Arguments.of("SELECT LOG10(n - 10) FROM " + p, "2201E", "logarithm"),
        // cardinality
        Arguments.of("SELECT ELEMENT(ARRAY[1, 2])", "21000", "ELEMENT"),
        Arguments.of("SELECT (SELECT id FROM " + p + ")", "21000", "sub-query"),
        Arguments.of(
            "SELECT (SELECT SUM(t2.id) FROM "
                + p
                + " t2 WHERE (SELECT * FROM (VALUES (1), (2)) t(x)) IS NULL) FROM "
                + p,
            "21000",
            "sub-query"),
        Arguments.of("SELECT (SELECT 1, 2)", "42601", "one column"),
        // argument counts and types
        Arguments.of("SELECT MOD() FROM " + p, "42883", "MOD: 0 given, 2 expected"),
        Arguments.of("SELECT COUNT() FROM " + p, "42883", "COUNT"),
        Arguments.of("SELECT UPPER(1, 2)", "42883", "UPPER"),
        Arguments.of("SELECT ROUND(n, 'a') FROM " + p, "42883", "no implementation"),
        Arguments.of("SELECT label IN (1, DATE '2026-10-01') FROM " + p, "42804", "IN"),
        Arguments.of("VALUES (1, DATE '2026-10-01'), (2, 3)", "42804", "VALUES"),
        Arguments.of("SELECT ROW(id, id) / 2 FROM " + p, "42883", "ROW(BIGINT, BIGINT)"),
        Arguments.of("SELECT * FROM ACOS(2) t", "42809", "not a table function"),
        Arguments.of("SELECT * FROM AVG('a') t", "42809", "Cannot use AVG as a table"),
        Arguments.of(
            "SELECT * FROM "
                + p
                + " a JOIN TIMESTAMPADD(YEAR, 1, TIMESTAMP '2026-10-01 00:00:00')"
                + " b ON TRUE",
            "42809",
            "Cannot use TIMESTAMPADD as a table"),
        Arguments.of(
            "SELECT id FROM " + p + " WHERE id NOT IN (SELECT x FROM SUM(1) t)",
            "42809",
            "Cannot use SUM as a table"),
        Arguments.of("SELECT * FROM TABLE(COALESCE(1, 2)) t", "42809", "not a table function"),
        Arguments.of(
            "SELECT id FROM " + p + " WHERE id IN (SELECT id FROM " + p + ") - 1",
            "42601",
            "sub-query"),
        Arguments.of(
            "SELECT id FROM " + p + " WHERE (SELECT EXISTS 1 FROM " + p + ")", "42601", "EXISTS"),
        Arguments.of(
            "SELECT sex, COUNT(*) FROM "
                + p
                + " t1 GROUP BY sex ORDER BY (SELECT t1.n UNION ALL SELECT t1.n)",
            "42803",
            "'t1.n' is not being grouped"),
        Arguments.of(
            "SELECT id FROM " + p + " WHERE id BETWEEN 1 AND n LIKE 'a' ESCAPE 'x'",
            "42601",
            "ESCAPE"),
        Arguments.of(
            "SELECT COUNT(*) FROM "
                + p
                + " a JOIN "
                + p
                + " b ON a.id = GROUPING(a.sex) GROUP BY a.sex",
            "42803",
            "GROUPING is not allowed in ON"),
        Arguments.of("SELECT id + 0.000000000000000000001 FROM " + p, "22003", "19 digits"),
        // Calcite defects on statements it validates, named as such
        Arguments.of("SELECT * FROM (VALUES (1e308), (2)) t(x)", "0A000", "Apache Calcite"),
        Arguments.of(
            "SELECT id FROM " + p + " WHERE n BETWEEN '%' AND INTERVAL '1' DAY",
            "0A000",
            "Apache Calcite"),
        // patterns
        Arguments.of("SELECT label LIKE 'a' ESCAPE 'xy' FROM " + p, "22019", "escape"),
        Arguments.of("SELECT label LIKE 'a\\' ESCAPE '\\' FROM " + p, "22025", "escape"),
        Arguments.of("SELECT label SIMILAR TO '((' FROM " + p, "2201B", "regular expression"),
        Arguments.of("SELECT TRIM(BOTH 'ab' FROM label) FROM " + p, "22023", "TRIM"),
        Arguments.of(
            "SELECT id, COUNT(*) FROM " + p + " GROUP BY 2",
            "42803",
            "Aggregate expression is illegal"),
        Arguments.of("SELECT id FROM " + p + " GROUP BY 3", "42000", "out of range"),
        Arguments.of("SELECT id, n FROM " + p + " GROUP BY 1", "42803", "'n' is not being grouped"),
        Arguments.of(
            "SELECT id FROM " + p + " UNION ALL SELECT DATE '2026-02-28'",
            "42804",
            "UNION types BIGINT and DATE cannot be matched in column 1"),
        Arguments.of(
            "SELECT id FROM " + p + " UNION ALL SELECT CAST('2026-02-28' AS DATE) ORDER BY 1",
            "42804",
            "UNION types"),
        Arguments.of(
            "SELECT DATE '2026-02-28' EXCEPT SELECT id FROM " + p, "42804", "EXCEPT types"),
        Arguments.of(
            "SELECT CASE WHEN id > 0 THEN id ELSE DATE '2026-02-28' END FROM " + p,
            "42804",
            "CASE types BIGINT and DATE cannot be matched"),
        Arguments.of(
            "SELECT COALESCE(id, DATE '2026-02-28') FROM " + p, "42804", "types BIGINT and DATE"),
        Arguments.of(
            "SELECT MAX(n) OVER (ORDER BY id ROWS BETWEEN NULL PRECEDING AND CURRENT ROW) FROM "
                + p,
            "22004",
            "must not be NULL"),
        Arguments.of(
            "SELECT MAX(n) OVER (ORDER BY id ROWS BETWEEN CAST(NULL AS INTEGER) PRECEDING"
                + " AND 1 FOLLOWING) FROM "
                + p,
            "22004",
            "must not be NULL"),
        // the JDBC escape {fn CONVERT(value, SQL_type)}, and casts between kinds that do not
        // convert
        Arguments.of("SELECT {fn CONVERT(1, SQL_DATE)}", "42846", "INTEGER to SQL_DATE"),
        Arguments.of("SELECT CAST(X'01' AS INTEGER)", "42846", "to INTEGER"),
        Arguments.of(
            "SELECT {fn CONVERT(DATE '2026-01-01', SQL_INTEGER)}", "42846", "DATE to SQL_INTEGER"),
        Arguments.of("SELECT CAST(TRUE AS DATE)", "42846", "BOOLEAN to DATE"),
        Arguments.of(
            "SELECT {fn CONVERT(CAST('2026-01-01' AS CHAR(10)), SQL_DOUBLE)}", "22P02", "number"),
        Arguments.of("SELECT {fn CONVERT(label, SQL_DOUBLE)} FROM " + p, "22P02", "number"),
        // values, limits, parameters, windows
        Arguments.of("SELECT CAST(sex AS BOOLEAN) FROM " + p, "22P02", "BOOLEAN"),
        Arguments.of("SELECT CAST('2026-02-30' AS DATE)", "22008", "out of range"),
        Arguments.of("SELECT SUBSTRING(label FROM 1 FOR -1) FROM " + p, "22011", "substring"),
        Arguments.of("SELECT id FROM " + p + " ORDER BY ?", "42P18", "parameter"),
        Arguments.of("SELECT id FROM " + p + " LIMIT 1e308", "2201W", "LIMIT"),
        Arguments.of("SELECT id FROM " + p + " OFFSET 1.5 ROWS", "2201X", "OFFSET"),
        Arguments.of("SELECT id FROM " + p + " LIMIT 1e400 USD", "22003", "Budget"),
        Arguments.of(
            "SELECT LAG(id, 9223372036854775807) OVER (ORDER BY id) FROM " + p, "22003", "LAG"),
        Arguments.of(
            "SELECT LAG((SELECT 1)) OVER (ORDER BY id) FROM " + p, "0A000", "window function"),
        Arguments.of("SELECT TRANSLATE(label USING nope) FROM " + p, "42704", "character set"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeGetsItsSqlStateAndAOneLineMessage(String sql, String sqlState, String names) {
    for (int run = 0; run < 2; run++) {
      // twice: a compiled plan that failed must fail the same way when it is reused
      NqlException e = fails(acme, sql);
      assertThat(e.sqlState()).as("%s: %s", sql, e.getMessage()).isEqualTo(sqlState);
      assertThat(e.getMessage())
          .contains(names)
          .doesNotContain("\n", "Exception", "$", "java.", "org.apache", "Secret", "label1");
    }
  }

  @Test
  void aParameterInACaseConditionIsTyped() {
    try (StatementResult r =
        acme.execute(
            "SELECT COUNT(*) FROM company_data.people WHERE CASE WHEN n > ? THEN 1 ELSE 0 END = 1",
            List.of(150))) {
      assertThat(r.next()[0]).isEqualTo(5L);
    }
  }

  @Test
  void aDomainErrorOnARuleRowChargesThatRowLikeADivisionByZero() {
    // n > 50 on rows 6..20: the first row the rule delivers fails
    long sqrt = charged("SELECT id FROM acme.people_n WHERE SQRT(50 - n) > 0", "2201F");
    long division = charged("SELECT id FROM acme.people_n WHERE 1 / (60 - n) > 0", "22012");
    assertThat(sqrt).isEqualTo(division).isEqualTo(1);
  }

  @Test
  void errorsNeverShowAValueOfTheData() {
    for (String sql :
        List.of(
            "SELECT CAST(secret AS INTEGER) FROM company_data.people",
            "SELECT CAST(secret AS DATE) FROM company_data.people",
            "SELECT CAST(secret AS BOOLEAN) FROM company_data.people",
            "SELECT ELEMENT(ARRAY[secret, secret]) FROM company_data.people",
            "SELECT secret LIKE 'a' ESCAPE secret FROM company_data.people",
            "SELECT TRIM(BOTH secret FROM label) FROM company_data.people")) {
      NqlException e = fails(acme, sql);
      assertThat(e.sqlState()).as(sql).isNotEqualTo("XX000");
      assertThat(e.getMessage()).as(sql).doesNotContain("Secret", "secret1");
    }
  }

  private long charged(String sql, String sqlState) {
    long before = rowsCharged();
    assertThat(fails(buyer, sql).sqlState()).isEqualTo(sqlState);
    return rowsCharged() - before;
  }

  private long rowsCharged() {
    long rows = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      rows += e.rows();
    }
    return rows;
  }

  private static NqlException fails(NqlSession session, String sql) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> {
              try (StatementResult r = session.execute(sql)) {
                List<Object[]> rows = new ArrayList<>();
                for (Object[] row; (row = r.next()) != null; ) {
                  rows.add(row);
                }
                throw new AssertionError(sql + " succeeded with " + rows.size() + " rows");
              }
            });
    assertThat(e).as(sql).isNotNull();
    return e;
  }
}
