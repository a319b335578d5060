package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.junit.jupiter.api.Test;

class StatementParserTest {
  final StatementParser parser = new StatementParser();

  boolean complete(String input) {
    try {
      parser.parse(input, input.length(), ParseContext.ACCEPT_LINE);
      return true;
    } catch (EOFError e) {
      return false;
    }
  }

  @Test
  void aStatementEndsAtASemicolonOutsideQuotesAndComments() {
    assertThat(complete("SELECT 1")).isFalse();
    assertThat(complete("SELECT 1\nFROM t;")).isTrue();
    assertThat(complete("SELECT ';'")).isFalse();
    assertThat(complete("SELECT 'it''s;' AS \"a;b\"")).isFalse();
    assertThat(complete("SELECT 'it''s' AS \"a;b\";")).isTrue();
    assertThat(complete("SELECT 1 -- done;")).isFalse();
    assertThat(complete("SELECT 1; -- don't")).isTrue();
    assertThat(complete("SELECT /* ; */ 1")).isFalse();
    assertThat(complete("SELECT 1 /* unclosed;")).isFalse();
    assertThat(complete("SELECT 'unclosed;")).isFalse();
  }

  @Test
  void backslashCommandsAndBlankInputAreCompleteAtOnce() {
    assertThat(complete("\\d company_data.orders")).isTrue();
    assertThat(complete("SELECT 1; \\q")).isTrue();
    assertThat(complete("   ")).isTrue();
    assertThat(complete("-- only a comment")).isTrue();
  }

  @Test
  void splitsStatementsAndCommandsInOrder() {
    assertThat(StatementParser.split("SELECT 1;\n SELECT ';' AS x ; \\d t\n\\q"))
        .containsExactly("SELECT 1", "SELECT ';' AS x", "\\d t", "\\q");
    assertThat(StatementParser.split("SELECT 1; -- trailing comment\n;;"))
        .containsExactly("SELECT 1");
  }

  @Test
  void otherContextsDoNotRequireASemicolon() {
    assertThatThrownBy(() -> parser.parse("SELECT", 6, ParseContext.ACCEPT_LINE))
        .isInstanceOf(EOFError.class);
    assertThat(parser.parse("SELECT a", 8, ParseContext.COMPLETE).word()).isEqualTo("a");
  }

  @Test
  void passwordsAreRecognizedForHistory() {
    assertThat(ConsoleHistory.holdsPassword("CREATE USER \"u\" COMPANY c PASSWORD 'x'")).isTrue();
    assertThat(ConsoleHistory.holdsPassword("alter user u set password = 'x'")).isTrue();
    assertThat(
            ConsoleHistory.holdsPassword(
                "CREATE SECRET pg TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'\n  PASSWORD\n"
                    + "  'x'"))
        .isTrue();
    assertThat(
            ConsoleHistory.holdsPassword(
                "create or replace secret pg type = postgres url = 'u' user = 'u' password = 'x'"))
        .isTrue();
    assertThat(ConsoleHistory.holdsPassword("SELECT password_hint FROM t")).isFalse();
    assertThat(ConsoleHistory.holdsPassword("SELECT 1")).isFalse();
  }
}
