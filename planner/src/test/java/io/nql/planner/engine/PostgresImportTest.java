package io.nql.planner.engine;

import static io.nql.planner.testing.PostgresSourceDatabase.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.Company;
import io.nql.planner.testing.PostgresSourceDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code COPY INTO … FROM POSTGRES} against the PostgreSQL server CI starts: a source schema and
 * table whose names and column names are hostile (quotes, spaces, semicolons, unicode, keywords,
 * names differing only in case), every supported type with NULLs and extreme values. What is loaded
 * is compared with what PostgreSQL returns for the same rows; every failure commits nothing; the
 * source is never written to, whatever the TABLE name or QUERY text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresImportTest {
  static final String TABLE = "Order Items\"; DROP TABLE victim; --";
  static final String WRONG_PASSWORD = "Wr0ng-pw-'\"-" + Long.toHexString(System.nanoTime());

  /** Hostile column names, then one column of each supported type. */
  static final List<String[]> COLUMNS =
      List.of(
          new String[] {"id", "int4 PRIMARY KEY"},
          new String[] {"Quote\"d 'col'", "text"},
          new String[] {"with space; DROP TABLE victim; --", "int8"},
          new String[] {"ünïcödé 東京 😀", "text"},
          new String[] {"select", "bool"},
          new String[] {"Name", "text"},
          new String[] {"name", "text"},
          new String[] {"c_int2", "int2"},
          new String[] {"c_int8", "int8"},
          new String[] {"c_num", "numeric(38,10)"},
          new String[] {"c_money", "numeric(10,2)"},
          new String[] {"c_real", "real"},
          new String[] {"c_double", "double precision"},
          new String[] {"c_varchar", "varchar(20)"},
          new String[] {"c_char", "char(5)"},
          new String[] {"c_date", "date"},
          new String[] {"c_ts", "timestamp"},
          new String[] {"c_tstz", "timestamptz"},
          new String[] {"c_uuid", "uuid"},
          new String[] {"c_json", "json"},
          new String[] {"c_jsonb", "jsonb"},
          new String[] {"c_bytea", "bytea"});

  static final List<String> ROWS =
      List.of(
          "1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
              + " NULL, NULL, NULL, NULL, NULL, NULL",
          "2, 'it''s \"quoted\"; DROP TABLE victim; --', -9223372036854775808, '😀 東京 Ünï',"
              + " true, 'Upper', 'lower', -32768, -9223372036854775808,"
              + " -9999999999999999999999999999.9999999999, -99999999.99, '-3.4028235e38',"
              + " '-1.7976931348623157e308', '', 'ab', '0001-01-01', '0001-01-01 00:00:00',"
              + " '1970-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000000', '[]', '{}',"
              + " ''::bytea",
          "3, E'line1\\nline2\\ttab', 9223372036854775807, 'ß', false, '', ' ', 32767,"
              + " 9223372036854775807, 9999999999999999999999999999.9999999999, 99999999.99,"
              + " '3.4028235e38', '1.7976931348623157e308', 'twenty characters!!!', 'abcde',"
              + " '9999-12-31', '9999-12-31 23:59:59.999999', '2024-06-01 12:00:00.000001+05:30',"
              + " 'ffffffff-ffff-ffff-ffff-ffffffffffff',"
              + " '{\"a\": [1, 2, {\"b\": null}], \"k\": \"v''s\"}', '{\"b\": 1, \"a\": [true]}',"
              + " '\\x00ff10'::bytea",
          "4, 'x', 0, 'y', NULL, 'N', 'n', 0, 0, 0.0000000001, 0.01, 'NaN', 'Infinity', 'v', 'c',"
              + " '2024-02-29', '2024-02-29 12:34:56.123456', '2024-02-29 23:59:59.999999-08',"
              + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'null', '\"text\"', '\\xdeadbeef'::bytea",
          "5, 'z', 1, 'w', true, NULL, NULL, 1, 1, -0.0000000001, -0.01, '1.4e-45', '-Infinity',"
              + " NULL, NULL, '1970-01-01', '1970-01-01 00:00:00', NULL, NULL, NULL, NULL, NULL",
          "6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-0', '4.9e-324',"
              + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL");

  @TempDir static Path dir;
  private PostgresSourceDatabase pg;
  private String schema;
  private String source;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession globex;

  @BeforeAll
  void setUp() throws Exception {
    pg = PostgresSourceDatabase.require();
    schema = pg.schema("Sales \"EU\"; -- ünï");
    source = quote(schema) + "." + quote(TABLE);
    List<String> defs = new ArrayList<>();
    for (String[] c : COLUMNS) {
      defs.add(quote(c[0]) + " " + c[1]);
    }
    List<String> sql = new ArrayList<>();
    sql.add("CREATE SCHEMA " + quote(schema));
    sql.add("CREATE TABLE " + source + " (" + String.join(", ", defs) + ")");
    for (String row : ROWS) {
      sql.add("INSERT INTO " + source + " VALUES (" + row + ")");
    }
    sql.add("CREATE TABLE " + quote(schema) + ".victim (v int)");
    sql.add("INSERT INTO " + quote(schema) + ".victim VALUES (42)");
    sql.add(
        "CREATE FUNCTION "
            + quote(schema)
            + ".nql_writes() RETURNS int LANGUAGE sql AS $$ INSERT INTO "
            + quote(schema)
            + ".victim VALUES (7) RETURNING v $$");
    sql.add("CREATE TABLE " + quote(schema) + ".odd (id int, \"Dur ation\" interval, t text)");
    sql.add("INSERT INTO " + quote(schema) + ".odd VALUES (1, '1 day', 'a')");
    pg.run(sql.toArray(new String[0]));

    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw")
                .withPostgresImportHosts(List.of(PostgresSourceDatabase.hostAndPort())));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "globex")) {
        run(admin, "CREATE COMPANY " + c);
        run(admin, "CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'");
      }
    }
    acme = engine.trusted("acme_user");
    globex = engine.trusted("globex_user");
    run(acme, createSecret("pg", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
    run(acme, createSecret("wrong", PostgresSourceDatabase.URL, WRONG_PASSWORD));
    run(
        globex,
        createSecret("globex_pg", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
  }

  @AfterAll
  void tearDown() throws Exception {
    if (engine != null) {
      acme.close();
      globex.close();
      engine.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  static String createSecret(String name, String url, String password) {
    return "CREATE SECRET \""
        + name
        + "\" TYPE POSTGRES URL "
        + literal(url)
        + " USER "
        + literal(PostgresSourceDatabase.USER)
        + " PASSWORD "
        + literal(password);
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static long run(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      return r.updateCount();
    }
  }

  static NqlException failure(NqlSession s, String sql) {
    NqlException e = catchThrowableOfType(NqlException.class, () -> run(s, sql));
    assertThat(e).as(sql).isNotNull();
    return e;
  }

  /** The rows of a statement, each value in a form that compares across the two databases. */
  static List<List<String>> nqlRows(NqlSession s, String sql) {
    List<List<String>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        List<String> values = new ArrayList<>();
        for (Object v : row) {
          values.add(canonical(v));
        }
        out.add(values);
      }
    }
    out.sort(Comparator.comparing(row -> String.valueOf(row.get(0))));
    return out;
  }

  List<List<String>> pgRows(String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v =
              switch (md.getColumnTypeName(i)) {
                case "date" -> rs.getObject(i, LocalDate.class);
                case "timestamp" -> rs.getObject(i, LocalDateTime.class);
                case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
                case "bytea" -> rs.getBytes(i);
                case "int2", "int4" -> rs.getObject(i) == null ? null : rs.getInt(i);
                case "float4" -> rs.getObject(i) == null ? null : rs.getFloat(i);
                case "float8" -> rs.getObject(i) == null ? null : rs.getDouble(i);
                case "uuid", "json", "jsonb", "bpchar", "varchar", "text" -> rs.getString(i);
                default -> rs.getObject(i);
              };
          values.add(canonical(v));
        }
        out.add(values);
      }
    }
    out.sort(Comparator.comparing(row -> String.valueOf(row.get(0))));
    return out;
  }

  static String canonical(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof byte[] b) {
      return "0x" + HexFormat.of().formatHex(b);
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.getClass().getSimpleName() + ":" + v;
  }

  List<String> pgColumns(String sql) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnLabel(i));
      }
    }
    return names;
  }

  static List<String> nqlColumns(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      return r.columns().stream().map(c -> c.name()).toList();
    }
  }

  boolean exists(NqlSession s, String dataset) {
    return nqlRows(s, "SHOW DATASETS").stream()
        .anyMatch(row -> ("String:" + dataset).equals(row.get(1)));
  }

  /** The rows of the table the attacks aim at. */
  List<Integer> victim() throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM " + quote(schema) + ".victim ORDER BY v")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  String copy(String target, String from) {
    return "COPY INTO company_data." + target + " FROM POSTGRES SECRET \"pg\" " + from;
  }

  @Test
  void aTableIsLoadedWithEveryRowAndValueAsPostgresReturnsThem() throws Exception {
    long loaded = run(acme, copy("everything", "TABLE " + source));
    List<List<String>> expected = pgRows("SELECT * FROM " + source);
    assertThat(loaded).isEqualTo(expected.size()).isEqualTo(ROWS.size());
    assertThat(nqlColumns(acme, "SELECT * FROM company_data.everything"))
        .containsExactlyElementsOf(pgColumns("SELECT * FROM " + source));
    assertThat(nqlRows(acme, "SELECT * FROM company_data.everything"))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aQueryIsLoadedWithTheRowsAndNamesPostgresGivesIt() throws Exception {
    String query =
        "SELECT id, (\"c_money\" * 2)::numeric(12,2) AS \"Doubled \"\"money\"\"\","
            + " upper(\"name\") AS \"NAME\", c_tstz FROM "
            + source
            + " WHERE id > 1";
    long loaded = run(acme, copy("from_query", "QUERY " + literal(query)));
    List<List<String>> expected = pgRows(query);
    assertThat(loaded).isEqualTo(expected.size()).isEqualTo(ROWS.size() - 1);
    assertThat(nqlColumns(acme, "SELECT * FROM company_data.from_query"))
        .containsExactlyElementsOf(pgColumns(query));
    assertThat(nqlRows(acme, "SELECT * FROM company_data.from_query"))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void anExistingDatasetTakesTheColumnsOfItsNamesAndRefusesWhatItCannotHold() throws Exception {
    run(acme, "CREATE DATASET \"existing\" (id BIGINT, \"C_TEXT\" VARCHAR, extra VARCHAR)");
    String query = "SELECT \"name\" AS c_text, id FROM " + source + " WHERE id <= 3";
    assertThat(run(acme, copy("existing", "QUERY " + literal(query)))).isEqualTo(3);
    List<List<String>> expected = new ArrayList<>();
    for (List<String> row :
        pgRows("SELECT id::int8, \"name\", NULL::text FROM " + source + " WHERE id <= 3")) {
      expected.add(row);
    }
    assertThat(nqlRows(acme, "SELECT id, \"C_TEXT\", extra FROM company_data.existing"))
        .containsExactlyElementsOf(expected);

    run(acme, "CREATE DATASET \"narrow\" (id INTEGER, c_int8 INTEGER)");
    NqlException mismatch =
        failure(acme, copy("narrow", "QUERY " + literal("SELECT id, c_int8 FROM " + source)));
    assertThat(mismatch.sqlState()).isEqualTo("42804");
    assertThat(mismatch.getMessage())
        .isEqualTo(
            "Cannot import into company_data.narrow: column 'c_int8' is INTEGER, which cannot"
                + " hold the source's int8 values (BIGINT)");
    NqlException unknown =
        failure(
            acme, copy("narrow", "QUERY " + literal("SELECT id, c_int2, c_date FROM " + source)));
    assertThat(unknown.sqlState()).isEqualTo("42703");
    assertThat(unknown.getMessage()).contains("'c_int2'", "'c_date'");
    assertThat(nqlRows(acme, "SELECT * FROM company_data.narrow")).isEmpty();
  }

  @Test
  void anUnsupportedTypeFailsNamingTheColumnAndCreatesNothing() {
    NqlException e = failure(acme, copy("odd", "TABLE " + quote(schema) + ".odd"));
    assertThat(e.sqlState()).isEqualTo("0A000");
    assertThat(e.getMessage())
        .startsWith("Cannot import column 'Dur ation': PostgreSQL type interval is not supported");
    assertThat(exists(acme, "odd")).isFalse();

    NqlException unbounded = failure(acme, copy("odd", "QUERY 'SELECT 1.5 AS n'"));
    assertThat(unbounded.sqlState()).isEqualTo("0A000");
    assertThat(unbounded.getMessage()).contains("'n'", "numeric", "numeric(p,s)");
    assertThat(exists(acme, "odd")).isFalse();
  }

  @Test
  void aFailureMidStreamCommitsNothing() throws Exception {
    // PostgreSQL fails after 2,499 rows, three fetches in: nothing of them is kept
    String failing = "SELECT i AS id, 1 / (2500 - i) AS x FROM generate_series(1, 3000) AS i";
    NqlException e = failure(acme, copy("midstream", "QUERY " + literal(failing)));
    assertThat(e.sqlState()).isEqualTo("22012");
    assertThat(e.getMessage()).isEqualTo("Cannot import from PostgreSQL query: division by zero");
    assertThat(exists(acme, "midstream")).isFalse();

    run(acme, "CREATE DATASET \"kept\" (id INTEGER, x DECIMAL(10, 0))");
    run(acme, copy("kept", "QUERY 'SELECT 1 AS id, 2 AS x'"));
    List<List<String>> before = nqlRows(acme, "SELECT * FROM company_data.kept");
    assertThat(failure(acme, copy("kept", "QUERY " + literal(failing))).sqlState())
        .isEqualTo("22012");
    // a value the dataset cannot hold, in row 1,500
    NqlException nan =
        failure(
            acme,
            copy(
                "kept",
                "QUERY "
                    + literal(
                        "SELECT i AS id, CASE WHEN i = 1500 THEN 'NaN'::numeric ELSE i END::numeric(9,0)"
                            + " AS x FROM generate_series(1, 3000) AS i")));
    assertThat(nan.sqlState()).isEqualTo("22P02");
    assertThat(nan.getMessage())
        .isEqualTo(
            "Cannot import into company_data.kept: row 1500, column 'x': 'NaN' is not a valid"
                + " DECIMAL(10,0)");
    assertThat(nqlRows(acme, "SELECT * FROM company_data.kept")).isEqualTo(before);
  }

  @Test
  void aWrongPasswordGivesACleanErrorThatHoldsNoPassword() {
    NqlException e = failure(acme, copy("wrong", "TABLE " + source).replace("\"pg\"", "\"wrong\""));
    assertThat(e.sqlState()).isEqualTo("HV00N");
    assertThat(e.getMessage())
        .startsWith(
            "Cannot connect to PostgreSQL at "
                + PostgresSourceDatabase.hostAndPort()
                + " with secret wrong: ")
        .contains("authentication failed");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(WRONG_PASSWORD);
      assertThat(String.valueOf(t)).doesNotContain(WRONG_PASSWORD);
    }
    assertThat(exists(acme, "wrong")).isFalse();
  }

  @Test
  void anotherCompanysSecretIsTheSameAsAMissingOne() {
    String missing =
        failure(acme, copy("x", "TABLE " + source).replace("\"pg\"", "nope")).getMessage();
    NqlException theirs =
        failure(acme, copy("x", "TABLE " + source).replace("\"pg\"", "globex_pg"));
    assertThat(theirs.sqlState()).isEqualTo("42704");
    assertThat(theirs.getMessage()).isEqualTo(missing.replace("nope", "globex_pg"));
    NqlException drop = failure(acme, "DROP SECRET globex_pg");
    assertThat(drop.getMessage())
        .isEqualTo(failure(acme, "DROP SECRET nope").getMessage().replace("nope", "globex_pg"));
    assertThat(nqlRows(acme, "SHOW SECRETS").stream().map(r -> r.get(0)))
        .containsExactlyInAnyOrder("String:pg", "String:wrong");
    assertThat(nqlRows(globex, "SHOW SECRETS").stream().map(r -> r.get(0)))
        .containsExactly("String:globex_pg");
    assertThat(
            run(
                globex,
                copy("mine", "TABLE " + quote(schema) + ".victim").replace("\"pg\"", "globex_pg")))
        .isEqualTo(1);
  }

  @Test
  void neitherShowNorTheQueryLogNorTheStoreEverHoldThePassword() throws Exception {
    // a failed connection with the password, so that the log holds its error too
    assertThat(failure(acme, copy("x", "TABLE " + source).replace("\"pg\"", "wrong")).sqlState())
        .isEqualTo("HV00N");
    List<List<String>> shown = nqlRows(acme, "SHOW SECRETS");
    assertThat(shown)
        .anySatisfy(
            row ->
                assertThat(row)
                    .containsSubsequence(
                        "String:wrong",
                        "String:POSTGRES",
                        "String:url="
                            + PostgresSourceDatabase.URL
                            + ", user="
                            + PostgresSourceDatabase.USER));
    assertThat(shown.toString()).doesNotContain(WRONG_PASSWORD);

    // a syntax error in a statement with the password, and an unsupported EXPLAIN of one
    String typo =
        createSecret("typo", "jdbc:postgresql://h/d", WRONG_PASSWORD)
            + " "
            + literal(WRONG_PASSWORD);
    NqlException syntax = failure(acme, typo);
    assertThat(syntax.sqlState()).isEqualTo("42601");
    assertThat(syntax.getMessage()).doesNotContain(WRONG_PASSWORD).contains("unexpected \"****");
    assertThat(syntax.getCause()).isNull();
    NqlException explain =
        failure(acme, "EXPLAIN " + createSecret("x", "jdbc:postgresql://h/d", WRONG_PASSWORD));
    assertThat(explain.getMessage()).doesNotContain(WRONG_PASSWORD);
    failure(
        acme, "CRATE " + createSecret("x", "jdbc:postgresql://h/d", WRONG_PASSWORD).substring(7));

    Company company = engine.store().company("acme").orElseThrow();
    var log = engine.store().queryLog(company.id(), 10_000);
    assertThat(log)
        .anySatisfy(
            entry ->
                assertThat(entry.sqlText())
                    .startsWith("CREATE SECRET \"wrong\"")
                    .contains("PASSWORD '***'"));
    assertThat(log)
        .allSatisfy(
            entry -> {
              assertThat(entry.sqlText()).doesNotContain(WRONG_PASSWORD);
              assertThat(String.valueOf(entry.errorMessage())).doesNotContain(WRONG_PASSWORD);
            });
    for (var stored : engine.store().secrets().ofCompany(company.id())) {
      assertThat(stored.sealed())
          .doesNotContain(WRONG_PASSWORD)
          .doesNotContain(PostgresSourceDatabase.URL)
          .startsWith("v1:");
    }
  }

  @Test
  void theHostAllowListRefusesEveryOtherHostAndPort() throws Exception {
    String hostPort = PostgresSourceDatabase.hostAndPort();
    String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
    int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    String elsewhere = host.equals("localhost") ? "127.0.0.1" : "localhost";
    for (String url :
        List.of(
            "jdbc:postgresql://" + elsewhere + ":" + port + "/nql_test",
            "jdbc:postgresql://" + host + ":" + (port + 1) + "/nql_test")) {
      run(acme, "CREATE OR REPLACE " + createSecret("other", url, "pw").substring(7));
      NqlException e =
          failure(acme, copy("other", "QUERY 'SELECT 1 AS a'").replace("\"pg\"", "other"));
      assertThat(e.sqlState()).as(url).isEqualTo("42501");
      assertThat(e.getMessage())
          .as(url)
          .endsWith(
              "this gateway does not allow imports from that host and port (see --postgres-import-hosts)");
    }
    run(acme, "DROP SECRET other");
    try (NqlEngine closed =
            NqlEngine.open(
                new EngineConfig(dir.resolve("wh2"), null, null, null, List.of(), "pw"));
        NqlSession admin = closed.trusted("admin")) {
      run(admin, createSecret("pg", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
      NqlException e = failure(admin, copy("x", "QUERY 'SELECT 1 AS a'"));
      assertThat(e.getMessage())
          .endsWith("this gateway allows no PostgreSQL imports (see --postgres-import-hosts)");
    }
  }

  @Test
  void aUrlThatCouldMakeTheGatewayDoMoreThanConnectIsRefused() {
    for (String url :
        List.of(
            "jdbc:postgresql://localhost/db?socketFactory=java.lang.String",
            "jdbc:postgresql://localhost/db?sslfactory=x.Y",
            "jdbc:postgresql://localhost/db?sslhostnameverifier=x.Y",
            "jdbc:postgresql://localhost/db?authenticationPluginClassName=x.Y",
            "jdbc:postgresql://localhost/db?loggerFile=/tmp/x.log",
            "jdbc:postgresql://localhost/db?sslrootcert=/etc/passwd",
            "jdbc:postgresql://localhost/db?options=-c%20default_transaction_read_only%3Doff",
            "jdbc:postgresql://localhost/db?preferQueryMode=simple",
            "jdbc:postgresql://localhost/db?replication=database",
            "jdbc:postgresql://localhost/db?password=" + WRONG_PASSWORD,
            "jdbc:postgresql://nql:" + WRONG_PASSWORD + "@localhost/db",
            "jdbc:postgresql://localhost:5432,evil:5432/db",
            "jdbc:postgresql:db",
            "jdbc:mysql://localhost/db")) {
      NqlException e = failure(acme, createSecret("bad", url, "pw"));
      assertThat(e.sqlState()).as(url).isEqualTo("22023");
      assertThat(e.getMessage())
          .as(url)
          .startsWith("Cannot create secret bad: ")
          .doesNotContain(WRONG_PASSWORD);
    }
    assertThat(nqlRows(acme, "SHOW SECRETS").toString()).doesNotContain("bad");
  }

  @Test
  void aTableNameIsReadAsANameWhateverItHolds() throws Exception {
    String attack = quote(schema) + "." + quote("x\"; DROP TABLE " + quote(schema) + ".victim; --");
    NqlException e = failure(acme, copy("attack", "TABLE " + attack));
    assertThat(e.sqlState()).isEqualTo("42P01");
    assertThat(e.getMessage()).endsWith(": no such table, or no permission to read it");
    NqlException raw = failure(acme, copy("attack", "TABLE x\"; DROP TABLE victim; --"));
    assertThat(raw.sqlState()).isEqualTo("42601");
    assertThat(victim()).containsExactly(42);
    assertThat(exists(acme, "attack")).isFalse();
  }

  @Test
  void aQueryCannotWriteToTheSource() throws Exception {
    String v = quote(schema) + ".victim";
    String oneStatement = "it must be one statement (no ';' between statements)";
    String aQuery = "QUERY must be a SELECT, VALUES, TABLE or WITH query";
    String readOnly = "in a read-only transaction (imports read in a read-only transaction)";
    Map<String, String> attacks = new LinkedHashMap<>();
    attacks.put("SELECT 1 AS a; DELETE FROM " + v, oneStatement);
    attacks.put(
        "SELECT 1 AS a; COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;"
            + " DELETE FROM "
            + v,
        oneStatement);
    attacks.put("SELECT 1 AS a /* ; */ ; DROP TABLE " + v, oneStatement);
    attacks.put(
        "WITH d AS (DELETE FROM " + v + " RETURNING v) SELECT v FROM d",
        "DECLARE CURSOR must not contain data-modifying statements in WITH");
    attacks.put(
        "SELECT " + quote(schema) + ".nql_writes() AS v", "cannot execute INSERT " + readOnly);
    attacks.put(
        "SELECT v FROM " + v + " FOR UPDATE", "cannot execute SELECT FOR UPDATE " + readOnly);
    attacks.put("DELETE FROM " + v + " RETURNING v", aQuery);
    attacks.put("/* x */ -- y\n INSERT INTO " + v + " VALUES (1) RETURNING v", aQuery);
    attacks.put("COMMIT", aQuery);
    attacks.forEach(
        (attack, reason) -> {
          NqlException e = failure(acme, copy("attack", "QUERY " + literal(attack)));
          assertThat(e.getMessage())
              .as(attack)
              .isEqualTo("Cannot import from PostgreSQL query: " + reason);
        });
    assertThat(victim()).containsExactly(42);
    assertThat(exists(acme, "attack")).isFalse();
  }

  @Test
  void aCancelStopsTheServersQueryAndCommitsNothing() throws Exception {
    // each row takes PostgreSQL 10 ms (the sleep depends on the row, so it runs per row): the
    // first fetch alone would take 10 s
    String slow =
        "SELECT i AS id FROM generate_series(1, 100000) AS i,"
            + " LATERAL (SELECT pg_sleep(0.01) WHERE i > 0) s";
    NqlSession session = engine.trusted("acme_user");
    CompletableFuture<Throwable> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                run(session, copy("slow", "QUERY " + literal(slow)));
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    Thread.sleep(1000);
    assertThat(running).as("still importing").isNotDone();
    long cancelled = System.nanoTime();
    while (!running.isDone()) {
      session.cancel();
      Thread.sleep(50);
      assertThat(Duration.ofNanos(System.nanoTime() - cancelled))
          .isLessThan(StatementCancelTest.BOUND);
    }
    Throwable t = running.get();
    assertThat(t).isInstanceOf(NqlException.class);
    assertThat(((NqlException) t).sqlState()).isEqualTo("57014");
    assertThat(exists(session, "slow")).isFalse();
    session.close();
  }

  @Test
  void secretsAreCreatedReplacedAndDroppedOnce() {
    NqlException again = failure(acme, createSecret("pg", PostgresSourceDatabase.URL, "x"));
    assertThat(again.sqlState()).isEqualTo("42710");
    run(
        acme,
        createSecret("temp", "jdbc:postgresql://db.example.com:6432/sales?sslmode=require", "x"));
    assertThat(nqlRows(acme, "SHOW SECRETS").toString())
        .contains("url=jdbc:postgresql://db.example.com:6432/sales?sslmode=require, user=");
    run(
        acme,
        "CREATE OR REPLACE SECRET temp TYPE = postgres url = 'jdbc:postgresql://other/db' user = 'u' password = 'p'");
    assertThat(nqlRows(acme, "SHOW SECRETS").toString())
        .contains("url=jdbc:postgresql://other/db, user=u");
    run(acme, "DROP SECRET temp");
    assertThat(failure(acme, "DROP SECRET temp").getMessage())
        .isEqualTo("Cannot drop secret temp: no such secret");
    NqlException type = failure(acme, "CREATE SECRET s TYPE S3 URL 'x'");
    assertThat(type.sqlState()).isEqualTo("0A000");
    NqlException missing =
        failure(acme, "CREATE SECRET s TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'");
    assertThat(missing.getMessage())
        .isEqualTo(
            "Cannot create secret s: PASSWORD is missing (POSTGRES secrets need URL, USER and PASSWORD)");
    NqlException twice =
        failure(
            acme,
            "CREATE SECRET s TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u' user 'v' PASSWORD 'p'");
    assertThat(twice.getMessage()).isEqualTo("Cannot create secret s: USER is given twice");
  }
}
