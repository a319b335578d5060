package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log end to end on the engine: logins, definitions, rule changes and deliveries are
 * recorded with their actor and object; {@code company_data._audit} shows each company only its own
 * events (a provider its rules' deliveries, a buyer its purchases); a delivery's audit event and
 * its final ledger entry commit together; the table is read-only; the JSON lines hold no secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession admin;
  NqlSession acme;
  NqlSession buyer;
  NqlSession globex;
  final StringWriter lines = new StringWriter();

  @BeforeAll
  void setUp() {
    engine = NqlEngine.open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
    engine.auditTo(lines);
    admin = engine.trusted("admin");
    for (String c : List.of("acme", "buyer_co", "globex")) {
      admin.execute("CREATE COMPANY " + c).close();
      admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw-" + c + "'");
    }
    acme = engine.trusted("acme_user");
    buyer = engine.trusted("buyer_co_user");
    globex = engine.trusted("globex_user");
    acme.execute("CREATE DATASET \"Numbers\" (id BIGINT NOT NULL)").close();
    StringBuilder values = new StringBuilder("INSERT INTO company_data.\"Numbers\" VALUES (0)");
    for (int i = 1; i < 100; i++) {
      values.append(", (").append(i).append(')');
    }
    acme.execute(values.toString()).close();
    acme.execute(
            "CREATE ACCESS RULE \"r\" PRICE_CPM_USD = 10.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT id FROM company_data.\"Numbers\"")
        .close();
  }

  @AfterAll
  void tearDown() {
    engine.close();
  }

  /** The caller's {@code _audit} rows as maps, newest first. */
  static List<Map<String, Object>> audit(NqlSession s, String where) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (StatementResult r =
        s.execute(
            "SELECT event_id, kind, action, user_name, company, object_kind, object_id,"
                + " object_name, object_company, outcome, statement_id, detail"
                + " FROM company_data._audit"
                + (where.isEmpty() ? "" : " WHERE " + where)
                + " ORDER BY event_id DESC")) {
      String[] names = {
        "event_id",
        "kind",
        "action",
        "user_name",
        "company",
        "object_kind",
        "object_id",
        "object_name",
        "object_company",
        "outcome",
        "statement_id",
        "detail"
      };
      for (Object[] row; (row = r.next()) != null; ) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
          m.put(names[i], row[i]);
        }
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void loginsSucceededAndFailedAreAuditedWithTheNameAsGiven() {
    engine.login("buyer_co_user", "pw-buyer_co".toCharArray()).close();
    assertThatThrownBy(() -> engine.login("buyer_co_user", "guess-1".toCharArray()))
        .isInstanceOf(NqlException.class);
    assertThatThrownBy(() -> engine.login("nobody_here", "guess-2".toCharArray()))
        .isInstanceOf(NqlException.class);

    List<Map<String, Object>> own = audit(buyer, "kind = 'login'");
    assertThat(own)
        .extracting(m -> m.get("user_name") + "/" + m.get("company") + "/" + m.get("outcome"))
        .contains("buyer_co_user/buyer_co/ok", "buyer_co_user/buyer_co/failed");
    assertThat(own).noneMatch(m -> "nobody_here".equals(m.get("user_name")));
    // The admin reads the failed login of a user that does not exist, as typed.
    assertThat(audit(admin, "kind = 'login' AND outcome = 'failed'"))
        .anyMatch(m -> "nobody_here".equals(m.get("user_name")) && m.get("company") == null);
    // Another company reads none of buyer_co's logins.
    assertThat(audit(acme, "kind = 'login'")).isEmpty();
    assertThat(audit(globex, "")).noneMatch(m -> "buyer_co".equals(m.get("company")));
    assertThat(lines.toString()).doesNotContain("guess-1", "guess-2", "pw-buyer_co");
  }

  @Test
  void definitionsAndRuleChangesCarryActorObjectAndVersion() {
    acme.execute("CREATE DATASET \"Scratch\" (x INTEGER)").close();
    long id =
        (Long)
            audit(acme, "action = 'CREATE DATASET' AND object_name = 'Scratch'")
                .get(0)
                .get("object_id");
    acme.execute("DROP DATASET \"Scratch\"").close();
    assertThatThrownBy(() -> acme.execute("DROP DATASET \"Scratch\"").close())
        .isInstanceOf(NqlException.class);
    List<Map<String, Object>> drops = audit(acme, "action = 'DROP DATASET'");
    assertThat(drops.get(1))
        .containsEntry("user_name", "acme_user")
        .containsEntry("company", "acme")
        .containsEntry("object_kind", "dataset")
        .containsEntry("object_id", id)
        .containsEntry("object_company", "acme")
        .containsEntry("outcome", "ok");
    assertThat(drops.get(0).get("outcome")).isEqualTo("42P01");

    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"r2\" PRICE_CPM_USD = 1.00 SHARE WITH ALL"
                + " AS SELECT id FROM company_data.\"Numbers\"")
        .close();
    acme.execute(
            "CREATE OR REPLACE ACCESS RULE \"r2\" PRICE_CPM_USD = 2.00 SHARE WITH ALL"
                + " AS SELECT id FROM company_data.\"Numbers\"")
        .close();
    acme.execute("DROP ACCESS RULE \"r2\"").close();
    List<Map<String, Object>> rules = audit(acme, "kind = 'rule' AND object_name = 'r2'");
    assertThat(rules)
        .extracting(m -> m.get("action") + " " + m.get("detail"))
        .containsExactly(
            "DROP ACCESS RULE {\"rule_version\":2}",
            "CREATE OR REPLACE ACCESS RULE {\"rule_version\":2}",
            "CREATE OR REPLACE ACCESS RULE {\"rule_version\":1}");
    // Another company reads none of it, and nothing of acme's definitions.
    assertThat(audit(globex, "object_company = 'acme' OR company = 'acme'")).isEmpty();
  }

  @Test
  void userAndSecretDefinitionsNeverRecordTheirSecrets() {
    admin.execute("CREATE USER \"Auditor\" COMPANY globex PASSWORD 'Sup3r-S3cret-pw'").close();
    globex
        .execute(
            "CREATE SECRET \"pg\" TYPE POSTGRES URL 'jdbc:postgresql://h/d' USER 'u'"
                + " PASSWORD 'Hunter2-secret-value'")
        .close();
    globex.execute("DROP SECRET \"pg\"").close();
    // globex reads the creation of its user by the admin, and its secret's life.
    assertThat(audit(globex, "kind = 'ddl'"))
        .extracting(m -> m.get("action") + " " + m.get("object_name"))
        .contains("CREATE USER Auditor", "CREATE SECRET pg", "DROP SECRET pg");
    assertThat(audit(acme, "object_name IN ('Auditor', 'pg')")).isEmpty();
    String all = lines.toString();
    assertThat(all).contains("\"object_name\":\"pg\"", "\"object_name\":\"Auditor\"");
    assertThat(all).doesNotContain("Sup3r-S3cret-pw", "Hunter2-secret-value", "pw-acme");
    for (String line : all.split("\n")) {
      assertThat(parse(line).get("event_id").asLong()).isPositive();
    }
  }

  @Test
  void deliveriesAreAuditedWithTheirLedgerEntryAndSeenByBuyerAndProviderOnly() {
    String statementId;
    try (StatementResult r = buyer.execute("SELECT id FROM acme.r LIMIT 0.30 USD")) {
      while (r.next() != null) {
        // read every row: the delivery settles when the result ends
      }
      statementId = r.statementId();
    }
    LedgerEntry entry =
        engine.store().ledger().entriesOf(engine.store().company("buyer_co").get().id()).stream()
            .filter(e -> e.statementId().equals(statementId))
            .findFirst()
            .orElseThrow();
    assertThat(entry.rows()).isEqualTo(30);

    String where = "kind = 'delivery' AND statement_id = '" + statementId + "'";
    Map<String, Object> bought = audit(buyer, where).get(0);
    assertThat(bought)
        .containsEntry("user_name", "buyer_co_user")
        .containsEntry("company", "buyer_co")
        .containsEntry("object_kind", "access rule")
        .containsEntry("object_name", "r")
        .containsEntry("object_company", "acme")
        .containsEntry("outcome", "ok");
    JsonNode detail = parse((String) bought.get("detail"));
    assertThat(detail.get("rows").asLong()).isEqualTo(entry.rows());
    assertThat(detail.get("amount_micros").asLong()).isEqualTo(entry.amountMicros());
    // The provider reads who bought (the company), rows and amount; never the buyer's user.
    Map<String, Object> sold = audit(acme, where).get(0);
    assertThat(sold)
        .containsEntry("company", "buyer_co")
        .containsEntry("detail", bought.get("detail"));
    assertThat(sold.get("user_name")).isNull();
    assertThat(audit(globex, where)).isEmpty();
    // The provider reads none of the buyer's logins or definitions.
    assertThat(audit(acme, "company = 'buyer_co' AND kind <> 'delivery'")).isEmpty();
    assertThat(lines.toString()).contains("\"statement_id\":\"" + statementId + "\"");
  }

  @Test
  void aSettlementThatFailsLeavesNeitherItsAuditEventNorAFinalLedgerEntry() throws Exception {
    String url = engine.store().config().url();
    try (Connection c = DriverManager.getConnection(url, "nql", "");
        Statement st = c.createStatement()) {
      // The store refuses the delivery's audit event: the ledger's transaction must roll back.
      st.execute(
          "ALTER TABLE audit_events ADD CONSTRAINT refuse_deliveries CHECK (kind <> 'delivery')");
      String statementId;
      try {
        StatementResult r = buyer.execute("SELECT id FROM acme.r LIMIT 0.05 USD");
        statementId = r.statementId();
        try {
          while (r.next() != null) {
            // read every row
          }
          r.close();
        } catch (NqlException expected) {
          // the settlement failed
        }
      } finally {
        st.execute("ALTER TABLE audit_events DROP CONSTRAINT refuse_deliveries");
      }
      String where = "kind = 'delivery' AND statement_id = '" + statementId + "'";
      assertThat(audit(admin, where)).isEmpty();
      List<LedgerEntry> entries =
          engine.store().ledger().entriesOf(engine.store().company("buyer_co").get().id()).stream()
              .filter(e -> e.statementId().equals(statementId))
              .toList();
      assertThat(entries).allMatch(e -> e.status().equals("open"));
    }
  }

  @Test
  void theAuditTableIsReadOnlyAndListedLikeTheLedger() {
    for (String sql :
        List.of(
            "INSERT INTO company_data._audit (kind) VALUES ('login')",
            "DELETE FROM company_data._audit",
            "UPDATE company_data._audit SET outcome = 'ok'",
            "COPY INTO company_data._audit FROM '/tmp/x.csv'")) {
      assertThatThrownBy(() -> acme.execute(sql).close())
          .isInstanceOfSatisfying(
              NqlException.class,
              e -> {
                assertThat(e.sqlState()).isEqualTo("42809");
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Cannot use company_data._audit here: it is a read-only system table"
                            + " (read it with SELECT)");
              });
    }
    assertThatThrownBy(() -> acme.execute("CREATE DATASET \"_audit\" (x INTEGER)").close())
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
    assertThat(acme.visibleTables())
        .anyMatch(t -> t.name().equals("_audit") && t.schema().equals("company_data"));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
