package io.nql.planner.store;

import java.time.LocalDate;
import java.util.List;

/**
 * The ledger of deliveries, and the budget reservations behind them. Thread-safe; every method is
 * one transaction.
 */
public interface Ledger {

  /**
   * Which rule delivery a reservation is for.
   *
   * @param statementId the statement
   * @param buyerCompanyId the buyer
   * @param providerCompanyId the rule's owner
   * @param ruleId the rule
   * @param ruleVersion its version
   * @param microsPerRow the price of one row in micro-USD
   * @param instanceId the gateway instance running the statement (reconciles it after a crash)
   */
  record Delivery(
      String statementId,
      long buyerCompanyId,
      long providerCompanyId,
      long ruleId,
      int ruleVersion,
      long microsPerRow,
      String instanceId) {}

  /**
   * A period budget shared by every run of one normalized statement by one company.
   *
   * @param budgetKey hash of the normalized statement
   * @param periodStart first day of the period (UTC)
   * @param limitMicros the limit in micro-USD
   */
  record Period(String budgetKey, LocalDate periodStart, long limitMicros) {}

  /**
   * Records a reservation of {@code micros} for a delivery (the caller already checked its own
   * statement budget); the entry is opened on first use.
   */
  void reserve(Delivery delivery, long micros);

  /**
   * Reserves up to {@code wantMicros} of a period budget for a delivery, locking the period so
   * concurrent statements never exceed the limit together, and records it like {@link #reserve}.
   *
   * @return the micro-USD granted, a multiple of the delivery's price per row (possibly 0)
   */
  long reserve(Delivery delivery, Period period, long wantMicros);

  /**
   * Settles a statement's deliveries: each entry is charged {@code rows × price}, marked final, and
   * what was reserved beyond that is released (from the period budget too). Deliveries without a
   * reservation (free rules) are recorded as final entries.
   *
   * @param deliveries the deliveries with the rows each delivered
   * @param rows rows delivered, in the order of {@code deliveries}
   * @param period the statement's period budget, or null
   */
  default void settle(List<Delivery> deliveries, List<Long> rows, Period period) {
    settle(deliveries, rows, period, null);
  }

  /**
   * Settles as {@link #settle(List, List, Period)}, and appends each delivery's audit event (the
   * buyer's user as its actor, or only the buyer's company when {@code buyer} is null) in the same
   * transaction: a delivery's ledger entry and its audit event commit together, or neither does.
   */
  void settle(List<Delivery> deliveries, List<Long> rows, Period period, User buyer);

  /**
   * Settles the entries a gateway instance left open (after a crash): each is charged what it had
   * reserved — never less than was sent, never more than was reserved — and audited as {@code
   * reconciled} in the same transaction.
   *
   * @return the number of entries reconciled
   */
  int reconcile(String instanceId);

  /**
   * Records deliveries that needed no reservation — free rules: no amount, nothing to settle — as
   * final entries. Written by a group commit (many statements per transaction): a crash may lose
   * the last few, which cost nothing; {@link #entriesOf} sees every one recorded before it.
   *
   * @param rows rows delivered per delivery (a delivery of 0 rows is not recorded)
   */
  default void recordFree(List<Delivery> deliveries, List<Long> rows) {
    recordFree(deliveries, rows, null);
  }

  /**
   * Records free deliveries as {@link #recordFree(List, List)}, each with its audit event in the
   * transaction of its entry (the buyer's user as the actor, or only its company when null).
   */
  void recordFree(List<Delivery> deliveries, List<Long> rows, User buyer);

  /** Entries where the company is the buyer or the provider, newest first. */
  List<LedgerEntry> entriesOf(long companyId);

  /** What a company has spent (final and reconciled entries) under a period budget. */
  long spentInPeriod(long companyId, Period period);
}
