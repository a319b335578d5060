package io.nql.planner.store;

import java.util.Locale;

/** The state of a logged statement; stored as its lower-case name. */
public enum QueryStatus {
  /** Started and not yet finished. */
  RUNNING,
  /** Finished successfully. */
  OK,
  /** Failed with an error. */
  ERROR,
  /** Cancelled by the client or by a timeout. */
  CANCELLED;

  /** The value stored in the {@code status} column. */
  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored value. */
  public static QueryStatus fromDbValue(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
