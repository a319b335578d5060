package io.nql.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * Turns what Avatica's client throws into the engine's error: the SQLSTATE, vendor code and the
 * engine's one-line message, without Avatica's "Error while executing SQL" wrapping.
 */
final class Errors {
  private static final String AVATICA_PREFIX = "Error while executing SQL \"";

  private Errors() {}

  static SQLException clean(Throwable e) {
    return clean(e, null);
  }

  /** As {@link #clean(Throwable)}, knowing the statement text Avatica may have put in front. */
  static SQLException clean(Throwable e, String sql) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AvaticaRuntimeException are) {
        return new SQLException(are.getErrorMessage(), are.getSqlState(), are.getErrorCode());
      }
      if (t instanceof AvaticaSqlException ase) {
        return new SQLException(
            stripPrefix(ase.getErrorMessage(), sql), ase.getSQLState(), ase.getErrorCode());
      }
      if (t instanceof IllegalStateException ise && t.getMessage() != null) {
        return new SQLException(ise.getMessage(), "08001");
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
