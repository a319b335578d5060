package io.nql.planner.policy;

import java.util.List;

/**
 * Grants budget to a statement's rule deliveries, before rows are released, and settles what was
 * delivered when the statement ends. Implemented over the metadata store so that reservations
 * survive a crash and concurrent statements sharing a period budget never exceed it together.
 */
public interface BudgetGate {
  /** A gate without a budget or a ledger: grants everything (for describe and explain paths). */
  BudgetGate UNLIMITED =
      new BudgetGate() {
        @Override
        public long reserve(Deliveries.Account account, long wantMicros) {
          return wantMicros;
        }

        @Override
        public void settle(List<Deliveries.Account> accounts) {}
      };

  /**
   * Reserves up to {@code wantMicros} for more rows of a priced rule.
   *
   * @return the micro-USD granted: a multiple of the account's price per row, possibly 0 when the
   *     budget is spent
   */
  long reserve(Deliveries.Account account, long wantMicros);

  /** Settles the statement: charges each account's delivered rows and releases the rest. */
  void settle(List<Deliveries.Account> accounts);
}
