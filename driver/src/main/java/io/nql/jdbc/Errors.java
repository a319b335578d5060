package io.nql.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * Turns what Avatica's client throws into the engine's error: the SQLSTATE, vendor code and the
 * engine's one-line message, without Avatica's "Error while executing SQL" wrapping.
 */
final class Errors {
  private static final String AVATICA_PREFIX = "Error while executing SQL \"";
  private static final String REMOTE_PREFIX = "Remote driver error: ";
  private static final String AVATICA_HTTP_FAILURE = "Failed to execute HTTP Request, got HTTP/";

  private Errors() {}

  static SQLException clean(Throwable e) {
    return clean(e, null);
  }

  /** As {@link #clean(Throwable)}, knowing the statement text Avatica may have put in front. */
  static SQLException clean(Throwable e, String sql) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String httpStatus = httpStatus(t);
      if ("401".equals(httpStatus)) {
        // The gateway refuses missing or wrong credentials without saying which.
        return new SQLException("Cannot connect: authentication failed", "28000");
      }
      if ("426".equals(httpStatus)) {
        return new SQLException(
            "Cannot connect: the gateway requires TLS (set ssl=true and a trustStore)", "08001");
      }
      if (httpStatus != null) {
        return new SQLException(
            "Cannot reach the gateway: it answered HTTP " + httpStatus, "08006");
      }
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.net.ConnectException) {
        return new SQLException("Cannot reach the gateway: " + t.getMessage(), "08001", t);
      }
      if (t instanceof AvaticaClientRuntimeException remote && remote.getSqlState() != null) {
        return new SQLException(
            stripRemote(remote.getMessage()), remote.getSqlState(), remote.getErrorCode());
      }
      if (t instanceof AvaticaRuntimeException are) {
        return new SQLException(are.getErrorMessage(), are.getSqlState(), are.getErrorCode());
      }
      if (t instanceof AvaticaSqlException ase) {
        return new SQLException(
            stripRemote(stripPrefix(ase.getErrorMessage(), sql)),
            ase.getSQLState(),
            ase.getErrorCode());
      }
      if (t instanceof IllegalStateException ise && t.getMessage() != null) {
        return new SQLException(ise.getMessage(), "08001");
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        // the driver's own error, carried through code that throws unchecked exceptions
        return s;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (e instanceof SQLException sqlException) {
      return sqlException;
    }
    return new SQLException(e.getMessage(), "XX000", e);
  }

  /** The status of Avatica's "Failed to execute HTTP Request, got HTTP/401" failure, or null. */
  private static String httpStatus(Throwable t) {
    String m = t.getMessage();
    if (t instanceof RuntimeException && m != null && m.startsWith(AVATICA_HTTP_FAILURE)) {
      return m.substring(AVATICA_HTTP_FAILURE.length()).trim();
    }
    return null;
  }

  /**
   * The error to report when closing failed, or {@code null} when the gateway has already forgotten
   * the connection (idle timeout, restart) or cannot be reached: then there is nothing left to
   * close, and JDBC's close should not fail.
   */
  static SQLException onClose(Throwable e) {
    SQLException clean = clean(e);
    String state = clean.getSQLState();
    if (state != null && (state.equals("28000") || state.startsWith("08"))) {
      return null;
    }
    return clean;
  }

  /** Avatica's remote client puts "Remote driver error: " before the gateway's message. */
  private static String stripRemote(String message) {
    return message != null && message.startsWith(REMOTE_PREFIX)
        ? message.substring(REMOTE_PREFIX.length())
        : message;
  }

  private static String stripPrefix(String message, String sql) {
    if (message != null && sql != null && message.startsWith(AVATICA_PREFIX + sql + "\": ")) {
      return message.substring(AVATICA_PREFIX.length() + sql.length() + 3);
    }
    if (message != null && message.startsWith(AVATICA_PREFIX)) {
      int end = message.lastIndexOf("\": ");
      if (end > 0) {
        return message.substring(end + 3);
      }
    }
    return message;
  }
}
