package io.nql.planner.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger and period budgets in the metadata store (see V4__ledger.sql and
 * V5__budget_reservations.sql).
 */
final class JdbcLedger implements Ledger {
  private static final String UNIQUE_VIOLATION = "23505";

  private final JdbcMetadataStore store;

  JdbcLedger(JdbcMetadataStore store) {
    this.store = store;
  }

  @Override
  public void reserve(Delivery d, long micros) {
    store.inTransaction(
        "reserve budget",
        c -> {
          addReservation(c, d, null, micros);
          return null;
        });
  }

  @Override
  public long reserve(Delivery d, Period period, long wantMicros) {
    ensurePeriod(d.buyerCompanyId(), period);
    return store.inTransaction(
        "reserve a period budget",
        c -> {
          long spent;
          long reserved;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT spent_micros, reserved_micros FROM budget_periods"
                      + " WHERE company_id = ? AND budget_key = ? AND period_start = ?"
                      + " FOR UPDATE")) {
            bindPeriod(ps, 1, d.buyerCompanyId(), period);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              spent = rs.getLong(1);
              reserved = rs.getLong(2);
            }
          }
          long available = Math.max(0, period.limitMicros() - spent - reserved);
          long granted = Math.min(wantMicros, available / d.microsPerRow() * d.microsPerRow());
          if (granted <= 0) {
            return 0L;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE budget_periods SET reserved_micros = reserved_micros + ?,"
                      + " limit_micros = ? WHERE company_id = ? AND budget_key = ?"
                      + " AND period_start = ?")) {
            ps.setLong(1, granted);
            ps.setLong(2, period.limitMicros());
            bindPeriod(ps, 3, d.buyerCompanyId(), period);
            ps.executeUpdate();
          }
          addReservation(c, d, period, granted);
          return granted;
        });
  }

  /** Creates the period row if absent, in its own transaction (concurrent creators race). */
  private void ensurePeriod(long companyId, Period period) {
    store.inTransaction(
        "open a period budget",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM budget_periods"
                      + " WHERE company_id = ? AND budget_key = ? AND period_start = ?")) {
            bindPeriod(ps, 1, companyId, period);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return null;
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO budget_periods (company_id, budget_key, period_start,"
                      + " limit_micros) VALUES (?, ?, ?, ?)")) {
            bindPeriod(ps, 1, companyId, period);
            ps.setLong(4, period.limitMicros());
            ps.executeUpdate();
          } catch (SQLException e) {
            // A concurrent statement created the row first: it exists, which is all we need.
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw e;
            }
          }
          return null;
        });
  }

  private static void bindPeriod(PreparedStatement ps, int first, long companyId, Period period)
      throws SQLException {
    ps.setLong(first, companyId);
    ps.setString(first + 1, period.budgetKey());
    ps.setObject(first + 2, period.periodStart());
  }

  private static void addReservation(Connection c, Delivery d, Period period, long micros)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ledger SET reserved_micros = reserved_micros + ?"
                + " WHERE statement_id = ? AND rule_id = ? AND rule_version = ?")) {
      ps.setLong(1, micros);
      ps.setString(2, d.statementId());
      ps.setLong(3, d.ruleId());
      ps.setInt(4, d.ruleVersion());
      if (ps.executeUpdate() > 0) {
        return;
      }
    }
    insertEntry(c, d, period, "open", 0, 0, micros);
  }

  private static void insertEntry(
      Connection c, Delivery d, Period period, String status, long rows, long amount, long reserved)
      throws SQLException {
    OffsetDateTime now = Database.now();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ledger (statement_id, buyer_company_id, provider_company_id, rule_id,"
                + " rule_version, rows_delivered, amount_micros, created_at, status,"
                + " reserved_micros, micros_per_row, instance_id, budget_key, period_start,"
                + " finalized_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, d.statementId());
      ps.setLong(2, d.buyerCompanyId());
      ps.setLong(3, d.providerCompanyId());
      ps.setLong(4, d.ruleId());
      ps.setInt(5, d.ruleVersion());
      ps.setLong(6, rows);
      ps.setLong(7, amount);
      ps.setObject(8, now);
      ps.setString(9, status);
      ps.setLong(10, reserved);
      ps.setLong(11, d.microsPerRow());
      ps.setString(12, d.instanceId());
      ps.setString(13, period == null ? null : period.budgetKey());
      ps.setObject(14, period == null ? null : period.periodStart());
      ps.setObject(15, status.equals("open") ? null : now);
      ps.executeUpdate();
    }
  }

  @Override
  public void settle(List<Delivery> deliveries, List<Long> rows, Period period) {
    if (deliveries.isEmpty()) {
      return;
    }
    store.inTransaction(
        "settle deliveries",
        c -> {
          for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            long n = rows.get(i);
            long amount = n * d.microsPerRow();
            Long reserved = null;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT reserved_micros FROM ledger WHERE statement_id = ? AND rule_id = ?"
                        + " AND rule_version = ? AND status = 'open' FOR UPDATE")) {
              ps.setString(1, d.statementId());
              ps.setLong(2, d.ruleId());
              ps.setInt(3, d.ruleVersion());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  reserved = rs.getLong(1);
                }
              }
            }
            if (reserved == null) {
              if (n > 0) {
                insertEntry(c, d, period, "final", n, amount, amount);
              }
              continue;
            }
            if (amount > reserved) {
              throw new IllegalStateException(
                  "delivered " + amount + " micro-USD beyond the " + reserved + " reserved");
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE ledger SET rows_delivered = ?, amount_micros = ?, status = 'final',"
                        + " finalized_at = ? WHERE statement_id = ? AND rule_id = ?"
                        + " AND rule_version = ?")) {
              ps.setLong(1, n);
              ps.setLong(2, amount);
              ps.setObject(3, Database.now());
              ps.setString(4, d.statementId());
              ps.setLong(5, d.ruleId());
              ps.setInt(6, d.ruleVersion());
              ps.executeUpdate();
            }
            if (period != null) {
              movePeriod(
                  c,
                  d.buyerCompanyId(),
                  period.budgetKey(),
                  period.periodStart(),
                  amount,
                  reserved);
            }
          }
          return null;
        });
  }

  /** Turns a reservation into spend: spent += amount, reserved -= what was reserved. */
  private static void movePeriod(
      Connection c, long companyId, String key, LocalDate start, long amount, long reserved)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE budget_periods SET spent_micros = spent_micros + ?,"
                + " reserved_micros = reserved_micros - ?"
                + " WHERE company_id = ? AND budget_key = ? AND period_start = ?")) {
      ps.setLong(1, amount);
      ps.setLong(2, reserved);
      ps.setLong(3, companyId);
      ps.setString(4, key);
      ps.setObject(5, start);
      ps.executeUpdate();
    }
  }

  @Override
  public int reconcile(String instanceId) {
    return store.inTransaction(
        "reconcile open reservations",
        c -> {
          List<Object[]> open = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, buyer_company_id, reserved_micros, micros_per_row, budget_key,"
                      + " period_start FROM ledger WHERE status = 'open' AND instance_id = ?"
                      + " FOR UPDATE")) {
            ps.setString(1, instanceId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                open.add(
                    new Object[] {
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getString(5),
                      rs.getObject(6, LocalDate.class)
                    });
              }
            }
          }
          for (Object[] e : open) {
            long reserved = (Long) e[2];
            long perRow = (Long) e[3];
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE ledger SET status = 'reconciled', rows_delivered = ?,"
                        + " amount_micros = ?, finalized_at = ? WHERE id = ?")) {
              ps.setLong(1, perRow == 0 ? 0 : reserved / perRow);
              ps.setLong(2, reserved);
              ps.setObject(3, Database.now());
              ps.setLong(4, (Long) e[0]);
              ps.executeUpdate();
            }
            if (e[4] != null) {
              movePeriod(c, (Long) e[1], (String) e[4], (LocalDate) e[5], reserved, reserved);
            }
          }
          return open.size();
        });
  }

  @Override
  public List<LedgerEntry> entriesOf(long companyId) {
    return store.read(
        "read the ledger",
        c -> {
          List<LedgerEntry> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT statement_id, buyer_company_id, provider_company_id, rule_id,"
                      + " rule_version, rows_delivered, amount_micros, reserved_micros, status,"
                      + " created_at FROM ledger"
                      + " WHERE buyer_company_id = ? OR provider_company_id = ?"
                      + " ORDER BY created_at DESC, id DESC")) {
            ps.setLong(1, companyId);
            ps.setLong(2, companyId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new LedgerEntry(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getString(9),
                        rs.getObject(10, OffsetDateTime.class).toInstant()));
              }
            }
          }
          return out;
        });
  }

  @Override
  public long spentInPeriod(long companyId, Period period) {
    return store.read(
        "read a period budget",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT spent_micros FROM budget_periods"
                      + " WHERE company_id = ? AND budget_key = ? AND period_start = ?")) {
            bindPeriod(ps, 1, companyId, period);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }
}
