/**
 * The behaviour suite a buyer sees through any front end ({@link
 * io.nql.server.behaviour.FrontEnd}): differential answers against DuckDB, access rules and
 * budgets, errors and parameter types.
 */
package io.nql.server.behaviour;
