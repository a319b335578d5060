package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The error a client sees for a statement that failed with something other than an {@link
 * NqlException}: usually a bug ({@code XX000}, details in the gateway log), but a metadata store
 * that stopped answering under the Iceberg catalog (which shares the store's database and reports
 * through its own unchecked exception) is told as what it is, {@code 58030}, so that clients retry
 * instead of reporting a bug.
 */
final class StatementFailures {
  private StatementFailures() {}

  static NqlException unexpected(String statementId, RuntimeException e) {
    if (storeUnreachable(e)) {
      return new NqlException(
          ErrorCode.IO_ERROR,
          "Cannot run statement " + statementId + ": the metadata store does not answer; try again",
          e);
    }
    return new NqlException(
        ErrorCode.INTERNAL_ERROR,
        "Internal error in statement " + statementId + "; see the gateway log",
        e);
  }

  /** Whether a cause of {@code t} is a lost or refused connection to a database (SQLSTATE 08). */
  static boolean storeUnreachable(Throwable t) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        // 08: connection exception; 57P01..57P03: the server shut down or terminated the backend
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }
}
