package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code information_schema} as a buyer sees it: its own datasets, the rules shared with it (only
 * their published columns, never their definition), its ledger and information_schema itself —
 * nothing of other companies' datasets or unshared rules — and the same tables and columns the
 * session's metadata lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InformationSchemaTest {
  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession buyer;

  @BeforeAll
  void setUp() {
    engine = NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co", "globex")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute(
              "CREATE DATASET \"events\" (id BIGINT NOT NULL, country VARCHAR,"
                  + " amount DECIMAL(12, 2), ts TIMESTAMP(3), email VARCHAR)")
          .close();
      acme.execute(
              "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES"
                  + " (buyer_co) AS SELECT e.id, e.amount, e.ts FROM company_data.events e"
                  + " WHERE e.country = 'USA'")
          .close();
      acme.execute(
              "CREATE ACCESS RULE \"private_events\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES"
                  + " (globex) AS SELECT e.id, e.email FROM company_data.events e")
          .close();
    }
    try (NqlSession globex = engine.trusted("globex_user")) {
      globex.execute("CREATE DATASET \"secret_list\" (id BIGINT)").close();
    }
    buyer = engine.trusted("buyer_co_user");
    buyer.execute("CREATE DATASET \"crm\" (user_id INTEGER NOT NULL, segment CHAR(4))").close();
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    engine.close();
  }

  @Test
  void tablesAreWhatTheBuyerMayQuery() {
    List<List<Object>> rows =
        rows(
            "SELECT table_catalog, table_schema, table_name, table_type"
                + " FROM information_schema.tables"
                + " WHERE table_schema <> 'information_schema' ORDER BY 2, 3");
    assertThat(rows)
        .containsExactly(
            List.of("nql", "acme", "rosetta_stone", "VIEW"),
            List.of("nql", "acme", "us_events", "VIEW"),
            List.of("nql", "company_data", "_audit", "SYSTEM VIEW"),
            List.of("nql", "company_data", "_ledger", "SYSTEM VIEW"),
            List.of("nql", "company_data", "crm", "BASE TABLE"),
            List.of("nql", "company_data", "rosetta_stone", "VIEW"),
            List.of("nql", "narrative", "rosetta_stone", "VIEW"));
    assertThat(
            rows(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'information_schema' ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly(
            "columns", "key_column_usage", "schemata", "table_constraints", "tables", "views");
  }

  @Test
  void schemataListTheNamespaces() {
    assertThat(rows("SELECT schema_name FROM information_schema.schemata ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly("acme", "company_data", "information_schema", "narrative");
  }

  @Test
  void aRuleShowsOnlyItsPublishedColumnsWithStandardTypes() {
    List<List<Object>> rows =
        rows(
            "SELECT column_name, ordinal_position, is_nullable, data_type,"
                + " character_maximum_length, numeric_precision, numeric_scale,"
                + " datetime_precision FROM information_schema.columns"
                + " WHERE table_schema = 'acme' AND table_name = 'us_events'"
                + " ORDER BY ordinal_position");
    assertThat(rows)
        .containsExactly(
            Arrays.asList("id", 1, "NO", "bigint", null, 19, 0, null),
            Arrays.asList("amount", 2, "YES", "numeric", null, 12, 2, null),
            // declared TIMESTAMP(3), stored as Iceberg's timestamp: microseconds
            Arrays.asList("ts", 3, "YES", "timestamp without time zone", null, null, null, 6),
            // the pseudo-columns every rule carries (NQL.md)
            Arrays.asList("_price_cpm_usd", 4, "NO", "numeric", null, 12, 2, null),
            Arrays.asList("_source_company_id", 5, "NO", "bigint", null, 19, 0, null),
            Arrays.asList("_access_rule_id", 6, "NO", "bigint", null, 19, 0, null));
    // the hidden columns (country in the rule's filter, email not selected) are nowhere
    assertThat(
            rows(
                "SELECT COUNT(*) FROM information_schema.columns"
                    + " WHERE column_name IN ('country', 'email')"
                    + " AND table_name <> 'rosetta_stone'"))
        .containsExactly(List.of(0L));
  }

  @Test
  void ownDatasetColumns() {
    assertThat(
            rows(
                "SELECT column_name, is_nullable, data_type, character_maximum_length,"
                    + " numeric_precision FROM information_schema.columns"
                    + " WHERE table_name = 'crm' ORDER BY ordinal_position"))
        .containsExactly(
            Arrays.asList("user_id", "NO", "integer", null, 10),
            // Iceberg stores CHAR(n) as a string without a length
            Arrays.asList("segment", "YES", "character varying", null, null));
  }

  @Test
  void ruleDefinitionsAreNotShown() {
    assertThat(
            rows(
                "SELECT table_schema, table_name, view_definition, is_updatable"
                    + " FROM information_schema.views WHERE table_name <> 'rosetta_stone'"))
        .containsExactly(Arrays.asList("acme", "us_events", null, "NO"));
  }

  @Test
  void otherCompaniesDatasetsAndUnsharedRulesAreInvisible() {
    List<Object> tables = new ArrayList<>();
    rows("SELECT table_name FROM information_schema.tables").forEach(r -> tables.add(r.get(0)));
    rows("SELECT DISTINCT table_name FROM information_schema.columns")
        .forEach(r -> tables.add(r.get(0)));
    assertThat(tables)
        .isNotEmpty()
        .doesNotContain("secret_list", "private_events", "events")
        .contains("us_events", "crm");
    assertThat(rows("SELECT DISTINCT table_schema FROM information_schema.columns"))
        .extracting(r -> r.get(0))
        .doesNotContain("globex");
  }

  @Test
  void agreesWithTheSessionsMetadata() {
    Set<String> listed = new TreeSet<>();
    Set<String> columns = new TreeSet<>();
    for (VisibleTable t : buyer.visibleTables()) {
      listed.add(t.schema() + "." + t.name() + ":" + InformationSchema.tableType(t.type()));
      for (int i = 0; i < t.columns().size(); i++) {
        columns.add(t.schema() + "." + t.name() + "." + (i + 1) + "." + t.columns().get(i).name());
      }
    }
    Set<String> fromSql = new TreeSet<>();
    for (List<Object> r :
        rows("SELECT table_schema, table_name, table_type FROM information_schema.tables")) {
      fromSql.add(r.get(0) + "." + r.get(1) + ":" + r.get(2));
    }
    Set<String> columnsFromSql = new TreeSet<>();
    for (List<Object> r :
        rows(
            "SELECT table_schema, table_name, ordinal_position, column_name"
                + " FROM information_schema.columns")) {
      columnsFromSql.add(r.get(0) + "." + r.get(1) + "." + r.get(2) + "." + r.get(3));
    }
    assertThat(fromSql).isEqualTo(listed);
    assertThat(columnsFromSql).isEqualTo(columns);
    assertThat(rows("SELECT schema_name FROM information_schema.schemata"))
        .extracting(r -> r.get(0))
        .containsExactlyInAnyOrderElementsOf(buyer.visibleSchemas());
  }

  @Test
  void informationSchemaIsReadOnlyAndItsNameIsReserved() {
    assertThatThrownBy(() -> buyer.execute("DROP DATASET information_schema.tables"))
        .isInstanceOf(NqlException.class);
    try (NqlSession admin = engine.trusted("admin")) {
      assertThatThrownBy(() -> admin.execute("CREATE COMPANY information_schema"))
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).isEqualTo("22023");
                assertThat(e.getMessage()).contains("information_schema", "reserved");
              });
    }
  }

  private List<List<Object>> rows(String sql) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = buyer.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }
}
