/**
 * The engine's front door: open a warehouse, open a session as a user, execute NQL statements and
 * read their results as rows or Arrow batches. Every front end (JDBC, Flight SQL, CLI) goes through
 * these types.
 */
package io.nql.planner.engine;
