package io.nql.server.cli;

import io.nql.planner.error.NqlException;
import java.sql.SQLException;
import picocli.CommandLine;

/**
 * Prints engine and JDBC errors as {@code ERROR <SQLSTATE>: <message>} on stderr, without stack
 * traces, and exits with status 1; unexpected failures exit with status 2.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (ex instanceof NqlException e) {
      commandLine.getErr().println("ERROR " + e.sqlState() + ": " + e.getMessage());
      return 1;
    }
    if (ex instanceof SQLException e && e.getSQLState() != null) {
      // a jdbc:nql connection's failure (nql shell --url): the gateway's SQLSTATE and message
      commandLine.getErr().println("ERROR " + e.getSQLState() + ": " + e.getMessage());
      return 1;
    }
    commandLine
        .getErr()
        .println(
            "ERROR XX000: internal error: "
                + (ex.getMessage() == null ? "unexpected failure" : ex.getMessage()));
    return 2;
  }
}
