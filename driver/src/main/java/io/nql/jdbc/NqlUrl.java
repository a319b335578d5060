package io.nql.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A parsed {@code jdbc:nql:} URL: {@code jdbc:nql://host:port[/][?k=v&...]} (remote) or {@code
 * jdbc:nql:embedded:<warehouse-dir>[?k=v&...]} (in-process).
 *
 * @param embedded true for the in-process form
 * @param target {@code host:port} for remote, the warehouse directory for embedded
 * @param properties URL query properties merged over the caller's properties
 */
record NqlUrl(boolean embedded, String target, Properties properties) {
  static final String PREFIX = "jdbc:nql:";
  static final String EMBEDDED = "jdbc:nql:embedded:";
  static final String REMOTE = "jdbc:nql://";

  static boolean accepts(String url) {
    return url != null && (url.startsWith(EMBEDDED) || url.startsWith(REMOTE));
  }

  static NqlUrl parse(String url, Properties info) throws SQLException {
    if (!accepts(url)) {
      throw new SQLException(
          "Cannot parse URL '"
              + url
              + "': expected jdbc:nql://host:port or jdbc:nql:embedded:<warehouse-dir>",
          "08001");
    }
    boolean embedded = url.startsWith(EMBEDDED);
    String rest = url.substring(embedded ? EMBEDDED.length() : REMOTE.length());
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        props.setProperty(key, value);
      }
    }
    if (!embedded && rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.isEmpty()) {
      throw new SQLException(
          "Cannot parse URL '"
              + url
              + "': "
              + (embedded ? "the warehouse directory is missing" : "host:port is missing"),
          "08001");
    }
    return new NqlUrl(embedded, rest, props);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
