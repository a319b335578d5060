package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The PostgreSQL servers imports may connect to, as the operator lists them ({@code
 * --postgres-import-hosts}): {@code host} (port 5432), {@code host:port}, {@code host:*} (any
 * port), {@code [::1]:5432} for IPv6, and {@code *} for any host. A host matches by name as written
 * in the secret's URL, ignoring case: {@code localhost} does not allow {@code 127.0.0.1}. With no
 * entries, no import may connect anywhere (the default): a gateway user must not be able to make
 * the gateway open connections into the network it runs in. Immutable.
 */
public final class PostgresHosts {
  private static final Pattern HOST = Pattern.compile("\\*|\\[[0-9a-f:.]+\\]|[a-z0-9_.-]+");

  private record Entry(String host, int port) {
    boolean allows(String h, int p) {
      return (host.equals("*") || host.equals(h)) && (port < 0 || port == p);
    }
  }

  private final List<Entry> entries;

  private PostgresHosts(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** No host at all. */
  public static PostgresHosts none() {
    return new PostgresHosts(List.of());
  }

  /**
   * The hosts of the given entries.
   *
   * @throws IllegalArgumentException naming an entry that is not of a form above
   */
  public static PostgresHosts of(List<String> entries) {
    List<Entry> out = new ArrayList<>();
    for (String raw : entries) {
      String e = raw.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      String host = e;
      int port = PostgresUrl.DEFAULT_PORT;
      int colon = e.lastIndexOf(':');
      if (colon >= 0 && colon > e.lastIndexOf(']')) {
        host = e.substring(0, colon);
        port = parsePort(raw, e.substring(colon + 1));
      } else if (e.equals("*")) {
        port = -1;
      }
      if (!HOST.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "Cannot use PostgreSQL import host '" + raw + "': expected host, host:port or host:*");
      }
      out.add(new Entry(host, port));
    }
    return new PostgresHosts(out);
  }

  private static int parsePort(String raw, String port) {
    if (port.equals("*")) {
      return -1;
    }
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "Cannot use PostgreSQL import host '"
            + raw
            + "': the port is not a number from 1 to 65535");
  }

  /**
   * Refuses a URL whose host and port no entry allows: imports and data planes reach only the
   * servers the operator listed.
   *
   * @param via the credentials used, for the message ({@code secret <name>}, {@code data plane
   *     <name>})
   * @throws NqlException INSUFFICIENT_PRIVILEGE when {@link #allows} does not
   */
  public void check(PostgresUrl url, String via) {
    if (!allows(url.host(), url.port())) {
      throw NqlException.of(
          ErrorCode.INSUFFICIENT_PRIVILEGE,
          "Cannot connect to PostgreSQL at %s with %s: %s",
          url.hostAndPort(),
          via,
          isEmpty()
              ? "this gateway allows no PostgreSQL imports (see --postgres-import-hosts)"
              : "this gateway does not allow imports from that host and port (see"
                  + " --postgres-import-hosts)");
    }
  }

  /** Whether imports may connect to {@code host} (lower case) at {@code port}. */
  public boolean allows(String host, int port) {
    return entries.stream().anyMatch(e -> e.allows(host, port));
  }

  /** Whether no host at all is allowed. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }
}
