package io.nql.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.SplittableRandom;

/** The two scenarios, the same JDBC code for both systems. */
final class Scenarios {
  private Scenarios() {}

  /**
   * Reads every visible row and every column value through one statement.
   *
   * <p>PostgreSQL streams with a cursor only outside auto-commit, so the connection runs in a
   * transaction for both systems.
   */
  static FetchResult fullFetch(Target target, int fetchSize) throws SQLException {
    try (Connection c = target.connectAsBuyer()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(fetchSize);
        long rows = 0;
        long bytes = 0;
        long checksum = 0;
        long t0 = System.nanoTime();
        try (ResultSet rs = s.executeQuery(target.fullFetchSql())) {
          while (rs.next()) {
            long id = rs.getLong(1);
            String region = rs.getString(2);
            BigDecimal amount = rs.getBigDecimal(3);
            Timestamp ts = rs.getTimestamp(4);
            String name = rs.getString(5);
            boolean flag = rs.getBoolean(6);
            rows++;
            bytes += 8 + region.length() + 8 + (ts == null ? 0 : 8) + name.length() + 1;
            checksum +=
                id + (amount == null ? 0 : amount.unscaledValue().longValue()) + (flag ? 1 : 0);
          }
        }
        long nanos = System.nanoTime() - t0;
        c.commit();
        return new FetchResult(rows, bytes, checksum, nanos);
      }
    }
  }

  /**
   * Runs {@code count} point queries for ids drawn with {@code seed} from 1..{@code totalRows} (a
   * fifth of them hidden by the policy): on one prepared statement with the id as a {@code ?}
   * parameter, or with {@code literal}, on one plain statement with the id written into the SQL.
   */
  static Latencies pointQueries(
      Target target, int count, long totalRows, long seed, boolean literal) throws SQLException {
    SplittableRandom random = new SplittableRandom(seed);
    long[] nanos = new long[count];
    long rows = 0;
    String sql = target.pointSql();
    try (Connection c = target.connectAsBuyer();
        PreparedStatement ps = literal ? null : c.prepareStatement(sql);
        Statement s = literal ? c.createStatement() : null) {
      for (int i = 0; i < count; i++) {
        long id = 1 + random.nextLong(totalRows);
        long t0 = System.nanoTime();
        ResultSet rs;
        if (literal) {
          rs = s.executeQuery(sql.replace("?", Long.toString(id)));
        } else {
          ps.setLong(1, id);
          rs = ps.executeQuery();
        }
        try (rs) {
          rows += readPointRows(rs);
        }
        nanos[i] = System.nanoTime() - t0;
      }
    }
    return new Latencies(nanos, rows);
  }

  /** Reads every value of a point query's rows, as an application would; the rows read. */
  static long readPointRows(ResultSet rs) throws SQLException {
    long rows = 0;
    while (rs.next()) {
      rs.getLong(1);
      rs.getString(2);
      rs.getBigDecimal(3);
      rs.getTimestamp(4);
      rs.getString(5);
      rs.getBoolean(6);
      rows++;
    }
    return rows;
  }
}
