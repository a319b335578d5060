package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.StoredSecrets.StoredSecret;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets of a metadata store, on each database the gateway runs on: a company's secrets are
 * its own (one name, another company's row untouched), kept as given, replaced only when asked.
 */
abstract class SecretStoreContract {
  @TempDir Path warehouseDir;
  private MetadataStore store;
  private StoredSecrets secrets;
  private Company acme;
  private Company globex;

  protected abstract MetadataStore openStore(Path warehouseDir);

  @BeforeEach
  void open() {
    store = openStore(warehouseDir);
    secrets = store.secrets();
    acme = store.createCompany("acme");
    globex = store.createCompany("globex");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private StoredSecret secret(Company c, String name, String sealed) {
    return new StoredSecret(
        c.id(), name, "POSTGRES", sealed, 7, Instant.parse("2026-12-01T10:00:00.123Z"));
  }

  @Test
  void aSecretIsReadBackAsStoredAndOnlyByItsCompany() {
    StoredSecret s = secret(acme, "pg", "v1:sealed'\"ünï");
    secrets.put(s, false);
    assertThat(secrets.get(acme.id(), "pg")).contains(s);
    assertThat(secrets.get(globex.id(), "pg")).isEmpty();
    assertThat(secrets.get(acme.id(), "PG")).isEmpty();
    assertThat(secrets.ofCompany(acme.id())).containsExactly(s);
    assertThat(secrets.ofCompany(globex.id())).isEmpty();
  }

  @Test
  void twoCompaniesMayUseOneNameAndDroppingOneKeepsTheOther() {
    secrets.put(secret(acme, "pg", "a"), false);
    secrets.put(secret(globex, "pg", "g"), false);
    secrets.put(secret(acme, "b_other", "b"), false);
    assertThat(secrets.ofCompany(acme.id()))
        .extracting(StoredSecret::name)
        .containsExactly("b_other", "pg");
    assertThat(secrets.delete(acme.id(), "pg")).isTrue();
    assertThat(secrets.delete(acme.id(), "pg")).isFalse();
    assertThat(secrets.get(globex.id(), "pg")).map(StoredSecret::sealed).contains("g");
  }

  @Test
  void aSecretIsReplacedOnlyWhenAsked() {
    secrets.put(secret(acme, "pg", "first"), false);
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> secrets.put(secret(acme, "pg", "second"), false));
    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT);
    assertThat(secrets.get(acme.id(), "pg")).map(StoredSecret::sealed).contains("first");
    secrets.put(secret(acme, "pg", "second"), true);
    assertThat(secrets.get(acme.id(), "pg")).map(StoredSecret::sealed).contains("second");
    assertThat(secrets.ofCompany(acme.id())).hasSize(1);
  }

  @Test
  void aSecretOfNoCompanyIsRefused() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                secrets.put(
                    new StoredSecret(999_999, "pg", "POSTGRES", "x", 1, Instant.now()), false));
    assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
  }
}
