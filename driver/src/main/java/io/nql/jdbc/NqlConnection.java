package io.nql.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.InternalProperty;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;

/** A connection to NQL: Avatica's, with clean errors when preparing statements. */
final class NqlConnection extends AvaticaConnection {
  private final boolean columnarFrames;

  NqlConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
    columnarFrames =
        ColumnarFrameReader.VERSION_1.equals(info.getProperty(ConnectionProperties.FRAME_ENCODING));
    // NQL's lexical rules, from which DatabaseMetaData answers the identifier calls
    properties.put(InternalProperty.CASE_SENSITIVE, true);
    properties.put(InternalProperty.QUOTING, Quoting.DOUBLE_QUOTE);
    properties.put(InternalProperty.UNQUOTED_CASING, Casing.TO_LOWER);
    properties.put(InternalProperty.QUOTED_CASING, Casing.UNCHANGED);
  }

  /** Whether the connection asked the gateway for columnar frames. */
  boolean columnarFrames() {
    return columnarFrames;
  }

  /** The connection's Meta, for reading results a frame ahead. */
  Meta meta() {
    return meta;
  }

  /**
   * An empty metadata result with the given columns, made on the client as Avatica makes the
   * results of metadata calls its protocol does not carry (keys, indexes, privileges…).
   */
  ResultSet emptyMetadataResult(List<ColumnMetaData> columns, QueryState state)
      throws SQLException {
    checkOpen();
    Meta.Signature signature =
        Meta.Signature.create(
            columns, "", List.of(), Meta.CursorFactory.ARRAY, Meta.StatementType.SELECT);
    return createResultSet(
        Meta.MetaResultSet.create(id, statementCount++, true, signature, Meta.Frame.EMPTY), state);
  }

  /** NQL reads the statement as written (JDBC escapes included): nothing to translate. */
  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return sql;
  }

  /** Asks the gateway: true when the connection is open there. */
  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("timeout is less than 0", "HY000");
    }
    if (isClosed()) {
      return false;
    }
    try {
      getAutoCommit();
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
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
    // As Avatica's, without its wrapping: it replaces the engine's message with the statement text.
    checkOpen();
    try {
      Meta.StatementHandle h = meta.prepare(handle, sql, -1);
      return factory.newPreparedStatement(
          this, h, h.signature, resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, sql);
    }
  }
}
