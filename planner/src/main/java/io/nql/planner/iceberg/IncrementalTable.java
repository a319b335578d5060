package io.nql.planner.iceberg;

import org.apache.calcite.schema.Table;

/**
 * A table that can be read incrementally ({@code DELTA} in a materialized view's query) other than
 * a dataset: an access rule, read as the rule over its dataset's new rows.
 */
public interface IncrementalTable {
  /**
   * This table over the rows added since the view's last run.
   *
   * @param read the run's positions
   * @param name the table as the caller names it, in errors
   */
  Table incremental(DeltaRead read, String name);
}
