package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit log's store on H2 and on PostgreSQL (the same migration): events are appended and read
 * per company (actor or object), a settled or free delivery appends its event in the ledger's
 * transaction with the rule's name, and a reconciliation appends one per entry it settles.
 */
class AuditLogStoreTest {
  @TempDir Path dir;

  @AfterAll
  static void dropSchemas() throws SQLException {
    TestPostgres.dropSchemas();
  }

  private MetadataStore open(String database) {
    if (database.equals("postgres")) {
      TestPostgres.require();
      return PostgresMetadataStoreTest.open(dir);
    }
    return MetadataStore.embedded(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void appendsReadsPerCompanyAndAuditsDeliveriesWithTheLedger(String database) {
    try (MetadataStore store = open(database)) {
      Company acme = store.createCompany("acme");
      Company buyer = store.createCompany("buyer_co");
      Company other = store.createCompany("other");
      User bob = store.createUser("bob", buyer.id(), "pw".toCharArray(), false);
      List<AuditEvent> heard = new ArrayList<>();
      store.audit().listen(heard::add);

      store
          .audit()
          .append(
              AuditEvent.of(
                  "ddl",
                  "CREATE DATASET",
                  AuditEvent.Actor.of(bob),
                  new AuditEvent.Target("dataset", 5L, "Sales \"2026\"", buyer.id()),
                  "ok",
                  "st-1",
                  Map.of("n", 1)));
      long ruleId =
          store
              .accessRules()
              .create(
                  acme.id(),
                  "r",
                  false,
                  new AccessRule.Definition(
                      store.createDataset(acme.id(), "t", MetadataStore.DatasetAction.NONE).id(),
                      "SELECT 1",
                      new java.math.BigDecimal("1.00"),
                      AccessRule.ShareMode.ALL,
                      List.of(),
                      null,
                      null))
              .id();
      Ledger.Delivery priced =
          new Ledger.Delivery("st-2", buyer.id(), acme.id(), ruleId, 1, 1_000, "i1");
      store.ledger().reserve(priced, 5_000);
      store.ledger().settle(List.of(priced), List.of(3L), null, bob);
      Ledger.Delivery crashed =
          new Ledger.Delivery("st-3", buyer.id(), acme.id(), ruleId, 1, 1_000, "i2");
      store.ledger().reserve(crashed, 2_000);
      store.ledger().reconcile("i2");

      List<AuditEvent> buyers = store.audit().events(buyer.id());
      assertThat(buyers)
          .extracting(
              e -> e.action() + ":" + e.statementId() + ":" + e.outcome() + ":" + e.objectName())
          .containsExactly(
              "DELIVER:st-3:reconciled:r",
              "DELIVER:st-2:ok:r",
              "CREATE DATASET:st-1:ok:Sales \"2026\"");
      AuditEvent delivered = buyers.get(1);
      assertThat(delivered.userName()).isEqualTo("bob");
      assertThat(delivered.objectCompanyId()).isEqualTo(acme.id());
      assertThat(delivered.detail())
          .isEqualTo("{\"rule_version\":1,\"rows\":3,\"amount_micros\":3000,\"status\":\"final\"}");
      assertThat(buyers.get(0).userId()).isNull();
      // The provider reads the deliveries of its rule, nothing else; another company nothing.
      assertThat(store.audit().events(acme.id()))
          .extracting(AuditEvent::statementId)
          .containsExactly("st-3", "st-2");
      assertThat(store.audit().events(other.id())).isEmpty();
      assertThat(store.audit().events(null)).hasSize(3);
      // The listener heard each committed event once, with its id.
      assertThat(heard).extracting(AuditEvent::statementId).containsExactly("st-1", "st-2", "st-3");
      assertThat(heard).allMatch(e -> e.id() > 0);
    }
  }
}
