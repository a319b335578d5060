package io.nql.planner.engine;

import static io.nql.planner.testing.PostgresSourceDatabase.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.PlaneSource;
import io.nql.planner.testing.PostgresSourceDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE DATASET … IN DATA PLANE … TABLE …} against the PostgreSQL server CI starts, the
 * source tables in schemas of their own: hostile schema, table and column names are read exactly
 * (bind parameters: the source is never written to), every supported type is mapped as imports map
 * it, an unmapped type, a table without a primary key, a view and a missing table are refused with
 * nothing stored; another company's plane is a missing one; a plane a dataset rests in cannot be
 * dropped; every statement that needs Iceberg files refuses such a dataset before doing anything; a
 * plane's password appears in no message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaneDatasetTest {
  static final String TABLE = "Orders.2024\"; DROP TABLE victim; --";
  static final String HOSTILE = "pW-'\"; $$ DROP TABLE victim; -- ünï-" + System.nanoTime();

  /** Column name, PostgreSQL DDL type, expected source type, expected dataset type. */
  static final List<Object[]> TYPES =
      List.of(
          new Object[] {"id", "int4", "int4", Types.IntegerType.get()},
          new Object[] {"Quote\"d 'col'", "int2", "int2", Types.IntegerType.get()},
          new Object[] {"with space; DROP TABLE victim; --", "int8", "int8", Types.LongType.get()},
          new Object[] {"ünïcödé 東京 😀", "real", "float4", Types.FloatType.get()},
          new Object[] {"select", "double precision", "float8", Types.DoubleType.get()},
          new Object[] {"Name", "bool", "bool", Types.BooleanType.get()},
          new Object[] {"name", "numeric(12,2)", "numeric(12,2)", Types.DecimalType.of(12, 2)},
          new Object[] {"c_num38", "numeric(38,0)", "numeric(38,0)", Types.DecimalType.of(38, 0)},
          new Object[] {"c_date", "date", "date", Types.DateType.get()},
          new Object[] {"c_ts", "timestamp", "timestamp", Types.TimestampType.withoutZone()},
          new Object[] {"c_tstz", "timestamptz", "timestamptz", Types.TimestampType.withZone()},
          new Object[] {"c_bytea", "bytea", "bytea", Types.BinaryType.get()},
          new Object[] {"c_text", "text", "text", Types.StringType.get()},
          new Object[] {"c_varchar", "varchar(20)", "varchar", Types.StringType.get()},
          new Object[] {"c_char", "char(5)", "bpchar", Types.StringType.get()},
          new Object[] {"c_name", "name", "name", Types.StringType.get()},
          new Object[] {"c_uuid", "uuid", "uuid", Types.StringType.get()},
          new Object[] {"c_json", "json", "json", Types.StringType.get()},
          new Object[] {"c_jsonb", "jsonb", "jsonb", Types.StringType.get()});

  @TempDir static Path dir;
  private PostgresSourceDatabase pg;
  private String schema;
  private String plain;
  private String publicTable;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession globex;
  private final List<String> messages = new ArrayList<>();

  @BeforeAll
  void setUp() throws Exception {
    pg = PostgresSourceDatabase.require();
    schema = pg.schema("Sales \"EU\"; -- ünï");
    plain = pg.schema("plain");
    publicTable = "nql_pddl_" + HexFormat.of().toHexDigits((int) System.nanoTime());
    List<String> defs = new ArrayList<>();
    for (Object[] c : TYPES) {
      defs.add(quote((String) c[0]) + " " + c[1]);
    }
    String s = quote(schema);
    pg.run(
        "CREATE SCHEMA " + s,
        "CREATE TABLE "
            + s
            + "."
            + quote(TABLE)
            + " ("
            + String.join(", ", defs)
            + ", PRIMARY KEY (id))",
        "ALTER TABLE " + s + "." + quote(TABLE) + " ALTER COLUMN \"c_text\" SET NOT NULL",
        "INSERT INTO " + s + "." + quote(TABLE) + " (id, c_text) VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE " + s + ".victim (v int PRIMARY KEY)",
        "INSERT INTO " + s + ".victim VALUES (42)",
        "CREATE SCHEMA " + quote(plain),
        "CREATE TABLE " + quote(plain) + ".mixedcase (a int, \"B\" text, PRIMARY KEY (a, \"B\"))",
        "CREATE TABLE " + quote(plain) + ".\"MixedCase\" (k text PRIMARY KEY)",
        "CREATE TABLE " + quote(plain) + ".nokey (a int)",
        "CREATE VIEW " + quote(plain) + ".aview AS SELECT 1 AS a",
        "CREATE TABLE " + quote(plain) + ".odd (id int PRIMARY KEY, \"Pt\" point)",
        "CREATE TABLE " + quote(plain) + ".loose (id int PRIMARY KEY, n numeric)",
        "CREATE TABLE " + quote(plain) + ".wide (id int PRIMARY KEY, n numeric(40,2))",
        "CREATE TABLE " + quote(plain) + ".lineage (id int PRIMARY KEY, \"_row_id\" int)",
        "CREATE TABLE " + quote(plain) + ".priced (id int PRIMARY KEY, \"_price_cpm_usd\" int)",
        "CREATE TABLE " + quote(plain) + ".arr (id int PRIMARY KEY, tags text[])",
        "CREATE TABLE public." + publicTable + " (id int PRIMARY KEY)");
    java.nio.file.Files.createDirectories(dir.resolve("in"));
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(dir.resolve("in")), "pw")
                .withPostgresImportHosts(List.of(PostgresSourceDatabase.hostAndPort())));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "globex")) {
        run(admin, "CREATE COMPANY " + c);
        run(admin, "CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'");
      }
    }
    acme = engine.trusted("acme_user");
    globex = engine.trusted("globex_user");
    run(acme, plane("pg1", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
    run(acme, plane("pg_wrong", PostgresSourceDatabase.URL, HOSTILE));
    run(
        acme,
        plane("pg_far", PostgresSourceDatabase.URL.replace("localhost", "127.0.0.2"), HOSTILE));
  }

  @AfterAll
  void tearDown() throws Exception {
    if (engine != null) {
      acme.close();
      globex.close();
      engine.close();
    }
    if (pg != null) {
      pg.run("DROP TABLE IF EXISTS public." + publicTable);
      pg.close();
    }
    assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain(HOSTILE));
  }

  static String plane(String name, String url, String password) {
    return "CREATE DATA PLANE "
        + name
        + " TYPE POSTGRES URL "
        + literal(url)
        + " USER "
        + literal(PostgresSourceDatabase.USER)
        + " PASSWORD "
        + literal(password);
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static void run(NqlSession s, String sql) {
    s.execute(sql).close();
  }

  NqlException failure(NqlSession s, String sql) {
    NqlException e = catchThrowableOfType(NqlException.class, () -> run(s, sql));
    assertThat(e).as(sql).isNotNull();
    messages.add(e.getMessage());
    return e;
  }

  static String create(String dataset, String plane, String table) {
    return "CREATE DATASET \"" + dataset + "\" IN DATA PLANE " + plane + " TABLE " + literal(table);
  }

  /** {@code "schema"."table"} as a TABLE string. */
  static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  long acmeId() {
    return engine.store().company("acme").orElseThrow().id();
  }

  Optional<Dataset> dataset(String name) {
    return engine.store().dataset(acmeId(), name);
  }

  static List<List<Object>> rows(NqlSession s, String sql) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }

  long sourceRows(String qualifiedTable) throws Exception {
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + qualifiedTable)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void hostileNamesAreReadExactlyAndEveryTypeIsMappedAsImportsMapIt() throws Exception {
    run(acme, create("orders", "pg1", qualified(schema, TABLE)));
    PlaneSource p = dataset("orders").orElseThrow().plane();
    assertThat(p).isNotNull();
    assertThat(p.plane()).isEqualTo("pg1");
    assertThat(p.schema()).isEqualTo(schema);
    assertThat(p.table()).isEqualTo(TABLE);
    assertThat(p.columns())
        .extracting(PlaneSource.Column::name)
        .containsExactlyElementsOf(TYPES.stream().map(t -> (String) t[0]).toList());
    for (int i = 0; i < TYPES.size(); i++) {
      PlaneSource.Column c = p.columns().get(i);
      assertThat(c.sourceType()).as(c.name()).isEqualTo(TYPES.get(i)[2]);
      assertThat(c.type()).as(c.name()).isEqualTo((Type) TYPES.get(i)[3]);
      assertThat(c.key()).as(c.name()).isEqualTo(c.name().equals("id"));
      assertThat(c.nullable())
          .as(c.name())
          .isEqualTo(!c.name().equals("id") && !c.name().equals("c_text"));
    }
    // Names were data: the victim table and the source rows are as they were.
    assertThat(sourceRows(quote(schema) + ".victim")).isEqualTo(1);
    assertThat(sourceRows(quote(schema) + "." + quote(TABLE))).isEqualTo(2);
    List<AuditEvent> audit = engine.store().audit().events(acmeId());
    assertThat(audit)
        .anySatisfy(
            a -> {
              assertThat(a.action()).isEqualTo("CREATE DATASET");
              assertThat(a.toString()).contains("orders");
              assertThat(a.outcome()).isEqualTo("ok");
            });
  }

  @Test
  void unquotedPartsFoldToLowerCaseQuotedOnesAreExactAndNoSchemaMeansPublic() {
    run(acme, create("folded", "pg1", quote(plain) + ".MixedCase"));
    PlaneSource folded = dataset("folded").orElseThrow().plane();
    assertThat(folded.table()).isEqualTo("mixedcase");
    assertThat(folded.key()).extracting(PlaneSource.Column::name).containsExactly("a", "B");
    run(acme, create("exact", "pg1", quote(plain) + ".\"MixedCase\""));
    assertThat(dataset("exact").orElseThrow().plane().columns())
        .extracting(PlaneSource.Column::name)
        .containsExactly("k");
    run(acme, create("in_public", "pg1", publicTable.toUpperCase(java.util.Locale.ROOT)));
    PlaneSource pub = dataset("in_public").orElseThrow().plane();
    assertThat(pub.schema()).isEqualTo("public");
    assertThat(pub.table()).isEqualTo(publicTable);
    for (String bad : List.of("", "a.b.c", "\"open", "a..b", "\"a\"x", "a b", "a;b", "\"\".t")) {
      NqlException e = failure(acme, create("bad_name", "pg1", bad));
      assertThat(e.sqlState()).as(bad).isEqualTo("22023");
      assertThat(e.getMessage()).as(bad).startsWith("Cannot create dataset bad_name: TABLE must");
    }
    assertThat(dataset("bad_name")).isEmpty();
  }

  @Test
  void tablesADatasetCannotRestInAreRefusedAndNothingIsStored() {
    Map<String, String[]> refused =
        Map.of(
            "odd", new String[] {"0A000", "column 'Pt' has PostgreSQL type point"},
            "loose", new String[] {"0A000", "column 'n' has PostgreSQL type numeric without a"},
            "wide", new String[] {"0A000", "column 'n' has PostgreSQL type numeric(40,2)"},
            "arr", new String[] {"0A000", "column 'tags' has PostgreSQL type _text"},
            "nokey", new String[] {"0A000", "has no primary key: rows need a stable identity"},
            "aview", new String[] {"0A000", "is a view, not a table: it has no primary key"},
            "lineage", new String[] {"42602", "column name _row_id is reserved"},
            "priced", new String[] {"42602", "column name _price_cpm_usd is reserved"},
            "missing", new String[] {"42P01", "data plane pg1 has no table"});
    refused.forEach(
        (table, expected) -> {
          NqlException e = failure(acme, create("r_" + table, "pg1", qualified(plain, table)));
          assertThat(e.sqlState()).as(table).isEqualTo(expected[0]);
          assertThat(e.getMessage())
              .as(table)
              .startsWith("Cannot create dataset r_" + table + ": ")
              .contains(expected[1]);
          assertThat(dataset("r_" + table)).as(table).isEmpty();
        });
    NqlException schemaMissing = failure(acme, create("r_schema", "pg1", "\"no such\".t"));
    assertThat(schemaMissing.sqlState()).isEqualTo("42P01");
    assertThat(dataset("r_schema")).isEmpty();
    NqlException options =
        failure(
            acme,
            create("r_opts", "pg1", qualified(plain, "mixedcase")) + " SORTED_BY a BLOOM_FILTER a");
    assertThat(options.sqlState()).isEqualTo("0A000");
    assertThat(options.getMessage())
        .isEqualTo(
            "Cannot create dataset r_opts: SORTED_BY, BLOOM_FILTER does not apply to a dataset in"
                + " a data plane (its rows rest in the plane's table)");
    assertThat(dataset("r_opts")).isEmpty();
  }

  @Test
  void anotherCompanysPlaneIsAMissingOneAndPasswordsAreNeverShown() {
    NqlException theirs = failure(globex, create("g", "pg1", qualified(plain, "mixedcase")));
    NqlException missing = failure(globex, create("g", "pg_none", qualified(plain, "mixedcase")));
    assertThat(theirs.sqlState()).isEqualTo("42704").isEqualTo(missing.sqlState());
    assertThat(theirs.getMessage())
        .isEqualTo(missing.getMessage().replace("pg_none", "pg1"))
        .contains("no such data plane");
    assertThat(engine.store().dataset(engine.store().company("globex").orElseThrow().id(), "g"))
        .isEmpty();
    NqlException login = failure(acme, create("w", "pg_wrong", qualified(plain, "mixedcase")));
    assertThat(login.sqlState()).isEqualTo("HV00N");
    assertThat(login.getMessage())
        .startsWith("Cannot connect to PostgreSQL at " + PostgresSourceDatabase.hostAndPort())
        .contains("with data plane pg_wrong")
        .doesNotContain(HOSTILE);
    NqlException far = failure(acme, create("f", "pg_far", qualified(plain, "mixedcase")));
    assertThat(far.sqlState()).isEqualTo("42501");
    assertThat(far.getMessage()).contains("127.0.0.2").doesNotContain(HOSTILE);
    assertThat(dataset("w")).isEmpty();
    assertThat(dataset("f")).isEmpty();
    for (var e : engine.store().queryLog(acmeId(), 1000)) {
      assertThat(e.sqlText()).doesNotContain(HOSTILE);
      assertThat(String.valueOf(e.errorMessage())).doesNotContain(HOSTILE);
    }
  }

  @Test
  void aPlaneADatasetRestsInIsDroppedOnlyAfterTheDataset() throws Exception {
    run(acme, plane("pg_drop", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
    run(acme, create("d_one", "pg_drop", qualified(plain, "mixedcase")));
    run(acme, create("d_two", "pg_drop", qualified(plain, "MixedCase")));
    NqlException refused = failure(acme, "DROP DATA PLANE pg_drop");
    assertThat(refused.sqlState()).isEqualTo("2BP01");
    assertThat(refused.getMessage())
        .isEqualTo(
            "Cannot drop data plane pg_drop: datasets d_one, d_two rest in it; drop them first");
    assertThat(rows(acme, "SHOW DATA PLANES")).extracting(r -> r.get(0)).contains("pg_drop");
    run(acme, "DROP DATASET \"d_one\"");
    assertThat(failure(acme, "DROP DATA PLANE pg_drop").getMessage())
        .contains("dataset d_two rests in it");
    run(acme, "DROP DATASET \"d_two\"");
    assertThat(dataset("d_two")).isEmpty();
    run(acme, "DROP DATA PLANE pg_drop");
    assertThat(rows(acme, "SHOW DATA PLANES")).extracting(r -> r.get(0)).doesNotContain("pg_drop");
    // The plane's tables are the provider's: dropping the dataset leaves them.
    assertThat(sourceRows(quote(plain) + ".mixedcase")).isZero();
    try (Connection c = pg.connect();
        ResultSet rs = c.getMetaData().getTables(null, plain, "mixedcase", null)) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void statementsThatNeedIcebergFilesRefuseAPlaneDatasetBeforeDoingAnything() throws Exception {
    run(acme, create("held", "pg1", qualified(plain, "mixedcase")));
    run(
        acme,
        "CREATE SECRET \"src\" TYPE POSTGRES URL "
            + literal(PostgresSourceDatabase.URL)
            + " USER "
            + literal(PostgresSourceDatabase.USER)
            + " PASSWORD "
            + literal(PostgresSourceDatabase.PASSWORD));
    Dataset before = dataset("held").orElseThrow();
    Map<String, String> statements =
        new java.util.LinkedHashMap<>(
            Map.of(
                "INSERT INTO company_data.held VALUES (1, 'x')",
                "insert into",
                "UPDATE company_data.held SET \"B\" = 'y'",
                "update",
                "DELETE FROM company_data.held",
                "delete from",
                "COPY INTO company_data.held FROM 'nowhere.csv'",
                "copy into",
                "COPY INTO company_data.held FROM POSTGRES SECRET \"src\" TABLE "
                    + quote(plain)
                    + ".mixedcase",
                "copy into",
                "OPTIMIZE company_data.held",
                "optimize",
                "VACUUM company_data.held",
                "vacuum",
                "ALTER DATASET company_data.held SET RETENTION 30 DAYS ON a",
                "set the retention of",
                "EXPORT company_data.held TO 'held.csv'",
                "export",
                "APPLY RECOMMENDATIONS FOR company_data.held",
                "apply recommendations to"));
    statements.put("ANALYZE company_data.held", "analyze");
    statements.forEach(
        (sql, verb) -> {
          NqlException e = failure(acme, sql);
          assertThat(e.sqlState()).as(sql).isEqualTo("0A000");
          assertThat(e.getMessage())
              .as(sql)
              .startsWith("Cannot " + verb + " dataset held: it rests in data plane pg1");
        });
    assertThat(dataset("held")).contains(before);
    assertThat(engine.store().maintenance().retention(before.id())).isEmpty();
    assertThat(dir.resolve("held.csv")).doesNotExist();
    assertThat(sourceRows(quote(plain) + ".mixedcase")).isZero();
    // Maintenance and the advisor pass over it rather than fail.
    long embedded =
        engine.store().companies().stream()
            .flatMap(c -> engine.store().datasets(c.id()).stream())
            .filter(d -> !d.inPlane())
            .count();
    assertThat(MaintenanceScheduler.manual(engine, java.time.Duration.ZERO).pass())
        .isEqualTo((int) embedded);
    assertThat(rows(acme, "SHOW RECOMMENDATIONS")).isEmpty();
  }

  @Test
  void showAndDescribeListAPlaneDatasetWithoutIceberg() {
    run(acme, create("shown", "pg1", qualified(schema, TABLE)));
    run(acme, "CREATE DATASET \"embedded\" (x INT)");
    List<List<Object>> shown = rows(acme, "SHOW DATASETS");
    List<Object> row =
        shown.stream().filter(r -> r.get(1).equals("shown")).findFirst().orElseThrow();
    assertThat(row.get(2)).isEqualTo((long) TYPES.size());
    assertThat(row.get(3)).isNull(); // rows: the plane is not read to list it
    assertThat(row.get(7)).isEqualTo("pg1");
    assertThat(row.get(8)).isEqualTo(qualified(schema, TABLE));
    List<Object> embedded =
        shown.stream().filter(r -> r.get(1).equals("embedded")).findFirst().orElseThrow();
    assertThat(embedded.get(3)).isEqualTo(0L);
    assertThat(embedded.get(7)).isNull();
    assertThat(rows(globex, "SHOW DATASETS")).extracting(r -> r.get(1)).doesNotContain("shown");
    List<List<Object>> described = rows(acme, "DESCRIBE company_data.shown");
    assertThat(described)
        .extracting(r -> r.get(0))
        .containsExactlyElementsOf(TYPES.stream().map(t -> (String) t[0]).toList());
    assertThat(described.get(0)).containsExactly("id", "INTEGER", false, null);
    assertThat((String) described.get(6).get(1)).startsWith("DECIMAL(12");
    assertThat(described.get(12).get(2)).isEqualTo(false); // c_text NOT NULL
    assertThat(described.get(13).get(2)).isEqualTo(true);
    assertThat(rows(acme, "DESCRIBE company_data.shown \"c_uuid\"")).hasSize(1);
    NqlException theirs = failure(globex, "DESCRIBE company_data.shown");
    assertThat(theirs.sqlState()).isEqualTo("42P01");
  }
}
