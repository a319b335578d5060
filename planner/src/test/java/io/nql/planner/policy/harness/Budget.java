package io.nql.planner.policy.harness;

/**
 * How a statement is budgeted: a clause after the query ({@code NO LIMIT}, {@code LIMIT 0.12 USD}),
 * the session property {@code budget_usd} (statements with {@code ?} parameters take no clause), or
 * neither (the session default, 0 USD).
 *
 * @param clause the clause text, or empty
 * @param sessionUsd the value of {@code budget_usd} for this statement, or null for the default
 */
public record Budget(String clause, String sessionUsd) {
  /** No clause, the session default (0 USD: free data only). */
  public static final Budget DEFAULT = new Budget("", null);

  public static Budget clause(String clause) {
    return new Budget(clause, null);
  }

  public static Budget session(String usd) {
    return new Budget("", usd);
  }

  @Override
  public String toString() {
    if (sessionUsd != null) {
      return "budget_usd=" + sessionUsd;
    }
    return clause.isEmpty() ? "session default (0 USD)" : clause;
  }
}
