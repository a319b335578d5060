package io.nql.server.cli;

import io.nql.planner.engine.Charge;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;

/**
 * What {@code nql shell} asks of the warehouse it talks to: run a statement, cancel it from another
 * thread, list schemas, tables and columns. One implementation runs the engine in this process
 * ({@link EngineConsoleSession}), the other talks to any {@code jdbc:nql:} URL ({@link
 * JdbcConsoleSession}); the console is the same over both. Failures are {@link SQLException}s
 * carrying the engine's SQLSTATE and one-line message.
 */
interface ConsoleSession extends AutoCloseable {
  /** A schema's table as listed by {@code \d}. */
  record TableName(String schema, String name, String type) {}

  /** A column as listed by {@code \d <table>}. */
  record Column(String name, String type, boolean nullable) {
    /** The SQL type as people write it: {@code DECIMAL(12, 2)}, {@code VARCHAR}, {@code BIGINT}. */
    static String typeText(String typeName, int precision, int scale) {
      boolean decimal = typeName.equals("DECIMAL") || typeName.equals("NUMERIC");
      return decimal && precision > 0 ? typeName + "(" + precision + ", " + scale + ")" : typeName;
    }
  }

  /**
   * A statement's execution: a result to read (or an update count), then its warnings and charge.
   */
  interface Execution extends AutoCloseable {
    /** Whether the statement returns rows. */
    boolean isQuery();

    /** Rows changed or loaded, for statements that return no rows. */
    long updateCount();

    /** The result's column names. */
    List<String> columnNames();

    /** Per column, whether it is numeric. */
    boolean[] numeric();

    /** The next row as cell texts (null for NULL), or {@code null} after the last. */
    String[] next() throws SQLException;

    /** The statement's warnings (e.g. 01N01, a budget stopped delivery), once its rows are read. */
    List<SQLWarning> warnings() throws SQLException;

    /**
     * What the statement charged, read once the result is closed; {@code null} when it cannot be
     * known (a user who may not read the ledger).
     */
    Charge charge() throws SQLException;

    /** Closes the result: an unread rest is not delivered (nor charged). */
    @Override
    void close() throws SQLException;
  }

  /** Where the session is connected, for the banner: a URL or a warehouse directory. */
  String target();

  /** The user the session runs as. */
  String user();

  /**
   * Starts a statement.
   *
   * @throws SQLException when it fails (parse, permission, …)
   */
  Execution execute(String sql) throws SQLException;

  /** Cancels the running statement, if any; may be called from any thread. */
  void cancel();

  /** The schemas the user may see. */
  List<String> schemas() throws SQLException;

  /** The tables the user may query, by schema and name. */
  List<TableName> tables() throws SQLException;

  /** The columns of a table the user may query, in order; empty when there is no such table. */
  List<Column> columns(TableName table) throws SQLException;

  @Override
  void close();
}
