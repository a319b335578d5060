package io.nql.planner.engine;

import io.nql.planner.policy.BudgetGate;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.store.Ledger;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement's budget over the ledger: every reservation is recorded (an open ledger entry) before
 * the rows it pays for are released, so a crash can be reconciled; a statement budget is checked
 * here, a period budget in the store under a lock. The caller's own rules are free and never reach
 * the ledger. Each settled delivery is audited, with the buyer's user, in its ledger transaction.
 */
final class StatementGate implements BudgetGate {
  private final Ledger ledger;
  private final String statementId;
  private final long buyerCompanyId;
  private final io.nql.planner.store.User buyer;
  private final String instanceId;
  private final Budgets.Budget budget;
  private long reservedMicros;

  StatementGate(
      Ledger ledger,
      String statementId,
      io.nql.planner.store.User buyer,
      String instanceId,
      Budgets.Budget budget) {
    this.ledger = ledger;
    this.statementId = statementId;
    this.buyer = buyer;
    this.buyerCompanyId = buyer.companyId();
    this.instanceId = instanceId;
    this.budget = budget;
  }

  private Ledger.Delivery delivery(Deliveries.Account a) {
    return new Ledger.Delivery(
        statementId,
        buyerCompanyId,
        a.ownerCompanyId(),
        a.ruleId(),
        a.version(),
        a.microsPerRow(),
        instanceId);
  }

  @Override
  public synchronized long reserve(Deliveries.Account account, long wantMicros) {
    if (budget.period() != null) {
      return ledger.reserve(delivery(account), budget.period(), wantMicros);
    }
    long granted = wantMicros;
    if (budget.micros() != Deliveries.UNLIMITED) {
      long perRow = account.microsPerRow();
      long rows = Math.max(0, budget.micros() - reservedMicros) / perRow;
      // A rule's unused reservation returns only when the statement settles: one rule never takes
      // more than half of what is left (at least a row), so a statement reading several priced
      // rules (a join, rosetta_stone) leaves budget for the others.
      granted = Math.min(wantMicros, Math.min(rows, Math.max(1, rows / 2)) * perRow);
    }
    if (granted > 0) {
      ledger.reserve(delivery(account), granted);
      reservedMicros += granted;
    }
    return granted;
  }

  /**
   * Settles priced deliveries in the ledger's transaction (reservations become charges); records
   * free ones, which reserved nothing and owe nothing, through the ledger's group commit.
   */
  @Override
  public void settle(List<Deliveries.Account> accounts) {
    List<Ledger.Delivery> deliveries = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    List<Ledger.Delivery> free = new ArrayList<>();
    List<Long> freeRows = new ArrayList<>();
    for (Deliveries.Account a : accounts) {
      if (a.ownerCompanyId() == buyerCompanyId) {
        continue;
      }
      if (a.microsPerRow() == 0) {
        free.add(delivery(a));
        freeRows.add(a.rows());
      } else {
        deliveries.add(delivery(a));
        rows.add(a.rows());
      }
    }
    ledger.recordFree(free, freeRows, buyer);
    ledger.settle(deliveries, rows, budget.period(), buyer);
  }
}
