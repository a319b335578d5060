package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.plane.PlaneCredentials;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.Company;
import io.nql.planner.store.QueryLogEntry;
import io.nql.planner.store.StoredDataPlanes.StoredDataPlane;
import io.nql.planner.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CREATE / SHOW / DROP DATA PLANE} against the PostgreSQL server CI starts: the credentials,
 * sealed at rest, open to credentials that connect; a password (hostile characters included)
 * appears in no SHOW row, error, query log entry, audit event or stored row; another company
 * neither sees nor drops a plane, and its errors are those of a missing one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneRegistryTest {
  /** Not the server's password: a value whose leak into any text the test would notice. */
  static final String HOSTILE = "pW-'\"; $$ \\ DROP TABLE x; -- ünï 😀-" + System.nanoTime();

  @TempDir static Path dir;
  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession globex;

  @BeforeAll
  void setUp() {
    TestPostgres.require();
    engine = NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "globex")) {
        run(admin, "CREATE COMPANY " + c);
        run(admin, "CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'");
      }
    }
    acme = engine.trusted("acme_user");
    globex = engine.trusted("globex_user");
  }

  @AfterAll
  void tearDown() {
    if (engine != null) {
      acme.close();
      globex.close();
      engine.close();
    }
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String inline(String name, String password) {
    return "CREATE DATA PLANE "
        + name
        + " TYPE POSTGRES URL "
        + literal(TestPostgres.URL)
        + " USER "
        + literal(TestPostgres.USER)
        + " PASSWORD "
        + literal(password);
  }

  static void run(NqlSession s, String sql) {
    s.execute(sql).close();
  }

  static NqlException failure(NqlSession s, String sql) {
    NqlException e = catchThrowableOfType(NqlException.class, () -> run(s, sql));
    assertThat(e).as(sql).isNotNull();
    return e;
  }

  static List<List<Object>> show(NqlSession s) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute("SHOW DATA PLANES")) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }

  /** Whether the credentials reach the server: they are the ones given, opened intact. */
  static boolean connects(PlaneCredentials c) throws Exception {
    try (Connection conn = DriverManager.getConnection(c.url(), c.user(), c.password());
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
      return rs.next() && rs.getInt(1) == 42;
    }
  }

  @Test
  void inlineCredentialsAreSealedShownWithoutPasswordAndOpenIntact() throws Exception {
    run(acme, inline("pg_inline", TestPostgres.PASSWORD));
    run(acme, inline("pg_hostile", HOSTILE));
    Company company = engine.store().company("acme").orElseThrow();
    List<Object> row = show(acme).get(indexOf(show(acme), "pg_inline"));
    assertThat(row.subList(0, 5))
        .containsExactly("pg_inline", "POSTGRES", null, TestPostgres.URL, TestPostgres.USER);
    assertThat(row.get(5)).isNotNull();
    PlaneCredentials c = engine.dataPlanes().open(company.id(), "pg_inline", "use");
    assertThat(connects(c)).isTrue();
    PlaneCredentials hostile = engine.dataPlanes().open(company.id(), "pg_hostile", "use");
    assertThat(hostile.password()).isEqualTo(HOSTILE);
    assertThat(hostile.toString()).doesNotContain(HOSTILE);
    for (List<Object> listed : show(acme)) {
      assertThat(listed.toString()).doesNotContain(HOSTILE);
    }
    for (StoredDataPlane p : engine.store().dataPlanes().ofCompany(company.id())) {
      assertThat(p.secretName()).isNull();
      assertThat(p.sealed()).startsWith("v1:").doesNotContain(HOSTILE).doesNotContain("postgresql");
    }
    // Sealed credentials are bound to their company and name: copied elsewhere they do not open.
    StoredDataPlane theirs =
        engine.store().dataPlanes().get(company.id(), "pg_hostile").orElseThrow();
    Company globexCo = engine.store().company("globex").orElseThrow();
    engine
        .store()
        .dataPlanes()
        .put(
            new StoredDataPlane(
                globexCo.id(), "stolen", "POSTGRES", null, theirs.sealed(), 1, theirs.createdAt()));
    NqlException stolen =
        catchThrowableOfType(
            NqlException.class, () -> engine.dataPlanes().open(globexCo.id(), "stolen", "use"));
    assertThat(stolen.sqlState()).isEqualTo("55000");
    assertThat(stolen.getMessage()).doesNotContain(HOSTILE);
    run(globex, "DROP DATA PLANE stolen");
  }

  private static int indexOf(List<List<Object>> rows, String name) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).get(0).equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name + " not in " + rows);
  }

  @Test
  void aPlaneOverASecretNamesItAndOpensItsCurrentValues() throws Exception {
    run(
        acme,
        "CREATE SECRET creds TYPE POSTGRES URL "
            + literal(TestPostgres.URL)
            + " USER "
            + literal(TestPostgres.USER)
            + " PASSWORD "
            + literal(TestPostgres.PASSWORD));
    run(acme, "CREATE DATA PLANE pg_secret TYPE POSTGRES SECRET creds");
    List<Object> row = show(acme).get(indexOf(show(acme), "pg_secret"));
    assertThat(row.subList(0, 5))
        .containsExactly("pg_secret", "POSTGRES", "creds", TestPostgres.URL, TestPostgres.USER);
    Company company = engine.store().company("acme").orElseThrow();
    assertThat(connects(engine.dataPlanes().open(company.id(), "pg_secret", "use"))).isTrue();
    // Another company's secret is a missing one.
    NqlException missing = failure(globex, "CREATE DATA PLANE p TYPE POSTGRES SECRET creds");
    assertThat(missing.sqlState()).isEqualTo("42704");
    assertThat(missing.getMessage()).isEqualTo("Cannot create secret creds: no such secret");
    // Once the secret is dropped the plane is listed without URL and user and cannot be opened.
    run(acme, "DROP SECRET creds");
    row = show(acme).get(indexOf(show(acme), "pg_secret"));
    assertThat(row.subList(0, 5)).containsExactly("pg_secret", "POSTGRES", "creds", null, null);
    NqlException gone =
        catchThrowableOfType(
            NqlException.class, () -> engine.dataPlanes().open(company.id(), "pg_secret", "use"));
    assertThat(gone.getMessage()).isEqualTo("Cannot use secret creds: no such secret");
    run(acme, "DROP DATA PLANE pg_secret");
  }

  @Test
  void badStatementsFailClearlyAndNeverEchoThePassword() {
    run(acme, inline("pg_dup", HOSTILE));
    assertThat(failure(acme, inline("pg_dup", HOSTILE)).getMessage())
        .isEqualTo("Cannot create data plane pg_dup: a data plane with this name already exists");
    String noPassword =
        "CREATE DATA PLANE p TYPE POSTGRES URL " + literal(TestPostgres.URL) + " USER 'u'";
    NqlException e = failure(acme, noPassword);
    assertThat(e.sqlState()).isEqualTo("22023");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot create data plane p: PASSWORD is missing (or name a secret: SECRET <name>)");
    e = failure(acme, inline("p", HOSTILE) + " TOKEN 'x'");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot create data plane p: POSTGRES data planes take URL, USER and PASSWORD, not TOKEN");
    e = failure(acme, inline("p", HOSTILE) + " PASSWORD " + literal(HOSTILE));
    assertThat(e.getMessage()).isEqualTo("Cannot create data plane p: PASSWORD is given twice");
    e =
        failure(
            acme,
            "CREATE DATA PLANE p TYPE POSTGRES URL 'jdbc:postgresql://h/d?password="
                + HOSTILE.replace("'", "''")
                + "' USER 'u' PASSWORD 'x'");
    assertThat(e.sqlState()).isEqualTo("22023");
    assertThat(e.getMessage()).startsWith("Cannot create data plane p: ").doesNotContain(HOSTILE);
    e = failure(acme, inline("p", HOSTILE).replace("TYPE POSTGRES", "TYPE SPARK"));
    assertThat(e.sqlState()).isEqualTo("0A000");
    assertThat(e.getMessage())
        .isEqualTo("Cannot create data plane p: type SPARK is not supported (supported: POSTGRES)");
    e = failure(acme, inline("\"bad name\"", HOSTILE));
    assertThat(e.sqlState()).isEqualTo("42602");
    e = failure(acme, inline("p", HOSTILE).replace("CREATE", "CREATE OR REPLACE"));
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage()).doesNotContain(HOSTILE);
    e = failure(acme, inline("p", HOSTILE).replace("PASSWORD", "PASWORD"));
    assertThat(e.getMessage()).doesNotContain(HOSTILE);
    e = failure(acme, "EXPLAIN PLAN FOR " + inline("p", HOSTILE));
    assertThat(e.getMessage()).doesNotContain(HOSTILE);
    assertThat(show(acme)).extracting(r -> r.get(0)).doesNotContain("p");

    Company company = engine.store().company("acme").orElseThrow();
    List<QueryLogEntry> log = engine.store().queryLog(company.id(), 10_000);
    assertThat(log)
        .anySatisfy(
            entry ->
                assertThat(entry.sqlText())
                    .startsWith("CREATE DATA PLANE pg_dup")
                    .contains("PASSWORD '***'"));
    assertThat(log)
        .allSatisfy(
            entry -> {
              assertThat(entry.sqlText()).doesNotContain(HOSTILE);
              assertThat(String.valueOf(entry.errorMessage())).doesNotContain(HOSTILE);
            });
    List<AuditEvent> audit = engine.store().audit().events(company.id());
    assertThat(audit).anySatisfy(a -> assertThat(a.action()).isEqualTo("CREATE DATA PLANE"));
    assertThat(audit).allSatisfy(a -> assertThat(a.toString()).doesNotContain(HOSTILE));
  }

  @Test
  void anotherCompanyNeitherSeesNorDropsAPlane() {
    run(acme, inline("pg_private", HOSTILE));
    assertThat(show(globex)).extracting(r -> r.get(0)).doesNotContain("pg_private");
    NqlException theirs = failure(globex, "DROP DATA PLANE pg_private");
    NqlException missing = failure(globex, "DROP DATA PLANE pg_nowhere");
    assertThat(theirs.sqlState()).isEqualTo("42704").isEqualTo(missing.sqlState());
    assertThat(theirs.getMessage())
        .isEqualTo("Cannot drop data plane pg_private: no such data plane")
        .isEqualTo(missing.getMessage().replace("pg_nowhere", "pg_private"));
    Company globexCo = engine.store().company("globex").orElseThrow();
    NqlException open =
        catchThrowableOfType(
            NqlException.class, () -> engine.dataPlanes().open(globexCo.id(), "pg_private", "use"));
    assertThat(open.getMessage()).isEqualTo("Cannot use data plane pg_private: no such data plane");
    assertThat(show(acme)).extracting(r -> r.get(0)).contains("pg_private");
    run(acme, "DROP DATA PLANE pg_private");
    assertThat(show(acme)).extracting(r -> r.get(0)).doesNotContain("pg_private");
    assertThat(failure(acme, "DROP DATA PLANE pg_private").sqlState()).isEqualTo("42704");
  }
}
