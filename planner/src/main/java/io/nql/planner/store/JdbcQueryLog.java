package io.nql.planner.store;

import static io.nql.planner.store.Database.display;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.StatementRedaction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The query log in the metadata store's {@code query_log} table (see V1__init.sql). */
final class JdbcQueryLog {
  static final int MAX_SQL_TEXT_LENGTH = 100_000;
  static final int MAX_ERROR_MESSAGE_LENGTH = 2_000;

  private static final String QUERY_LOG_COLUMNS =
      "id, statement_id, company_id, user_id, sql_text, started_at, finished_at, status,"
          + " sqlstate, error_message, rows_returned, files_planned, files_skipped,"
          + " bytes_scanned, rows_scanned";

  private final Database db;
  private final QueryLogWriter writer;

  JdbcQueryLog(Database db) {
    this.db = db;
    this.writer = new QueryLogWriter(this::write);
  }

  /** Queues a statement's start (written by the group commit, see {@link QueryLogWriter}). */
  void started(String statementId, long companyId, long userId, String sqlText, Instant startedAt) {
    writer.started(
        statementId,
        new QueryLogWriter.Started(
            companyId,
            userId,
            truncate(
                sqlText == null ? "" : StatementRedaction.forLog(sqlText), MAX_SQL_TEXT_LENGTH),
            startedAt));
  }

  /** Queues a statement's end (written by the group commit, see {@link QueryLogWriter}). */
  void finished(
      String statementId,
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats) {
    if (status == null || status == QueryStatus.RUNNING) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot finish statement %s: a finished statement is ok, error or cancelled",
          display(statementId));
    }
    writer.finished(
        statementId,
        new QueryLogWriter.Finished(
            status,
            finishedAt,
            sqlState,
            errorMessage == null ? null : truncate(errorMessage, MAX_ERROR_MESSAGE_LENGTH),
            stats == null ? QueryStats.NONE : stats));
  }

  /** Writes one batch of starts and ends in one transaction. */
  private void write(java.util.Map<String, QueryLogWriter.Pending> batch) {
    List<List<Object[]>> rows = QueryLogWriter.rows(batch);
    db.inTransaction(
        "write the query log",
        h -> {
          h.batch(
              "INSERT INTO query_log (statement_id, company_id, user_id, sql_text, started_at,"
                  + " finished_at, status, sqlstate, error_message, rows_returned, files_planned,"
                  + " files_skipped, bytes_scanned, rows_scanned)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              rows.get(0));
          h.batch(
              "UPDATE query_log SET finished_at = ?, status = ?, sqlstate = ?,"
                  + " error_message = ?, rows_returned = ?, files_planned = ?,"
                  + " files_skipped = ?, bytes_scanned = ?, rows_scanned = ?"
                  + " WHERE statement_id = ?",
              rows.get(1));
          return null;
        });
  }

  /** Writes what is queued and stops the group commit. */
  void close() {
    writer.close();
  }

  List<QueryLogEntry> entries(long companyId, int limit) {
    writer.flush();
    return db.read(
        "read query log",
        h ->
            h.list(
                "SELECT "
                    + QUERY_LOG_COLUMNS
                    + " FROM query_log WHERE company_id = ?"
                    + " ORDER BY started_at DESC, id DESC LIMIT ?",
                JdbcQueryLog::toEntry,
                companyId,
                Math.max(0, limit)));
  }

  Optional<QueryLogEntry> entry(String statementId) {
    writer.flush();
    return db.read(
        "read query log",
        h ->
            h.first(
                "SELECT " + QUERY_LOG_COLUMNS + " FROM query_log WHERE statement_id = ?",
                JdbcQueryLog::toEntry,
                statementId));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static QueryLogEntry toEntry(ResultSet rs) throws SQLException {
    return new QueryLogEntry(
        rs.getLong("id"),
        rs.getString("statement_id"),
        rs.getLong("company_id"),
        rs.getLong("user_id"),
        rs.getString("sql_text"),
        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getObject("finished_at", OffsetDateTime.class))
            .map(OffsetDateTime::toInstant),
        QueryStatus.fromDbValue(rs.getString("status")),
        rs.getString("sqlstate"),
        rs.getString("error_message"),
        new QueryStats(
            rs.getLong("rows_returned"),
            rs.getLong("files_planned"),
            rs.getLong("files_skipped"),
            rs.getLong("bytes_scanned"),
            rs.getLong("rows_scanned")));
  }
}
