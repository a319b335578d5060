package io.nql.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/**
 * A statement: Avatica's, with the engine's errors passed through clean, and cancel and query
 * timeouts that reach the gateway.
 */
final class NqlStatement extends AvaticaStatement {
  private final StatementCanceller canceller;

  NqlStatement(
      AvaticaConnection connection,
      Meta.StatementHandle h,
      int resultSetType,
      int resultSetConcurrency,
      int resultSetHoldability) {
    super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    this.canceller = new StatementCanceller(connection, this);
  }

  @Override
  protected void executeInternal(String sql) throws SQLException {
    canceller.starting(getQueryTimeout());
    try {
      super.executeInternal(sql);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    canceller.starting(getQueryTimeout());
    try {
      return super.executeQuery(sql);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }

  /** Not synchronized (unlike Avatica's): it must run while another thread executes. */
  @Override
  public void cancel() throws SQLException {
    if (!canceller.cancel(handle.id)) {
      super.cancel();
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    canceller.closed();
    try {
      super.close();
    } catch (SQLException | RuntimeException e) {
      SQLException report = Errors.onClose(e);
      if (report != null) {
        throw report;
      }
    }
  }

  /** The warnings of the latest execution (e.g. SQLSTATE 01N01: a budget stopped delivery). */
  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    if (isClosed()) {
      throw new SQLException("Cannot read warnings: the statement is closed", "HY010");
    }
    return StatementWarnings.of(connection, handle.id);
  }
}
