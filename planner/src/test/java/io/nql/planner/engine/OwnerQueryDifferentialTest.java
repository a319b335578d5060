package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.CanonicalRows;
import io.nql.planner.testing.OwnerQueries;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Owner queries, differential against DuckDB: the source files are generated once by DuckDB, loaded
 * into the warehouse with {@code COPY INTO}, and every query's result must equal what DuckDB
 * computes over the same files. The data and queries are {@link OwnerQueries}, shared with the
 * front ends' behaviour suites.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerQueryDifferentialTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;
  private Connection duck;

  @BeforeAll
  void setUp() throws Exception {
    // acme stages the files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("ingest");
    Path src = ingest.resolve("acme");
    duck = DriverManager.getConnection("jdbc:duckdb:");
    List<String> loads = OwnerQueries.generate(duck, src);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "admin-pw-1"));
    try (NqlSession admin = engine.trusted("admin")) {
      admin.execute("CREATE COMPANY acme").close();
      admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'acme-pw-1'").close();
    }
    acme = engine.trusted("acme_user");
    try (StatementResult r = acme.execute(loads.get(0))) {
      assertThat(r.updateCount()).isEqualTo(OwnerQueries.EVENTS);
    }
    try (StatementResult r = acme.execute(loads.get(1))) {
      assertThat(r.updateCount()).isEqualTo(OwnerQueries.USERS);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (acme != null) {
      acme.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (duck != null) {
      duck.close();
    }
  }

  static List<OwnerQueries.Query> queries() {
    return OwnerQueries.queries();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void sameAnswerAsDuckDb(OwnerQueries.Query query) throws Exception {
    String sql = query.sql();
    List<String> expected = CanonicalRows.jdbc(duck, sql);
    List<String> actual = CanonicalRows.engine(acme, sql);
    if (!query.ordered()) {
      expected.sort(Comparator.naturalOrder());
      actual.sort(Comparator.naturalOrder());
    }
    assertThat(expected).as("DuckDB returned rows for %s", query.name()).isNotEmpty();
    assertThat(actual).as(sql).containsExactlyElementsOf(expected);
  }
}
