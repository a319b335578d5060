package io.nql.server.gateway;

import java.util.Locale;

/**
 * Parses byte sizes of options and config files: {@code 268435456}, {@code 512k}, {@code 256m},
 * {@code 1g}.
 */
public final class Sizes {
  private Sizes() {}

  /**
   * @throws IllegalArgumentException when the text is not a size
   */
  public static long parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      char unit = s.charAt(s.length() - 1);
      int shift =
          switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
          };
      String digits = shift == 0 ? s : s.substring(0, s.length() - 1).trim();
      long n = Long.parseLong(digits);
      if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException(text);
      }
      return n << shift;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot parse size '" + text + "': expected bytes, or e.g. 512k, 256m, 1g", e);
    }
  }
}
