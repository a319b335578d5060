package io.nql.planner.catalog;

import io.nql.planner.plane.PlaneConnector;
import io.nql.planner.store.PlaneSource;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One dataset of a company as the query engine needs it.
 *
 * @param id the dataset's numeric id, also queryable as {@code company_data."<id>"}
 * @param name the dataset's unique name within its company (lowercase, as stored)
 * @param table loads the dataset's Iceberg table; called at most once per statement and only when
 *     the statement references the dataset; never for a dataset in a data plane
 * @param plane where the rows rest when the dataset is in a data plane, else null
 * @param planes opens connections to the company's data planes
 */
public record DatasetHandle(
    long id,
    String name,
    Supplier<Table> table,
    @Nullable PlaneSource plane,
    PlaneConnector planes) {

  /** A dataset of the embedded warehouse. */
  public DatasetHandle(long id, String name, Supplier<Table> table) {
    this(id, name, table, null, PlaneConnector.NONE);
  }
}
