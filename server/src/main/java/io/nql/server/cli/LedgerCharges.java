package io.nql.server.cli;

import io.nql.planner.engine.Charge;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * A statement's charge over JDBC, which carries warnings but not charges: read back from {@code
 * company_data._ledger}. Before the statement it notes the newest buyer entry; afterwards it adds
 * up the buyer entries that appeared since, by statement. The ledger knows the company, not the
 * session: what another session of the same company buys meanwhile is counted too.
 */
final class LedgerCharges {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final Connection connection;

  LedgerCharges(Connection connection) {
    this.connection = connection;
  }

  /** Where the ledger stood before a statement. */
  record Mark(LocalDateTime newest, Set<String> statementsAtNewest) {}

  /**
   * Notes where the ledger stands.
   *
   * @throws SQLException when the ledger cannot be read
   */
  Mark mark() throws SQLException {
    LocalDateTime newest = null;
    Set<String> ids = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT statement_id, created_at FROM company_data._ledger WHERE role = 'buyer'"
                    + " AND created_at >= (SELECT MAX(created_at) FROM company_data._ledger"
                    + " WHERE role = 'buyer')")) {
      while (rs.next()) {
        LocalDateTime at = rs.getObject(2, LocalDateTime.class);
        if (newest == null || at.isAfter(newest)) {
          newest = at;
          ids.clear();
        }
        if (at.equals(newest)) {
          ids.add(rs.getString(1));
        }
      }
    }
    return new Mark(newest, ids);
  }

  /**
   * What was charged since {@code mark}: the rows and amount of the buyer entries of statements
   * that were not in the ledger then.
   *
   * @param budgetCut whether the statement reported that its budget stopped delivery
   * @throws SQLException when the ledger cannot be read
   */
  Charge since(Mark mark, boolean budgetCut) throws SQLException {
    String sql =
        "SELECT statement_id, SUM(rows_delivered), SUM(amount_micros) FROM company_data._ledger"
            + " WHERE role = 'buyer'"
            + (mark.newest() == null
                ? ""
                : " AND created_at >= TIMESTAMP '" + LITERAL.format(mark.newest()) + "'")
            + " GROUP BY statement_id";
    long rows = 0;
    long micros = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (!mark.statementsAtNewest().contains(rs.getString(1))) {
          rows += rs.getLong(2);
          micros += rs.getLong(3);
        }
      }
    }
    return new Charge(rows, micros, budgetCut);
  }
}
