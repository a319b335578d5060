package io.nql.planner.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Access rules validated and converted once per catalog state instead of once per statement: each
 * statement used to parse its rules' queries, validate them in their owners' namespaces and convert
 * them to plans, which in a join of forty rule tables was a tenth of its planning. One instance per
 * catalog state (the catalog cache's {@code State}): the rules' texts, their datasets' schemas and
 * tables do not change within it, so a rule's version identifies what its query means. Thread-safe.
 */
public final class RuleTemplates {
  /**
   * What a rule's query yields, independent of a statement: its row type (before the
   * pseudo-columns) and its plan — projections and filters over one dataset scan — in a cluster of
   * its own, which {@link RuleTable} copies into each statement's cluster. Types are canonical
   * across type factories (Calcite interns them globally), so the copied expressions carry the same
   * types in every statement.
   *
   * @param ruleType the query's row type
   * @param plan the converted query, or null when it is not of a shape that can be copied (then
   *     each statement converts the rule itself, as before)
   */
  record Template(RelDataType ruleType, @Nullable RelNode plan) {}

  private record Key(long ruleId, int version) {}

  private final Map<Key, Template> templates = new ConcurrentHashMap<>();

  /**
   * The template of a rule version, built by {@code build} on first use. A build that throws (the
   * rule no longer matches its dataset) is not kept: each statement reports it.
   */
  Template get(long ruleId, int version, Supplier<Template> build) {
    Key key = new Key(ruleId, version);
    Template t = templates.get(key);
    if (t == null) {
      t = build.get();
      Template raced = templates.putIfAbsent(key, t);
      if (raced != null) {
        t = raced;
      }
    }
    return t;
  }

  /** Whether a template of this rule version is kept (for tests and diagnostics). */
  public boolean holds(long ruleId, int version) {
    return templates.containsKey(new Key(ruleId, version));
  }
}
