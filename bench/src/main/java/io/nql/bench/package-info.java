/**
 * The {@code bench/run} benchmark: the same data, policy and queries through the {@code jdbc:nql}
 * gateway and through PostgreSQL row-level security, with throughput and latency side by side.
 */
package io.nql.bench;
