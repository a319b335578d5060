package io.nql.planner.engine;

import io.nql.planner.exec.PlanCache;
import java.util.Map;
import java.util.TreeMap;

/** What a session's plans may be kept for and found by in the plan cache. */
final class PlanScopes {
  private PlanScopes() {}

  /**
   * What a plan of this statement may be kept for: the statement, the caller's company, the session
   * properties that reach planning (none of {@code budget_usd}, read when the statement runs, and
   * {@code vector_execution} and {@code interpreted_joins}, read when it opens) and the catalog
   * version it was read at.
   */
  static PlanCache.Scope of(
      String sql,
      long companyId,
      Map<SessionProperty, String> properties,
      CatalogCache.State catalog) {
    return new PlanCache.Scope(
        sql,
        companyId,
        planning(properties),
        catalog.version().ddl(),
        catalog.version().data(),
        tables -> {
          for (PlanCache.ReadTable t : tables) {
            Long now = catalog.snapshotId(t.ownerCompanyId(), t.datasetId());
            if (now == null || now != t.snapshotId()) {
              return false;
            }
          }
          return true;
        });
  }

  /** The session properties that reach planning, comparable. */
  static Map<String, String> planning(Map<SessionProperty, String> properties) {
    Map<String, String> planning = new TreeMap<>();
    properties.forEach(
        (p, v) -> {
          if (p != SessionProperty.BUDGET_USD
              && p != SessionProperty.VECTOR_EXECUTION
              && p != SessionProperty.INTERPRETED_JOINS) {
            planning.put(p.key(), v);
          }
        });
    return planning;
  }
}
