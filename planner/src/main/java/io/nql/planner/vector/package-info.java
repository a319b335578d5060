/**
 * Vectorized execution: reads Iceberg's Parquet files straight into Arrow vectors and runs the
 * common scan → filter → project → meter → limit chain a batch at a time; every other plan runs on
 * the row engine.
 */
package io.nql.planner.vector;
