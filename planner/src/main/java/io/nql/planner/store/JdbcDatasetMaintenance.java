package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Maintenance state in the {@code dataset_maintenance} table (V12). */
final class JdbcDatasetMaintenance implements DatasetMaintenance {
  private final Database db;

  JdbcDatasetMaintenance(Database db) {
    this.db = db;
  }

  @Override
  public void setRetention(long companyId, long datasetId, Retention retention) {
    ensureRow(companyId, datasetId);
    db.inTransaction(
        "set retention of dataset " + datasetId,
        h ->
            h.update(
                "UPDATE dataset_maintenance SET retention_days = ?, retention_column = ?"
                    + " WHERE dataset_id = ? AND company_id = ?",
                retention == null ? null : retention.days(),
                retention == null ? null : retention.column(),
                datasetId,
                companyId));
  }

  /**
   * Inserts the dataset's row if it has none, in a transaction of its own: of two gateways
   * inserting it at once the second fails on the key, which in PostgreSQL ends its transaction.
   */
  private void ensureRow(long companyId, long datasetId) {
    try {
      db.inTransaction(
          "add maintenance of dataset " + datasetId,
          h ->
              h.exists("SELECT 1 FROM dataset_maintenance WHERE dataset_id = ?", datasetId)
                  ? 0
                  : h.insert(
                      e -> new NqlException(ErrorCode.OBJECT_IN_USE, "exists", e),
                      "INSERT INTO dataset_maintenance (dataset_id, company_id) VALUES (?, ?)",
                      datasetId,
                      companyId));
    } catch (NqlException e) {
      if (e.code() != ErrorCode.OBJECT_IN_USE) {
        throw e;
      }
    }
  }

  @Override
  public Optional<Retention> retention(long datasetId) {
    return db.read(
        "read retention of dataset " + datasetId,
        h ->
            h.first(
                "SELECT retention_days, retention_column FROM dataset_maintenance"
                    + " WHERE dataset_id = ? AND retention_days IS NOT NULL",
                rs -> new Retention(rs.getInt(1), rs.getString(2)),
                datasetId));
  }

  @Override
  public boolean claim(
      long companyId,
      long datasetId,
      String instance,
      Instant now,
      Instant staleBefore,
      Instant doneSince) {
    ensureRow(companyId, datasetId);
    return db.inTransaction(
        "claim maintenance of dataset " + datasetId,
        h ->
            h.update(
                    "UPDATE dataset_maintenance SET running_since = ?, running_instance = ?"
                        + " WHERE dataset_id = ? AND (running_since IS NULL OR running_since < ?)"
                        + " AND (last_run_at IS NULL OR last_run_at < ?)",
                    now,
                    instance,
                    datasetId,
                    staleBefore,
                    doneSince)
                > 0);
  }

  @Override
  public void release(long datasetId, String instance, Instant finishedAt) {
    db.inTransaction(
        "release maintenance of dataset " + datasetId,
        h ->
            h.update(
                "UPDATE dataset_maintenance SET running_since = NULL, running_instance = NULL,"
                    + " last_run_at = ? WHERE dataset_id = ? AND running_instance = ?",
                finishedAt,
                datasetId,
                instance));
  }

  @Override
  public Optional<Instant> lastRun(long datasetId) {
    return db.read(
        "read maintenance of dataset " + datasetId,
        h ->
            h.first(
                    "SELECT last_run_at FROM dataset_maintenance WHERE dataset_id = ?",
                    rs -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)),
                    datasetId)
                .flatMap(o -> o.map(OffsetDateTime::toInstant)));
  }
}
