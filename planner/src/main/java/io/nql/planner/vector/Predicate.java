package io.nql.planner.vector;

/**
 * A compiled boolean expression in SQL's three-valued logic: evaluates every row of a batch to
 * {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}. Evaluation cannot fail on any row, so rows a
 * rule hides may be evaluated too, in any order.
 */
interface Predicate {
  byte FALSE = 0;
  byte TRUE = 1;
  byte UNKNOWN = 2;

  /** Writes the value of rows {@code 0..batch.rows-1} into {@code out}. */
  void eval(Batch batch, byte[] out);
}
