/**
 * The Arrow Flight SQL endpoint over the planner's engine: authentication with bearer tokens,
 * statements and prepared statements streamed as bounded Arrow batches, metadata commands, errors
 * as Flight status codes carrying the SQLSTATE.
 */
package io.nql.flight;
