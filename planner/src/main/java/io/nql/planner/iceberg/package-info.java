/**
 * Calcite adapter over Apache Iceberg tables: a translatable table, an enumerable scan that pushes
 * filters and projections into Iceberg scan planning, and per-statement scan metrics.
 */
package io.nql.planner.iceberg;
