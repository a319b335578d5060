package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.maintenance.Retention;
import io.nql.planner.maintenance.Vacuum;
import io.nql.planner.parser.SqlAlterDatasetRetention;
import io.nql.planner.parser.SqlVacuum;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.DatasetMaintenance;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.WebhookDeliveries;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.iceberg.Table;

/**
 * The table maintenance statements of a dataset's owner: {@code VACUUM} (snapshot expiry and
 * orphan-file removal) and {@code ALTER DATASET … SET RETENTION}. A dataset is named as {@code
 * company_data."<ds>"} or {@code "<ds>"}; another company's dataset is as unknown as a missing one.
 */
final class MaintenanceStatements {
  static final List<ResultColumn> VACUUM_COLUMNS =
      List.of(
          ResultColumn.bigint("snapshots_expired", false),
          ResultColumn.bigint("files_deleted", false),
          ResultColumn.bigint("bytes_freed", false));

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;

  MaintenanceStatements(NqlEngine engine, DatasetStatements datasets, Company company) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
  }

  /**
   * Whether {@code node} is a statement of this class, or of {@link OptimizeStatements} (compaction
   * and the advisor), which it hands on.
   */
  static boolean handles(SqlNode node) {
    return node instanceof SqlVacuum
        || node instanceof SqlAlterDatasetRetention
        || OptimizeStatements.handles(node);
  }

  /** The shape of a statement's answer ({@link FixedShapes}). */
  static PreparedInfo shape(SqlNode node) {
    if (OptimizeStatements.handles(node)) {
      return OptimizeStatements.shape(node);
    }
    return node instanceof SqlVacuum
        ? new PreparedInfo(true, VACUUM_COLUMNS, List.of())
        : new PreparedInfo(false, List.of(), List.of());
  }

  /** Runs a statement of this class ({@link #handles}). */
  StatementResult run(String statementId, SqlNode node, ProgressListener progress) {
    if (OptimizeStatements.handles(node)) {
      return new OptimizeStatements(engine, datasets, company).run(statementId, node, progress);
    }
    if (node instanceof SqlVacuum n) {
      return vacuum(statementId, n, progress);
    }
    return retention(statementId, (SqlAlterDatasetRetention) node);
  }

  private StatementResult vacuum(String statementId, SqlVacuum n, ProgressListener progress) {
    Dataset dataset = datasets.own(qualified(n.getName()));
    PlaneDatasets.refuseInPlane(dataset, "vacuum");
    Table table = engine.warehouse().loadTable(dataset);
    Duration retention =
        n.getRetainDays() == null
            ? engine.maintenanceSettings().snapshotRetention()
            : Duration.ofDays(n.getRetainDays());
    Vacuum.Result r =
        Vacuum.run(
            table,
            engine.clock().instant(),
            retention,
            engine.maintenanceSettings(),
            deliverySnapshots(engine.store(), dataset),
            progress);
    return StatementResults.rows(
        statementId,
        VACUUM_COLUMNS,
        List.<Object[]>of(new Object[] {r.snapshotsExpired(), r.filesDeleted(), r.bytesFreed()}));
  }

  private StatementResult retention(String statementId, SqlAlterDatasetRetention n) {
    Dataset dataset = datasets.own(qualified(n.getName()));
    PlaneDatasets.refuseInPlane(dataset, "set the retention of");
    DatasetMaintenance.Retention retention = null;
    if (n.getDays() != null) {
      String column = n.getColumn().getSimple();
      Table table = engine.warehouse().loadTable(dataset);
      Retention.check(table.schema(), Names.written(n.getName()), column);
      retention = new DatasetMaintenance.Retention(n.getDays(), column);
    }
    engine.store().maintenance().setRetention(company.id(), dataset.id(), retention);
    return StatementResults.count(statementId, 0);
  }

  /** {@code "<ds>"} as {@code company_data."<ds>"}; any other name as written. */
  static SqlIdentifier qualified(SqlIdentifier name) {
    if (name.names.size() != 1) {
      return name;
    }
    return new SqlIdentifier(
        List.of(Namespaces.COMPANY_DATA, name.names.get(0)), SqlParserPos.ZERO);
  }

  /**
   * The first run snapshot of the dataset (a materialized view's) that one of its webhook
   * deliveries still has to send: expiry keeps it and every later one.
   */
  static Set<Long> deliverySnapshots(MetadataStore store, Dataset dataset) {
    Set<Long> out = new TreeSet<>();
    for (WebhookDeliveries.Delivery d : store.webhookDeliveries().ofCompany(dataset.companyId())) {
      if (d.datasetId() != dataset.id()) {
        continue;
      }
      if (d.progress().snapshotId() != null) {
        out.add(d.progress().snapshotId());
      }
      store
          .webhookDeliveries()
          .nextRun(dataset.id(), d.progress().doneRunId())
          .map(WebhookDeliveries.PendingRun::snapshotId)
          .ifPresent(out::add);
    }
    return out;
  }
}
