package io.nql.planner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Materialized views and their runs (see V8__materialized_views.sql). */
final class JdbcMaterializedViews implements MaterializedViews {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VIEW_COLUMNS =
      "v.dataset_id, v.company_id, v.owner_user_id, d.name, v.query_text, v.budget_text,"
          + " v.refresh_schedule, v.display_name, v.description, v.expire, v.tags, v.write_mode,"
          + " v.created_at, v.next_run_at";
  private static final String VIEWS =
      "SELECT "
          + VIEW_COLUMNS
          + " FROM materialized_views v JOIN datasets d ON d.id = v.dataset_id";
  private static final String RUN_COLUMNS =
      "id, dataset_id, statement_id, trigger_kind, started_at, finished_at, status, rows_written,"
          + " spent_micros, budget_cut, snapshot_id, sqlstate, error_message";

  private final Database db;

  JdbcMaterializedViews(Database db) {
    this.db = db;
  }

  @Override
  public void create(View v) {
    db.inCatalogTransaction(
        "create materialized view",
        h ->
            h.update(
                "INSERT INTO materialized_views (dataset_id, company_id, owner_user_id, query_text,"
                    + " budget_text, refresh_schedule, display_name, description, expire, tags,"
                    + " write_mode, created_at, next_run_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                v.datasetId(),
                v.companyId(),
                v.ownerUserId(),
                v.query(),
                v.budget(),
                v.schedule(),
                v.displayName(),
                v.description(),
                v.expire(),
                json(v.tags()),
                v.writeMode(),
                v.createdAt(),
                v.nextRunAt()));
  }

  @Override
  public Optional<View> get(long companyId, long datasetId) {
    return db.read(
        "read materialized view",
        h ->
            h.first(
                VIEWS + " WHERE v.company_id = ? AND v.dataset_id = ?",
                JdbcMaterializedViews::view,
                companyId,
                datasetId));
  }

  @Override
  public List<View> ofCompany(long companyId) {
    return db.read(
        "read materialized views",
        h ->
            h.list(
                VIEWS + " WHERE v.company_id = ? ORDER BY d.name",
                JdbcMaterializedViews::view,
                companyId));
  }

  @Override
  public Optional<Long> startRun(
      long companyId,
      long datasetId,
      String statementId,
      String trigger,
      String instanceId,
      @Nullable Instant dueBy) {
    return db.inTransaction(
        "start materialized view run",
        h -> {
          OffsetDateTime now = Database.now();
          String claim =
              "UPDATE materialized_views SET running_since = ?, running_instance = ?"
                  + " WHERE company_id = ? AND dataset_id = ? AND running_since IS NULL";
          int claimed =
              dueBy == null
                  ? h.update(claim, now, instanceId, companyId, datasetId)
                  : h.update(
                      claim + " AND next_run_at <= ?",
                      now,
                      instanceId,
                      companyId,
                      datasetId,
                      dueBy);
          if (claimed == 0) {
            return Optional.<Long>empty();
          }
          return Optional.of(
              h.insertReturningId(
                  e -> new NqlException(ErrorCode.INTERNAL_ERROR, "duplicate view run", e),
                  "INSERT INTO view_runs (dataset_id, company_id, statement_id, trigger_kind,"
                      + " started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
                  datasetId,
                  companyId,
                  statementId,
                  trigger,
                  now));
        });
  }

  @Override
  public List<View> due(Instant now, int limit) {
    return db.read(
        "read due materialized views",
        h ->
            h.list(
                VIEWS
                    + " WHERE v.next_run_at <= ? AND v.running_since IS NULL"
                    + " ORDER BY v.next_run_at, v.dataset_id LIMIT "
                    + Math.max(0, limit),
                JdbcMaterializedViews::view,
                now));
  }

  @Override
  public void finishRun(long runId, long datasetId, Outcome o, @Nullable Instant nextRunAt) {
    db.inTransaction(
        "finish materialized view run",
        h -> {
          h.update(
              "UPDATE view_runs SET finished_at = ?, status = ?, rows_written = ?,"
                  + " spent_micros = ?, budget_cut = ?, snapshot_id = ?, sqlstate = ?,"
                  + " error_message = ? WHERE id = ?",
              Database.now(),
              o.status(),
              o.rowsWritten(),
              o.spentMicros(),
              o.budgetCut(),
              o.snapshotId(),
              o.sqlState(),
              truncate(o.errorMessage()),
              runId);
          return h.update(
              "UPDATE materialized_views SET running_since = NULL, running_instance = NULL,"
                  + " next_run_at = ? WHERE dataset_id = ?",
              nextRunAt,
              datasetId);
        });
  }

  @Override
  public int abandonRuns(String instanceId) {
    return db.inTransaction(
        "end abandoned materialized view runs",
        h -> {
          // what the run bought is in the ledger (reconciled before this): its record says so
          int ended =
              h.update(
                  "UPDATE view_runs SET finished_at = ?, status = 'error', sqlstate = 'XX000',"
                      + " error_message = 'The gateway stopped during the run', spent_micros ="
                      + " (SELECT COALESCE(SUM(l.amount_micros), 0) FROM ledger l"
                      + " WHERE l.statement_id = view_runs.statement_id) WHERE status ="
                      + " 'running' AND dataset_id IN (SELECT dataset_id FROM materialized_views"
                      + " WHERE running_instance = ?)",
                  Database.now(),
                  instanceId);
          h.update(
              "UPDATE materialized_views SET running_since = NULL, running_instance = NULL"
                  + " WHERE running_instance = ?",
              instanceId);
          return ended;
        });
  }

  @Override
  public List<Run> runs(long datasetId, int limit) {
    return db.read(
        "read materialized view runs",
        h ->
            h.list(
                "SELECT "
                    + RUN_COLUMNS
                    + " FROM view_runs WHERE dataset_id = ? ORDER BY id DESC LIMIT "
                    + Math.max(0, limit),
                JdbcMaterializedViews::run,
                datasetId));
  }

  private static View view(ResultSet rs) throws SQLException {
    OffsetDateTime next = rs.getObject(14, OffsetDateTime.class);
    return new View(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        tags(rs.getString(11)),
        rs.getString(12),
        rs.getObject(13, OffsetDateTime.class).toInstant(),
        next == null ? null : next.toInstant());
  }

  private static Run run(ResultSet rs) throws SQLException {
    OffsetDateTime finished = rs.getObject(6, OffsetDateTime.class);
    long snapshot = rs.getLong(11);
    boolean noSnapshot = rs.wasNull();
    return new Run(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getObject(5, OffsetDateTime.class).toInstant(),
        finished == null ? null : finished.toInstant(),
        rs.getString(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getBoolean(10),
        noSnapshot ? null : snapshot,
        rs.getString(12),
        rs.getString(13));
  }

  private static String json(List<String> tags) {
    try {
      return JSON.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> tags(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable tags " + json, e);
    }
  }

  private static @Nullable String truncate(@Nullable String message) {
    return message == null || message.length() <= 2000 ? message : message.substring(0, 2000);
  }
}
