package io.nql.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.UnregisteredDriver;

/** A connection to NQL: Avatica's, with clean errors when preparing statements. */
final class NqlConnection extends AvaticaConnection {
  NqlConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
  }

  @Override
  public AvaticaStatement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    try {
      return super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      super.close();
    } catch (SQLException | RuntimeException e) {
      SQLException report = Errors.onClose(e);
      if (report != null) {
        throw report;
      }
    } finally {
      EmbeddedServiceFactory.closed(id);
    }
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    try {
      return super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }
}
