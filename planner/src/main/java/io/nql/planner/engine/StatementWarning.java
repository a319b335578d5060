package io.nql.planner.engine;

/**
 * A warning attached to a successful statement (e.g. a budget that cut delivery short).
 *
 * @param sqlState SQLSTATE of the warning (class 01)
 * @param message one-line message for the client
 */
public record StatementWarning(String sqlState, String message) {}
