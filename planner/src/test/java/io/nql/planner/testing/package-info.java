/**
 * Test helpers: Iceberg tables on local disk with Parquet data, canonical rows for differential
 * comparisons, and the owner-query suite shared with the front ends (published as the planner's
 * test jar).
 */
package io.nql.planner.testing;
