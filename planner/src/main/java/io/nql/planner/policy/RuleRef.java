package io.nql.planner.policy;

import java.math.BigDecimal;

/**
 * Which rule version a scan reads, and what a row delivered through it costs this caller.
 *
 * @param ruleId the rule's id
 * @param version the rule version in force for this statement
 * @param ownerCompanyId the providing company
 * @param ownerSlug the providing company's slug
 * @param name the rule's name
 * @param priceCpmUsd what the caller pays per 1,000 rows (0 for the owner)
 * @param ownedByCaller whether the caller is the rule's owner (who may see the rule's plan)
 */
public record RuleRef(
    long ruleId,
    int version,
    long ownerCompanyId,
    String ownerSlug,
    String name,
    BigDecimal priceCpmUsd,
    boolean ownedByCaller) {

  /** The name the caller uses: {@code company_data.<rule>} or {@code <owner>.<rule>}. */
  public String qualifiedName() {
    return (ownedByCaller ? "company_data" : ownerSlug) + "." + name;
  }
}
