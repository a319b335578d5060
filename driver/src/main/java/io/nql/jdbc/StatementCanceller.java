package io.nql.jdbc;

import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;

/**
 * Cancel and query timeout of one statement: on a remote connection a cancel goes to the gateway's
 * {@code /cancel} ({@link RemoteCancel}), on an embedded one straight to the engine's session; a
 * query timeout is a timer started with each execution that cancels the same way, so the statement
 * stops and fails with SQLSTATE 57014 in the engine, whichever front end runs it.
 */
final class StatementCanceller {
  private static final class Timer {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-jdbc-query-timeout");
              t.setDaemon(true);
              return t;
            });
  }

  private final AvaticaConnection connection;
  private final AvaticaStatement statement;
  private ScheduledFuture<?> timeout;

  StatementCanceller(AvaticaConnection connection, AvaticaStatement statement) {
    this.connection = connection;
    this.statement = statement;
  }

  /** An execution starts: replaces the previous execution's timer. */
  synchronized void starting(int timeoutSeconds) {
    clear();
    if (timeoutSeconds > 0) {
      int id = statement.handle.id;
      timeout =
          Timer.INSTANCE.schedule(
              () -> {
                try {
                  cancel(id);
                } catch (SQLException e) {
                  // the statement ends by itself or the connection is gone
                }
              },
              timeoutSeconds,
              TimeUnit.SECONDS);
    }
  }

  /**
   * Cancels in the engine (on the gateway for a remote connection); false when no engine is known
   * for the connection (then Avatica's own cancel applies).
   */
  boolean cancel(int statementId) throws SQLException {
    if (!remote()) {
      EmbeddedServiceFactory.cancel(connection.id, statementId);
      return EmbeddedServiceFactory.knows(connection.id);
    }
    RemoteCancel.cancel(connection.config(), connection.id, statementId);
    return true;
  }

  synchronized void closed() {
    clear();
  }

  private void clear() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  private boolean remote() {
    String url = connection.config().url();
    return url != null && (url.startsWith("http://") || url.startsWith("https://"));
  }
}
