package io.nql.server.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tables a name given to {@code \d} means: {@code schema.table} or just {@code table}, each
 * part either unquoted (any letter case) or {@code "quoted"} (exactly).
 */
final class TableNames {
  private TableNames() {}

  /** Whether {@code name} can mean the table {@code schema.table}. */
  static boolean matches(String name, String schema, String table) {
    List<String> parts = parts(name);
    return switch (parts.size()) {
      case 1 -> same(parts.get(0), table);
      case 2 -> same(parts.get(0), schema) && same(parts.get(1), table);
      default -> false;
    };
  }

  private static boolean same(String part, String actual) {
    if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
      return part.substring(1, part.length() - 1).replace("\"\"", "\"").equals(actual);
    }
    return part.equalsIgnoreCase(actual);
  }

  /** The dot-separated parts, quotes kept, dots inside quotes not separating. */
  private static List<String> parts(String name) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (char c : name.strip().toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == '.' && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }
}
