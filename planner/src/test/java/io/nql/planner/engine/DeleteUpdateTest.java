package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE} and {@code UPDATE} of an owner's dataset: the rows the WHERE holds for (never a
 * row where it is NULL) are removed or changed, the others kept as they were, in one snapshot; a
 * statement that matches nothing commits nothing; bad input changes nothing; access rules read the
 * new snapshot at once; a partitioned dataset's updated rows move to their new partition. Expected
 * rows come from the statements the test wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteUpdateTest {
  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;

  @BeforeAll
  void setUp() throws Exception {
    engine =
        io.nql.planner.testing.Marketplace.open(
            dir.resolve("wh"),
            java.nio.file.Files.createDirectories(dir.resolve("ingest")),
            "acme",
            "beta");
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
  }

  @AfterAll
  void tearDown() {
    acme.close();
    beta.close();
    engine.close();
  }

  @BeforeEach
  void freshData() {
    try {
      acme.execute("DROP DATASET \"items\"").close();
    } catch (NqlException e) {
      assertThat(e.sqlState()).isEqualTo("42P01"); // the first test: not created yet
    }
    acme.execute(
            "CREATE DATASET \"items\" (id BIGINT NOT NULL, region VARCHAR, price DECIMAL(8, 2),"
                + " small INTEGER) PARTITIONED_BY region IDENTITY")
        .close();
    acme.execute(
            "INSERT INTO company_data.items VALUES (1, 'eu', 10.00, 1), (2, 'eu', 20.00, NULL),"
                + " (3, 'us', 30.00, 3), (4, 'us', 40.00, 4), (5, NULL, 50.00, 5)")
        .close();
  }

  private static long update(NqlSession s, String sql, Object... params) {
    try (StatementResult r = s.execute(sql, List.of(params))) {
      return r.updateCount();
    }
  }

  private List<String> items() throws Exception {
    List<String> out = new ArrayList<>();
    try (StatementResult r =
        acme.execute("SELECT id, region, price, small FROM company_data.items ORDER BY id")) {
      for (List<Object> row : ResultText.read(r, false, 100)) {
        out.add(row.get(0) + "|" + row.get(1) + "|" + row.get(2) + "|" + row.get(3));
      }
    }
    return out;
  }

  private Snapshot current() {
    return engine
        .warehouse()
        .loadTable(engine.warehouse().dataset(acmeId(), "items").orElseThrow())
        .currentSnapshot();
  }

  private long acmeId() {
    return engine.store().company("acme").orElseThrow().id();
  }

  @Test
  void deleteRemovesTheRowsItsConditionHoldsForAndKeepsTheRest() throws Exception {
    // small > 2 is NULL for id 2: not deleted
    assertThat(update(acme, "DELETE FROM company_data.items WHERE small > 2")).isEqualTo(3);
    assertThat(items()).containsExactly("1|eu|10.00|1", "2|eu|20.00|null");
    assertThat(update(acme, "DELETE FROM company_data.items AS i WHERE i.id = ?", 1L)).isEqualTo(1);
    assertThat(items()).containsExactly("2|eu|20.00|null");
    assertThat(update(acme, "DELETE FROM company_data.items")).isEqualTo(1);
    assertThat(items()).isEmpty();
  }

  @Test
  void aStatementThatMatchesNothingCommitsNothing() throws Exception {
    long before = current().snapshotId();
    assertThat(update(acme, "DELETE FROM company_data.items WHERE id > 100")).isZero();
    assertThat(update(acme, "UPDATE company_data.items SET small = 0 WHERE region = 'apac'"))
        .isZero();
    assertThat(current().snapshotId()).isEqualTo(before);
    assertThat(items()).hasSize(5);
  }

  @Test
  void updateChangesTheMatchedRowsAndMovesThemToTheirNewPartition() throws Exception {
    assertThat(
            update(
                acme,
                "UPDATE company_data.items SET price = price * 1.105, region = 'apac'"
                    + " WHERE region = ? AND small IS NOT NULL",
                "us"))
        .isEqualTo(2);
    // 30.00 * 1.105 = 33.150, 40.00 * 1.105 = 44.200: the column's scale, rounded half up
    assertThat(items())
        .containsExactly(
            "1|eu|10.00|1",
            "2|eu|20.00|null",
            "3|apac|33.15|3",
            "4|apac|44.20|4",
            "5|null|50.00|5");
    assertThat(update(acme, "UPDATE company_data.items t SET small = t.id + 100")).isEqualTo(5);
    assertThat(items()).allSatisfy(r -> assertThat(r).endsWith("|" + (100 + (r.charAt(0) - '0'))));
    try (StatementResult r =
        acme.execute("SELECT COUNT(*) FROM company_data.items WHERE region = 'apac'")) {
      assertThat(ResultText.read(r, false, 10)).containsExactly(List.of("2"));
    }
  }

  @Test
  void badInputChangesNothing() throws Exception {
    long before = current().snapshotId();
    String[][] cases = {
      {"UPDATE company_data.items SET small = 3000000000 WHERE id = 5", "22003", "column 'small'"},
      {"UPDATE company_data.items SET id = NULL WHERE id = 3", "23502", "column 'id'"},
      {"UPDATE company_data.items SET nope = 1", "42703", "no column 'nope'"},
      {"UPDATE company_data.items SET small = 1, small = 2", "42601", "set twice"},
      {"DELETE FROM company_data.items WHERE nope = 1", "42703", "nope"},
      {"DELETE FROM company_data.items WHERE id / (id - 3) = 1", "22012", ""},
      {"DELETE FROM company_data.nothing", "42P01", "company_data.nothing"},
      {"UPDATE beta.items SET small = 1", "42P01", "beta.items"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> update(acme, c[0]))
          .as(c[0])
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).as(c[0]).isEqualTo(c[1]);
                assertThat(e.getMessage()).as(c[0]).contains(c[2]).doesNotContain("Exception");
              });
    }
    assertThat(current().snapshotId()).isEqualTo(before);
    assertThat(items()).hasSize(5);
  }

  @Test
  void accessRulesReadTheNewSnapshotAtOnce() throws Exception {
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"items_r\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES"
                + " (beta) AS SELECT id, price FROM company_data.items WHERE region IS NOT NULL")
        .close();
    try (StatementResult r = beta.execute("SELECT COUNT(*) FROM acme.items_r")) {
      assertThat(ResultText.read(r, false, 10)).containsExactly(List.of("4"));
    }
    update(acme, "DELETE FROM company_data.items WHERE id = 1");
    update(acme, "UPDATE company_data.items SET price = 0 WHERE id = 3");
    try (StatementResult r = beta.execute("SELECT id, price FROM acme.items_r ORDER BY id")) {
      assertThat(ResultText.read(r, false, 10))
          .containsExactly(List.of("2", "20.00"), List.of("3", "0.00"), List.of("4", "40.00"));
    }
  }

  @Test
  void aColumnNamedLikeTheMatchColumnIsAnOrdinaryColumn() throws Exception {
    acme.execute("CREATE DATASET \"odd\" (id BIGINT, nql_dml_match BOOLEAN)").close();
    update(acme, "INSERT INTO company_data.odd VALUES (1, TRUE), (2, FALSE), (3, NULL)");
    assertThat(update(acme, "UPDATE company_data.odd SET nql_dml_match = NOT nql_dml_match"))
        .isEqualTo(3);
    assertThat(update(acme, "DELETE FROM company_data.odd WHERE nql_dml_match")).isEqualTo(1);
    try (StatementResult r =
        acme.execute("SELECT id, nql_dml_match FROM company_data.odd ORDER BY id")) {
      assertThat(ResultText.read(r, false, 10))
          .containsExactly(
              java.util.Arrays.asList("1", "false"), java.util.Arrays.asList("3", null));
    }
    acme.execute("DROP DATASET \"odd\"").close();
  }

  @Test
  void anEmptyDatasetHasNothingToChangeButItsStatementsAreStillChecked() {
    acme.execute("CREATE DATASET \"empty\" (id BIGINT)").close();
    assertThat(update(acme, "DELETE FROM company_data.empty WHERE id = 1")).isZero();
    assertThatThrownBy(() -> update(acme, "UPDATE company_data.empty SET nope = 1"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42703"));
    acme.execute("DROP DATASET \"empty\"").close();
  }
}
