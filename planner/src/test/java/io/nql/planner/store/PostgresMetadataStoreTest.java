package io.nql.planner.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract over PostgreSQL. Settings come from {@code NQL_TEST_PG_URL}, {@code
 * NQL_TEST_PG_USER} and {@code NQL_TEST_PG_PASSWORD}; each test works in a schema of its own that
 * is dropped afterwards. Skipped when PostgreSQL is unreachable, unless the system property {@code
 * nql.test.postgres=required} (CI sets it), which turns that into a failure. {@code
 * .ci/postgres.sh} starts a local server with the default settings.
 */
class PostgresMetadataStoreTest extends MetadataStoreContractTest {
  private static final String URL =
      env("NQL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/nql_test");
  private static final String USER = env("NQL_TEST_PG_USER", "nql");
  private static final String PASSWORD = env("NQL_TEST_PG_PASSWORD", "nql");
  private static final String RUN_ID = randomHex(4);

  /** Schemas by warehouse directory, so reopening a warehouse reopens its database. */
  private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();

  @BeforeAll
  static void requirePostgres() {
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

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String schema : SCHEMAS.values()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
    SCHEMAS.clear();
  }

  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return open(warehouseDir);
  }

  /** The store of a warehouse directory: a new schema the first time, the same one after. */
  static MetadataStore open(Path warehouseDir) {
    String schema = SCHEMAS.computeIfAbsent(warehouseDir, dir -> createSchema());
    String separator = URL.contains("?") ? "&" : "?";
    return MetadataStore.open(URL + separator + "currentSchema=" + schema, USER, PASSWORD);
  }

  private static String createSchema() {
    String schema = "nql_test_" + RUN_ID + "_" + randomHex(6);
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema " + schema, e);
    }
    return schema;
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
