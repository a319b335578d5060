package io.nql.planner.store;

import io.nql.planner.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
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
  /** Schemas by warehouse directory, so reopening a warehouse reopens its database. */
  private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    TestPostgres.dropSchemas();
    SCHEMAS.clear();
  }

  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return open(warehouseDir);
  }

  /** The store of a warehouse directory: a new schema the first time, the same one after. */
  static MetadataStore open(Path warehouseDir) {
    String schema = SCHEMAS.computeIfAbsent(warehouseDir, dir -> TestPostgres.createSchema());
    return MetadataStore.open(
        TestPostgres.url(schema, ""), TestPostgres.USER, TestPostgres.PASSWORD);
  }
}
