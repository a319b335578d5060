package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.assertFails;

import io.nql.planner.error.ErrorCode;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.Test;

/** Statements that must fail, with SQLSTATE and a one-line message naming the token. */
class NqlParserErrorTest {

  @Test
  void unquotedNumericTableName() {
    assertFails(
        "SELECT * FROM company_data.123", ErrorCode.SYNTAX_ERROR, "line 1, column 27", "\".123\"");
  }

  @Test
  void reservedWordAsIdentifierNeedsQuotes() {
    assertFails(
        "CREATE DATASET select (a INTEGER)",
        ErrorCode.SYNTAX_ERROR,
        "line 1, column 16",
        "\"select\"",
        "expected an identifier");
    NqlParserTestSupport.parse("CREATE DATASET \"select\" (a INTEGER)", SqlCreateDataset.class);
  }

  @Test
  void reservedWordWhereANameCouldStandSaysToQuoteIt() {
    assertFails(
        "SELECT 1 AS order",
        ErrorCode.SYNTAX_ERROR,
        "line 1, column 13",
        "\"order\" is a reserved word: write it in double quotes");
    assertFails(
        "CREATE DATASET t (a INTEGER, limit INTEGER)",
        ErrorCode.SYNTAX_ERROR,
        "\"limit\" is a reserved word");
    NqlParserTestSupport.parse("SELECT 1 AS \"order\"", SqlSelect.class);
  }

  @Test
  void positionOnLaterLine() {
    assertFails(
        "SELECT a\nFROM company_data.t\nWHERE",
        ErrorCode.SYNTAX_ERROR,
        "line 3, column 6",
        "end of input");
  }

  @Test
  void unexpectedEndOfInput() {
    assertFails("SELECT a FROM", ErrorCode.SYNTAX_ERROR, "end of input");
  }

  @Test
  void lexicalError() {
    assertFails("SELECT 'abc FROM company_data.t", ErrorCode.SYNTAX_ERROR, "line 1");
    assertFails("SELECT a # b", ErrorCode.SYNTAX_ERROR, "\"#\"");
  }

  @Test
  void missingPieces() {
    assertFails(
        "CREATE USER \"bob\" COMPANY acme", ErrorCode.SYNTAX_ERROR, "end of input", "PASSWORD");
    assertFails("CREATE DATASET \"d\" ()", ErrorCode.SYNTAX_ERROR, "\")\"");
    assertFails("COPY INTO company_data.t", ErrorCode.SYNTAX_ERROR, "end of input", "FROM");
    assertFails("SHOW MAPPINGS company_data.t", ErrorCode.SYNTAX_ERROR, "\"company_data\"");
    assertFails(
        "CREATE ACCESS RULE \"r\" SHARE WITH ALL AS SELECT a FROM company_data.t",
        ErrorCode.SYNTAX_ERROR,
        "requires PRICE_CPM_USD");
    assertFails(
        "CREATE ACCESS RULE \"r\" PRICE_CPM_USD = 1 AS SELECT a FROM company_data.t",
        ErrorCode.SYNTAX_ERROR,
        "requires SHARE");
    assertFails(
        "CREATE MAPPING ON company_data.t", ErrorCode.SYNTAX_ERROR, "end of input", "ATTRIBUTE");
    assertFails(
        "SELECT a FROM company_data.t LIMIT 5 USD PER", ErrorCode.SYNTAX_ERROR, "end of input");
    assertFails("SELECT a FROM company_data.t NO", ErrorCode.SYNTAX_ERROR, "end of input", "LIMIT");
  }

  @Test
  void duplicateOptions() {
    assertFails(
        "COPY INTO company_data.t FROM 'a.csv' FORMAT = 'csv' FORMAT = 'json'",
        ErrorCode.SYNTAX_ERROR,
        "line 1, column 54",
        "FORMAT is given more than once");
    assertFails(
        "CREATE MATERIALIZED VIEW \"v\" TAGS = ('a') TAGS = ('b') AS SELECT 1",
        ErrorCode.SYNTAX_ERROR,
        "TAGS is given more than once");
    assertFails(
        "CREATE ACCESS RULE \"r\" PRICE_CPM_USD = 1 SHARE WITH ALL SHARE WITH NONE AS SELECT 1",
        ErrorCode.SYNTAX_ERROR,
        "SHARE is given more than once");
  }

  @Test
  void badOptionValues() {
    assertFails(
        "COPY INTO company_data.t FROM 'a.xml' FORMAT = 'xml'",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "FORMAT",
        "'xml'",
        "line 1, column 48");
    assertFails(
        "COPY INTO company_data.t FROM 'a.csv' DELIMITER = ';;'",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "DELIMITER");
    assertFails(
        "COPY INTO company_data.t FROM 'a.csv' HEADER = 'yes'",
        ErrorCode.SYNTAX_ERROR,
        "\"'yes'\"");
    assertFails(
        "CREATE MATERIALIZED VIEW \"v\" WRITE_MODE = 'merge' AS SELECT 1",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "WRITE_MODE",
        "'merge'");
    assertFails(
        "CREATE MATERIALIZED VIEW \"v\" REFRESH_SCHEDULE = 'sometimes' AS SELECT 1",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "REFRESH_SCHEDULE");
    assertFails(
        "CREATE MATERIALIZED VIEW \"v\" EXPIRE = 'forever' AS SELECT 1",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "EXPIRE");
    assertFails(
        "CREATE ACCESS RULE \"r\" PRICE_CPM_USD = 1.505 SHARE WITH ALL AS SELECT 1",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "PRICE_CPM_USD",
        "1.505");
    assertFails(
        "CREATE DATASET \"d\" (a INTEGER) PARTITIONED_BY a BUCKET(0)",
        ErrorCode.INVALID_PARAMETER_VALUE,
        "BUCKET");
  }

  @Test
  void datasetClausesAtMostOnce() {
    assertFails(
        "CREATE DATASET \"d\" (a INTEGER) SORTED_BY a BLOOM_FILTER a SORTED_BY a",
        ErrorCode.SYNTAX_ERROR,
        "SORTED_BY");
    assertFails(
        "CREATE DATASET \"d\" (a INTEGER) BLOOM_FILTER a BLOOM_FILTER a",
        ErrorCode.SYNTAX_ERROR,
        "BLOOM_FILTER");
    assertFails(
        "CREATE DATASET \"d\" (a INTEGER) SORTED_BY", ErrorCode.SYNTAX_ERROR, "end of input");
  }

  @Test
  void misplacedBudgetWords() {
    assertFails(
        "SELECT a FROM company_data.t FETCH FIRST 5 ROWS ONLY USD",
        ErrorCode.SYNTAX_ERROR,
        "\"USD\"");
    assertFails(
        "SELECT a FROM company_data.t LIMIT 5 OFFSET 2 USD", ErrorCode.SYNTAX_ERROR, "\"USD\"");
    assertFails(
        "SELECT a FROM company_data.t LIMIT 5 USD LIMIT 6 USD",
        ErrorCode.SYNTAX_ERROR,
        "\"LIMIT\"");
    assertFails("SELECT a FROM company_data.t LIMIT 5 EUR", ErrorCode.SYNTAX_ERROR, "\"EUR\"");
  }

  @Test
  void orReplaceIsRejected() {
    assertFails("CREATE OR REPLACE COMPANY acme", ErrorCode.SYNTAX_ERROR, "OR REPLACE");
  }

  @Test
  void moreThanOneStatement() {
    assertFails("SELECT 1; SELECT 2", ErrorCode.SYNTAX_ERROR, "one statement");
  }
}
