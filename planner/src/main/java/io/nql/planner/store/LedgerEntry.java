package io.nql.planner.store;

import java.time.Instant;

/**
 * What one statement received through one access rule version, and what it cost.
 *
 * @param statementId the statement
 * @param buyerCompanyId the company that ran the statement
 * @param providerCompanyId the company that owns the rule
 * @param ruleId the rule
 * @param ruleVersion the rule version in force
 * @param rows rows delivered (charged)
 * @param amountMicros amount in micro-USD: rows × price per 1,000 rows × 1000, exact
 * @param reservedMicros budget reserved for the delivery (≥ amount)
 * @param status {@code open} while the statement runs, {@code final} once settled, {@code
 *     reconciled} when settled after a crash (charged what was reserved)
 * @param createdAt when the entry was opened
 */
public record LedgerEntry(
    String statementId,
    long buyerCompanyId,
    long providerCompanyId,
    long ruleId,
    int ruleVersion,
    long rows,
    long amountMicros,
    long reservedMicros,
    String status,
    Instant createdAt) {}
