/**
 * Test helpers: Iceberg tables on local disk with Parquet data, canonical rows for differential
 * comparisons, the owner-query suite shared with the front ends, and the many-table join suite
 * ({@code select5}-like tables, queries and their answers) shared with the front ends and the
 * benchmark (published as the planner's test jar).
 */
package io.nql.planner.testing;
