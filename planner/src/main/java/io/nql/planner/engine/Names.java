package io.nql.planner.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;

/** Renders identifiers the way a user writes them, quoting parts that need quotes. */
final class Names {
  private Names() {}

  static String written(SqlIdentifier id) {
    List<String> parts = new ArrayList<>();
    for (String p : id.names) {
      parts.add(p.matches("[a-z_][a-z0-9_]*") ? p : "\"" + p.replace("\"", "\"\"") + "\"");
    }
    return String.join(".", parts);
  }
}
