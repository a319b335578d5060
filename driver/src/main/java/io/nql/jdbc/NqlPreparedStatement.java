package io.nql.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLXML;
import java.sql.Types;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.Meta;

/** A prepared statement: Avatica's, with clean errors and the JDBC 4.1 setters NQL supports. */
final class NqlPreparedStatement extends AvaticaPreparedStatement {
  NqlPreparedStatement(
      AvaticaConnection connection,
      Meta.StatementHandle h,
      Meta.Signature signature,
      int resultSetType,
      int resultSetConcurrency,
      int resultSetHoldability)
      throws SQLException {
    super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
    this.canceller = new StatementCanceller(connection, this);
  }

  private final StatementCanceller canceller;

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

  /**
   * Also java.time values (JDBC 4.2), which Avatica does not take: see {@link JavaTimeParameters}.
   */
  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    super.setObject(parameterIndex, JavaTimeParameters.toJdbc(x));
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    Object v = JavaTimeParameters.toJdbc(x);
    if (!setTemporal(parameterIndex, v, targetSqlType)) {
      super.setObject(parameterIndex, v, targetSqlType);
    }
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength)
      throws SQLException {
    Object v = JavaTimeParameters.toJdbc(x);
    if (!setTemporal(parameterIndex, v, targetSqlType)) {
      super.setObject(parameterIndex, v, targetSqlType, scaleOrLength);
    }
  }

  /**
   * A date, time or timestamp for a parameter of the same type, through its own setter: Avatica's
   * {@code setObject} with a target type cannot convert them ("Cannot convert from
   * java.sql.Timestamp to long").
   */
  private boolean setTemporal(int parameterIndex, Object v, int targetSqlType) throws SQLException {
    if (v instanceof java.sql.Timestamp t
        && (targetSqlType == Types.TIMESTAMP || targetSqlType == Types.TIMESTAMP_WITH_TIMEZONE)) {
      setTimestamp(parameterIndex, t);
      return true;
    }
    if (v instanceof java.sql.Date d && targetSqlType == Types.DATE) {
      setDate(parameterIndex, d);
      return true;
    }
    if (v instanceof java.sql.Time t && targetSqlType == Types.TIME) {
      setTime(parameterIndex, t);
      return true;
    }
    return false;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    canceller.starting(getQueryTimeout());
    try {
      return super.executeQuery();
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, getSignature().sql);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    canceller.starting(getQueryTimeout());
    try {
      return super.executeLargeUpdate();
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, getSignature().sql);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    canceller.starting(getQueryTimeout());
    try {
      return super.execute();
    } catch (SQLException | RuntimeException e) {
      throw Errors.clean(e, getSignature().sql);
    }
  }

  private static SQLFeatureNotSupportedException unsupported(String what) {
    return new SQLFeatureNotSupportedException(
        "Cannot bind a parameter as " + what + ": not supported", "0A000");
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    throw unsupported("ROWID");
  }

  @Override
  public void setNString(int parameterIndex, String value) throws SQLException {
    setString(parameterIndex, value);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value, long length)
      throws SQLException {
    throw unsupported("a character stream");
  }

  @Override
  public void setNClob(int parameterIndex, NClob value) throws SQLException {
    throw unsupported("NCLOB");
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    throw unsupported("CLOB");
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream, long length)
      throws SQLException {
    throw unsupported("BLOB");
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    throw unsupported("NCLOB");
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    throw unsupported("SQLXML");
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    throw unsupported("an ASCII stream");
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    throw unsupported("a binary stream");
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length)
      throws SQLException {
    throw unsupported("a character stream");
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    throw unsupported("an ASCII stream");
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    throw unsupported("a binary stream");
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    throw unsupported("a character stream");
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
    throw unsupported("a character stream");
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    throw unsupported("CLOB");
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
    throw unsupported("BLOB");
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    throw unsupported("NCLOB");
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
