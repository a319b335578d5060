/**
 * The one error type of the engine: a code with its SQLSTATE and a one-line message for clients.
 */
package io.nql.planner.error;
