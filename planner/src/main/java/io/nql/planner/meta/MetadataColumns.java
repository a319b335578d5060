package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a metadata result set, written compactly and typed as the JDBC javadoc types them.
 */
final class MetadataColumns {
  private MetadataColumns() {}

  /**
   * Columns as {@code NAME:type} with type {@code s} (VARCHAR), {@code S} (VARCHAR NOT NULL),
   * {@code i} (INTEGER), {@code h} (SMALLINT), {@code l} (BIGINT) or {@code b} (BOOLEAN); all but
   * {@code S} are nullable.
   */
  static List<ResultColumn> of(String... columns) {
    List<ResultColumn> out = new ArrayList<>(columns.length);
    for (String c : columns) {
      int colon = c.indexOf(':');
      String name = c.substring(0, colon);
      out.add(
          switch (c.substring(colon + 1)) {
            case "s" -> ResultColumn.varchar(name);
            case "S" -> new ResultColumn(name, Types.VARCHAR, "VARCHAR", 0, 0, false);
            case "i" -> new ResultColumn(name, Types.INTEGER, "INTEGER", 10, 0, true);
            case "h" -> new ResultColumn(name, Types.SMALLINT, "SMALLINT", 5, 0, true);
            case "l" -> ResultColumn.bigint(name, true);
            case "b" -> ResultColumn.bool(name);
            default -> throw new IllegalArgumentException(c);
          });
    }
    return List.copyOf(out);
  }
}
