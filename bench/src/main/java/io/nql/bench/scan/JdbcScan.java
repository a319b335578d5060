package io.nql.bench.scan;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A JDBC client: jdbc:nql or pgjdbc, one connection, forward-only with a fetch size. */
final class JdbcScan implements ScanClient {
  /** Opens the connection a JDBC client uses. */
  interface Connector {
    Connection open() throws SQLException;
  }

  private final String name;
  private final Connection conn;
  private final String table;
  private final int fetchSize;

  /**
   * @param transaction whether to read inside a transaction (pgjdbc streams with a fetch size only
   *     then)
   */
  JdbcScan(String name, Connector connector, String table, int fetchSize, boolean transaction)
      throws SQLException {
    this.name = name;
    this.conn = connector.open();
    this.table = table;
    this.fetchSize = fetchSize;
    if (transaction) {
      conn.setAutoCommit(false);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Answer run(String scenario) throws SQLException {
    Answer answer;
    try (Statement s = conn.createStatement()) {
      s.setFetchSize(fetchSize);
      try (ResultSet rs = s.executeQuery(ScanQueries.sql(table, scenario, ""))) {
        if (scenario.equals(ScanQueries.AGGREGATE)) {
          GroupSums g = new GroupSums();
          GroupReaders.add(rs, g);
          answer = g;
        } else {
          Checksum c = new Checksum();
          Readers.add(rs, c);
          answer = c;
        }
      }
    }
    if (!conn.getAutoCommit()) {
      conn.commit();
    }
    return answer;
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
