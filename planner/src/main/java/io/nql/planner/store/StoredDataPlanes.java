package io.nql.planner.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The data planes of each company, as the metadata store keeps them: names, types and the name of a
 * secret in clear; credentials given inline only sealed (by {@code
 * io.nql.planner.plane.DataPlanes}). Thread-safe; each write is one transaction.
 */
public interface StoredDataPlanes {

  /**
   * One stored plane.
   *
   * @param companyId the owning company
   * @param name the plane's name, unique within the company
   * @param type its type, e.g. {@code POSTGRES}
   * @param secretName the company secret holding its credentials, or null when {@code sealed} is
   *     set
   * @param sealed its credentials, sealed, or null when {@code secretName} is set
   * @param createdBy the user who created it
   * @param createdAt when
   */
  record StoredDataPlane(
      long companyId,
      String name,
      String type,
      String secretName,
      String sealed,
      long createdBy,
      Instant createdAt) {
    /** Without the sealed value (opaque, but still not for logs). */
    @Override
    public String toString() {
      return "StoredDataPlane[" + companyId + ", " + name + ", " + type + "]";
    }
  }

  /**
   * Stores a plane.
   *
   * @throws io.nql.planner.error.NqlException DUPLICATE_OBJECT when the company has a plane of this
   *     name, UNDEFINED_OBJECT when the company does not exist
   */
  void put(StoredDataPlane plane);

  /** The company's plane with this name. */
  Optional<StoredDataPlane> get(long companyId, String name);

  /** The company's planes, ordered by name. */
  List<StoredDataPlane> ofCompany(long companyId);

  /**
   * Deletes the company's plane with this name; whether there was one. The plane's row is locked
   * and its datasets looked up in the same transaction as the delete, so a dataset created
   * meanwhile cannot be left naming a plane that is gone (its insert waits, then fails).
   *
   * @throws io.nql.planner.error.NqlException DEPENDENT_OBJECTS_STILL_EXIST when datasets of the
   *     company rest in the plane, naming them
   */
  boolean delete(long companyId, String name);
}
