package io.nql.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the gateway's {@code {"warnings":[{"sqlstate":"…","message":"…"}]}} answer. A small reader
 * for exactly that shape: the driver jar carries no JSON library of its own.
 */
final class WarningsJson {
  private WarningsJson() {}

  static List<String[]> parse(String json) {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    while ((i = json.indexOf("\"sqlstate\":", i)) >= 0) {
      int[] next = new int[1];
      String state = string(json, i + "\"sqlstate\":".length(), next);
      int m = json.indexOf("\"message\":", next[0]);
      if (state == null || m < 0) {
        break;
      }
      String message = string(json, m + "\"message\":".length(), next);
      if (message == null) {
        break;
      }
      out.add(new String[] {state, message});
      i = next[0];
    }
    return out;
  }

  /** The JSON string starting at {@code from} (after blanks); sets next to the index after it. */
  private static String string(String json, int from, int[] next) {
    int i = from;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    if (i >= json.length() || json.charAt(i) != '"') {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (i++; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        next[0] = i + 1;
        return b.toString();
      }
      if (c == '\\' && i + 1 < json.length()) {
        char e = json.charAt(++i);
        switch (e) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    return null;
  }
}
