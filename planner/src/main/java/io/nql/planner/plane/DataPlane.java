package io.nql.planner.plane;

import java.time.Instant;

/**
 * A data plane as listed: what may be shown to its company. Its password is never part of it.
 *
 * @param name its name, unique within its company
 * @param type its type
 * @param secretName the company secret holding its credentials, or null when they were given inline
 * @param url its JDBC URL, or null when it cannot be opened (the gateway's key changed, or the
 *     named secret is gone)
 * @param user its database user, or null like {@code url}
 * @param createdAt when it was created
 */
public record DataPlane(
    String name,
    DataPlaneType type,
    String secretName,
    String url,
    String user,
    Instant createdAt) {}
