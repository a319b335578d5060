package io.nql.planner.meta;

import io.nql.planner.result.ResultColumn;
import java.util.List;

/**
 * A result set of a {@link java.sql.DatabaseMetaData} call: its columns and rows (rows in Avatica
 * representation).
 */
record MetadataTable(List<ResultColumn> columns, List<Object[]> rows) {

  /**
   * A metadata call NQL has nothing for (no keys, indexes, privileges, routines, user-defined
   * types): the JDBC-specified columns, no rows.
   */
  static MetadataTable empty(List<ResultColumn> columns) {
    return new MetadataTable(columns, List.of());
  }
}
