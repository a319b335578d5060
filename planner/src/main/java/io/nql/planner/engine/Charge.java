package io.nql.planner.engine;

import java.math.BigDecimal;

/**
 * What a statement has cost its caller so far: the rows bought through access rules of other
 * companies and their price. Only the caller's own spend: never a provider's rule, price list or
 * predicate.
 *
 * @param rows rows delivered through access rules (the caller's own rules count, free)
 * @param micros amount charged, micro-USD
 * @param budgetCut whether the budget stopped delivery early
 */
public record Charge(long rows, long micros, boolean budgetCut) {
  /** A statement that bought nothing. */
  public static final Charge NONE = new Charge(0, 0, false);

  /** The amount in USD, six decimals. */
  public BigDecimal usd() {
    return BigDecimal.valueOf(micros).movePointLeft(6).setScale(6);
  }
}
