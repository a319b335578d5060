package io.nql.planner.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The data plane store's contract over PostgreSQL, each test in a schema of its own (see {@link
 * PostgresMetadataStoreTest}); skipped when PostgreSQL is unreachable unless it is required.
 */
class PostgresDataPlaneStoreTest extends DataPlaneStoreContract {
  @BeforeAll
  static void requirePostgres() {
    PostgresMetadataStoreTest.requirePostgres();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    PostgresMetadataStoreTest.dropSchemas();
  }

  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return PostgresMetadataStoreTest.open(warehouseDir);
  }
}
