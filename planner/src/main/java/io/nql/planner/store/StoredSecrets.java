package io.nql.planner.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The secrets of each company, as the metadata store keeps them: names and types in clear, the
 * values only sealed (encrypted and authenticated by the caller, see {@code
 * io.nql.planner.secret.Secrets}). Thread-safe; each write is one transaction.
 */
public interface StoredSecrets {

  /**
   * One stored secret.
   *
   * @param companyId the owning company
   * @param name the secret's name, unique within the company
   * @param type its type, e.g. {@code POSTGRES}
   * @param sealed the values, sealed; opaque to the store
   * @param createdBy the user who created (or last replaced) it
   * @param createdAt when
   */
  record StoredSecret(
      long companyId, String name, String type, String sealed, long createdBy, Instant createdAt) {}

  /**
   * Stores a secret.
   *
   * @param replace whether an existing secret of the same company and name is replaced
   * @throws io.nql.planner.error.NqlException DUPLICATE_OBJECT when it exists and {@code replace}
   *     is false, UNDEFINED_OBJECT when the company does not exist
   */
  void put(StoredSecret secret, boolean replace);

  /** The company's secret with this name. */
  Optional<StoredSecret> get(long companyId, String name);

  /** The company's secrets, ordered by name. */
  List<StoredSecret> ofCompany(long companyId);

  /** Deletes the company's secret with this name; whether there was one. */
  boolean delete(long companyId, String name);
}
