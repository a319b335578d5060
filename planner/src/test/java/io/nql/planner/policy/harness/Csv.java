package io.nql.planner.policy.harness;

import java.math.BigDecimal;
import java.util.List;
import java.util.StringJoiner;

/** CSV lines for COPY INTO: NULL is an empty unquoted field, text is always quoted. */
final class Csv {
  private Csv() {}

  static String line(Object... values) {
    StringJoiner j = new StringJoiner(",");
    for (Object v : values) {
      if (v == null) {
        j.add("");
      } else if (v instanceof String s) {
        j.add('"' + s.replace("\"", "\"\"") + '"');
      } else if (v instanceof BigDecimal d) {
        j.add(d.toPlainString());
      } else {
        j.add(v.toString());
      }
    }
    return j.toString();
  }

  static String file(String header, List<String> lines) {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }
}
