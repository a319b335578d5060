package io.nql.jdbc;

import java.sql.SQLWarning;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;

/**
 * {@code Statement.getWarnings()} for NQL: the warnings of the statement's latest execution (e.g. a
 * budget that stopped delivery, SQLSTATE 01N01), fetched from the engine — in-process for an
 * embedded connection, from the gateway's {@code /warnings} for a remote one.
 */
final class StatementWarnings {
  private StatementWarnings() {}

  static SQLWarning of(AvaticaConnection connection, int statementId) {
    String url = connection.config().url();
    boolean remote = url != null && (url.startsWith("http://") || url.startsWith("https://"));
    List<String[]> pairs =
        remote
            ? RemoteCancel.warnings(connection.config(), connection.id, statementId)
            : EmbeddedServiceFactory.warnings(connection.id, statementId);
    SQLWarning first = null;
    for (String[] p : pairs) {
      SQLWarning w = new SQLWarning(p[1], p[0]);
      if (first == null) {
        first = w;
      } else {
        first.setNextWarning(w);
      }
    }
    return first;
  }
}
