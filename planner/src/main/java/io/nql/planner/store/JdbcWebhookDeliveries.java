package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Webhook deliveries and their attempts (see V10__deliveries.sql). */
final class JdbcWebhookDeliveries implements WebhookDeliveries {
  private static final String DELIVERIES =
      "SELECT w.id, w.delivery_key, w.company_id, w.dataset_id, d.name, w.name, w.url, w.format,"
          + " w.batch_rows, w.created_by, w.created_at, w.status, w.done_run_id, w.run_id,"
          + " w.snapshot_id, w.batch_no, w.batch_count, w.attempts, w.next_attempt_at,"
          + " w.rows_delivered, w.batches_delivered, w.failed_attempts, w.last_run_id,"
          + " w.last_error, w.last_attempt_at"
          + " FROM webhook_deliveries w JOIN datasets d ON d.id = w.dataset_id";
  private static final String ATTEMPT_COLUMNS =
      "run_id, snapshot_id, batch_no, batch_count, row_count, idempotency_key, attempt,"
          + " attempted_at, duration_ms, http_status, outcome, error";

  /** Longest error text kept. */
  private static final int MAX_ERROR = 500;

  private final Database db;

  JdbcWebhookDeliveries(Database db) {
    this.db = db;
  }

  @Override
  public Delivery create(
      long companyId,
      long datasetId,
      String name,
      String url,
      String format,
      int batchRows,
      long createdBy) {
    return db.inTransaction(
        "create delivery",
        h -> {
          // runs that end from now on: a run in progress now is one of them
          long done =
              h.first(
                      "SELECT COALESCE(MAX(id), 0) FROM view_runs WHERE dataset_id = ?"
                          + " AND status <> 'running'",
                      rs -> rs.getLong(1),
                      datasetId)
                  .orElse(0L);
          long id =
              h.insertReturningId(
                  e ->
                      NqlException.of(
                          ErrorCode.DUPLICATE_OBJECT,
                          "Cannot create delivery %s: the company has a delivery of that name",
                          Database.display(name)),
                  "INSERT INTO webhook_deliveries (delivery_key, company_id, dataset_id, name, url,"
                      + " format, batch_rows, created_by, created_at, status, done_run_id)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)",
                  UUID.randomUUID().toString(),
                  companyId,
                  datasetId,
                  name,
                  url,
                  format,
                  batchRows,
                  createdBy,
                  Database.now(),
                  done);
          return h.first(DELIVERIES + " WHERE w.id = ?", JdbcWebhookDeliveries::delivery, id)
              .orElseThrow();
        });
  }

  @Override
  public Optional<Delivery> get(long companyId, String name) {
    return db.read(
        "read delivery",
        h ->
            h.first(
                DELIVERIES + " WHERE w.company_id = ? AND w.name = ?",
                JdbcWebhookDeliveries::delivery,
                companyId,
                name));
  }

  @Override
  public List<Delivery> ofCompany(long companyId) {
    return db.read(
        "read deliveries",
        h ->
            h.list(
                DELIVERIES + " WHERE w.company_id = ? ORDER BY w.name",
                JdbcWebhookDeliveries::delivery,
                companyId));
  }

  @Override
  public boolean drop(long companyId, String name) {
    return db.inTransaction(
        "drop delivery",
        h ->
            h.update(
                    "DELETE FROM webhook_deliveries WHERE company_id = ? AND name = ?",
                    companyId,
                    name)
                > 0);
  }

  @Override
  public boolean resume(long companyId, String name) {
    return db.inTransaction(
        "resume delivery",
        h ->
            h.update(
                    "UPDATE webhook_deliveries SET status = 'active', attempts = 0,"
                        + " next_attempt_at = NULL WHERE company_id = ? AND name = ?",
                    companyId,
                    name)
                > 0);
  }

  @Override
  public List<Delivery> due(Instant now, int limit) {
    return db.read(
        "read due deliveries",
        h ->
            h.list(
                DELIVERIES
                    + " WHERE w.status = 'active'"
                    + " AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= ?)"
                    + " AND (w.claimed_until IS NULL OR w.claimed_until < ?)"
                    + " AND (w.run_id IS NOT NULL OR EXISTS (SELECT 1 FROM view_runs r"
                    + " WHERE r.dataset_id = w.dataset_id AND r.id > w.done_run_id"
                    + " AND r.status = 'ok' AND r.snapshot_id IS NOT NULL))"
                    + " ORDER BY COALESCE(w.last_attempt_at, w.created_at), w.id LIMIT "
                    + Math.max(0, limit),
                JdbcWebhookDeliveries::delivery,
                now,
                now));
  }

  @Override
  public Optional<PendingRun> nextRun(long datasetId, long afterRunId) {
    return db.read(
        "read view runs to deliver",
        h ->
            h.first(
                "SELECT id, snapshot_id, status FROM view_runs WHERE dataset_id = ? AND id > ?"
                    + " AND (status = 'running' OR (status = 'ok' AND snapshot_id IS NOT NULL))"
                    + " ORDER BY id LIMIT 1",
                rs -> {
                  long snapshot = rs.getLong(2);
                  Long s = rs.wasNull() ? null : snapshot;
                  return new PendingRun(rs.getLong(1), s, rs.getString(3).equals("running"));
                },
                datasetId,
                afterRunId));
  }

  @Override
  public Optional<Delivery> claim(long id, String claimant, Instant now, Instant until) {
    return db.inTransaction(
        "claim delivery",
        h -> {
          int claimed =
              h.update(
                  "UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?"
                      + " AND status = 'active' AND (claimed_until IS NULL OR claimed_until < ?)",
                  claimant,
                  until,
                  id,
                  now);
          if (claimed == 0) {
            return Optional.<Delivery>empty();
          }
          return h.first(DELIVERIES + " WHERE w.id = ?", JdbcWebhookDeliveries::delivery, id);
        });
  }

  @Override
  public boolean record(long id, String claimant, @Nullable Attempt a, Progress p, Instant until) {
    return db.inTransaction(
        "record delivery attempt",
        h -> {
          int updated =
              h.update(
                  "UPDATE webhook_deliveries SET status = ?, done_run_id = ?, run_id = ?,"
                      + " snapshot_id = ?, batch_no = ?, batch_count = ?, attempts = ?,"
                      + " next_attempt_at = ?, rows_delivered = ?, batches_delivered = ?,"
                      + " failed_attempts = ?, last_run_id = ?, last_error = ?,"
                      + " last_attempt_at = ?, claimed_until = ? WHERE id = ? AND claimed_by = ?",
                  p.status(),
                  p.doneRunId(),
                  p.runId(),
                  p.snapshotId(),
                  p.batch(),
                  p.batches(),
                  p.attempts(),
                  p.nextAttemptAt(),
                  p.rowsDelivered(),
                  p.batchesDelivered(),
                  p.failedAttempts(),
                  p.lastRunId(),
                  truncate(p.lastError()),
                  p.lastAttemptAt(),
                  until,
                  id,
                  claimant);
          if (updated == 0) {
            return false;
          }
          if (a != null) {
            h.update(
                "INSERT INTO webhook_attempts (delivery_id, "
                    + ATTEMPT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                a.runId(),
                a.snapshotId(),
                a.batch(),
                a.batches(),
                a.rows(),
                a.idempotencyKey(),
                a.attempt(),
                a.attemptedAt(),
                a.durationMillis(),
                a.httpStatus(),
                a.outcome(),
                truncate(a.error()));
          }
          return true;
        });
  }

  @Override
  public void release(long id, String claimant) {
    db.inTransaction(
        "release delivery",
        h ->
            h.update(
                "UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL"
                    + " WHERE id = ? AND claimed_by = ?",
                id,
                claimant));
  }

  @Override
  public List<Attempt> log(long deliveryId, int limit) {
    return db.read(
        "read delivery log",
        h ->
            h.list(
                "SELECT "
                    + ATTEMPT_COLUMNS
                    + " FROM webhook_attempts WHERE delivery_id = ? ORDER BY id DESC LIMIT "
                    + Math.max(0, limit),
                JdbcWebhookDeliveries::attempt,
                deliveryId));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    return new Delivery(
        rs.getLong(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9),
        rs.getLong(10),
        rs.getObject(11, OffsetDateTime.class).toInstant(),
        new Progress(
            rs.getString(12),
            rs.getLong(13),
            nullableLong(rs, 14),
            nullableLong(rs, 15),
            rs.getInt(16),
            rs.getInt(17),
            rs.getInt(18),
            instant(rs, 19),
            rs.getLong(20),
            rs.getLong(21),
            rs.getLong(22),
            nullableLong(rs, 23),
            rs.getString(24),
            instant(rs, 25)));
  }

  private static Attempt attempt(ResultSet rs) throws SQLException {
    int status = rs.getInt(10);
    Integer httpStatus = rs.wasNull() ? null : status;
    return new Attempt(
        rs.getLong(1),
        rs.getLong(2),
        rs.getInt(3),
        rs.getInt(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getInt(7),
        rs.getObject(8, OffsetDateTime.class).toInstant(),
        rs.getLong(9),
        httpStatus,
        rs.getString(11),
        rs.getString(12));
  }

  private static @Nullable Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static @Nullable String truncate(@Nullable String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
  }
}
