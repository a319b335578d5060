package io.nql.planner.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The PostgreSQL server the tests import from: the one CI starts ({@code .ci/postgres.sh}), reached
 * with {@code NQL_TEST_PG_URL}, {@code NQL_TEST_PG_USER} and {@code NQL_TEST_PG_PASSWORD} (as the
 * metadata store's contract tests reach it). Each test class works in schemas of its own, dropped
 * afterwards. Skipped when the server is unreachable, unless {@code nql.test.postgres=required}.
 */
public final class PostgresSourceDatabase implements AutoCloseable {
  public static final String URL =
      env("NQL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/nql_test");
  public static final String USER = env("NQL_TEST_PG_USER", "nql");
  public static final String PASSWORD = env("NQL_TEST_PG_PASSWORD", "nql");

  private final String prefix = "nql_import_" + randomHex(4) + "_";
  private final java.util.List<String> schemas = new java.util.ArrayList<>();

  /** Fails or skips the calling test class when PostgreSQL cannot be reached. */
  public static PostgresSourceDatabase require() {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.isValid(5);
    } catch (SQLException e) {
      String reason = "PostgreSQL is unreachable at " + URL + ": " + e.getMessage();
      if ("required".equals(System.getProperty("nql.test.postgres"))) {
        fail(reason + " (nql.test.postgres=required; run .ci/postgres.sh)");
      }
      assumeTrue(false, reason);
    }
    return new PostgresSourceDatabase();
  }

  /** {@code host:port} of the server, as an import host allow-list names it. */
  public static String hostAndPort() {
    URI uri = URI.create(URL.substring("jdbc:".length()));
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  /** A new connection as the test user (autocommit). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }

  /** A schema name of this run: {@code prefix + suffix}, dropped on {@link #close}. */
  public String schema(String suffix) {
    String name = prefix + suffix;
    schemas.add(name);
    return name;
  }

  /** Runs statements as the test user, in one transaction. */
  public void run(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String q : sql) {
        s.execute(q);
      }
      c.commit();
    }
  }

  /** A name in double quotes for PostgreSQL, embedded quotes doubled. */
  public static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
      }
    }
  }

  private static String env(String name, String defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
