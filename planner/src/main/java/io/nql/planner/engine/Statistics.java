package io.nql.planner.engine;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.catalog.DatasetSource;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.forecast.ProfileStore;
import io.nql.planner.forecast.Profiler;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.PlanRewriter;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.Dataset;
import io.nql.planner.vector.VectorExecution;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Computes and stores the statistics forecasts read ({@link Profile}s): of a dataset, and of each
 * access rule over it — the rule's own output rows, read through the rule's query in its owner's
 * namespace, so that what a rule hides never enters its statistics. Run after every write of a
 * dataset ({@code COPY INTO}), when a rule is created, and by {@code ANALYZE}.
 */
final class Statistics {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Statistics.class);

  private final NqlEngine engine;

  /**
   * Profiling reads the owner's datasets only (no rule tables): no policy rewrite, and its plans
   * neither reach the engine's plan observers nor its compiled-plan cache.
   */
  private final QueryExecutor executor =
      new QueryExecutor(PlanRewriter.IDENTITY, VectorExecution.EXECUTION);

  Statistics(NqlEngine engine) {
    this.engine = engine;
  }

  /** Profiles a dataset and every live rule over it at the dataset's current snapshot. */
  void analyze(Dataset dataset) {
    PlaneDatasets.refuseInPlane(dataset, "analyze");
    profile(dataset, false);
  }

  /**
   * Profiles a dataset and its rules after a write, logging (not failing) when it cannot: the write
   * is committed, and forecasts then say the statistics are missing or older. After an append to an
   * analyzed snapshot only the appended files are read, and their statistics are merged into the
   * previous snapshot's.
   */
  void afterWrite(Dataset dataset) {
    try {
      profile(dataset, true);
    } catch (RuntimeException e) {
      LOG.warn("Cannot compute the statistics of dataset {}", dataset.id(), e);
    }
  }

  private void profile(Dataset dataset, boolean incremental) {
    if (dataset.inPlane()) {
      return; // no Iceberg snapshot to profile: forecasts say the statistics are missing
    }
    Table table = engine.warehouse().loadTable(dataset);
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return;
    }
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put(
        ProfileStore.DATASET,
        "SELECT * FROM " + Namespaces.COMPANY_DATA + ".\"" + dataset.id() + "\"");
    for (AccessRule r : engine.store().accessRules().rules(dataset.companyId())) {
      if (r.datasetId() == dataset.id()) {
        sources.put(ProfileStore.ruleKey(r.id(), r.version()), r.queryText());
      }
    }
    Long parent = snapshot.parentId();
    boolean append =
        incremental && parent != null && DataOperations.APPEND.equals(snapshot.operation());
    DatasetSource delta = append ? appendedFiles(dataset, table, snapshot) : null;
    Map<String, Profiler> profiles = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Profiler previous =
          append ? engine.profiles().state(table, parent, e.getKey()).orElse(null) : null;
      if (previous != null) {
        Profiler added = profile(dataset.companyId(), e.getValue(), delta);
        if (previous.sameColumns(added)) {
          previous.merge(added);
          profiles.put(e.getKey(), previous);
          continue;
        }
      }
      profiles.put(e.getKey(), profile(dataset.companyId(), e.getValue(), engine.datasets()));
    }
    engine.profiles().put(table, snapshot, profiles, List.of(), table.schema().columns());
  }

  /** Profiles one rule version at its dataset's current snapshot (after it is created). */
  void analyzeRuleQuietly(AccessRule rule) {
    try {
      Dataset dataset =
          engine.warehouse().datasetById(rule.companyId(), rule.datasetId()).orElse(null);
      if (dataset == null || dataset.inPlane()) {
        return; // a dataset in a data plane has no Iceberg table to keep profiles in
      }
      Table table = engine.warehouse().loadTable(dataset);
      Snapshot snapshot = table.currentSnapshot();
      if (snapshot == null) {
        return;
      }
      Profiler p = profile(rule.companyId(), rule.queryText(), engine.datasets());
      engine
          .profiles()
          .put(
              table,
              snapshot,
              Map.of(ProfileStore.ruleKey(rule.id(), rule.version()), p),
              List.of(),
              table.schema().columns());
    } catch (RuntimeException e) {
      LOG.warn("Cannot compute the statistics of access rule {}", rule.id(), e);
    }
  }

  private Profiler profile(long ownerId, String query, DatasetSource datasets) {
    SchemaPlus root = CallerSchemas.forCompany(ownerId, List.of(), datasets);
    try (QueryResult result =
        executor.execute(
            NqlParser.parse(query),
            root,
            new ScanMetrics(),
            List.of(),
            Map.of(VectorExecution.CONTEXT_KEY, true))) {
      List<String> names = new ArrayList<>();
      List<SqlTypeName> types = new ArrayList<>();
      for (ResultColumn c : result.columns()) {
        names.add(c.name());
        SqlTypeName t =
            c.jdbcType() == java.sql.Types.TIMESTAMP_WITH_TIMEZONE
                ? SqlTypeName.TIMESTAMP
                : SqlTypeName.getNameForJdbcType(c.jdbcType());
        types.add(t == null ? SqlTypeName.ANY : t);
      }
      Profiler profiler = new Profiler(names, types);
      while (result.next()) {
        profiler.add(result.row());
      }
      return profiler;
    }
  }

  /**
   * The owner's datasets where {@code dataset} holds only the data files {@code snapshot} added (an
   * append): its scans plan the snapshot's files and keep those.
   */
  private DatasetSource appendedFiles(Dataset dataset, Table table, Snapshot snapshot) {
    Set<String> added = new HashSet<>();
    for (DataFile f : snapshot.addedDataFiles(table.io())) {
      added.add(f.location());
    }
    Table onlyAdded = AddedFilesTable.of(table, added);
    DatasetSource all = engine.datasets();
    return companyId -> {
      List<DatasetHandle> out = new ArrayList<>();
      for (DatasetHandle h : all.datasets(companyId)) {
        out.add(
            h.id() == dataset.id()
                ? new DatasetHandle(h.id(), h.name(), () -> onlyAdded, h.plane(), h.planes())
                : h);
      }
      return out;
    };
  }
}
