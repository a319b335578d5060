package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link NqlSession#prepare} says of a statement before it runs: every statement that answers
 * with rows is a query with the columns it will have (clients that prepare everything, such as the
 * Flight SQL JDBC driver, read rows only from queries), and the columns match the executed result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrepareTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;

  @BeforeAll
  void setUp() {
    engine = NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    acme.execute("CREATE DATASET \"events\" (id BIGINT NOT NULL, name VARCHAR)").close();
    acme.execute(
            "CREATE ACCESS RULE \"events_all\" PRICE_CPM_USD = 0 SHARE WITH ALL"
                + " AS SELECT e.id FROM company_data.events e")
        .close();
  }

  @AfterAll
  void tearDown() {
    acme.close();
    engine.close();
  }

  @Test
  void rowReturningStatementsArePreparedAsQueriesWithTheirColumns() {
    for (String sql :
        List.of(
            "SELECT id, name FROM company_data.events",
            "SELECT id FROM company_data.events LIMIT 2 USD",
            "SELECT COUNT(*) FROM company_data.events NO LIMIT",
            "SHOW DATASETS",
            "SHOW ACCESS RULES",
            "DESCRIBE company_data.events",
            "DESCRIBE company_data.events_all",
            "EXPLAIN PLAN FOR SELECT id FROM company_data.events")) {
      PreparedInfo p = acme.prepare(sql);
      assertThat(p.query()).as(sql).isTrue();
      try (StatementResult r = acme.execute(sql)) {
        assertThat(r.isQuery()).as(sql).isTrue();
        assertThat(p.columns()).as(sql).isEqualTo(r.columns());
      }
    }
  }

  @Test
  void statementsWithoutRowsAreNotQueries() {
    for (String sql :
        List.of(
            "CREATE DATASET \"other\" (id BIGINT)",
            "DROP DATASET \"other\"",
            "CREATE COMPANY umbrella")) {
      PreparedInfo p = acme.prepare(sql);
      assertThat(p.query()).as(sql).isFalse();
      assertThat(p.columns()).as(sql).isEmpty();
    }
  }
}
