package io.nql.server.behaviour;

import java.util.List;
import java.util.Map;

/**
 * A front end as the behaviour suite drives it: JDBC over {@code jdbc:nql://} now, Flight SQL
 * later, each with one small implementation. Values cross in the engine's external Java types
 * ({@code Boolean}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code
 * BigDecimal}, {@code String}, {@code byte[]}, {@code LocalDate}, {@code LocalTime}, {@code
 * LocalDateTime} as the UTC wall clock); parameters may also be the front end's own types (e.g.
 * {@code java.sql.Timestamp}).
 */
interface FrontEnd extends AutoCloseable {
  /** A short name for test output. */
  String name();

  /** The in-process gateway the front end talks to. */
  io.nql.server.gateway.Gateway gateway();

  /**
   * Whether answers carry the statement's warnings (such as the budget cut, SQLSTATE {@code
   * 01N01}). A client that cannot surface them says so here; the suite then checks what the
   * documentation offers instead (the ledger) and that its answers carry no warnings at all.
   */
  default boolean reportsWarnings() {
    return true;
  }

  /**
   * Whether a parameter value travels in the client's own type for the server to convert (or to
   * refuse with SQLSTATE 22023). A client that converts values to the server's declared parameter
   * types itself refuses an unconvertible value before anything is sent, with its own error.
   */
  default boolean bindsValuesAsGiven() {
    return true;
  }

  /**
   * Opens a client session.
   *
   * @param properties session properties such as {@code budget_usd}
   * @throws Failure when the front end refuses the credentials
   */
  Client open(String user, String password, Map<String, String> properties) throws Failure;

  /** One client session. Every call throws {@link Failure} for an error the front end reports. */
  interface Client extends AutoCloseable {
    /** Runs a query and reads all its rows. */
    Answer query(String sql) throws Failure;

    /** Prepares a query with {@code ?} parameters, to run once or many times. */
    Prepared prepare(String sql) throws Failure;

    /** Runs a statement that returns an update count (DDL, {@code COPY INTO}). */
    long update(String sql) throws Failure;

    /** The tables the front end's metadata lists in {@code schema}, as {@code schema.table}. */
    List<String> tables(String schema) throws Failure;

    /** The columns the front end's metadata lists for a table, as {@code name:TYPE}. */
    List<String> columns(String schema, String table) throws Failure;

    @Override
    void close() throws Failure;
  }

  /** A prepared query. */
  interface Prepared extends AutoCloseable {
    /**
     * The result's columns as the front end describes them before anything runs, as {@code
     * name:TYPE} with the JDBC type name ({@link java.sql.JDBCType}).
     */
    List<String> columns() throws Failure;

    /** Runs the query with these parameter values, in order ({@link TypedNull} for a NULL). */
    Answer execute(List<Object> parameters) throws Failure;

    @Override
    void close() throws Failure;
  }

  /** A NULL parameter of a given NQL type (BOOLEAN, INTEGER, …). */
  record TypedNull(String type) {}

  /**
   * A result: column names and NQL type names, rows of external values, and the warnings the front
   * end delivered with it (SQLSTATE and message).
   */
  record Answer(
      List<String> columnNames,
      List<String> columnTypes,
      List<List<Object>> rows,
      List<Map.Entry<String, String>> warnings) {
    /** The rows as canonical text (see {@code CanonicalRows}). */
    List<String> canonical() {
      return rows.stream().map(Answer::canonicalRow).toList();
    }

    private static String canonicalRow(List<Object> row) {
      StringBuilder sb = new StringBuilder();
      for (Object v : row) {
        sb.append(io.nql.planner.testing.CanonicalRows.canonical(v)).append(" | ");
      }
      return sb.toString();
    }

    /** The single value of a one-row, one-column answer. */
    Object single() {
      if (rows.size() != 1 || rows.get(0).size() != 1) {
        throw new AssertionError("expected one value, got " + rows);
      }
      return rows.get(0).get(0);
    }
  }

  /** An error as the front end reports it. */
  final class Failure extends Exception {
    private final String sqlState;

    Failure(String sqlState, String message, Throwable cause) {
      super(message, cause);
      this.sqlState = sqlState;
    }

    String sqlState() {
      return sqlState;
    }
  }
}
