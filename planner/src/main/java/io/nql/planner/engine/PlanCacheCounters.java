package io.nql.planner.engine;

import io.nql.planner.exec.PlanCache;

/**
 * The plan cache's counters as front ends see them (the executor's own type stays internal), the
 * numbers {@code SHOW PLAN CACHE} shows.
 *
 * @param entries plans kept now
 * @param hits statements that ran a kept plan
 * @param misses statements that were planned
 * @param evictions plans dropped to keep the size bound
 * @param invalidations plans dropped because a table they read has a new snapshot
 * @param uncacheable statements planned whose plan cannot be kept
 */
public record PlanCacheCounters(
    long entries, long hits, long misses, long evictions, long invalidations, long uncacheable) {

  static PlanCacheCounters of(PlanCache.Stats s) {
    return new PlanCacheCounters(
        s.entries(), s.hits(), s.misses(), s.evictions(), s.invalidations(), s.uncacheable());
  }
}
