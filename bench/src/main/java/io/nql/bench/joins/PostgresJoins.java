package io.nql.bench.joins;

import io.nql.planner.testing.JoinTables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL side: the owner role creates {@code nql_joins.t<n>} with every row (no index, as
 * NQL has none), analyzes it, and enforces the access rule with row-level security (a policy with
 * the rule's filter) and column privileges (the rule's columns) for a separate buyer role, which
 * the queries run as.
 */
final class PostgresJoins {
  static final String SCHEMA = "nql_joins";

  private PostgresJoins() {}

  /**
   * Loads tables 1..{@code tables}.
   *
   * @return seconds taken
   * @throws SQLException also when the buyer role does not exist (the message says how to create
   *     it)
   */
  static double load(JoinOptions o, JoinTables data, int tables) throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(o.pgUrl(), o.pgUser(), o.pgPassword());
        Statement s = c.createStatement()) {
      requireBuyer(s, o);
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("CREATE SCHEMA " + SCHEMA);
      s.execute("GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + o.pgBuyer());
      c.setAutoCommit(false);
      for (int n = 1; n <= tables; n++) {
        String table = SCHEMA + "." + JoinTables.rule(n);
        s.execute("CREATE TABLE " + table + " (" + JoinTables.datasetColumns(n) + ")");
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
          for (Object[] row : data.datasetRows(n)) {
            for (int i = 0; i < row.length; i++) {
              insert.setObject(i + 1, row[i]);
            }
            insert.addBatch();
          }
          insert.executeBatch();
        }
        s.execute("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
        s.execute(
            "CREATE POLICY visible ON "
                + table
                + " FOR SELECT TO "
                + o.pgBuyer()
                + " USING ("
                + JoinTables.ruleFilter(n)
                + ")");
        s.execute(
            "GRANT SELECT (" + JoinTables.ruleColumns(n) + ") ON " + table + " TO " + o.pgBuyer());
      }
      c.commit();
      c.setAutoCommit(true);
      for (int n = 1; n <= tables; n++) {
        s.execute("ANALYZE " + SCHEMA + "." + JoinTables.rule(n));
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void requireBuyer(Statement s, JoinOptions o) throws SQLException {
    try (ResultSet rs =
        s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + o.pgBuyer() + "'")) {
      if (!rs.next()) {
        throw new SQLException(
            "No PostgreSQL role "
                + o.pgBuyer()
                + ": create it once as a superuser, e.g. runuser -u postgres -- psql -c"
                + " \"CREATE ROLE "
                + o.pgBuyer()
                + " LOGIN PASSWORD '"
                + o.pgBuyerPassword()
                + "'\"");
      }
    }
  }

  /** The buyer's connection. */
  static JoinClient client(JoinOptions o) throws SQLException {
    Connection connection =
        DriverManager.getConnection(o.pgUrl(), o.pgBuyer(), o.pgBuyerPassword());
    return new JoinClient() {
      @Override
      public String name() {
        return "PostgreSQL";
      }

      @Override
      public String table(int n) {
        return SCHEMA + "." + JoinTables.rule(n);
      }

      @Override
      public List<List<String>> rows(String sql) throws SQLException {
        return JdbcRows.read(connection, sql);
      }

      @Override
      public void close() throws SQLException {
        connection.close();
      }
    };
  }
}
