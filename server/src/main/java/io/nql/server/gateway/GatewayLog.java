package io.nql.server.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structured log lines: {@code event=<name> key=value ...}, values quoted when they contain a
 * space, quote or equals sign. Callers never pass secrets.
 */
final class GatewayLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.nql.server.gateway");

  private GatewayLog() {}

  static void info(String event, Object... keyValues) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(event, keyValues));
    }
  }

  static void warn(String event, Object... keyValues) {
    LOG.warn(line(event, keyValues));
  }

  /** A failure the client only sees as an internal error: the cause goes to the log. */
  static void error(String event, Throwable cause, Object... keyValues) {
    LOG.error(line(event, keyValues), cause);
  }

  static String line(String event, Object... keyValues) {
    StringBuilder b = new StringBuilder("event=").append(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      b.append(' ').append(keyValues[i]).append('=').append(quote(keyValues[i + 1]));
    }
    return b.toString();
  }

  private static String quote(Object value) {
    String s = String.valueOf(value);
    if (s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
    return s;
  }
}
