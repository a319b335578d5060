package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.assertFails;
import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connector statements (CREATE / DROP / SHOW SECRET(S), COPY INTO … FROM POSTGRES) and what is
 * written about a statement that holds a secret: its query-log text and its syntax errors.
 */
class ConnectorStatementsParserTest {
  static final String PW = "pa'ss \"word\" -- ; */";

  @Test
  void createSecretTakesATypeAndKeyValuePairsWithOrWithoutEquals() {
    SqlCreateSecret s =
        parse(
            "CREATE SECRET \"Pg_1\" TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'"
                + " PASSWORD 'pa''ss \"word\" -- ; */'",
            SqlCreateSecret.class);
    assertThat(s.getSimpleName()).isEqualTo("Pg_1");
    assertThat(s.getTypeName()).isEqualTo("postgres");
    assertThat(s.getKeys()).containsExactly("url", "user", "password");
    assertThat(s.getValues()).containsExactly("jdbc:postgresql://h/d", "u", PW);
    assertThat(s.getReplace()).isFalse();
    SqlCreateSecret eq =
        parse(
            "create or replace secret pg type = postgres url = 'x' \"USER\" = 'u' password = 'p'",
            SqlCreateSecret.class);
    assertThat(eq.getReplace()).isTrue();
    assertThat(eq.getKeys()).containsExactly("url", "USER", "password");
  }

  @Test
  void aCreateSecretIsNeverWrittenOutWithItsValues() {
    SqlCreateSecret s =
        parse(
            "CREATE SECRET pg TYPE POSTGRES URL 'u' USER 'me_xyz' PASSWORD 'hunter2 \"w\" -- ; */'",
            SqlCreateSecret.class);
    assertThat(s.toString()).doesNotContain("hunter2", "me_xyz").contains("'***'");
    assertThat(s.getOperandList().toString()).doesNotContain("pa'ss");
  }

  @Test
  void dropAndShowSecrets() {
    assertThat(parse("DROP SECRET \"pg\"", SqlDropSecret.class).getSimpleName()).isEqualTo("pg");
    assertThat(parse("show secrets", SqlShowSecrets.class)).isNotNull();
    // the new words stay names
    assertThat(
            NqlParser.unparse(NqlParser.parse("SELECT secret, secrets, query, postgres FROM t.x")))
        .contains("\"secret\"", "\"secrets\"", "\"query\"", "\"postgres\"");
  }

  @Test
  void copyFromPostgresReadsATableOfOneOrTwoPartsOrAQuery() {
    SqlCopyFromPostgres t =
        parse(
            "COPY INTO company_data.orders FROM POSTGRES SECRET pg TABLE Sales.\"Order \"\"Items\"\"; --\"",
            SqlCopyFromPostgres.class);
    assertThat(t.getSecretName()).isEqualTo("pg");
    assertThat(t.getSourceTable().names).containsExactly("sales", "Order \"Items\"; --");
    assertThat(t.getQuery()).isNull();
    assertThat(t.getTable().names).containsExactly("company_data", "orders");
    assertThat(
            parse(
                    "COPY INTO company_data.o FROM POSTGRES SECRET \"pg\" TABLE orders",
                    SqlCopyFromPostgres.class)
                .getSourceTable()
                .names)
        .containsExactly("orders");
    SqlCopyFromPostgres q =
        parse(
            "COPY INTO company_data.o FROM POSTGRES SECRET pg QUERY 'SELECT ''a'' AS x'",
            SqlCopyFromPostgres.class);
    assertThat(q.getQuery()).isEqualTo("SELECT 'a' AS x");
    assertThat(q.getSourceTable()).isNull();
    // the file form is unchanged
    assertThat(parse("COPY INTO company_data.o FROM 'o.csv' HEADER = TRUE", SqlCopyInto.class))
        .isNotNull();
  }

  @Test
  void aTableNameOfThreePartsOrAStarIsRefused() {
    assertFails(
        "COPY INTO company_data.o FROM POSTGRES SECRET pg TABLE db.s.t",
        ErrorCode.SYNTAX_ERROR,
        "TABLE takes a table name");
    assertFails(
        "COPY INTO company_data.o FROM POSTGRES SECRET pg TABLE s.*",
        ErrorCode.SYNTAX_ERROR,
        "TABLE takes a table name");
    assertFails(
        "COPY INTO company_data.o FROM POSTGRES SECRET pg TABLE x\"; DROP TABLE y; --",
        ErrorCode.SYNTAX_ERROR,
        "Syntax error");
    assertFails(
        "COPY INTO company_data.o FROM POSTGRES SECRET pg",
        ErrorCode.SYNTAX_ERROR,
        "TABLE",
        "QUERY");
  }

  @Test
  void theQueryLogKeepsTheLiteralsOfAStatementWithASecretAsStars() {
    String create =
        "CREATE SECRET pg TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u' PASSWORD 'pa''ss'";
    assertThat(StatementRedaction.forLog(create))
        .isEqualTo("CREATE SECRET pg TYPE POSTGRES URL '***' USER '***' PASSWORD '***'");
    assertThat(StatementRedaction.forLog("CREATE USER \"a\" COMPANY c PASSWORD 'x'"))
        .isEqualTo("CREATE USER \"a\" COMPANY c PASSWORD '***'");
    // misspelt, commented, in any case, E'' strings, an unclosed literal
    for (String sql :
        List.of(
            "CRATE SECRET pg TYPE POSTGRES PASSWORD 'hunter2'",
            "create/**/secret pg type postgres password/* c */'hunter2'",
            "CREATE SECRET pg TYPE POSTGRES PASSWORD E'hun\\'ter2'",
            "CREATE SECRET pg TYPE POSTGRES\n-- a comment\nPASSWORD 'hunter2",
            "EXPLAIN CREATE SECRET pg TYPE POSTGRES PASSWORD 'hunter2'",
            // a webhook URL may carry a token (user information or query string)
            "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"v\" TO WEBHOOK"
                + " 'https://h.example/in?token=hunter2'",
            "create delivery d for materialized view v to webhook 'https://u:hunter2@h/'")) {
      assertThat(StatementRedaction.holdsSecret(sql)).as(sql).isTrue();
      assertThat(StatementRedaction.forLog(sql)).as(sql).doesNotContain("hunter2", "ter2");
    }
    // a statement that names a secret without holding one keeps its text
    for (String sql :
        List.of(
            "COPY INTO company_data.o FROM POSTGRES SECRET pg QUERY 'SELECT password FROM t'",
            "SELECT 'password', \"secret\" FROM company_data.t -- PASSWORD 'x'",
            "SELECT * FROM company_data.t WHERE s = 'CREATE SECRET x PASSWORD ''y'''")) {
      assertThat(StatementRedaction.holdsSecret(sql)).as(sql).isFalse();
      assertThat(StatementRedaction.forLog(sql)).isEqualTo(sql);
    }
  }

  @Test
  void aSyntaxErrorInAStatementWithASecretQuotesNoLiteralAndPointsAtTheRightPlace() {
    String sql = "CREATE SECRET pg TYPE POSTGRES PASSWORD 'hunter2' 'hunter3'";
    var e =
        assertFails(
            sql, ErrorCode.SYNTAX_ERROR, "line 1, column " + (sql.indexOf("'hunter3'") + 1));
    assertThat(e.getMessage()).doesNotContain("hunter").contains("*********");
    assertThat(e.getCause()).isNull();
    var lexical =
        assertFails(
            "CREATE SECRET pg TYPE POSTGRES PASSWORD 'hunter2", ErrorCode.SYNTAX_ERROR, "Syntax");
    assertThat(lexical.getMessage()).doesNotContain("hunter");
    // other statements keep quoting what they hold
    assertFails("CREATE COMPANY acme 'abc'", ErrorCode.SYNTAX_ERROR, "unexpected \"'abc'\"");
  }
}
