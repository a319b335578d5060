package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.Company;
import io.nql.planner.store.StoredSecrets.StoredSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret key of a warehouse: created owner-only on the first start and used again after; a
 * secret sealed under another key, or moved to another company's row of the store, does not open
 * (listed without values, refused for use) until the right key is configured.
 */
class SecretKeyTest {
  @TempDir Path dir;

  static final String CREATE =
      "CREATE SECRET pg TYPE POSTGRES URL 'jdbc:postgresql://db.internal/sales' USER 'reader'"
          + " PASSWORD 'k3y-test-pw'";
  static final String USE =
      "COPY INTO company_data.x FROM POSTGRES SECRET pg QUERY 'SELECT 1 AS a'";

  private static NqlEngine open(EngineConfig config) {
    NqlEngine engine = NqlEngine.open(config);
    try (NqlSession admin = engine.trusted("admin")) {
      if (engine.store().company("acme").isEmpty()) {
        admin.execute("CREATE COMPANY acme").close();
        admin.execute("CREATE COMPANY globex").close();
        admin.execute("CREATE USER \"acme_user\" COMPANY acme PASSWORD 'pw'").close();
        admin.execute("CREATE USER \"globex_user\" COMPANY globex PASSWORD 'pw'").close();
      }
    }
    return engine;
  }

  private static List<String> show(NqlSession s) {
    List<String> out = new ArrayList<>();
    try (StatementResult r = s.execute("SHOW SECRETS")) {
      for (Object[] row; (row = r.next()) != null; ) {
        out.add(row[0] + " " + row[1] + " " + row[2]);
      }
    }
    return out;
  }

  private static NqlException failure(NqlSession s, String sql) {
    return catchThrowableOfType(NqlException.class, () -> s.execute(sql).close());
  }

  @Test
  void theWarehouseKeyIsCreatedOnceAndASecretOpensOnlyWithIt() throws Exception {
    EngineConfig config = new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw");
    Path key = dir.resolve("wh/secret.key");
    try (NqlEngine engine = open(config);
        NqlSession acme = engine.trusted("acme_user")) {
      acme.execute(CREATE).close();
      assertThat(show(acme))
          .containsExactly("pg POSTGRES url=jdbc:postgresql://db.internal/sales, user=reader");
    }
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Path saved = Files.copy(key, dir.resolve("saved.key"));
    try (NqlEngine engine = open(config);
        NqlSession acme = engine.trusted("acme_user")) {
      assertThat(show(acme))
          .containsExactly("pg POSTGRES url=jdbc:postgresql://db.internal/sales, user=reader");
    }

    // another key in the warehouse: listed without values, refused for use
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    Files.writeString(key, Base64.getEncoder().encodeToString(other));
    try (NqlEngine engine = open(config);
        NqlSession acme = engine.trusted("acme_user")) {
      assertThat(show(acme))
          .containsExactly("pg POSTGRES (cannot be decrypted with this gateway's secret key)");
      NqlException e = failure(acme, USE);
      assertThat(e.sqlState()).isEqualTo("55000");
      assertThat(e.getMessage())
          .startsWith("Cannot use secret pg: the gateway's secret key cannot decrypt it");
    }

    // the right key named by the configuration opens it again
    try (NqlEngine engine = open(config.withSecretKeyFile(saved));
        NqlSession acme = engine.trusted("acme_user")) {
      assertThat(show(acme))
          .containsExactly("pg POSTGRES url=jdbc:postgresql://db.internal/sales, user=reader");
    }
    Files.copy(saved, key, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aSealedValueMovedToAnotherCompanyDoesNotOpenThere() {
    try (NqlEngine engine =
            open(new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw"));
        NqlSession acme = engine.trusted("acme_user");
        NqlSession globex = engine.trusted("globex_user")) {
      acme.execute(CREATE).close();
      Company a = engine.store().company("acme").orElseThrow();
      Company g = engine.store().company("globex").orElseThrow();
      StoredSecret theirs = engine.store().secrets().get(a.id(), "pg").orElseThrow();
      engine
          .store()
          .secrets()
          .put(
              new StoredSecret(g.id(), "pg", theirs.type(), theirs.sealed(), 1, theirs.createdAt()),
              false);
      assertThat(show(globex))
          .containsExactly("pg POSTGRES (cannot be decrypted with this gateway's secret key)");
      assertThat(failure(globex, USE).sqlState()).isEqualTo("55000");
      // renamed within its company, too
      engine
          .store()
          .secrets()
          .put(
              new StoredSecret(
                  a.id(), "pg2", theirs.type(), theirs.sealed(), 1, theirs.createdAt()),
              false);
      assertThat(show(acme))
          .contains("pg2 POSTGRES (cannot be decrypted with this gateway's secret key)");
    }
  }

  @Test
  void aConfiguredKeyFileMustExistAndHoldAKey() throws Exception {
    EngineConfig missing =
        new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw")
            .withSecretKeyFile(dir.resolve("none.key"));
    NqlException e =
        catchThrowableOfType(NqlException.class, () -> NqlEngine.open(missing).close());
    assertThat(e.sqlState()).isEqualTo("22023");
    assertThat(e.getMessage()).endsWith("none.key: no such file");
    assertThat(dir.resolve("none.key")).doesNotExist();
    EngineConfig badHosts =
        new EngineConfig(dir.resolve("wh"), null, null, null, List.of(), "pw")
            .withPostgresImportHosts(List.of("db:notaport"));
    NqlException hosts =
        catchThrowableOfType(NqlException.class, () -> NqlEngine.open(badHosts).close());
    assertThat(hosts.getMessage()).contains("'db:notaport'");
  }
}
