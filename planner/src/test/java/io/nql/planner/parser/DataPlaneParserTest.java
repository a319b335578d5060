package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import org.junit.jupiter.api.Test;

/** CREATE / DROP / SHOW DATA PLANE(S): their parts, and that values are never written out. */
class DataPlaneParserTest {
  static final String PW = "pa'ss \"word\" -- ; */ $$";

  @Test
  void createTakesInlineValuesOrASecret() {
    SqlCreateDataPlane inline =
        parse(
            "CREATE DATA PLANE \"Pg_1\" TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'"
                + " PASSWORD = 'pa''ss \"word\" -- ; */ $$'",
            SqlCreateDataPlane.class);
    assertThat(inline.getSimpleName()).isEqualTo("Pg_1");
    assertThat(inline.getTypeName()).isEqualTo("postgres");
    assertThat(inline.getSecretName()).isNull();
    assertThat(inline.getKeys()).containsExactly("url", "user", "password");
    assertThat(inline.getValues()).containsExactly("jdbc:postgresql://h/d", "u", PW);
    SqlCreateDataPlane named =
        parse("create data plane pg2 type = postgres secret creds", SqlCreateDataPlane.class);
    assertThat(named.getSecretName()).isEqualTo("creds");
    assertThat(named.getKeys()).isEmpty();
  }

  @Test
  void aCreateIsNeverWrittenOutWithItsValues() {
    SqlCreateDataPlane p =
        parse(
            "CREATE DATA PLANE pg TYPE POSTGRES URL 'u' USER 'me_xyz' PASSWORD 'hunter2 -- ;'",
            SqlCreateDataPlane.class);
    assertThat(p.toString())
        .doesNotContain("hunter2", "me_xyz")
        .startsWith("CREATE DATA PLANE")
        .contains("'***'");
    assertThat(p.getOperandList().toString()).doesNotContain("hunter2");
    assertThat(StatementRedaction.forLog("CREATE DATA PLANE pg TYPE POSTGRES SECRET s"))
        .isEqualTo("CREATE DATA PLANE pg TYPE POSTGRES SECRET s");
    assertThat(StatementRedaction.holdsSecret("CREATE DATA PLANE p TYPE POSTGRES PASSWORD 'x'"))
        .isTrue();
  }

  @Test
  void orReplaceIsRefusedAndDropAndShowParse() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> NqlParser.parse("CREATE OR REPLACE DATA PLANE p TYPE POSTGRES SECRET s"));
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage()).contains("OR REPLACE is not supported for CREATE DATA PLANE");
    assertThat(parse("DROP DATA PLANE \"pg\"", SqlDropDataPlane.class).getSimpleName())
        .isEqualTo("pg");
    assertThat(parse("show data planes", SqlShowDataPlanes.class)).isNotNull();
    // the new words stay names
    assertThat(NqlParser.unparse(NqlParser.parse("SELECT data, plane, planes FROM t.x")))
        .contains("\"data\"", "\"plane\"", "\"planes\"");
  }

  @Test
  void createDatasetInADataPlaneNamesThePlaneAndTheTableAndRoundTrips() {
    SqlCreatePlaneDataset d =
        parse(
            "CREATE DATASET \"Orders\" IN DATA PLANE pg1 TABLE '\"My Schema\".\"Orders.2024\"'",
            SqlCreatePlaneDataset.class);
    assertThat(d.getSimpleName()).isEqualTo("Orders");
    assertThat(d.getPlaneName()).isEqualTo("pg1");
    assertThat(d.getTable()).isEqualTo("\"My Schema\".\"Orders.2024\"");
    assertThat(d.getEmbeddedClauses()).isEmpty();
    SqlCreatePlaneDataset again = parse(d.toString(), SqlCreatePlaneDataset.class);
    assertThat(again.getTable()).isEqualTo(d.getTable());
    assertThat(again.getPlaneName()).isEqualTo("pg1");
    SqlCreatePlaneDataset options =
        parse(
            "create dataset x in data plane p table 't' bloom_filter a partitioned_by a",
            SqlCreatePlaneDataset.class);
    assertThat(options.getEmbeddedClauses()).containsExactly("PARTITIONED_BY", "BLOOM_FILTER");
    assertThat(parse(options.toString(), SqlCreatePlaneDataset.class).getEmbeddedClauses())
        .containsExactly("PARTITIONED_BY", "BLOOM_FILTER");
    // the embedded form is unchanged
    assertThat(parse("CREATE DATASET x (a INT)", SqlCreateDataset.class).getColumns()).hasSize(1);
    NqlException noTable =
        catchThrowableOfType(
            NqlException.class, () -> NqlParser.parse("CREATE DATASET x IN DATA PLANE p"));
    assertThat(noTable.sqlState()).isEqualTo("42601");
  }
}
