package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;

/**
 * The rows of one PostgreSQL {@code SELECT}, read through a server-side cursor ({@code DECLARE … NO
 * SCROLL CURSOR FOR <select>}, then {@code FETCH FORWARD} {@value #FETCH_ROWS} rows at a time) in
 * one read-only transaction: one snapshot of the source, at most a batch of rows in memory.
 *
 * <p>Only a query can be read: the cursor is declared by one statement (the driver would send the
 * parts of a text with several statements one after another, so such a text is refused before
 * anything is sent), PostgreSQL accepts nothing but {@code SELECT}, {@code VALUES} and {@code
 * TABLE} in a cursor and refuses data-modifying {@code WITH} there, and the transaction is read
 * only, so a function that writes fails too. A cancel (the statement's flag, looked at every
 * {@value #WATCH_MILLIS} ms) cancels the statement running on the server. Not thread-safe.
 */
final class PostgresSource implements AutoCloseable {
  static final int FETCH_ROWS = 1000;
  private static final long WATCH_MILLIS = 100;
  private static final String CURSOR = "nql_import";

  /** Looks at the cancel flags of running imports. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nql-postgres-import-cancel");
            t.setDaemon(true);
            return t;
          });

  private final Connection connection;
  private final Statement statement;
  private final String source;
  private final boolean table;
  private final ScheduledFuture<?> watch;
  private List<PostgresColumn> columns;
  private ResultSet batch;
  private int batchRows;
  private boolean last;

  private PostgresSource(Connection connection, String source, boolean table, AtomicBoolean cancel)
      throws SQLException {
    this.connection = connection;
    this.source = source;
    this.table = table;
    this.statement = connection.createStatement();
    statement.setEscapeProcessing(false);
    this.watch =
        WATCHDOG.scheduleWithFixedDelay(
            () -> {
              if (cancel.get()) {
                try {
                  statement.cancel();
                } catch (SQLException | RuntimeException e) {
                  // the statement ended meanwhile
                }
              }
            },
            WATCH_MILLIS,
            WATCH_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Connects and opens the cursor over {@code select}, reading the first rows and the columns.
   *
   * @param source what is read, for messages ({@code table "public"."orders"} or {@code query})
   * @param table whether {@code select} reads a table whole (errors then say "no such table")
   * @throws NqlException EXTERNAL_CONNECTION_FAILED when the server cannot be reached or refuses
   *     the login; SYNTAX_ERROR for a text of several statements; NOT_SUPPORTED for a column of a
   *     type datasets do not have; the server's error otherwise (see {@link PostgresErrors})
   */
  static PostgresSource open(
      PostgresUrl url,
      String user,
      String password,
      String secret,
      String select,
      String source,
      boolean table,
      AtomicBoolean cancel) {
    Connection c = connect(url, user, password, "secret " + secret);
    PostgresSource s = null;
    try {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      s = new PostgresSource(c, source, table, cancel);
      s.declare(select);
      return s;
    } catch (SQLException e) {
      closeQuietly(s, c);
      throw PostgresErrors.read(e, source, table);
    } catch (RuntimeException e) {
      closeQuietly(s, c);
      throw e;
    }
  }

  /**
   * Connects with the URL's checked parts and the settings of {@link PostgresUrl#driverProperties};
   * the caller makes the transaction read-only.
   *
   * @param via the credentials used, for messages ({@code secret <name>}, {@code data plane
   *     <name>})
   * @throws NqlException EXTERNAL_CONNECTION_FAILED when the server cannot be reached or refuses
   *     the login (see {@link PostgresErrors#connect})
   */
  static Connection connect(PostgresUrl url, String user, String password, String via) {
    try {
      Connection c =
          new org.postgresql.Driver()
              .connect(url.driverUrl(), url.driverProperties(user, password));
      if (c == null) {
        throw new SQLException("the driver does not accept the URL", "08001");
      }
      return c;
    } catch (SQLException e) {
      throw PostgresErrors.connect(e, url, via);
    }
  }

  private static void closeQuietly(PostgresSource s, Connection c) {
    if (s != null) {
      s.close();
    } else {
      try {
        c.close();
      } catch (SQLException e) {
        // already failed
      }
    }
  }

  private void declare(String select) throws SQLException {
    statement.execute("SET TRANSACTION READ ONLY");
    String declare = "DECLARE " + CURSOR + " NO SCROLL CURSOR FOR " + select;
    // The driver splits a text into statements as this does and sends each: one it must be.
    boolean standardStrings =
        connection.unwrap(BaseConnection.class).getStandardConformingStrings();
    if (Parser.parseJdbcSql(declare, standardStrings, false, true, false, false).size() != 1) {
      throw NqlException.of(
          ErrorCode.SYNTAX_ERROR,
          "Cannot import from PostgreSQL %s: it must be one statement (no ';' between statements)",
          source);
    }
    statement.execute(declare);
    fetch();
    ResultSetMetaData md = batch.getMetaData();
    List<PostgresColumn> cols = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      cols.add(PostgresColumn.of(md, i));
    }
    this.columns = List.copyOf(cols);
  }

  private void fetch() throws SQLException {
    if (batch != null) {
      batch.close();
    }
    batch = statement.executeQuery("FETCH FORWARD " + FETCH_ROWS + " FROM " + CURSOR);
    batchRows = 0;
  }

  /** The columns, in order. */
  List<PostgresColumn> columns() {
    return columns;
  }

  /**
   * The next row's values (Java values of the columns' dataset types, or PostgreSQL's text of a
   * value no such type holds), or null at the end.
   *
   * @throws NqlException as {@link #open} for a failure of the server while reading
   */
  Object[] next() {
    try {
      while (!batch.next()) {
        if (last || batchRows < FETCH_ROWS) {
          last = true;
          return null;
        }
        fetch();
      }
      batchRows++;
      Object[] row = new Object[columns.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = columns.get(i).reader().read(batch, i + 1);
      }
      return row;
    } catch (SQLException e) {
      throw PostgresErrors.read(e, source, table);
    }
  }

  /** Ends the transaction (nothing was written) and closes the connection. */
  @Override
  public void close() {
    watch.cancel(false);
    try {
      connection.rollback();
    } catch (SQLException e) {
      // the connection may be broken: closing it ends the transaction as well
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing to keep
    }
  }
}
