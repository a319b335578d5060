package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The query log in the metadata store's {@code query_log} table (see V1__init.sql). */
final class JdbcQueryLog {
  private static final String QUERY_LOG_COLUMNS =
      "id, statement_id, company_id, user_id, sql_text, started_at, finished_at, status,"
          + " sqlstate, error_message, rows_returned, files_planned, files_skipped,"
          + " bytes_scanned, rows_scanned";

  private final JdbcMetadataStore store;

  JdbcQueryLog(JdbcMetadataStore store) {
    this.store = store;
  }

  void started(String statementId, long companyId, long userId, String sqlText, Instant startedAt) {
    store.inTransaction(
        "log statement " + JdbcMetadataStore.display(statementId),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO query_log (statement_id, company_id, user_id, sql_text,"
                      + " started_at, status) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, statementId);
            ps.setLong(2, companyId);
            ps.setLong(3, userId);
            ps.setString(
                4,
                JdbcMetadataStore.truncate(
                    sqlText == null ? "" : sqlText, JdbcMetadataStore.MAX_SQL_TEXT_LENGTH));
            ps.setObject(5, startedAt.atOffset(ZoneOffset.UTC));
            ps.setString(6, QueryStatus.RUNNING.dbValue());
            ps.executeUpdate();
          } catch (SQLException e) {
            if (JdbcMetadataStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw NqlException.of(
                  ErrorCode.DUPLICATE_OBJECT,
                  "Cannot log statement %s: the query log already has this statement id",
                  JdbcMetadataStore.display(statementId));
            }
            throw e;
          }
          return null;
        });
  }

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
          JdbcMetadataStore.display(statementId));
    }
    QueryStats s = stats == null ? QueryStats.NONE : stats;
    store.inTransaction(
        "finish statement " + JdbcMetadataStore.display(statementId),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE query_log SET finished_at = ?, status = ?, sqlstate = ?,"
                      + " error_message = ?, rows_returned = ?, files_planned = ?,"
                      + " files_skipped = ?, bytes_scanned = ?, rows_scanned = ?"
                      + " WHERE statement_id = ?")) {
            ps.setObject(1, finishedAt.atOffset(ZoneOffset.UTC));
            ps.setString(2, status.dbValue());
            JdbcMetadataStore.setNullableString(ps, 3, sqlState);
            JdbcMetadataStore.setNullableString(
                ps,
                4,
                errorMessage == null
                    ? null
                    : JdbcMetadataStore.truncate(
                        errorMessage, JdbcMetadataStore.MAX_ERROR_MESSAGE_LENGTH));
            ps.setLong(5, s.rowsReturned());
            ps.setLong(6, s.filesPlanned());
            ps.setLong(7, s.filesSkipped());
            ps.setLong(8, s.bytesScanned());
            ps.setLong(9, s.rowsScanned());
            ps.setString(10, statementId);
            if (ps.executeUpdate() == 0) {
              throw NqlException.of(
                  ErrorCode.UNDEFINED_OBJECT,
                  "Cannot finish statement %s: the query log has no such statement",
                  JdbcMetadataStore.display(statementId));
            }
          }
          return null;
        });
  }

  List<QueryLogEntry> entries(long companyId, int limit) {
    return store.read(
        "read query log",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + QUERY_LOG_COLUMNS
                      + " FROM query_log WHERE company_id = ?"
                      + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
            ps.setLong(1, companyId);
            ps.setInt(2, Math.max(0, limit));
            return JdbcMetadataStore.list(ps, JdbcQueryLog::toEntry);
          }
        });
  }

  Optional<QueryLogEntry> entry(String statementId) {
    return store.read(
        "read query log",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + QUERY_LOG_COLUMNS + " FROM query_log WHERE statement_id = ?")) {
            ps.setString(1, statementId);
            return JdbcMetadataStore.first(ps, JdbcQueryLog::toEntry);
          }
        });
  }

  private static QueryLogEntry toEntry(ResultSet rs) throws SQLException {
    return new QueryLogEntry(
        rs.getLong("id"),
        rs.getString("statement_id"),
        rs.getLong("company_id"),
        rs.getLong("user_id"),
        rs.getString("sql_text"),
        JdbcMetadataStore.instant(rs.getObject("started_at", OffsetDateTime.class)),
        Optional.ofNullable(rs.getObject("finished_at", OffsetDateTime.class))
            .map(JdbcMetadataStore::instant),
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
