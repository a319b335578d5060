package io.nql.planner.exec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Optimized plans kept for statements that come again: the same text (or the same text but for
 * literals, see {@link LiteralParameters}), from a caller of the same company, with the same
 * session properties, against the same catalog version. Thread-safe; bounded (Caffeine's size bound
 * keeps the shapes that recur). Counts hits, misses, evictions and invalidations for the operator.
 */
public final class PlanCache {
  /**
   * Longest time a plan is used without checking its tables' snapshots, also when the data version
   * did not change: the version is updated after the Iceberg commit, in a second commit a crash
   * could lose.
   */
  static final long REVALIDATE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  /** Default number of plans kept. */
  public static final int DEFAULT_SIZE = 1_000;

  private final Cache<Key, CachedPlan> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong uncacheable = new AtomicLong();

  /** A cache of at most {@code maxEntries} plans; 0 caches nothing. */
  public PlanCache(int maxEntries) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(Math.max(0, maxEntries))
            .executor(Runnable::run)
            .<Key, CachedPlan>removalListener(
                (k, v, cause) -> {
                  if (cause == RemovalCause.SIZE) {
                    evictions.incrementAndGet();
                  }
                })
            .build();
  }

  /**
   * What a plan was made for: everything that changes it.
   *
   * @param text the statement (normalized texts and texts as written never collide: see {@link
   *     QueryExecutor})
   * @param companyId the caller's company: its namespaces and the rules it may read
   * @param session the session properties that reach planning, in a comparable form
   * @param ddlVersion the catalog's DDL version (companies, datasets, rules, mappings, attributes)
   */
  public record Key(String text, long companyId, Object session, long ddlVersion) {}

  /**
   * How a statement may use the cache.
   *
   * @param text the statement as written (for statements whose literals are not normalized)
   * @param companyId the caller's company
   * @param session the session properties that reach planning
   * @param ddlVersion the catalog's current DDL version
   * @param dataVersion the catalog's current data version
   * @param snapshots tells whether the tables a plan read are still at the snapshots it read
   */
  public record Scope(
      String text,
      long companyId,
      Object session,
      long ddlVersion,
      long dataVersion,
      SnapshotCheck snapshots) {
    Key key(String statementText) {
      return new Key(statementText, companyId, session, ddlVersion);
    }
  }

  /** A dataset table a plan reads, at the snapshot it was planned with (-1: no snapshot). */
  public record ReadTable(long ownerCompanyId, long datasetId, long snapshotId) {}

  /** Tells whether tables are still at the given snapshots. */
  @FunctionalInterface
  public interface SnapshotCheck {
    boolean current(List<ReadTable> tables);
  }

  /** The newest DDL version a statement brought: plans of older versions are dropped. */
  private volatile long ddlVersion = Long.MIN_VALUE;

  /** Drops every plan when {@code scope} is the first to come with a newer DDL version. */
  void observe(Scope scope) {
    if (scope.ddlVersion() <= ddlVersion) {
      return;
    }
    synchronized (this) {
      if (scope.ddlVersion() > ddlVersion) {
        boolean first = ddlVersion == Long.MIN_VALUE;
        ddlVersion = scope.ddlVersion();
        if (!first) {
          invalidateAll();
        }
      }
    }
  }

  /**
   * The plan for {@code key} if there is one still valid in {@code scope}: planned at the current
   * data version, or reading only tables whose snapshot has not changed since (then it is kept for
   * the new data version). A plan that is no longer valid is dropped.
   */
  @Nullable CachedPlan get(Key key, Scope scope) {
    CachedPlan plan = cache.getIfPresent(key);
    if (plan == null) {
      return null;
    }
    if (plan.dataVersion() == scope.dataVersion()
        && System.nanoTime() - plan.validatedNanos() < REVALIDATE_NANOS) {
      return plan;
    }
    if (scope.snapshots().current(plan.tables())) {
      CachedPlan current = plan.atDataVersion(scope.dataVersion());
      cache.asMap().replace(key, plan, current);
      return current;
    }
    if (cache.asMap().remove(key, plan)) {
      invalidations.incrementAndGet();
    }
    return null;
  }

  void put(Key key, CachedPlan plan) {
    cache.put(key, plan);
  }

  void hit() {
    hits.incrementAndGet();
  }

  void miss() {
    misses.incrementAndGet();
  }

  void notCacheable() {
    uncacheable.incrementAndGet();
  }

  /** Drops every plan (counted as invalidations). */
  public void invalidateAll() {
    invalidations.addAndGet(cache.estimatedSize());
    cache.invalidateAll();
  }

  /** The counters, for the operator. */
  public Stats stats() {
    cache.cleanUp();
    return new Stats(
        cache.estimatedSize(),
        hits.get(),
        misses.get(),
        evictions.get(),
        invalidations.get(),
        uncacheable.get());
  }

  /**
   * The cache's counters.
   *
   * @param entries plans kept now
   * @param hits statements that ran a kept plan
   * @param misses statements that were planned (and their plan kept when it could be)
   * @param evictions plans dropped to keep the size bound
   * @param invalidations plans dropped because a table they read has a new snapshot
   * @param uncacheable statements planned whose plan cannot be kept (system tables, dynamic
   *     functions)
   */
  public record Stats(
      long entries, long hits, long misses, long evictions, long invalidations, long uncacheable) {}
}
