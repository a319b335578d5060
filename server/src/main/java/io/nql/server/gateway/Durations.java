package io.nql.server.gateway;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses the durations of options and config files: {@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 1h}, ISO-8601 {@code PT30S}, or {@code 0} for none.
 */
public final class Durations {
  private Durations() {}

  /**
   * @throws IllegalArgumentException when the text is not a duration
   */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("pt") || s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      char unit = s.charAt(s.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException(bad(text));
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(bad(text), e);
    }
  }

  private static String bad(String text) {
    return "Cannot parse duration '" + text + "': expected e.g. 500ms, 30s, 5m, 1h or 0";
  }

  /** The duration as the options write it (e.g. {@code 30s}). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() + "s";
  }
}
