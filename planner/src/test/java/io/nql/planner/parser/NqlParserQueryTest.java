package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.assertRoundTrip;
import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.junit.jupiter.api.Test;

/** Queries: Calcite's SQL unchanged, row limits, budget clauses, forecasts. */
class NqlParserQueryTest {

  @Test
  void plainSelectKeepsCalciteNodesAndLowerCasesUnquotedNames() {
    SqlSelect s =
        parse("SELECT Company, \"Format\" FROM company_data.T WHERE x > 1", SqlSelect.class);
    assertThat(((SqlIdentifier) s.getSelectList().get(0)).getSimple()).isEqualTo("company");
    assertThat(((SqlIdentifier) s.getSelectList().get(1)).getSimple()).isEqualTo("Format");
    assertThat(((SqlIdentifier) s.getFrom()).names).containsExactly("company_data", "t");
  }

  @Test
  void newWordsAreNonReservedColumnAndTableNames() {
    String words =
        "company, companies, dataset, datasets, format, header, delimiter, null_string, password,"
            + " price_cpm_usd, usd, budget, attribute, attributes, mapping, mappings, rule, rules,"
            + " share, tags, expire, access, bucket, copy, refresh, suggest, materialized,"
            + " display_name, description, write_mode, refresh_schedule, partitioned_by,"
            + " calendar_day, calendar_month";
    SqlSelect s = parse("SELECT " + words + " FROM company_data.t", SqlSelect.class);
    assertThat(s.getSelectList()).hasSize(34);
    parse("SELECT d.company FROM company_data.dataset AS d", SqlSelect.class);
    parse("SELECT budget FROM company_data.budget budget", SqlSelect.class);
  }

  @Test
  void wordsPostgresLetsBeNamesAreNames() {
    SqlOrderBy o =
        parse(
            "SELECT year, month, value, date, time, timestamp, position, count, one, result,"
                + " language, end FROM company_data.t AS value WHERE date > DATE '2024-01-01'"
                + " ORDER BY timestamp",
            SqlOrderBy.class);
    assertThat(((SqlSelect) o.query).getSelectList())
        .allMatch(SqlIdentifier.class::isInstance)
        .hasSize(12);
    assertThat(NqlParser.unparse(o))
        .contains("\"date\" > DATE '2024-01-01'", "AS \"value\"", "ORDER BY \"timestamp\"");
    // the same words keep their meaning as keywords
    parse(
        "SELECT COUNT(*), EXTRACT(YEAR FROM d), POSITION('a' IN b), TIMESTAMP '2024-01-01 00:00:00',"
            + " CASE WHEN a THEN 1 END, INTERVAL '1' MONTH FROM company_data.t",
        SqlSelect.class);
  }

  // Two places where Calcite's grammar needed a lookahead once the words were freed (guards.ftl).
  @Test
  void valueStartsAnExpressionInsideParentheses() {
    SqlSelect s =
        parse(
            "SELECT SUM(value), (value + 1), COALESCE(value, 0) FROM company_data.t"
                + " WHERE x IN (value, 1)",
            SqlSelect.class);
    assertThat(NqlParser.unparse(s))
        .contains("SUM(\"value\")", "\"value\" + 1", "IN (\"value\", 1)");
    NqlParserTestSupport.assertFails(
        "VALUE (1)", io.nql.planner.error.ErrorCode.SYNTAX_ERROR, "expected a statement");
  }

  @Test
  void convertWithATypeNameFirstIsSqlServersForm() {
    SqlSelect s =
        parse(
            "SELECT CONVERT(DATE, '2024-01-05'), CONVERT(INTEGER, x), CONVERT(x USING utf8),"
                + " CONVERT(date, latin1) FROM company_data.t",
            SqlSelect.class);
    assertThat(NqlParser.unparse(s))
        .contains(
            "CONVERT(DATE, '2024-01-05')", "CONVERT(INTEGER, \"x\")", "CONVERT(DATE, \"latin1\")");
  }

  @Test
  void quotedNumericTableName() {
    SqlSelect s = parse("SELECT * FROM company_data.\"123\"", SqlSelect.class);
    assertThat(((SqlIdentifier) s.getFrom()).names).containsExactly("company_data", "123");
  }

  @Test
  void calciteStatementsStillParse() {
    parse("WITH a AS (SELECT 1 AS x) SELECT x FROM a", SqlWith.class);
    parse("VALUES (1, 'a'), (2, 'b')", SqlBasicCall.class);
    SqlNode u =
        parse(
            "SELECT a FROM company_data.t UNION ALL SELECT a FROM acme.r ORDER BY 1",
            SqlOrderBy.class);
    assertThat(((SqlOrderBy) u).query.getKind()).isEqualTo(SqlKind.UNION);
    parse("SELECT SHA2(email, 256), COUNT(*) FROM company_data.t GROUP BY 1", SqlSelect.class);
  }

  @Test
  void rowLimitsStaySql() {
    assertThat(fetch(parse("SELECT a FROM company_data.t LIMIT 1000", SqlOrderBy.class)))
        .isEqualTo(1000);
    assertThat(fetch(parse("SELECT a FROM company_data.t LIMIT 1000 ROWS", SqlOrderBy.class)))
        .isEqualTo(1000);
    SqlOrderBy o = parse("SELECT a FROM company_data.t OFFSET 10 ROWS", SqlOrderBy.class);
    assertThat(((SqlLiteral) o.offset).intValue(true)).isEqualTo(10);
    assertThat(
            fetch(parse("SELECT a FROM company_data.t FETCH FIRST 10 ROWS ONLY", SqlOrderBy.class)))
        .isEqualTo(10);
    SqlOrderBy both =
        parse("SELECT a FROM company_data.t LIMIT 10 ROWS OFFSET 5 ROWS", SqlOrderBy.class);
    assertThat(((SqlLiteral) both.offset).intValue(true)).isEqualTo(5);
    assertThat(fetch(both)).isEqualTo(10);
  }

  // Calcite's LimitClause, used for subqueries, has no hook for a trailing ROWS: inside a
  // subquery "LIMIT n ROWS" is a syntax error; plain "LIMIT n" and FETCH FIRST work there.
  @Test
  void limitRowsInSubqueryIsNotSupportedButLimitAndFetchAre() {
    parse("SELECT * FROM (SELECT a FROM company_data.t LIMIT 5) AS s", SqlSelect.class);
    parse(
        "SELECT * FROM (SELECT a FROM company_data.t FETCH FIRST 5 ROWS ONLY) AS s",
        SqlSelect.class);
    NqlParserTestSupport.assertFails(
        "SELECT * FROM (SELECT a FROM company_data.t LIMIT 5 ROWS) AS s",
        io.nql.planner.error.ErrorCode.SYNTAX_ERROR,
        "\"ROWS\"");
  }

  @Test
  void limitUsdIsABudget() {
    SqlBudgetQuery q = parse("SELECT a FROM company_data.t LIMIT 5 USD", SqlBudgetQuery.class);
    assertThat(q.getQuery()).isInstanceOf(SqlSelect.class);
    assertBudget(q.getBudget(), "5", BudgetPeriod.STATEMENT);
  }

  @Test
  void budgetPerPeriod() {
    assertBudget(
        parse("SELECT a FROM company_data.t LIMIT 2.50 USD PER CALENDAR_DAY", SqlBudgetQuery.class)
            .getBudget(),
        "2.50",
        BudgetPeriod.CALENDAR_DAY);
    assertBudget(
        parse("SELECT a FROM company_data.t BUDGET 50 USD PER CALENDAR_MONTH", SqlBudgetQuery.class)
            .getBudget(),
        "50",
        BudgetPeriod.CALENDAR_MONTH);
  }

  @Test
  void budgetAfterWhereAndAfterSelectItem() {
    SqlBudgetQuery q =
        parse("SELECT a FROM company_data.t WHERE a > 1 BUDGET 3 USD", SqlBudgetQuery.class);
    assertThat(((SqlSelect) q.getQuery()).getWhere()).isNotNull();
    SqlBudgetQuery noFrom = parse("SELECT 1 BUDGET 3 USD", SqlBudgetQuery.class);
    assertThat(((SqlSelect) noFrom.getQuery()).getSelectList().get(0))
        .isInstanceOf(SqlLiteral.class);
  }

  @Test
  void budgetDirectlyAfterTableIsNotAnAlias() {
    SqlBudgetQuery q = parse("SELECT * FROM company_data.t BUDGET 5 USD", SqlBudgetQuery.class);
    assertThat(((SqlSelect) q.getQuery()).getFrom()).isInstanceOf(SqlIdentifier.class);
    assertBudget(q.getBudget(), "5", BudgetPeriod.STATEMENT);
    SqlBudgetQuery join =
        parse(
            "SELECT * FROM company_data.t x, company_data.u BUDGET 1 USD PER CALENDAR_DAY",
            SqlBudgetQuery.class);
    assertThat(join.getQuery().toString()).doesNotContain("budget");
  }

  @Test
  void noLimit() {
    SqlBudgetQuery q = parse("SELECT a FROM company_data.t NO LIMIT", SqlBudgetQuery.class);
    assertThat(q.getBudget().isNoLimit()).isTrue();
    assertThat(q.getBudget().getAmount()).isNull();
  }

  @Test
  void rowLimitAndBudgetTogether() {
    SqlBudgetQuery q =
        parse("SELECT a FROM company_data.t LIMIT 10 ROWS LIMIT 5 USD", SqlBudgetQuery.class);
    assertThat(fetch((SqlOrderBy) q.getQuery())).isEqualTo(10);
    assertBudget(q.getBudget(), "5", BudgetPeriod.STATEMENT);

    SqlBudgetQuery q2 =
        parse("SELECT a FROM company_data.t ORDER BY a LIMIT 10 LIMIT 5 USD", SqlBudgetQuery.class);
    assertThat(fetch((SqlOrderBy) q2.getQuery())).isEqualTo(10);

    SqlBudgetQuery q3 =
        parse("SELECT a FROM company_data.t OFFSET 3 ROWS LIMIT 5 USD", SqlBudgetQuery.class);
    SqlOrderBy o = (SqlOrderBy) q3.getQuery();
    assertThat(o.fetch).isNull();
    assertThat(((SqlLiteral) o.offset).intValue(true)).isEqualTo(3);

    SqlBudgetQuery q4 =
        parse(
            "SELECT a FROM company_data.t FETCH FIRST 7 ROWS ONLY NO LIMIT", SqlBudgetQuery.class);
    assertThat(fetch((SqlOrderBy) q4.getQuery())).isEqualTo(7);

    SqlBudgetQuery q5 =
        parse("SELECT a FROM company_data.t ORDER BY a LIMIT 5 USD", SqlBudgetQuery.class);
    assertThat(((SqlOrderBy) q5.getQuery()).fetch).isNull();
    assertThat(((SqlOrderBy) q5.getQuery()).orderList).hasSize(1);
  }

  @Test
  void budgetOnSetOperationAndWith() {
    SqlBudgetQuery u =
        parse(
            "SELECT a FROM company_data.t UNION SELECT a FROM acme.r LIMIT 1 USD",
            SqlBudgetQuery.class);
    assertThat(u.getQuery().getKind()).isEqualTo(SqlKind.UNION);
    SqlBudgetQuery w =
        parse(
            "WITH x AS (SELECT a FROM company_data.t) SELECT a FROM x NO LIMIT",
            SqlBudgetQuery.class);
    assertThat(w.getQuery()).isInstanceOf(SqlWith.class);
  }

  @Test
  void trailingSemicolonAndScript() {
    parse("SELECT a FROM company_data.t LIMIT 5 USD;", SqlBudgetQuery.class);
    assertThat(NqlParser.parseScript("SHOW DATASETS; SELECT 1; SELECT 2;")).hasSize(3);
    assertThat(NqlParser.parseScript("  ")).isEmpty();
  }

  @Test
  void explainWithoutPlanIsAForecast() {
    SqlForecast f =
        parse(
            "EXPLAIN SELECT a FROM company_data.t LIMIT 5 USD PER CALENDAR_DAY", SqlForecast.class);
    assertThat(f.getQuery()).isInstanceOf(SqlBudgetQuery.class);
    SqlForecast plain = parse("EXPLAIN SELECT a FROM company_data.t", SqlForecast.class);
    assertThat(plain.getQuery()).isInstanceOf(SqlSelect.class);
    SqlForecast mv =
        parse(
            "EXPLAIN CREATE MATERIALIZED VIEW \"v\" AS SELECT a FROM company_data.t LIMIT 5 USD",
            SqlForecast.class);
    assertThat(mv.getQuery()).isInstanceOf(SqlCreateMaterializedView.class);
  }

  @Test
  void explainPlanForStaysCalcite() {
    SqlExplain e = parse("EXPLAIN PLAN FOR SELECT a FROM company_data.t", SqlExplain.class);
    assertThat(e.getExplicandum()).isInstanceOf(SqlSelect.class);
    parse("SELECT plan FROM company_data.t", SqlSelect.class);
  }

  @Test
  void budgetToStringIsNql() {
    SqlNode n = NqlParser.parse("select a from company_data.t limit 10 rows budget 5 usd");
    assertThat(n.toString().replace('\n', ' '))
        .isEqualTo("SELECT \"a\" FROM \"company_data\".\"t\" FETCH NEXT 10 ROWS ONLY LIMIT 5 USD");
    assertRoundTrip(n);
  }

  private static int fetch(SqlOrderBy o) {
    return ((SqlLiteral) o.fetch).intValue(true);
  }

  private static void assertBudget(SqlBudget b, String amount, BudgetPeriod period) {
    assertThat(b.isNoLimit()).isFalse();
    assertThat(b.getAmount()).isEqualByComparingTo(new BigDecimal(amount));
    assertThat(b.getPeriod()).isEqualTo(period);
  }
}
