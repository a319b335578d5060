package io.nql.planner.store;

import java.util.List;
import java.util.Optional;

/** The access rules of the marketplace, versioned. Thread-safe. */
public interface AccessRules {

  /**
   * Creates a rule (version 1), or with {@code replace} a new version of the company's live rule of
   * that name (version 1 when there is none).
   *
   * @throws io.nql.planner.error.NqlException {@code DUPLICATE_TABLE} when a live rule or a dataset
   *     of the company has the name and {@code replace} is false (or the name is a dataset's)
   */
  AccessRule create(long companyId, String name, boolean replace, AccessRule.Definition definition);

  /** The current version of a company's live rule. */
  Optional<AccessRule> rule(long companyId, String name);

  /** The current versions of a company's live rules, by name. */
  List<AccessRule> rules(long companyId);

  /** The current versions of other companies' live rules shared with this company. */
  List<AccessRule> sharedWith(long companyId);

  /** A given version of a rule, live or dropped. */
  Optional<AccessRule> version(long ruleId, int version);

  /**
   * Drops a company's live rule; its versions stay for the ledger.
   *
   * @throws io.nql.planner.error.NqlException {@code UNKNOWN_TABLE} when there is no such rule
   */
  void drop(long companyId, String name);
}
