/**
 * Writing rows out to files ({@code EXPORT}): the per-company export areas and their path checks,
 * all-or-nothing file creation (a temporary name, fsync, atomic rename), and the CSV and Parquet
 * writers.
 */
package io.nql.planner.export;
