package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.QueryLogEntry;
import io.nql.planner.store.QueryStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement's query-log entry ends: queries when their rows are read, statements that answer
 * with fixed rows ({@code SHOW}, {@code DESCRIBE}, {@code EXPLAIN}) when they answer, others when
 * they finish, failures with their SQLSTATE. None stays {@code RUNNING}.
 */
class QueryLogEndsTest {
  @TempDir Path dir;

  @Test
  void noStatementStaysRunningInTheQueryLog() throws Exception {
    try (NqlEngine engine = PeopleMarketplace.open(dir);
        NqlSession acme = engine.trusted("acme_user")) {
      List<String> statements =
          List.of(
              "SHOW DATASETS",
              "SHOW ACCESS RULES",
              "SHOW MATERIALIZED VIEWS",
              "SHOW SECRETS",
              "SHOW DATA PLANES",
              "SHOW DELIVERIES",
              "DESCRIBE company_data.people",
              "EXPLAIN PLAN FOR SELECT id FROM company_data.people",
              "SELECT COUNT(*) FROM company_data.people",
              "CREATE DATASET \"extra\" (id BIGINT)");
      java.util.Map<String, Long> rows = new java.util.HashMap<>();
      for (String sql : statements) {
        try (StatementResult r = acme.execute(sql)) {
          long n = 0;
          while (r.isQuery() && r.next() != null) {
            n++;
          }
          rows.put(sql, n);
        }
      }
      assertThat(rows.get("SHOW DATASETS")).isPositive();
      try {
        acme.execute("SELECT nothing FROM company_data.missing").close();
      } catch (io.nql.planner.error.NqlException expected) {
        assertThat(expected.sqlState()).isEqualTo("42P01");
      }
      long acmeId = engine.store().company("acme").orElseThrow().id();
      List<QueryLogEntry> log = engine.store().queryLog(acmeId, 1000);
      for (String sql : statements) {
        assertThat(log)
            .as(sql)
            .anySatisfy(
                e -> {
                  assertThat(e.sqlText()).isEqualTo(sql);
                  assertThat(e.status()).isEqualTo(QueryStatus.OK);
                  assertThat(e.finishedAt()).isPresent();
                  // fixed answers (SHOW, DESCRIBE) log the rows they handed out, like queries
                  assertThat(e.stats().rowsReturned()).isEqualTo(rows.get(sql));
                });
      }
      assertThat(log).noneSatisfy(e -> assertThat(e.status()).isEqualTo(QueryStatus.RUNNING));
      assertThat(log)
          .anySatisfy(
              e -> {
                assertThat(e.status()).isEqualTo(QueryStatus.ERROR);
                assertThat(e.sqlState()).isEqualTo("42P01");
              });
    }
  }
}
