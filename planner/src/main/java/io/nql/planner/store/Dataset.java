package io.nql.planner.store;

import java.time.Instant;

/**
 * A dataset owned by a company, stored as one Iceberg table.
 *
 * @param id numeric id, never reused, even after the dataset is dropped
 * @param companyId the owner
 * @param name name, unique within the owner
 * @param icebergNamespace namespace of the Iceberg table ({@code c<companyId>})
 * @param icebergName name of the Iceberg table ({@code d<id>})
 * @param createdAt creation time
 */
public record Dataset(
    long id,
    long companyId,
    String name,
    String icebergNamespace,
    String icebergName,
    Instant createdAt) {}
