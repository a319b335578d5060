package io.nql.planner.store;

import java.util.List;

/** The ledger of deliveries. Thread-safe. */
public interface Ledger {

  /** Records a statement's entries, all or none. */
  void record(List<LedgerEntry> entries);

  /** Entries where the company is the buyer or the provider, newest first. */
  List<LedgerEntry> entriesOf(long companyId);
}
