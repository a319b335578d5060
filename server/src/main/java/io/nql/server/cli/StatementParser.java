package io.nql.server.cli;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * Tells the console's line reader when the input is complete: a statement ends at a {@code ;}
 * outside quotes and comments (until then Enter continues on the next line), a backslash command at
 * the end of its line. Also splits the input into its statements and commands.
 */
final class StatementParser implements Parser {
  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && !scan(line).complete) {
      // the reader then keeps the line and continues on the next one (the secondary prompt)
      throw new EOFError(-1, -1, "statement not terminated by ;", ";");
    }
    return new Words(line, cursor);
  }

  /**
   * The statements (without their {@code ;}) and backslash commands of a complete input, in order;
   * pieces that hold only blanks and comments are left out.
   */
  static List<String> split(String input) {
    return scan(input).pieces;
  }

  private record Scan(List<String> pieces, boolean complete) {}

  private static Scan scan(String s) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    boolean significant = false;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (!significant && c == '\\') {
        // a backslash command: the rest of the line
        int end = s.indexOf('\n', i);
        end = end < 0 ? n : end;
        pieces.add(s.substring(i, end).strip());
        i = end;
        start = i;
        continue;
      }
      if (c == '\'' || c == '"') {
        int close = closing(s, i + 1, c);
        if (close < 0) {
          return new Scan(pieces, false);
        }
        significant = true;
        i = close + 1;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        int end = s.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          return new Scan(pieces, false);
        }
        i = end + 2;
      } else if (c == ';') {
        if (significant) {
          pieces.add(s.substring(start, i).strip());
        }
        significant = false;
        i++;
        start = i;
      } else {
        significant |= !Character.isWhitespace(c);
        i++;
      }
    }
    return new Scan(pieces, !significant);
  }

  /** The index of the quote that closes one opened before {@code from} ({@code ''} escapes). */
  private static int closing(String s, int from, char quote) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** The input as whitespace-separated words, which is all the reader needs without completion. */
  private static final class Words implements CompletingParsedLine {
    private final String line;
    private final int cursor;
    private final List<String> words = new ArrayList<>();
    private int wordIndex;
    private int wordCursor;

    Words(String line, int cursor) {
      this.line = line;
      this.cursor = cursor;
      int i = 0;
      while (i <= line.length()) {
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        if (cursor >= start && cursor <= i) {
          wordIndex = words.size();
          wordCursor = cursor - start;
        }
        words.add(line.substring(start, i));
        i++;
      }
    }

    @Override
    public String word() {
      return words.get(wordIndex);
    }

    @Override
    public int wordCursor() {
      return wordCursor;
    }

    @Override
    public int wordIndex() {
      return wordIndex;
    }

    @Override
    public List<String> words() {
      return words;
    }

    @Override
    public String line() {
      return line;
    }

    @Override
    public int cursor() {
      return cursor;
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor;
    }

    @Override
    public int rawWordLength() {
      return word().length();
    }
  }
}
