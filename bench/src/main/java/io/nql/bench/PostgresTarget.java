package io.nql.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL side: the owner role creates {@code nql_bench.events} (primary key on {@code id}),
 * loads the same CSV with {@code COPY FROM STDIN}, analyzes it and enforces the policy with
 * row-level security (a policy with the access rule's filter) and column privileges (the rule's
 * columns only) for a separate buyer role, which the queries run as.
 */
final class PostgresTarget implements Target {
  static final String TABLE = "nql_bench.events";

  private final BenchOptions o;
  private final double loadSeconds;

  private PostgresTarget(BenchOptions o, double loadSeconds) {
    this.o = o;
    this.loadSeconds = loadSeconds;
  }

  /** Loads {@code csv} as the owner and sets up the buyer role, policy and grants. */
  static PostgresTarget load(BenchOptions o, Path csv) throws SQLException, IOException {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(o.pgUrl(), o.pgUser(), o.pgPassword());
        Statement s = c.createStatement()) {
      ensureBuyerRole(s, o);
      s.execute("CREATE SCHEMA IF NOT EXISTS nql_bench");
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute(
          "CREATE TABLE "
              + TABLE
              + " (id BIGINT PRIMARY KEY, region VARCHAR NOT NULL, amount DECIMAL(12, 2),"
              + " event_ts TIMESTAMP NOT NULL, name VARCHAR NOT NULL, flag BOOLEAN NOT NULL,"
              + " email VARCHAR NOT NULL)");
      PgCopy.csv(c, TABLE, BenchData.ALL_COLUMNS, csv);
      s.execute("ANALYZE " + TABLE);
      s.execute("ALTER TABLE " + TABLE + " ENABLE ROW LEVEL SECURITY");
      s.execute(
          "CREATE POLICY buyer_visible ON "
              + TABLE
              + " FOR SELECT TO "
              + o.pgBuyer()
              + " USING ("
              + BenchData.POLICY_FILTER
              + ")");
      s.execute("GRANT USAGE ON SCHEMA nql_bench TO " + o.pgBuyer());
      s.execute(
          "GRANT SELECT (" + BenchData.VISIBLE_COLUMNS + ") ON " + TABLE + " TO " + o.pgBuyer());
    }
    return new PostgresTarget(o, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Creates the buyer role when it does not exist. Creating a role needs CREATEROLE, which the
   * project's test role lacks: then the message says how to create it once as a superuser.
   */
  private static void ensureBuyerRole(Statement s, BenchOptions o) throws SQLException {
    try (ResultSet rs =
        s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + o.pgBuyer() + "'")) {
      if (rs.next()) {
        return;
      }
    }
    String ddl =
        "CREATE ROLE "
            + o.pgBuyer()
            + " LOGIN PASSWORD '"
            + o.pgBuyerPassword().replace("'", "''")
            + "'";
    try {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new SQLException(
          "Cannot create the PostgreSQL buyer role "
              + o.pgBuyer()
              + ": "
              + e.getMessage()
              + ". Create it once as a superuser, e.g.: runuser -u postgres -- psql -c \""
              + ddl
              + "\"",
          e.getSQLState(),
          e);
    }
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public Connection connectAsBuyer() throws SQLException {
    return DriverManager.getConnection(o.pgUrl(), o.pgBuyer(), o.pgBuyerPassword());
  }

  @Override
  public String fullFetchSql() {
    return "SELECT " + BenchData.VISIBLE_COLUMNS + " FROM " + TABLE;
  }

  @Override
  public String pointSql() {
    return "SELECT " + BenchData.VISIBLE_COLUMNS + " FROM " + TABLE + " WHERE id = ?";
  }

  @Override
  public double loadSeconds() {
    return loadSeconds;
  }

  @Override
  public void checkPolicy(long expectedVisibleRows) throws SQLException {
    try (Connection c = connectAsBuyer();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
        rs.next();
        Checks.equal(name() + " visible rows", expectedVisibleRows, rs.getLong(1));
      }
      Checks.refused(name(), s, "SELECT email FROM " + TABLE);
      Checks.refused(name(), s, "UPDATE " + TABLE + " SET flag = NOT flag");
    }
  }

  @Override
  public void close() {}
}
