package io.nql.planner.policy;

import java.util.List;

/**
 * The reserved pseudo-columns every rule-backed table carries after the rule's own columns: the
 * price the row is bought at, the providing company and the rule it came through.
 */
public final class PseudoColumns {
  /** USD per 1,000 rows this caller pays for the row; 0 for the owner. */
  public static final String PRICE_CPM_USD = "_price_cpm_usd";

  /** Id of the company that provides the row. */
  public static final String SOURCE_COMPANY_ID = "_source_company_id";

  /** Id of the access rule the row came through. */
  public static final String ACCESS_RULE_ID = "_access_rule_id";

  /** All of them, in column order. */
  public static final List<String> ALL = List.of(PRICE_CPM_USD, SOURCE_COMPANY_ID, ACCESS_RULE_ID);

  /** Precision and scale of {@code _price_cpm_usd}. */
  public static final int PRICE_PRECISION = 12;

  public static final int PRICE_SCALE = 2;

  private PseudoColumns() {}

  /** Whether a column name is reserved for a pseudo-column. */
  public static boolean isReserved(String name) {
    return ALL.contains(name);
  }
}
