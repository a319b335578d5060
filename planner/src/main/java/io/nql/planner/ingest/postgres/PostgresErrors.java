package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns the driver's failures into one-line errors. A server's own message is relayed (PostgreSQL
 * never puts a password in one); the driver's texts are not (they name classes and settings), only
 * what kind of failure it was. The driver's exception stays the cause, for the gateway log.
 */
final class PostgresErrors {
  private PostgresErrors() {}

  /**
   * A failure to connect or log in.
   *
   * @param via the credentials used, for the message: {@code secret <name>} or {@code data plane
   *     <name>}
   */
  static NqlException connect(SQLException e, PostgresUrl url, String via) {
    String reason = serverMessage(e);
    if (reason == null) {
      reason = clientReason(e);
    }
    return new NqlException(
        ErrorCode.EXTERNAL_CONNECTION_FAILED,
        oneLine(
            "Cannot connect to PostgreSQL at "
                + url.hostAndPort()
                + " with "
                + via
                + ": "
                + reason),
        e);
  }

  /**
   * A failure while the import reads.
   *
   * @param source what is read, for the message ({@code table "public"."orders"} or {@code query})
   * @param table whether the source is a table (then a missing table and one the user may not read
   *     give the same error)
   */
  static NqlException read(SQLException e, String source, boolean table) {
    return failed(e, "Cannot import from PostgreSQL " + source + ": ", table);
  }

  /**
   * A failure while reading a table's description from PostgreSQL's catalog.
   *
   * @param prefix the message's start, e.g. {@code Cannot create dataset x: }
   */
  static NqlException catalog(SQLException e, String prefix) {
    return failed(e, prefix, true);
  }

  private static NqlException failed(SQLException e, String prefix, boolean table) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String server = serverMessage(e);
    if (table && (state.equals("42P01") || state.equals("42501") || state.equals("3F000"))) {
      return new NqlException(
          ErrorCode.UNKNOWN_TABLE, prefix + "no such table, or no permission to read it", e);
    }
    if (server == null) {
      return new NqlException(
          state.startsWith("08")
              ? ErrorCode.EXTERNAL_CONNECTION_FAILED
              : ErrorCode.EXTERNAL_SOURCE_ERROR,
          prefix + clientReason(e),
          e);
    }
    ErrorCode code = codeOf(state);
    String detail =
        state.equals("25006") ? server + " (imports read in a read-only transaction)" : server;
    return new NqlException(code, oneLine(prefix + detail), e);
  }

  /**
   * Ours for PostgreSQL's SQLSTATE: the code of the same state when we have one (22012 is 22012), a
   * write refused by the read-only transaction as 42501, else by class.
   */
  private static ErrorCode codeOf(String state) {
    if (state.equals("25006")) {
      return ErrorCode.INSUFFICIENT_PRIVILEGE;
    }
    for (ErrorCode c : ErrorCode.values()) {
      if (c.isUserError() && c.sqlState().equals(state)) {
        return c;
      }
    }
    if (state.startsWith("22")) {
      return ErrorCode.DATA_EXCEPTION;
    }
    if (state.startsWith("08") || state.startsWith("57")) {
      return ErrorCode.EXTERNAL_CONNECTION_FAILED;
    }
    return state.startsWith("42") ? ErrorCode.VALIDATION_ERROR : ErrorCode.EXTERNAL_SOURCE_ERROR;
  }

  private static String serverMessage(SQLException e) {
    if (e instanceof PSQLException p) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m != null && m.getMessage() != null) {
        return m.getMessage();
      }
    }
    return null;
  }

  private static String clientReason(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return "connection refused";
      }
      if (t instanceof SocketTimeoutException) {
        return "timed out";
      }
      if (t instanceof SSLException) {
        return "the SSL connection failed";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.contains("requireAuth")) {
      return "the server asks for an authentication method imports do not use (only password,"
          + " md5, scram-sha-256 or none)";
    }
    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      return "the connection failed";
    }
    return "the driver failed (SQLSTATE "
        + (e.getSQLState() == null ? "none" : e.getSQLState())
        + ")";
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
