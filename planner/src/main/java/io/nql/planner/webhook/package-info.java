/**
 * Posting rows to HTTP endpoints: webhook URLs and the operator's host policy, the CSV and NDJSON
 * encodings of a batch, the HTTP client with its timeouts, and the retry schedule. Knows nothing of
 * views, runs or the metadata store.
 */
package io.nql.planner.webhook;
