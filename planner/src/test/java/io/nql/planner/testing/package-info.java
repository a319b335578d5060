/** Test helpers: Iceberg tables on local disk with Parquet data. */
package io.nql.planner.testing;
