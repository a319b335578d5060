package io.nql.planner.parser;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.impl.NqlParserImpl;
import io.nql.planner.parser.impl.NqlParserImplConstants;
import io.nql.planner.parser.impl.ParseException;
import io.nql.planner.parser.impl.Token;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlJdbcFunctionCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Parses NQL text into Calcite {@link SqlNode}s: Calcite's SQL plus the NQL statements of this
 * package. Every failure is an {@link NqlException} with {@link ErrorCode#SYNTAX_ERROR} (or {@link
 * ErrorCode#INVALID_PARAMETER_VALUE} for a bad option value) and a one-line message such as {@code
 * Syntax error at line 1, column 27: unexpected ".123"; expected an identifier}.
 */
public final class NqlParser {
  private static final int MAX_EXPECTED_LISTED = 6;

  /** ANSI SQL with double-quoted identifiers, as NQL reads them. */
  private static final SqlDialect DIALECT =
      new AnsiSqlDialect(AnsiSqlDialect.DEFAULT_CONTEXT.withIdentifierQuoteString("\""));

  private NqlParser() {}

  /**
   * The parser configuration: double-quoted identifiers, unquoted identifiers folded to lower case,
   * quoted ones kept as written, case-sensitive matching, {@link NqlConformance}, and the generated
   * NQL parser.
   */
  public static SqlParser.Config config() {
    return SqlParser.config()
        .withParserFactory(NqlParserImpl.FACTORY)
        .withQuoting(Quoting.DOUBLE_QUOTE)
        .withUnquotedCasing(Casing.TO_LOWER)
        .withQuotedCasing(Casing.UNCHANGED)
        .withCaseSensitive(true)
        .withConformance(NqlConformance.INSTANCE);
  }

  /**
   * Writes a node as NQL text that {@link #parse} reads back: identifiers in double quotes, clauses
   * on one line (Calcite may still break before FETCH/OFFSET).
   *
   * @param node a node from this parser (or any Calcite node)
   * @return the NQL text
   */
  public static String unparse(SqlNode node) {
    return node.toSqlString(
            c ->
                c.withDialect(DIALECT)
                    .withAlwaysUseParentheses(false)
                    .withSelectListItemsOnSeparateLines(false)
                    .withUpdateSetListNewline(false)
                    .withIndentation(0)
                    .withClauseStartsLine(false)
                    .withClauseEndsLine(false))
        .getSql();
  }

  /**
   * Parses exactly one statement; a trailing semicolon is allowed.
   *
   * @param sql the statement text
   * @return the statement's AST
   * @throws NqlException SYNTAX_ERROR (or INVALID_PARAMETER_VALUE) when it does not parse or is
   *     more than one statement
   */
  public static SqlNode parse(String sql) {
    List<SqlNode> statements = parseScript(sql);
    if (statements.size() != 1) {
      throw new NqlException(
          ErrorCode.SYNTAX_ERROR,
          statements.isEmpty()
              ? "Syntax error: empty statement"
              : "Syntax error: expected one statement, found " + statements.size());
    }
    return statements.get(0);
  }

  /**
   * Parses statements separated by semicolons (a trailing semicolon is allowed).
   *
   * @param sql the script text
   * @return the statements in order; empty for blank text
   * @throws NqlException SYNTAX_ERROR (or INVALID_PARAMETER_VALUE) when the script does not parse
   */
  public static List<SqlNode> parseScript(String sql) {
    try {
      SqlNodeList list = SqlParser.create(sql, config()).parseStmtList();
      if (sql.contains("{") && sql.toLowerCase(Locale.ROOT).contains("{fn")) {
        list.accept(JDBC_ESCAPE_NAMES);
      }
      return new ArrayList<>(list);
    } catch (SqlParseException e) {
      throw translate(e, sql);
    }
  }

  /**
   * Calcite's parser folds the name in a JDBC escape ({@code {fn ucase(s)}}) with the unquoted
   * casing, lower case in NQL, but looks escape functions up by their upper-case JDBC names: this
   * puts the JDBC name back in upper case, so that the functions DatabaseMetaData lists work.
   */
  private static final SqlBasicVisitor<Void> JDBC_ESCAPE_NAMES =
      new SqlBasicVisitor<>() {
        @Override
        public Void visit(SqlCall call) {
          if (call instanceof SqlBasicCall basic
              && basic.getOperator() instanceof SqlJdbcFunctionCall fn) {
            String name = fn.getName();
            if (name.startsWith("{fn ") && name.endsWith("}")) {
              String jdbc = name.substring(4, name.length() - 1);
              String upper = jdbc.toUpperCase(Locale.ROOT);
              if (!upper.equals(jdbc)) {
                SqlJdbcFunctionCall renamed = new SqlJdbcFunctionCall(upper);
                // createCall records the operands the escape is rewritten with
                renamed.createCall(
                    basic.getParserPosition(), basic.getOperandList().toArray(new SqlNode[0]));
                basic.setOperator(renamed);
              }
            }
          }
          for (SqlNode operand : call.getOperandList()) {
            if (operand != null) {
              operand.accept(this);
            }
          }
          return null;
        }
      };

  private static NqlException translate(SqlParseException e, String sql) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NqlException nql) {
        return nql;
      }
    }
    if (StatementRedaction.holdsSecret(sql)) {
      // The message quotes the token where parsing stopped, which may be a secret: quote it from
      // the masked text (same positions), and keep no cause, whose message quotes the original.
      return new NqlException(
          ErrorCode.SYNTAX_ERROR, message(e, StatementRedaction.masked(sql), true));
    }
    return new NqlException(ErrorCode.SYNTAX_ERROR, message(e, sql, false), e);
  }

  /** Builds {@code Syntax error at line L, column C: unexpected "tok"; expected ...}. */
  private static String message(SqlParseException e, String sql, boolean secret) {
    SqlParserPos pos = e.getPos();
    Token bad = offendingToken(e);
    String hint = "";
    if (e.getExpectedTokenSequences() != null && isDotBeforeWord(bad)) {
      // "company_data.select": the parser stops at the dot because the word after it is reserved;
      // the word is what the user must change, so point at it.
      Token word = bad.next;
      pos = new SqlParserPos(word.beginLine, word.beginColumn, word.endLine, word.endColumn);
      hint = reservedWordHint(word);
    } else if (e.getExpectedTokenSequences() != null
        && isReservedWord(bad)
        && e.getExpectedTokenNames().stream().anyMatch(n -> n.contains("IDENTIFIER"))) {
      // "SELECT 1 AS order": a name was possible here, and the word is one NQL reserves.
      hint = reservedWordHint(bad);
    }
    if (bad != null
        && bad.kind == NqlParserImplConstants.EOF
        && e.getCause() instanceof ParseException pe) {
      // JavaCC places end of input on the last character; report the column after it.
      Token last = pe.currentToken;
      pos = new SqlParserPos(last.endLine, last.endColumn + 1);
    }
    StringBuilder b = new StringBuilder("Syntax error");
    if (pos != null && pos.getLineNum() > 0) {
      b.append(
          String.format(
              Locale.ROOT, " at line %d, column %d", pos.getLineNum(), pos.getColumnNum()));
    }
    b.append(": ");
    if (e.getExpectedTokenSequences() == null) {
      // A lexical error or a check made by Calcite's own grammar actions.
      b.append(lexicalDetail(e, sql, pos, secret));
    } else {
      boolean atEnd = bad != null && bad.kind == NqlParserImplConstants.EOF;
      String token = atEnd ? null : tokenText(sql, pos);
      b.append(token == null ? "unexpected end of input" : "unexpected \"" + token + "\"");
      String expected = expected(e.getExpectedTokenNames());
      if (!expected.isEmpty()) {
        b.append("; expected ").append(expected);
      }
      b.append(hint);
    }
    return oneLine(b.toString());
  }

  /** The token the generated parser stopped at, or null when unknown. */
  private static Token offendingToken(SqlParseException e) {
    if (e.getCause() instanceof ParseException pe && pe.currentToken != null) {
      return pe.currentToken.next;
    }
    return null;
  }

  private static String reservedWordHint(Token word) {
    return " (\""
        + word.image
        + "\" is a reserved word: write it in double quotes to use it as a name)";
  }

  /** Whether the token is a word that the grammar reserves (a keyword that is not a name). */
  private static boolean isReservedWord(Token t) {
    return t != null && t.image != null && isReservedWord(t.image);
  }

  /**
   * Whether NQL reserves a word: it is a keyword that cannot stand as a name without double quotes.
   * {@code isReservedWord("order")} is true, {@code isReservedWord("year")} false.
   *
   * @param word a word in any case
   * @return false also for text that is not a word (letters, digits, underscores)
   */
  public static boolean isReservedWord(String word) {
    if (!word.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return false;
    }
    String upper = word.toUpperCase(Locale.ROOT);
    SqlAbstractParserImpl.Metadata m = Keywords.METADATA;
    return m.isKeyword(upper) && !m.isNonReservedKeyword(upper);
  }

  /** The grammar's keyword lists, built once (by parsing probes) when first needed. */
  private static final class Keywords {
    static final SqlAbstractParserImpl.Metadata METADATA =
        SqlParser.create("", config()).getMetadata();
  }

  private static boolean isDotBeforeWord(Token t) {
    return t != null
        && t.kind == NqlParserImplConstants.DOT
        && t.next != null
        && t.next.image != null
        && t.next.image.matches("[A-Za-z_][A-Za-z0-9_]*");
  }

  /** Calcite's message for an operator its parser cannot place: the class, then the operator. */
  private static final Pattern INTERNAL_OPERATOR =
      Pattern.compile("class [\\w.$]+: (\\S+).*", Pattern.DOTALL);

  private static String lexicalDetail(
      SqlParseException e, String sql, SqlParserPos pos, boolean secret) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Lexical error")) {
      if (m.contains("<EOF>")) {
        return "unexpected end of input (unterminated string or quoted identifier?)";
      }
      String c = pos == null ? null : charAt(sql, pos);
      return c == null ? "unexpected character" : "unexpected character \"" + c + "\"";
    }
    if (m.startsWith("Non-query expression encountered in illegal context")) {
      // Calcite parsed an expression where a statement must start, e.g. a misspelt keyword.
      String word = pos == null ? null : wordAt(sql, pos);
      return word == null
          ? "expected a statement"
          : "unexpected \"" + word + "\"; expected a statement such as SELECT";
    }
    Matcher unplaced = INTERNAL_OPERATOR.matcher(m);
    if (unplaced.matches()) {
      // Calcite's parser names an operator it cannot place by its class, e.g. ESCAPE after a
      // BETWEEN whose bounds it took the LIKE into.
      return "cannot place "
          + unplaced.group(1)
          + " here: put the expression around it in parentheses";
    }
    return secret ? "the statement does not parse" : m; // Calcite's text may quote a literal
  }

  /** The identifier-like word starting at a position, or null. */
  private static String wordAt(String sql, SqlParserPos pos) {
    String[] lines = sql.split("\n", -1);
    if (pos.getLineNum() < 1 || pos.getLineNum() > lines.length) {
      return null;
    }
    String line = lines[pos.getLineNum() - 1];
    int start = pos.getColumnNum() - 1;
    int end = start;
    while (end < line.length()
        && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
      end++;
    }
    return start >= 0 && end > start ? line.substring(start, end) : null;
  }

  private static String expected(Collection<String> names) {
    List<String> keywords = new ArrayList<>();
    boolean identifier = false;
    boolean number = false;
    boolean string = false;
    for (String name : names) {
      if (name.contains("IDENTIFIER")) {
        identifier = true;
      } else if (name.contains("NUMERIC_LITERAL") || name.contains("INTEGER_LITERAL")) {
        number = true;
      } else if (name.contains("QUOTED_STRING") || name.contains("STRING_LITERAL")) {
        string = true;
      } else if (name.startsWith("\"") && !name.equals("\"<EOF>\"")) {
        keywords.add(name);
      }
    }
    if (identifier) {
      return "an identifier";
    }
    List<String> kinds = new ArrayList<>();
    if (number) {
      kinds.add("a number");
    }
    if (string) {
      kinds.add("a string");
    }
    if (keywords.size() <= MAX_EXPECTED_LISTED) {
      kinds.addAll(keywords);
    }
    return String.join(" or ", kinds);
  }

  /** The offending token's text, or null at end of input. */
  private static String offendingToken(SqlParseException e, String sql, SqlParserPos pos) {
    if (e.getCause() instanceof ParseException pe && pe.currentToken != null) {
      Token next = pe.currentToken.next;
      if (next != null) {
        return next.kind == NqlParserImplConstants.EOF ? null : next.image;
      }
    }
    return tokenText(sql, pos);
  }

  /** The source text of the token at pos, or null at end of input. */
  private static String tokenText(String sql, SqlParserPos pos) {
    if (pos == null) {
      return null;
    }
    int start = offset(sql, pos.getLineNum(), pos.getColumnNum());
    int end = offset(sql, pos.getEndLineNum(), pos.getEndColumnNum());
    if (start < 0 || start >= sql.length()) {
      return null;
    }
    end = end < start ? start + 1 : Math.min(end + 1, sql.length());
    return sql.substring(start, end);
  }

  private static String charAt(String sql, SqlParserPos pos) {
    int at = offset(sql, pos.getLineNum(), pos.getColumnNum());
    return at < 0 || at >= sql.length() ? null : sql.substring(at, at + 1);
  }

  /** Offset of a 1-based line and column, or -1. */
  private static int offset(String sql, int line, int column) {
    if (line < 1 || column < 1) {
      return -1;
    }
    int at = 0;
    for (int l = 1; l < line; l++) {
      at = sql.indexOf('\n', at);
      if (at < 0) {
        return -1;
      }
      at++;
    }
    return at + column - 1;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
