package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pooled metadata-store connections the server closed while they sat idle (a PostgreSQL restart, or
 * backends terminated by an administrator): the next unit of work runs on a fresh connection
 * instead of failing the statement that happened to borrow a dead one, and a write runs once.
 */
class PostgresConnectionLossTest {
  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    TestPostgres.dropSchemas();
  }

  /** Terminates every backend of {@code application}; how many there were. */
  private static int terminate(String application) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ?")) {
      s.setString(1, application);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void workAfterTheServerClosedIdleConnectionsRunsOnFreshOnes() throws Exception {
    String application = "nql_loss_" + UUID.randomUUID().toString().substring(0, 8);
    try (MetadataStore store =
        MetadataStore.open(
            TestPostgres.url(TestPostgres.createSchema(), "ApplicationName=" + application),
            TestPostgres.USER,
            TestPostgres.PASSWORD)) {
      store.createCompany("acme");
      long before = store.catalogVersion().ddl();

      assertThat(terminate(application)).isPositive();
      Thread.sleep(100); // the backends are gone before the pool lends one of theirs
      // a read in auto-commit mode
      assertThat(store.catalogVersion().ddl()).isEqualTo(before);

      assertThat(terminate(application)).isPositive();
      Thread.sleep(100);
      // a transaction: retried because nothing was committed, and committed once
      store.createCompany("beta");
      assertThat(store.companies()).extracting(Company::slug).containsExactly("acme", "beta");
      assertThat(store.catalogVersion().ddl()).isEqualTo(before + 1);
    }
  }
}
