package io.nql.planner.catalog;

import java.util.function.Supplier;
import org.apache.iceberg.Table;

/**
 * One dataset of a company as the query engine needs it.
 *
 * @param id the dataset's numeric id, also queryable as {@code company_data."<id>"}
 * @param name the dataset's unique name within its company (lowercase, as stored)
 * @param table loads the dataset's Iceberg table; called at most once per statement and only when
 *     the statement references the dataset
 */
public record DatasetHandle(long id, String name, Supplier<Table> table) {}
