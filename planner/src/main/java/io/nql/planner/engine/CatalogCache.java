package io.nql.planner.engine;

import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.catalog.DatasetSource;
import io.nql.planner.plane.PlaneConnector;
import io.nql.planner.policy.RuleTemplates;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.CatalogVersion;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What statements read of the catalog — companies, access rules, datasets and their Iceberg tables
 * — kept in memory for as long as the store's {@link CatalogVersion} does not change, so a small
 * statement costs one round trip for the version instead of one per list and per table.
 *
 * <p>Every change of companies, users, datasets, rules, mappings and attributes raises the DDL
 * version in its own transaction, so a cached read is never used after a change is committed (by
 * this gateway or another sharing the store). A commit of rows raises the data version after the
 * Iceberg commit: tables are then loaded again, while the lists, which only DDL changes, are kept.
 * As a safety net for a data change whose version update was lost (a crash between the two
 * commits), tables are also loaded again when they are older than {@link #MAX_TABLE_AGE_NANOS}.
 *
 * <p>Thread-safe. Each statement takes one {@link State} and reads only it.
 */
final class CatalogCache {
  /** Longest time a loaded table is used without its version being checked again. */
  static final long MAX_TABLE_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final MetadataStore store;
  private final Warehouse warehouse;
  private final PlaneConnector planes;
  private volatile State state;

  CatalogCache(MetadataStore store, Warehouse warehouse, PlaneConnector planes) {
    this.planes = planes;
    this.store = store;
    this.warehouse = warehouse;
  }

  /** The catalog at the store's current version (reads the version: one round trip). */
  State current() {
    CatalogVersion version = store.catalogVersion();
    long now = System.nanoTime();
    State s = state;
    if (s != null && s.version.equals(version) && now - s.createdNanos < MAX_TABLE_AGE_NANOS) {
      return s;
    }
    State next = new State(version, now, s != null && s.version.ddl() == version.ddl() ? s : null);
    state = next;
    return next;
  }

  /** The catalog as of one version; lists and tables are read on first use. */
  final class State {
    private final CatalogVersion version;
    private final long createdNanos;
    private volatile List<Company> companies;
    private final Map<String, java.util.Optional<io.nql.planner.store.User>> users;
    private final Map<Long, List<AccessRule>> rules;
    private final Map<Long, List<AccessRule>> sharedWith;
    private final Map<Long, List<Dataset>> datasets;
    private final Map<Long, Table> tables = new ConcurrentHashMap<>();
    private final RuleTemplates ruleTemplates = new RuleTemplates();

    /**
     * @param sameDdl a state of the same DDL version, whose lists stay valid, or null
     */
    private State(CatalogVersion version, long createdNanos, State sameDdl) {
      this.version = version;
      this.createdNanos = createdNanos;
      this.companies = sameDdl == null ? null : sameDdl.companies;
      this.users = sameDdl == null ? new ConcurrentHashMap<>() : sameDdl.users;
      this.rules = sameDdl == null ? new ConcurrentHashMap<>() : sameDdl.rules;
      this.sharedWith = sameDdl == null ? new ConcurrentHashMap<>() : sameDdl.sharedWith;
      this.datasets = sameDdl == null ? new ConcurrentHashMap<>() : sameDdl.datasets;
    }

    CatalogVersion version() {
      return version;
    }

    /** The rules validated in this state (its datasets' tables and schemas), by rule version. */
    RuleTemplates ruleTemplates() {
      return ruleTemplates;
    }

    List<Company> companies() {
      List<Company> c = companies;
      if (c == null) {
        c = List.copyOf(store.companies());
        companies = c;
      }
      return c;
    }

    /** A user by name (sessions of callers authenticated by a token open with it). */
    java.util.Optional<io.nql.planner.store.User> user(String name) {
      java.util.Optional<io.nql.planner.store.User> u = users.get(name);
      if (u == null) {
        u = store.user(name);
        users.put(name, u);
      }
      return u;
    }

    /** A company by id. */
    java.util.Optional<Company> company(long id) {
      return companies().stream().filter(c -> c.id() == id).findFirst();
    }

    /** The live rules a company owns. */
    List<AccessRule> rules(long companyId) {
      return cached(rules, companyId, id -> store.accessRules().rules(id));
    }

    /** The live rules other companies share with a company. */
    List<AccessRule> sharedWith(long companyId) {
      return cached(sharedWith, companyId, id -> store.accessRules().sharedWith(id));
    }

    /** The datasets a company owns. */
    List<Dataset> datasets(long companyId) {
      return cached(datasets, companyId, store::datasets);
    }

    /** The datasets of each company, each loading its table once for this state. */
    DatasetSource datasetSource() {
      return companyId -> {
        List<DatasetHandle> out = new ArrayList<>();
        for (Dataset d : datasets(companyId)) {
          out.add(new DatasetHandle(d.id(), d.name(), () -> table(d), d.plane(), planes));
        }
        return out;
      };
    }

    /** A dataset's Iceberg table as this state loaded it (loaded on first use). */
    Table table(Dataset d) {
      Table t = tables.get(d.id());
      if (t == null) {
        t = warehouse.loadTable(d);
        Table raced = tables.putIfAbsent(d.id(), t);
        if (raced != null) {
          t = raced;
        }
      }
      return t;
    }

    /**
     * The current snapshot id of a company's dataset in this state, -1 for a table without a
     * snapshot, or null when the company has no dataset with that id any more.
     */
    Long snapshotId(long companyId, long datasetId) {
      for (Dataset d : datasets(companyId)) {
        if (d.id() == datasetId) {
          Snapshot s = table(d).currentSnapshot();
          return s == null ? -1L : s.snapshotId();
        }
      }
      return null;
    }

    private static <T> List<T> cached(
        Map<Long, List<T>> map, long key, LongFunction<List<T>> load) {
      List<T> v = map.get(key);
      if (v == null) {
        v = List.copyOf(load.apply(key));
        map.put(key, v);
      }
      return Objects.requireNonNull(v);
    }
  }
}
