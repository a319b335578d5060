package io.nql.planner.ingest.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A PostgreSQL JDBC URL as a secret may give it: {@code jdbc:postgresql://host[:port]/database}
 * with at most the few parameters of {@link #ALLOWED}. Everything else the driver would accept is
 * refused, because it would let a gateway user make the gateway do more than connect and read:
 * several hosts; a user or password in the URL (they belong in the secret's USER and PASSWORD, and
 * a URL is shown by SHOW SECRETS); parameters that make the driver instantiate a class ({@code
 * socketFactory}, {@code sslfactory}, {@code sslhostnameverifier}, {@code sslpasswordcallback},
 * {@code authenticationPluginClassName}, {@code xmlFactoryFactory}, {@code connectExecutor}), read
 * or write files of the gateway ({@code loggerFile}, {@code sslcert}, {@code sslkey}, {@code
 * sslrootcert}, {@code service}), use the gateway's own Kerberos credentials ({@code jaasLogin},
 * {@code gsslib}, {@code kerberosServerName}…), change the protocol ({@code replication}, {@code
 * preferQueryMode=simple}, which runs several statements in one) or the server session ({@code
 * options}). The driver is then given only the URL {@link #driverUrl} rebuilt from the parts, and
 * {@link #driverProperties}.
 *
 * @param host the host name or address, lower case ({@code [::1]} with brackets for IPv6)
 * @param port the port (5432 when the URL has none)
 * @param database the database name
 * @param parameters the allowed parameters given, by name
 */
public record PostgresUrl(String host, int port, String database, Map<String, String> parameters) {
  /** PostgreSQL's port. */
  public static final int DEFAULT_PORT = 5432;

  private static final String PREFIX = "jdbc:postgresql://";
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,5}");
  private static final Predicate<String> BOOLEAN = v -> v.equals("true") || v.equals("false");
  private static final Predicate<String> NAME =
      v -> v.length() <= 63 && v.chars().noneMatch(Character::isISOControl);

  /** The parameters a URL may carry, each with its valid values. */
  static final Map<String, Predicate<String>> ALLOWED =
      Map.of(
          "sslmode",
          v ->
              Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
                  .contains(v),
          "ssl",
          BOOLEAN,
          "connectTimeout",
          v -> SECONDS.matcher(v).matches(),
          "loginTimeout",
          v -> SECONDS.matcher(v).matches(),
          "socketTimeout",
          v -> SECONDS.matcher(v).matches(),
          "tcpKeepAlive",
          BOOLEAN,
          "ApplicationName",
          NAME,
          "currentSchema",
          v -> v.length() <= 255 && v.chars().noneMatch(Character::isISOControl));

  public PostgresUrl {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Reads a URL.
   *
   * @throws IllegalArgumentException with the reason, which names parameters but never repeats
   *     their values
   */
  public static PostgresUrl parse(String url) {
    if (!url.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "the URL must have the form jdbc:postgresql://host[:port]/database");
    }
    String rest = url.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("the URL names no database (…/database)");
    }
    String authority = rest.substring(0, slash);
    if (authority.contains("@")) {
      throw new IllegalArgumentException(
          "the URL must not hold a user or password: give them as USER and PASSWORD");
    }
    if (authority.contains(",")) {
      throw new IllegalArgumentException("the URL must name one host");
    }
    String host = authority.toLowerCase(Locale.ROOT);
    int port = DEFAULT_PORT;
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && colon > host.lastIndexOf(']')) {
      String p = host.substring(colon + 1);
      if (!PORT.matcher(p).matches() || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
        throw new IllegalArgumentException("the URL's port is not a number from 1 to 65535");
      }
      port = Integer.parseInt(p);
      host = host.substring(0, colon);
    }
    if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException("the URL's host is not a host name or address");
    }
    String path = rest.substring(slash + 1);
    int question = path.indexOf('?');
    String query = question < 0 ? "" : path.substring(question + 1);
    String database = decode(question < 0 ? path : path.substring(0, question), "database name");
    if (database.isEmpty() || database.contains("/") || !NAME.test(database)) {
      throw new IllegalArgumentException("the URL's database name is empty or not a name");
    }
    return new PostgresUrl(host, port, database, parameters(query));
  }

  private static Map<String, String> parameters(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter value");
      String shown = name.chars().allMatch(c -> c > ' ' && c < 127) ? name : "?";
      Predicate<String> valid = ALLOWED.get(name);
      if (valid == null) {
        throw new IllegalArgumentException(
            "URL parameter '"
                + shown
                + "' is not allowed (allowed: "
                + String.join(", ", new java.util.TreeSet<>(ALLOWED.keySet()))
                + (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")
                    ? "; give the user and password as USER and PASSWORD)"
                    : ")"));
      }
      if (!valid.test(value)) {
        throw new IllegalArgumentException("URL parameter '" + name + "' has an invalid value");
      }
      if (out.put(name, value) != null) {
        throw new IllegalArgumentException("URL parameter '" + name + "' is given twice");
      }
    }
    return out;
  }

  private static String decode(String text, String what) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the URL's " + what + " is not URL-encoded correctly");
    }
  }

  /** {@code host:port} as messages and the host allow-list name it. */
  public String hostAndPort() {
    return host + ":" + port;
  }

  /** The URL the driver is given: host, port and database only. */
  public String driverUrl() {
    return PREFIX + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /**
   * The driver's properties: the allowed parameters, the credentials, and settings no URL can
   * change — the extended query protocol (one statement per message), a read-only session, no
   * Kerberos or SSPI (which would use the gateway's own credentials), no server error details in
   * exception texts (they quote row values), and timeouts for connecting.
   */
  public Properties driverProperties(String user, String password) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "10");
    p.setProperty("loginTimeout", "10");
    p.setProperty("ApplicationName", "nql-gateway import");
    parameters.forEach(p::setProperty);
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("preferQueryMode", "extended");
    p.setProperty("readOnly", "true");
    p.setProperty("readOnlyMode", "always");
    p.setProperty("gssEncMode", "disable");
    p.setProperty("requireAuth", "password,md5,scram-sha-256,none");
    p.setProperty("logServerErrorDetail", "false");
    return p;
  }

  /** The URL as a secret shows it (it holds no credentials: {@link #parse} refuses them). */
  @Override
  public String toString() {
    return driverUrl();
  }
}
