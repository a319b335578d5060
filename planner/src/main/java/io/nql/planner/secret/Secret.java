package io.nql.planner.secret;

import java.util.Map;

/**
 * A secret opened for use.
 *
 * @param name its name
 * @param type its type
 * @param values its values by lower-case key, one per key of the type
 */
public record Secret(String name, SecretType type, Map<String, String> values) {
  public Secret {
    values = Map.copyOf(values);
  }

  /** The value of {@code key}. */
  public String value(String key) {
    return values.get(key);
  }

  /** The name and type only: a secret's values are never written out. */
  @Override
  public String toString() {
    return "Secret[" + name + ", " + type + "]";
  }
}
