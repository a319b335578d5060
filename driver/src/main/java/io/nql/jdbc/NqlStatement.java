package io.nql.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/** A statement: Avatica's, with the engine's errors passed through clean. */
final class NqlStatement extends AvaticaStatement {
  NqlStatement(
      AvaticaConnection connection,
      Meta.StatementHandle h,
      int resultSetType,
      int resultSetConcurrency,
      int resultSetHoldability) {
    super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  protected void executeInternal(String sql) throws SQLException {
    try {
      super.executeInternal(sql);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    try {
      return super.executeQuery(sql);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }
}
