package io.nql.planner.store;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger and period budgets in the metadata store (see V4__ledger.sql and
 * V5__budget_reservations.sql).
 */
final class JdbcLedger implements Ledger {
  private static final String PERIOD_KEY =
      " WHERE company_id = ? AND budget_key = ? AND period_start = ?";

  private final Database db;
  private final JdbcAuditLog audit;

  /** Free deliveries waiting to be written: one statement's rule and version per key. */
  private final GroupCommit<FreeDelivery> free;

  /** A free delivery as queued. */
  private static final class FreeDelivery {
    Delivery delivery;
    long rows;
    User buyer;
  }

  /** Writes ledger entries, and the audit event of each settled delivery in their transaction. */
  JdbcLedger(Database db, JdbcAuditLog audit) {
    this.db = db;
    this.audit = audit;
    this.free = new GroupCommit<>("nql-ledger-free", FreeDelivery::new, this::writeFree);
  }

  @Override
  public void recordFree(List<Delivery> deliveries, List<Long> rows, User buyer) {
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery d = deliveries.get(i);
      long n = rows.get(i);
      if (d.microsPerRow() != 0) {
        throw new IllegalArgumentException(
            "rule " + d.ruleId() + " is priced: its deliveries are settled, not recorded");
      }
      if (n > 0) {
        free.enqueue(
            d.statementId() + "/" + d.ruleId() + "/" + d.ruleVersion(),
            f -> {
              f.delivery = d;
              f.rows = n;
              f.buyer = buyer;
            });
      }
    }
  }

  private void writeFree(java.util.Map<String, FreeDelivery> batch) {
    List<AuditEvent> events =
        db.inTransaction(
            "record free deliveries",
            h -> {
              List<AuditEvent> out = new ArrayList<>();
              for (FreeDelivery f : batch.values()) {
                insertEntry(h, f.delivery, null, "final", f.rows, 0, 0);
                out.add(audited(h, f.delivery, f.buyer, "final", f.rows, 0));
              }
              return out;
            });
    audit.published(events);
  }

  /** Writes the queued free deliveries and stops their writer. */
  void close() {
    free.close();
  }

  @Override
  public void reserve(Delivery d, long micros) {
    db.inTransaction(
        "reserve budget",
        h -> {
          addReservation(h, d, null, micros);
          return null;
        });
  }

  @Override
  public long reserve(Delivery d, Period period, long wantMicros) {
    ensurePeriod(d.buyerCompanyId(), period);
    return db.inTransaction(
        "reserve a period budget",
        h -> {
          long[] spentAndReserved =
              h.first(
                      "SELECT spent_micros, reserved_micros FROM budget_periods"
                          + PERIOD_KEY
                          + " FOR UPDATE",
                      rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                      d.buyerCompanyId(),
                      period.budgetKey(),
                      period.periodStart())
                  .orElseThrow();
          long available =
              Math.max(0, period.limitMicros() - spentAndReserved[0] - spentAndReserved[1]);
          long granted = Math.min(wantMicros, available / d.microsPerRow() * d.microsPerRow());
          if (granted <= 0) {
            return 0L;
          }
          h.update(
              "UPDATE budget_periods SET reserved_micros = reserved_micros + ?, limit_micros = ?"
                  + PERIOD_KEY,
              granted,
              period.limitMicros(),
              d.buyerCompanyId(),
              period.budgetKey(),
              period.periodStart());
          addReservation(h, d, period, granted);
          return granted;
        });
  }

  /** Creates the period row if absent, in its own transaction (concurrent creators race). */
  private void ensurePeriod(long companyId, Period period) {
    db.inTransaction(
        "open a period budget",
        h -> {
          if (h.exists(
              "SELECT 1 FROM budget_periods" + PERIOD_KEY,
              companyId,
              period.budgetKey(),
              period.periodStart())) {
            return null;
          }
          try {
            h.update(
                "INSERT INTO budget_periods (company_id, budget_key, period_start, limit_micros)"
                    + " VALUES (?, ?, ?, ?)",
                companyId,
                period.budgetKey(),
                period.periodStart(),
                period.limitMicros());
          } catch (SQLException e) {
            // A concurrent statement created the row first: it exists, which is all we need.
            if (!Handle.isUniqueViolation(e)) {
              throw e;
            }
          }
          return null;
        });
  }

  private static void addReservation(Handle h, Delivery d, Period period, long micros)
      throws SQLException {
    int updated =
        h.update(
            "UPDATE ledger SET reserved_micros = reserved_micros + ?"
                + " WHERE statement_id = ? AND rule_id = ? AND rule_version = ?",
            micros,
            d.statementId(),
            d.ruleId(),
            d.ruleVersion());
    if (updated == 0) {
      insertEntry(h, d, period, "open", 0, 0, micros);
    }
  }

  private static void insertEntry(
      Handle h, Delivery d, Period period, String status, long rows, long amount, long reserved)
      throws SQLException {
    OffsetDateTime now = Database.now();
    h.update(
        "INSERT INTO ledger (statement_id, buyer_company_id, provider_company_id, rule_id,"
            + " rule_version, rows_delivered, amount_micros, created_at, status,"
            + " reserved_micros, micros_per_row, instance_id, budget_key, period_start,"
            + " finalized_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        d.statementId(),
        d.buyerCompanyId(),
        d.providerCompanyId(),
        d.ruleId(),
        d.ruleVersion(),
        rows,
        amount,
        now,
        status,
        reserved,
        d.microsPerRow(),
        d.instanceId(),
        period == null ? null : period.budgetKey(),
        period == null ? null : period.periodStart(),
        status.equals("open") ? null : now);
  }

  @Override
  public void settle(List<Delivery> deliveries, List<Long> rows, Period period, User buyer) {
    if (deliveries.isEmpty()) {
      return;
    }
    List<AuditEvent> events = new ArrayList<>();
    db.inTransaction(
        "settle deliveries",
        h -> {
          events.clear(); // a retried transaction starts over
          for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            long n = rows.get(i);
            long amount = n * d.microsPerRow();
            Optional<Long> reserved =
                h.first(
                    "SELECT reserved_micros FROM ledger WHERE statement_id = ? AND rule_id = ?"
                        + " AND rule_version = ? AND status = 'open' FOR UPDATE",
                    rs -> rs.getLong(1),
                    d.statementId(),
                    d.ruleId(),
                    d.ruleVersion());
            if (reserved.isEmpty()) {
              if (n > 0) {
                insertEntry(h, d, period, "final", n, amount, amount);
                events.add(audited(h, d, buyer, "final", n, amount));
              }
              continue;
            }
            if (amount > reserved.get()) {
              throw new IllegalStateException(
                  "delivered " + amount + " micro-USD beyond the " + reserved.get() + " reserved");
            }
            h.update(
                "UPDATE ledger SET rows_delivered = ?, amount_micros = ?, status = 'final',"
                    + " finalized_at = ? WHERE statement_id = ? AND rule_id = ?"
                    + " AND rule_version = ?",
                n,
                amount,
                Database.now(),
                d.statementId(),
                d.ruleId(),
                d.ruleVersion());
            events.add(audited(h, d, buyer, "final", n, amount));
            if (period != null) {
              movePeriod(
                  h,
                  d.buyerCompanyId(),
                  period.budgetKey(),
                  period.periodStart(),
                  amount,
                  reserved.get());
            }
          }
          return null;
        });
    audit.published(events);
  }

  /**
   * Appends the audit event of a delivery whose ledger entry this transaction writes: both commit,
   * or neither. The buyer's user is null when unknown (a reconciliation after a crash).
   */
  private static AuditEvent audited(
      Handle h, Delivery d, User buyer, String status, long rows, long amount) throws SQLException {
    AuditEvent.Actor actor =
        buyer == null
            ? new AuditEvent.Actor(null, null, d.buyerCompanyId())
            : AuditEvent.Actor.of(buyer);
    java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("rule_version", d.ruleVersion());
    detail.put("rows", rows);
    detail.put("amount_micros", amount);
    detail.put("status", status);
    return JdbcAuditLog.insert(
        h,
        AuditEvent.of(
            "delivery",
            "DELIVER",
            actor,
            new AuditEvent.Target(JdbcAuditLog.RULE, d.ruleId(), null, d.providerCompanyId()),
            status.equals("final") ? "ok" : status,
            d.statementId(),
            detail));
  }

  /** Turns a reservation into spend: spent += amount, reserved -= what was reserved. */
  private static void movePeriod(
      Handle h, long companyId, String key, LocalDate start, long amount, long reserved)
      throws SQLException {
    h.update(
        "UPDATE budget_periods SET spent_micros = spent_micros + ?,"
            + " reserved_micros = reserved_micros - ?"
            + PERIOD_KEY,
        amount,
        reserved,
        companyId,
        key,
        start);
  }

  /** An open reservation left by a gateway that stopped before settling it. */
  private record OpenReservation(
      long id,
      long buyerCompanyId,
      long reservedMicros,
      long microsPerRow,
      String budgetKey,
      LocalDate periodStart,
      Delivery delivery) {}

  @Override
  public int reconcile(String instanceId) {
    List<AuditEvent> events = new ArrayList<>();
    int n = reconcile(instanceId, events);
    audit.published(events);
    return n;
  }

  private int reconcile(String instanceId, List<AuditEvent> events) {
    return db.inTransaction(
        "reconcile open reservations",
        h -> {
          List<OpenReservation> open =
              h.list(
                  "SELECT id, buyer_company_id, reserved_micros, micros_per_row, budget_key,"
                      + " period_start, statement_id, provider_company_id, rule_id, rule_version"
                      + " FROM ledger WHERE status = 'open' AND instance_id = ? FOR UPDATE",
                  rs ->
                      new OpenReservation(
                          rs.getLong(1),
                          rs.getLong(2),
                          rs.getLong(3),
                          rs.getLong(4),
                          rs.getString(5),
                          rs.getObject(6, LocalDate.class),
                          new Delivery(
                              rs.getString(7),
                              rs.getLong(2),
                              rs.getLong(8),
                              rs.getLong(9),
                              rs.getInt(10),
                              rs.getLong(4),
                              instanceId)),
                  instanceId);
          events.clear(); // a retried transaction starts over
          for (OpenReservation r : open) {
            long reserved = r.reservedMicros();
            long perRow = r.microsPerRow();
            h.update(
                "UPDATE ledger SET status = 'reconciled', rows_delivered = ?,"
                    + " amount_micros = ?, finalized_at = ? WHERE id = ?",
                perRow == 0 ? 0 : reserved / perRow,
                reserved,
                Database.now(),
                r.id());
            events.add(
                audited(
                    h,
                    r.delivery(),
                    null,
                    "reconciled",
                    perRow == 0 ? 0 : reserved / perRow,
                    reserved));
            if (r.budgetKey() != null) {
              movePeriod(h, r.buyerCompanyId(), r.budgetKey(), r.periodStart(), reserved, reserved);
            }
          }
          return open.size();
        });
  }

  @Override
  public List<LedgerEntry> entriesOf(long companyId) {
    free.flush();
    return db.read(
        "read the ledger",
        h ->
            h.list(
                "SELECT statement_id, buyer_company_id, provider_company_id, rule_id,"
                    + " rule_version, rows_delivered, amount_micros, reserved_micros, status,"
                    + " created_at FROM ledger"
                    + " WHERE buyer_company_id = ? OR provider_company_id = ?"
                    + " ORDER BY created_at DESC, id DESC",
                rs ->
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
                        rs.getObject(10, OffsetDateTime.class).toInstant()),
                companyId,
                companyId));
  }

  @Override
  public long spentInPeriod(long companyId, Period period) {
    return db.read(
        "read a period budget",
        h ->
            h.first(
                    "SELECT spent_micros FROM budget_periods" + PERIOD_KEY,
                    rs -> rs.getLong(1),
                    companyId,
                    period.budgetKey(),
                    period.periodStart())
                .orElse(0L));
  }
}
