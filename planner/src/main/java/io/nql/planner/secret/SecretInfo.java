package io.nql.planner.secret;

import java.time.Instant;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What SHOW SECRETS tells of a secret.
 *
 * @param name its name
 * @param type its type
 * @param shown its values that are not sensitive, by key in the type's order; null when the
 *     gateway's key cannot open it
 * @param createdAt when it was created or last replaced
 */
public record SecretInfo(
    String name, SecretType type, @Nullable Map<String, String> shown, Instant createdAt) {}
