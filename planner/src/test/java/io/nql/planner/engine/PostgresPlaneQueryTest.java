package io.nql.planner.engine;

import static io.nql.planner.testing.PostgresSourceDatabase.quote;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.PlaneSource;
import io.nql.planner.testing.PostgresSourceDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries over a dataset in a PostgreSQL data plane, against the PostgreSQL server CI starts,
 * checked differentially: the same source table is also imported into an embedded dataset ({@code
 * COPY INTO … FROM POSTGRES}), and every statement — the owner's, and a buyer's through the same
 * access rule over each — must give the same rows, the same charges and the same budget warnings on
 * both planes. The source's schema, table and values are hostile; the plane is never written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPlaneQueryTest {
  static final String TABLE = "Orders\"; DROP TABLE victim; --";
  static final String HOSTILE = "x'; DROP TABLE victim; --";

  @TempDir static Path dir;
  private PostgresSourceDatabase pg;
  private String schema;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession beta;

  @BeforeAll
  void setUp() throws Exception {
    pg = PostgresSourceDatabase.require();
    schema = pg.schema("plane \"EU\"; --");
    String source = quote(schema) + "." + quote(TABLE);
    pg.run(
        "CREATE SCHEMA " + quote(schema),
        "CREATE TABLE "
            + source
            + " (id int8 PRIMARY KEY, \"Region\" text, amount numeric(12,2), qty int4, day date,"
            + " note varchar(40), flag bool, score float8)",
        "INSERT INTO "
            + source
            + " SELECT g, (ARRAY['EU','US','APAC','it''s; --'])[g % 4 + 1],"
            + " CASE WHEN g % 50 = 0 THEN NULL ELSE (g * 7 % 1000) / 10.0 END, g % 13,"
            + " DATE '2024-01-01' + g % 60, CASE WHEN g % 11 = 0 THEN NULL ELSE 'n' || g END,"
            + " g % 3 = 0, g * 1.5 FROM generate_series(1, 400) g",
        "CREATE TABLE " + quote(schema) + ".victim (v int)",
        "INSERT INTO " + quote(schema) + ".victim VALUES (42)");

    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw")
                .withPostgresImportHosts(List.of(PostgresSourceDatabase.hostAndPort())));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "beta")) {
        run(admin, "CREATE COMPANY " + c);
        run(admin, "CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'");
      }
    }
    acme = engine.trusted("acme_user");
    beta = engine.trusted("beta_user");
    run(
        acme,
        PostgresImportTest.createSecret(
            "pg", PostgresSourceDatabase.URL, PostgresSourceDatabase.PASSWORD));
    run(
        acme,
        "CREATE DATA PLANE pg1 TYPE POSTGRES URL "
            + PostgresImportTest.literal(PostgresSourceDatabase.URL)
            + " USER "
            + PostgresImportTest.literal(PostgresSourceDatabase.USER)
            + " PASSWORD "
            + PostgresImportTest.literal(PostgresSourceDatabase.PASSWORD));
    for (String copy : List.of("local", "local_b")) {
      assertThat(
              run(
                  acme,
                  "COPY INTO company_data."
                      + copy
                      + " FROM POSTGRES SECRET \"pg\" TABLE "
                      + source))
          .isEqualTo(400);
    }
    run(
        acme,
        "CREATE DATASET \"remote\" IN DATA PLANE pg1 TABLE "
            + PostgresImportTest.literal(quote(schema) + "." + quote(TABLE)));
    for (String t : List.of("local", "local_b", "remote")) {
      run(
          acme,
          "CREATE ACCESS RULE \"r_"
              + t
              + "\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta) AS SELECT id, \"Region\","
              + " amount, qty, day FROM company_data."
              + t
              + " WHERE \"Region\" <> 'APAC' AND qty < 10");
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (engine != null) {
      acme.close();
      beta.close();
      engine.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  static final List<String> OWNER_QUERIES =
      List.of(
          "SELECT * FROM company_data.$t ORDER BY id",
          "SELECT id, amount FROM company_data.$t WHERE qty > 5 AND \"Region\" = 'EU' ORDER BY id",
          "SELECT id FROM company_data.$t WHERE \"Region\" IN ('US', 'it''s; --') ORDER BY id",
          "SELECT id, amount FROM company_data.$t WHERE amount BETWEEN 10 AND 50.5 ORDER BY id",
          "SELECT id FROM company_data.$t WHERE note IS NULL OR flag ORDER BY id",
          "SELECT id FROM company_data.$t WHERE NOT (qty < 3) AND day >= DATE '2024-02-01'"
              + " ORDER BY id",
          "SELECT id, note FROM company_data.$t WHERE note LIKE 'n1%' ORDER BY id",
          "SELECT id FROM company_data.$t WHERE score > 100 AND qty = 4 ORDER BY id",
          "SELECT id FROM company_data.$t WHERE \"Region\" > 'E' AND qty <> 1 ORDER BY id",
          "SELECT id FROM company_data.$t WHERE amount IS NULL ORDER BY id",
          "SELECT id FROM company_data.$t WHERE qty * 2 = 8 OR id = 7 ORDER BY id",
          "SELECT \"Region\", COUNT(*), SUM(amount), MIN(day), MAX(qty) FROM company_data.$t"
              + " GROUP BY \"Region\" ORDER BY 1",
          "SELECT a.id, b.id FROM company_data.$t a JOIN company_data.$t b ON a.qty = b.qty"
              + " AND a.id < b.id WHERE a.id < 30 ORDER BY 1, 2",
          "SELECT COUNT(*) FROM company_data.$t WHERE \"Region\" = '"
              + HOSTILE.replace("'", "''")
              + "'");

  @Test
  void theOwnersQueriesAnswerAsOnTheEmbeddedPlane() {
    for (String q : OWNER_QUERIES) {
      List<List<String>> local = PostgresImportTest.nqlRows(acme, q.replace("$t", "local"));
      List<List<String>> remote = PostgresImportTest.nqlRows(acme, q.replace("$t", "remote"));
      assertThat(remote).as(q).isEqualTo(local);
      assertThat(local).as(q).isNotEmpty();
    }
  }

  @Test
  void parametersAreBoundNeverSpliced() throws Exception {
    String q = "SELECT id FROM company_data.$t WHERE qty = ? AND \"Region\" <> ? ORDER BY id";
    for (List<Object> params : List.of(List.<Object>of(4, "EU"), List.<Object>of(1, HOSTILE))) {
      List<List<String>> local = rows(acme, q.replace("$t", "local"), params);
      List<List<String>> remote = rows(acme, q.replace("$t", "remote"), params);
      assertThat(remote).as(params.toString()).isEqualTo(local).isNotEmpty();
    }
    assertThat(
            rows(acme, "SELECT id FROM company_data.remote WHERE \"Region\" = ?", List.of(HOSTILE)))
        .isEmpty();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM " + quote(schema) + ".victim")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void aBuyerReadsTheSameRowsAndPaysTheSameThroughEitherPlane() {
    List<String> queries =
        List.of(
            "SELECT id, \"Region\", amount, qty, day FROM acme.r_$t ORDER BY id NO LIMIT",
            "SELECT id, amount FROM acme.r_$t WHERE qty > 2 AND \"Region\" = 'US' ORDER BY id"
                + " NO LIMIT",
            "SELECT a.id FROM acme.r_$t a JOIN acme.r_$t b ON a.id = b.id WHERE a.qty = 3"
                + " ORDER BY 1 NO LIMIT",
            "SELECT id FROM acme.r_$t WHERE amount / (qty - 11) < -1 ORDER BY id NO LIMIT");
    for (String q : queries) {
      buyerAnswersAndPaysAlike(q, "local", "remote");
    }
  }

  /**
   * The buyer's statement {@code q} with {@code $t} as {@code embedded} and as {@code plane}: the
   * same rows (some), the same charge (some) and the same warnings.
   */
  private void buyerAnswersAndPaysAlike(String q, String embedded, String plane) {
    long before = spent();
    Answer expected = answer(beta, q.replace("$t", embedded));
    long expectedCharge = spent() - before;
    before = spent();
    Answer actual = answer(beta, q.replace("$t", plane));
    long charge = spent() - before;
    assertThat(actual.rows()).as(q).isEqualTo(expected.rows()).isNotEmpty();
    assertThat(charge).as(q).isEqualTo(expectedCharge).isPositive();
    assertThat(actual.warnings()).as(q).isEqualTo(expected.warnings());
  }

  /**
   * A statement over datasets on two planes (the embedded warehouse and PostgreSQL) runs in the
   * gateway: each plane's scan is read with what it can push down, and the join, the rules, the
   * meter and the budget run above them. It answers and charges as the same statement with both
   * sides embedded (two datasets, as two planes hold two), for the owner and for a buyer through a
   * rule on each plane.
   */
  @Test
  void aStatementOverTwoPlanesAnswersAndChargesAsOnOne() {
    String owner =
        "SELECT l.id, r.note FROM company_data.local l JOIN company_data.$t r ON l.id = r.id"
            + " WHERE l.qty = 4 AND r.\"Region\" <> 'EU' ORDER BY 1";
    List<List<String>> embedded = PostgresImportTest.nqlRows(acme, owner.replace("$t", "local_b"));
    assertThat(PostgresImportTest.nqlRows(acme, owner.replace("$t", "remote")))
        .isEqualTo(embedded)
        .isNotEmpty();
    String buyer =
        "SELECT a.id, b.amount FROM acme.r_local a JOIN acme.r_$t b ON a.qty = b.qty"
            + " AND a.id + 26 = b.id WHERE a.\"Region\" = 'US' ORDER BY 1 NO LIMIT";
    buyerAnswersAndPaysAlike(buyer, "local_b", "remote");
    // The owner's plan shows both reads: the Iceberg scan and the statement sent to PostgreSQL.
    String plan = explain(acme, owner.replace("$t", "remote"));
    assertThat(plan).contains("IcebergTableScan").contains("plane=[pg1]");
  }

  @Test
  void aBudgetCutBuysAsManyRowsOnEitherPlaneWithItsWarning() {
    String q = "SELECT id, amount FROM acme.r_$t WHERE qty > 1 LIMIT 50 USD";
    long before = spent();
    Answer local = answer(beta, q.replace("$t", "local"));
    long localCharge = spent() - before;
    before = spent();
    Answer remote = answer(beta, q.replace("$t", "remote"));
    long remoteCharge = spent() - before;
    // Which rows a cut buys follows the scan's order, which each plane has its own of.
    assertThat(remote.rows()).hasSameSizeAs(local.rows()).hasSize(50);
    assertThat(remoteCharge).isEqualTo(localCharge).isEqualTo(50_000_000);
    assertThat(remote.warnings()).isEqualTo(local.warnings()).hasSize(1);
    assertThat(remote.warnings().get(0)).startsWith("01N01");
  }

  @Test
  void theOwnerSeesThePushedSqlAndTheBuyerOnlyTheRule() {
    String plan = explain(acme, "SELECT id FROM company_data.remote WHERE qty > 5 AND note = 'a'");
    String table = quote(schema) + "." + quote(TABLE);
    assertThat(plan)
        .contains("plane=[pg1]")
        .contains(
            "SELECT \"id\", \"qty\", \"note\" FROM "
                + table
                + " WHERE ((\"qty\" > ?) AND (\"note\" = ?))");
    String buyer = explain(beta, "SELECT id FROM acme.r_remote WHERE qty > 5");
    assertThat(buyer)
        .doesNotContain("pg1")
        .doesNotContain("Orders")
        .doesNotContain("FROM \"")
        .doesNotContain("APAC");
  }

  /**
   * Golden statements: what is pushed to PostgreSQL for each predicate shape, and what is kept in
   * the engine (floats, text ranges ordered by collation, LIKE with a backslash, IS NULL of a
   * numeric that reads NaN as NULL, expressions over columns).
   */
  @Test
  void thePushedSqlOfEachPredicateShape() {
    String from = " FROM " + quote(schema) + "." + quote(TABLE);
    String[][] golden = {
      {"qty = 4", "SELECT \"id\", \"qty\"" + from + " WHERE (\"qty\" = ?)"},
      {
        "\"Region\" IN ('US', 'EU')",
        "SELECT \"id\", \"Region\"" + from + " WHERE ((\"Region\" = ?) OR (\"Region\" = ?))"
      },
      {
        "amount BETWEEN 10 AND 50.5",
        "SELECT \"id\", \"amount\"" + from + " WHERE ((\"amount\" >= ?) AND (\"amount\" <= ?))"
      },
      {"note LIKE 'n1%'", "SELECT \"id\", \"note\"" + from + " WHERE (\"note\" LIKE ?)"},
      {"note IS NULL", "SELECT \"id\", \"note\"" + from + " WHERE (\"note\" IS NULL)"},
      {
        "day >= DATE '2024-02-01' AND NOT flag = TRUE",
        "SELECT \"id\", \"day\", \"flag\"" + from + " WHERE ((\"day\" >= ?) AND (NOT \"flag\"))"
      },
      {"score > 100", "SELECT \"id\", \"score\"" + from},
      {"\"Region\" > 'E'", "SELECT \"id\", \"Region\"" + from},
      {"note LIKE 'a\\%'", "SELECT \"id\", \"note\"" + from},
      {"amount IS NULL", "SELECT \"id\", \"amount\"" + from},
      {"qty * 2 = 8", "SELECT \"id\", \"qty\"" + from},
    };
    for (String[] g : golden) {
      String plan = explain(acme, "SELECT id FROM company_data.remote WHERE " + g[0]);
      assertThat(pushedSql(plan)).as(g[0]).isEqualTo(g[1]);
    }
  }

  private static String pushedSql(String plan) {
    int start = plan.indexOf("sql=[") + "sql=[".length();
    int end = plan.lastIndexOf("])");
    assertThat(start).as(plan).isGreaterThan(4);
    return plan.substring(start, end);
  }

  @Test
  void aFailingPlaneNamesItselfToTheOwnerOnlyAndChargesNothing() {
    run(
        acme,
        "CREATE DATA PLANE pg_bad TYPE POSTGRES URL "
            + PostgresImportTest.literal(PostgresSourceDatabase.URL)
            + " USER "
            + PostgresImportTest.literal(PostgresSourceDatabase.USER)
            + " PASSWORD 'not-the-password'");
    // As if the plane's password had changed after the dataset was created (creation reads the
    // table, so it needs the right one).
    long acmeId = engine.store().company("acme").orElseThrow().id();
    engine
        .store()
        .createPlaneDataset(
            acmeId,
            "broken",
            new PlaneSource(
                "pg_bad",
                schema,
                TABLE,
                List.of(new PlaneSource.Column("id", "int8", Types.LongType.get(), false, true))),
            d -> {});
    run(
        acme,
        "CREATE ACCESS RULE \"r_broken\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta) AS"
            + " SELECT id FROM company_data.broken");
    NqlException owner = PostgresImportTest.failure(acme, "SELECT id FROM company_data.broken");
    assertThat(owner.code().sqlState()).isEqualTo("HV00N");
    assertThat(owner.getMessage()).contains("pg_bad").doesNotContain("not-the-password");
    long before = spent();
    NqlException buyer = PostgresImportTest.failure(beta, "SELECT id FROM acme.r_broken NO LIMIT");
    assertThat(buyer.code().sqlState()).isEqualTo("HV00N");
    assertThat(buyer.getMessage())
        .doesNotContain("pg_bad")
        .doesNotContain(schema)
        .doesNotContain("Orders")
        .doesNotContain("not-the-password")
        .doesNotContain("localhost");
    assertThat(spent()).isEqualTo(before);
  }

  /**
   * Two scans of one plane dataset that differ only in the values of their pushed filters send the
   * same SQL text (every value is a {@code ?}); they are still two scans: each reads its own rows,
   * and the rule charges the rows of both. (They were once one node to the planner, whose digest
   * showed the SQL text only: the second read the first's rows.)
   */
  @Test
  void scansThatDifferOnlyInTheirValuesStayApart() {
    List<String> queries =
        List.of(
            "SELECT id FROM company_data.$t WHERE qty < 3 UNION ALL SELECT id FROM company_data.$t"
                + " WHERE qty < 9 ORDER BY id",
            "SELECT a.id FROM company_data.$t a WHERE a.id IN (SELECT b.id FROM company_data.$t b"
                + " WHERE b.qty < 9) AND a.qty < 3 ORDER BY 1",
            "SELECT a.id FROM company_data.$t a WHERE a.qty < 9 AND a.id NOT IN (SELECT b.id FROM"
                + " company_data.$t b WHERE b.qty < 3) ORDER BY 1");
    for (String q : queries) {
      List<List<String>> local = PostgresImportTest.nqlRows(acme, q.replace("$t", "local"));
      List<List<String>> remote = PostgresImportTest.nqlRows(acme, q.replace("$t", "remote"));
      assertThat(remote).as(q).isEqualTo(local).isNotEmpty();
    }
    String q =
        "SELECT a.id FROM acme.r_$t a WHERE a.id IN (SELECT b.id FROM acme.r_$t b WHERE b.qty < 9)"
            + " AND a.qty < 3 ORDER BY 1 NO LIMIT";
    long before = spent();
    Answer local = answer(beta, q.replace("$t", "local"));
    long localCharge = spent() - before;
    before = spent();
    Answer remote = answer(beta, q.replace("$t", "remote"));
    long remoteCharge = spent() - before;
    assertThat(remote.rows()).isEqualTo(local.rows()).isNotEmpty();
    assertThat(remoteCharge).isEqualTo(localCharge).isPositive();
  }

  /**
   * A statement that fails while it reads a plane (an expression above the scan failing on one of
   * its rows) still ends the scan's transaction and closes its connection: a session left "idle in
   * transaction" would hold its snapshot and locks on the provider's server for as long as the
   * gateway runs. Checked by the owner's and a buyer's statements, plain and with the failing scan
   * inside a sub-query. The EXISTS statements need the statement's {@code OpenScans}: a hash
   * semi-join builds its inner set with Calcite's {@code EnumerableDefaults.distinct(Enumerable)},
   * which closes its input only when it read it to the end.
   */
  @Test
  void aFailingStatementLeavesNoSessionOnThePlane() throws Exception {
    List<String[]> statements =
        List.of(
            new String[] {
              "acme", "SELECT id FROM company_data.remote WHERE CAST(note AS INTEGER) = 3"
            },
            new String[] {
              "acme",
              "SELECT l.id FROM company_data.local l WHERE EXISTS (SELECT 1 FROM"
                  + " company_data.remote r WHERE r.id = l.qty AND CAST(r.note AS INTEGER) = 3)"
            },
            new String[] {
              "beta", "SELECT id FROM acme.r_remote WHERE CAST(\"Region\" AS INTEGER) = 3 NO LIMIT"
            },
            new String[] {
              "beta",
              "SELECT a.id FROM acme.r_remote a WHERE EXISTS (SELECT 1 FROM acme.r_remote b"
                  + " WHERE b.id = a.qty AND CAST(b.\"Region\" AS INTEGER) = 3) NO LIMIT"
            });
    for (String[] st : statements) {
      NqlException e = readFailure(st[0].equals("acme") ? acme : beta, st[1]);
      assertThat(e).as(st[1]).isNotNull();
      assertThat(e.code().sqlState()).as(st[1]).startsWith("22");
      List<String> left = sessionsOnTheTable();
      endSessionsOnTheTable();
      assertThat(left).as(st[1]).isEmpty();
    }
  }

  /** The failure of a statement while its rows are read, or null. */
  private static NqlException readFailure(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      while (r.next() != null) {
        // read every row
      }
      return null;
    } catch (NqlException e) {
      return e;
    }
  }

  /** Ends the sessions a failure left (they would keep the schema from being dropped). */
  private void endSessionsOnTheTable() throws Exception {
    try (Connection c = pg.connect();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <>"
                    + " pg_backend_pid() AND position(? in query) > 0")) {
      s.setString(1, quote(schema) + "." + quote(TABLE));
      s.executeQuery().close();
    }
  }

  /** Sessions (other than the asking one) whose last statement read the source table. */
  private List<String> sessionsOnTheTable() throws Exception {
    List<String> out = new ArrayList<>();
    for (int attempt = 0; attempt < 20; attempt++) {
      out.clear();
      try (Connection c = pg.connect();
          java.sql.PreparedStatement s =
              c.prepareStatement(
                  "SELECT state, query FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                      + " AND position(? in query) > 0")) {
        s.setString(1, quote(schema) + "." + quote(TABLE));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1) + ": " + rs.getString(2));
          }
        }
      }
      if (out.isEmpty()) {
        return out;
      }
      Thread.sleep(50); // a connection just closed takes a moment to go
    }
    return out;
  }

  @Test
  void aPlaneDatasetIsReadOnly() {
    for (String sql :
        List.of(
            "INSERT INTO company_data.remote (id) VALUES (1000)",
            "DELETE FROM company_data.remote WHERE id = 1",
            "OPTIMIZE company_data.remote")) {
      NqlException e = PostgresImportTest.failure(acme, sql);
      assertThat(e.code().sqlState()).as(sql).isEqualTo("0A000");
      assertThat(e.getMessage()).as(sql).contains("pg1");
    }
    assertThat(PostgresImportTest.nqlRows(acme, "SELECT COUNT(*) FROM company_data.remote"))
        .containsExactly(List.of("Long:400"));
  }

  private long spent() {
    List<List<String>> r =
        PostgresImportTest.nqlRows(
            beta,
            "SELECT COALESCE(SUM(amount_micros), 0) FROM company_data._ledger WHERE role = 'buyer'");
    return Long.parseLong(r.get(0).get(0).replace("Long:", ""));
  }

  /** A statement's rows and warnings (rule names made plane-neutral). */
  record Answer(List<List<String>> rows, List<String> warnings) {}

  private static Answer answer(NqlSession s, String sql) {
    List<List<String>> rows = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        List<String> values = new ArrayList<>();
        for (Object v : row) {
          values.add(PostgresImportTest.canonical(v));
        }
        rows.add(values);
      }
      for (StatementWarning w : r.warnings()) {
        warnings.add(
            w.sqlState()
                + " "
                + w.message().replace("r_local", "r_$t").replace("r_remote", "r_$t"));
      }
    }
    return new Answer(rows, warnings);
  }

  private static List<List<String>> rows(NqlSession s, String sql, List<Object> params) {
    List<List<String>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql, params)) {
      for (Object[] row; (row = r.next()) != null; ) {
        List<String> values = new ArrayList<>();
        for (Object v : row) {
          values.add(PostgresImportTest.canonical(v));
        }
        out.add(values);
      }
    }
    return out;
  }

  private static String explain(NqlSession s, String sql) {
    StringBuilder out = new StringBuilder();
    try (StatementResult r = s.execute("EXPLAIN PLAN FOR " + sql)) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.append(row[0]).append('\n');
      }
    }
    return out.toString();
  }

  private static long run(NqlSession s, String sql) {
    return PostgresImportTest.run(s, sql);
  }
}
