package io.nql.planner.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One version of an access rule.
 *
 * @param id the rule's id (stable across versions)
 * @param version the version number, from 1
 * @param companyId the owning (providing) company
 * @param name the rule's name, unique among the company's live rules and datasets
 * @param datasetId the dataset the rule reads
 * @param queryText the rule's query: {@code SELECT … FROM company_data.<dataset> [WHERE …]}
 * @param priceCpmUsd USD per 1,000 rows delivered, ≥ 0 with at most two decimals
 * @param shareMode who may query the rule
 * @param audience company ids of the inclusion ({@code COMPANIES}) or exclusion ({@code
 *     ALL_EXCEPT}) list; empty otherwise
 * @param displayName a display name, or null
 * @param description a description, or null
 * @param createdAt when this version was created
 */
public record AccessRule(
    long id,
    int version,
    long companyId,
    String name,
    long datasetId,
    String queryText,
    BigDecimal priceCpmUsd,
    ShareMode shareMode,
    List<Long> audience,
    String displayName,
    String description,
    Instant createdAt) {

  /** Who may query a rule besides its owner. */
  public enum ShareMode {
    /** Every company. */
    ALL,
    /** Nobody but the owner. */
    NONE,
    /** The companies in the audience list. */
    COMPANIES,
    /** Every company except those in the audience list. */
    ALL_EXCEPT;

    String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ShareMode fromDb(String v) {
      return valueOf(v.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Whether a company other than the owner may query this version. */
  public boolean sharedWith(long companyId) {
    return switch (shareMode) {
      case ALL -> true;
      case NONE -> false;
      case COMPANIES -> audience.contains(companyId);
      case ALL_EXCEPT -> !audience.contains(companyId);
    };
  }

  /** What a new version says: everything but the ids, version and creation time. */
  public record Definition(
      long datasetId,
      String queryText,
      BigDecimal priceCpmUsd,
      ShareMode shareMode,
      List<Long> audience,
      String displayName,
      String description) {
    public Definition {
      audience = List.copyOf(audience);
    }
  }
}
