/**
 * The scan benchmark ({@code bench/scan}): full, selective and aggregate statements over one access
 * rule through Flight SQL, {@code jdbc:nql}, PostgreSQL row-level security and DuckDB, and
 * concurrent Flight SQL streams with a leak check of the gateway's allocator.
 */
package io.nql.bench.scan;
