package io.nql.planner.store;

import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A dataset owned by a company, stored as one Iceberg table, or a table of one of its data planes.
 *
 * @param id numeric id, never reused, even after the dataset is dropped
 * @param companyId the owner
 * @param name name, unique within the owner
 * @param icebergNamespace namespace of the Iceberg table ({@code c<companyId>})
 * @param icebergName name of the Iceberg table ({@code d<id>})
 * @param createdAt creation time
 * @param plane where the rows rest when the dataset is in a data plane; null for a dataset of the
 *     embedded warehouse (its Iceberg table then holds the rows)
 */
public record Dataset(
    long id,
    long companyId,
    String name,
    String icebergNamespace,
    String icebergName,
    Instant createdAt,
    @Nullable PlaneSource plane) {

  /** A dataset of the embedded warehouse. */
  public Dataset(
      long id,
      long companyId,
      String name,
      String icebergNamespace,
      String icebergName,
      Instant createdAt) {
    this(id, companyId, name, icebergNamespace, icebergName, createdAt, null);
  }

  /** Whether the dataset's rows rest in a data plane rather than the embedded warehouse. */
  public boolean inPlane() {
    return plane != null;
  }
}
