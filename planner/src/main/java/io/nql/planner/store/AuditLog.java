package io.nql.planner.store;

import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The append-only audit log in the metadata store. Nothing updates or deletes an event. Deliveries
 * are appended by the {@link Ledger}, in the transaction of their ledger entries; everything else
 * through {@link #append}. Thread-safe.
 */
public interface AuditLog {

  /** Appends one event in its own transaction, then hands it to the listener. */
  void append(AuditEvent event);

  /**
   * Events newest first: every event when {@code companyId} is null (an admin), else those whose
   * actor or object belongs to that company.
   */
  List<AuditEvent> events(@Nullable Long companyId);

  /**
   * Hands every event appended from now on to {@code listener} once it is committed (on the
   * appending thread; a listener that throws loses nothing from the store). Replaces the previous
   * listener; null removes it.
   */
  void listen(@Nullable Consumer<AuditEvent> listener);
}
