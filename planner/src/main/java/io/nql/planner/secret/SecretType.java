package io.nql.planner.secret;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of secret: each names the keys its values have (all required) and which of them are
 * sensitive (never shown, not even to the owner).
 */
public enum SecretType {
  /** A PostgreSQL database for imports: a {@code jdbc:postgresql://} URL, a user and a password. */
  POSTGRES(List.of("url", "user", "password"), Set.of("password"));

  private final List<String> keys;
  private final Set<String> sensitive;

  SecretType(List<String> keys, Set<String> sensitive) {
    this.keys = keys;
    this.sensitive = sensitive;
  }

  /** The keys of this type's values, lower case, in the order SHOW SECRETS lists them. */
  public List<String> keys() {
    return keys;
  }

  /** Whether the value of {@code key} is never shown. */
  public boolean sensitive(String key) {
    return sensitive.contains(key);
  }

  /** The type named {@code name} (any case). */
  public static Optional<SecretType> of(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
  }

  /** The names of every type, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** The keys as users write them, for messages: {@code URL, USER and PASSWORD}. */
  String keyList() {
    List<String> upper = keys.stream().map(k -> k.toUpperCase(Locale.ROOT)).toList();
    return upper.size() == 1
        ? upper.get(0)
        : String.join(", ", upper.subList(0, upper.size() - 1))
            + " and "
            + upper.get(upper.size() - 1);
  }
}
