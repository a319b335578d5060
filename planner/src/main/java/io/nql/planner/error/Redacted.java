package io.nql.planner.error;

import java.lang.reflect.RecordComponent;
import java.util.Locale;

/**
 * Text about the gateway's configuration that holds no secret: a record written as Java writes
 * records ({@code Name[a=1, b=x]}), with the value of every component whose name says it is a
 * password, a secret or a token written {@code ***} (or {@code null} when unset). Configuration
 * records override {@code toString} with it, so a log line or an exception that prints one never
 * carries a password.
 */
public final class Redacted {
  private Redacted() {}

  /** {@code record} as its default {@code toString}, its passwords and secrets hidden. */
  public static String toString(Record record) {
    StringBuilder out = new StringBuilder(record.getClass().getSimpleName()).append('[');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        value = "?";
      }
      String name = c.getName().toLowerCase(Locale.ROOT);
      if (value != null
          && (name.contains("password") || name.endsWith("secret") || name.endsWith("token"))) {
        value = "***";
      }
      out.append(i == 0 ? "" : ", ").append(c.getName()).append('=').append(value);
    }
    return out.append(']').toString();
  }
}
