/**
 * The embedded Iceberg warehouse: an Iceberg {@code JdbcCatalog} kept in the metadata database and
 * data files on the local file system, one table per dataset.
 */
package io.nql.planner.warehouse;
