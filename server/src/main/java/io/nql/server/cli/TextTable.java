package io.nql.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.WCWidth;

/**
 * Draws rows as an aligned text table ({@code +---+} rules, {@code |} separators), the one table
 * layout of {@code nql sql} and {@code nql shell}. Column widths come from the header and the first
 * {@link #SAMPLE_ROWS} rows; later rows reuse them. Within a width limit (a terminal's columns) the
 * widest columns give up space first and cells that do not fit end in {@code …}; without a limit
 * nothing is cut. Control characters in cells are shown escaped ({@code \n}, {@code \t}, {@code
 * \u001b}) so that data can neither break the layout nor drive the terminal.
 */
final class TextTable {
  /** Rows buffered to size the columns. */
  static final int SAMPLE_ROWS = 1000;

  /** No width limit: cells are never cut. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  private static final String ELLIPSIS = "…";

  /** Narrowest a column is made to fit the width: room for one character and the ellipsis. */
  private static final int MIN_COLUMN = 2;

  /**
   * The rows of a result, one array of cell texts (null for SQL NULL) per call.
   *
   * @param <E> what reading the result throws
   */
  interface Rows<E extends Exception> {
    /**
     * The next row, or {@code null} after the last.
     *
     * @throws E when reading the result fails; rows already drawn stay drawn
     */
    String[] next() throws E;
  }

  private TextTable() {}

  /**
   * Draws a table and returns its row count.
   *
   * @param headers column names
   * @param rightAligned per column, whether it is numeric (right-aligned)
   * @param rows the rows; NULL is drawn as {@code NULL}
   * @param maxWidth the widest a line may be, or {@link #UNLIMITED}
   * @throws E what {@code rows} throws, after the rows before it are drawn
   */
  static <E extends Exception> long print(
      List<String> headers, boolean[] rightAligned, Rows<E> rows, int maxWidth, PrintWriter out)
      throws E {
    int n = headers.size();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = escape(headers.get(i));
      width[i] = width(header[i]);
    }
    List<String[]> sample = new ArrayList<>();
    String[] row;
    while (sample.size() < SAMPLE_ROWS && (row = rows.next()) != null) {
      String[] cells = cells(row);
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], width(cells[i]));
      }
      sample.add(cells);
    }
    boolean fit = maxWidth != UNLIMITED;
    if (fit) {
      shrink(width, maxWidth);
    }
    String rule = rule(width);
    out.println(rule);
    out.println(line(header, width, new boolean[n], fit));
    out.println(rule);
    long count = 0;
    for (String[] cells : sample) {
      out.println(line(cells, width, rightAligned, fit));
      count++;
    }
    sample.clear();
    try {
      while ((row = rows.next()) != null) {
        out.println(line(cells(row), width, rightAligned, fit));
        count++;
      }
    } finally {
      out.println(rule);
      out.flush();
    }
    return count;
  }

  /** Display columns of a text (East Asian wide characters take two). */
  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      w += Math.max(0, WCWidth.wcwidth(cp));
      i += Character.charCount(cp);
    }
    return w;
  }

  /** Makes the widest columns narrower, one column at a time, until a line fits {@code max}. */
  private static void shrink(int[] width, int max) {
    int total = 1;
    for (int w : width) {
      total += w + 3;
    }
    while (total > max) {
      int widest = 0;
      for (int i = 1; i < width.length; i++) {
        if (width[i] > width[widest]) {
          widest = i;
        }
      }
      if (width.length == 0 || width[widest] <= MIN_COLUMN) {
        return;
      }
      width[widest]--;
      total--;
    }
  }

  private static String[] cells(String[] row) {
    String[] cells = new String[row.length];
    for (int i = 0; i < row.length; i++) {
      cells[i] = row[i] == null ? "NULL" : escape(row[i]);
    }
    return cells;
  }

  /** The text with control characters written as escapes. */
  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String esc =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default ->
                Character.getType(c) == Character.CONTROL
                    ? String.format("\\u%04x", (int) c)
                    : null;
          };
      if (esc != null && sb == null) {
        sb = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(esc != null ? esc : String.valueOf(c));
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static String rule(int[] width) {
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    return rule.toString();
  }

  private static String line(String[] cells, int[] width, boolean[] right, boolean fit) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      String c = fit ? truncate(cells[i], width[i]) : cells[i];
      int pad = Math.max(0, width[i] - width(c));
      sb.append(' ');
      if (right[i]) {
        sb.append(" ".repeat(pad)).append(c);
      } else {
        sb.append(c).append(" ".repeat(pad));
      }
      sb.append(" |");
    }
    return sb.toString();
  }

  /** The text cut to {@code max} display columns, ending in an ellipsis when cut. */
  static String truncate(String s, int max) {
    if (width(s) <= max) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    int used = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int w = Math.max(0, WCWidth.wcwidth(cp));
      if (used + w > max - 1) {
        break;
      }
      sb.appendCodePoint(cp);
      used += w;
      i += Character.charCount(cp);
    }
    return sb.append(ELLIPSIS).toString();
  }
}
