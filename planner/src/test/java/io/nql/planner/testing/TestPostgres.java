package io.nql.planner.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The PostgreSQL server of the tests: settings from {@code NQL_TEST_PG_URL}, {@code
 * NQL_TEST_PG_USER} and {@code NQL_TEST_PG_PASSWORD} ({@code .ci/postgres.sh} starts one with the
 * defaults), and schemas of their own for the tests, dropped afterwards. A test that needs it is
 * skipped when it is unreachable, unless the system property {@code nql.test.postgres=required} (CI
 * sets it), which turns that into a failure.
 */
public final class TestPostgres {
  public static final String URL =
      env("NQL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/nql_test");
  public static final String USER = env("NQL_TEST_PG_USER", "nql");
  public static final String PASSWORD = env("NQL_TEST_PG_PASSWORD", "nql");

  private static final String RUN_ID = randomHex(4);
  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

  private TestPostgres() {}

  /** Skips the test (or fails it, when PostgreSQL is required) unless the server answers. */
  public static void require() {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.isValid(5);
    } catch (SQLException e) {
      String reason = "PostgreSQL is unreachable at " + URL + ": " + e.getMessage();
      if ("required".equals(System.getProperty("nql.test.postgres"))) {
        fail(reason + " (nql.test.postgres=required; run .ci/postgres.sh)");
      }
      assumeTrue(false, reason);
    }
  }

  /** A new, empty schema, dropped by {@link #dropSchemas}. */
  public static String createSchema() {
    String schema = "nql_test_" + RUN_ID + "_" + randomHex(6);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + schema, e);
    }
    SCHEMAS.add(schema);
    return schema;
  }

  /** The JDBC URL of a schema, with more parameters ({@code name=value&…}) when not empty. */
  public static String url(String schema, String parameters) {
    String separator = URL.contains("?") ? "&" : "?";
    return URL
        + separator
        + "currentSchema="
        + schema
        + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  /** Drops every schema {@link #createSchema} made. */
  public static void dropSchemas() throws SQLException {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String schema : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    SCHEMAS.clear();
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
