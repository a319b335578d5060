package io.nql.planner.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps secrets out of what is written about a statement. A statement <em>holds a secret</em> when
 * the word {@code PASSWORD} or {@code WEBHOOK} appears in it, or the word {@code SECRET} other than
 * right after {@code POSTGRES} (in {@code COPY … FROM POSTGRES SECRET "name"} it names a secret
 * without holding one): {@code CREATE SECRET … PASSWORD '…'}, {@code CREATE USER … PASSWORD '…'},
 * {@code CREATE DELIVERY … TO WEBHOOK '…'} (a URL may carry a token in its user information or
 * query string), and the same statements misspelled. Words are found as the parser finds them,
 * outside string literals, quoted identifiers and comments, in any case.
 *
 * <p>Of such a statement the query log keeps {@link #forLog} (every string literal written {@code
 * '***'}), and a syntax error quotes {@link #masked} (every character of a literal replaced by
 * {@code *}, so that the positions it names are those of the statement).
 */
public final class StatementRedaction {
  private static final String SHOWN = "'***'";

  private StatementRedaction() {}

  /** The text the query log keeps of a statement: unchanged unless it holds a secret. */
  public static String forLog(String sql) {
    Lexed lexed = lex(sql);
    if (!lexed.holdsSecret()) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length());
    int at = 0;
    for (int[] literal : lexed.literals) {
      out.append(sql, at, literal[0]).append(SHOWN);
      at = literal[1];
    }
    return out.append(sql, at, sql.length()).toString();
  }

  /** Whether {@code sql} holds a secret (see the class comment). */
  public static boolean holdsSecret(String sql) {
    return lex(sql).holdsSecret();
  }

  /**
   * The text with every character inside string literals, quotes included, replaced by {@code *}
   * (line breaks kept): a statement of the same length and layout whose literals say nothing.
   */
  static String masked(String sql) {
    char[] out = sql.toCharArray();
    for (int[] literal : lex(sql).literals) {
      for (int i = literal[0]; i < literal[1]; i++) {
        if (out[i] != '\n' && out[i] != '\r') {
          out[i] = '*';
        }
      }
    }
    return new String(out);
  }

  /** The words (upper case) and the literals ({start, end} offsets) of a statement. */
  private record Lexed(List<String> words, List<int[]> literals) {
    boolean holdsSecret() {
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        if (w.equals("PASSWORD")
            || w.equals("WEBHOOK")
            || w.equals("SECRET") && (i == 0 || !words.get(i - 1).equals("POSTGRES"))) {
          return true;
        }
      }
      return false;
    }
  }

  private static Lexed lex(String sql) {
    List<String> words = new ArrayList<>();
    List<int[]> literals = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'') {
        int end = quoted(sql, i, '\'', false);
        literals.add(new int[] {i, end});
        i = end;
      } else if (c == '"') {
        i = quoted(sql, i, '"', false);
      } else if (c == '-' && next(sql, i) == '-' || c == '/' && next(sql, i) == '/') {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && next(sql, i) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$')) {
          i++;
        }
        String word = sql.substring(start, i);
        if (i < n && sql.charAt(i) == '\'' && word.equalsIgnoreCase("E")) {
          // E'…': a literal with backslash escapes
          int end = quoted(sql, i, '\'', true);
          literals.add(new int[] {start, end});
          i = end;
        } else {
          words.add(word.toUpperCase(Locale.ROOT));
        }
      } else {
        i++;
      }
    }
    return new Lexed(words, literals);
  }

  private static char next(String sql, int i) {
    return i + 1 < sql.length() ? sql.charAt(i + 1) : 0;
  }

  /**
   * The end (exclusive) of the quoted text starting at {@code start}: a doubled quote stays inside,
   * and so does any character after a backslash when {@code backslash}; an unclosed quote runs to
   * the end of the text.
   */
  private static int quoted(String sql, int start, char quote, boolean backslash) {
    int i = start + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (backslash && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }
}
