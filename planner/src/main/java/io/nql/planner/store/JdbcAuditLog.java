package io.nql.planner.store;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AuditLog} over JDBC (see V11__audit.sql): inserts and reads, never an update. */
final class JdbcAuditLog implements AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditLog.class);

  private static final String COLUMNS =
      "occurred_at, kind, action, user_id, user_name, company_id, object_kind, object_id,"
          + " object_name, object_company_id, outcome, statement_id, detail";

  /** The object kind of access rules (deliveries and rule changes). */
  static final String RULE = "access rule";

  private final Database db;
  private volatile @Nullable Consumer<AuditEvent> listener;

  JdbcAuditLog(Database db) {
    this.db = db;
  }

  @Override
  public void append(AuditEvent event) {
    AuditEvent stored = db.inTransaction("append to the audit log", h -> insert(h, event));
    published(List.of(stored));
  }

  /**
   * Inserts an event in the caller's transaction, to be {@link #published} once it commits.
   *
   * @return the event with its id
   */
  static AuditEvent insert(Handle h, AuditEvent e) throws SQLException {
    long id =
        h.insertReturningId(
            dup ->
                new io.nql.planner.error.NqlException(
                    io.nql.planner.error.ErrorCode.INTERNAL_ERROR,
                    "Cannot append to the audit log: duplicate id",
                    dup),
            "INSERT INTO audit_events ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                // a delivery names its rule from the store, in this insert (no round trip of its
                // own)
                + " COALESCE(?, (SELECT r.name FROM access_rules r WHERE r.id = ? AND ? = '"
                + RULE
                + "')), ?, ?, ?, ?)",
            e.occurredAt().atOffset(ZoneOffset.UTC),
            e.kind(),
            e.action(),
            e.userId(),
            cut(e.userName(), 256),
            e.companyId(),
            e.objectKind(),
            e.objectId(),
            cut(e.objectName(), 512),
            e.objectId(),
            e.objectKind(),
            e.objectCompanyId(),
            e.outcome(),
            e.statementId(),
            e.detail());
    return e.withId(id);
  }

  private static @Nullable String cut(@Nullable String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  /** Hands committed events to the listener; its failure is logged, never the caller's. */
  void published(List<AuditEvent> events) {
    Consumer<AuditEvent> l = listener;
    if (l == null) {
      return;
    }
    for (AuditEvent e : events) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        LOG.warn("Cannot hand audit event {} to its listener", e.action(), ex);
      }
    }
  }

  @Override
  public List<AuditEvent> events(@Nullable Long companyId) {
    String where = companyId == null ? "" : " WHERE company_id = ? OR object_company_id = ?";
    Object[] args = companyId == null ? new Object[0] : new Object[] {companyId, companyId};
    return db.read(
        "read the audit log",
        h ->
            h.list(
                "SELECT id, " + COLUMNS + " FROM audit_events" + where + " ORDER BY id DESC",
                rs ->
                    new AuditEvent(
                        rs.getLong(1),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4),
                        (Long) rs.getObject(5, Long.class),
                        rs.getString(6),
                        (Long) rs.getObject(7, Long.class),
                        rs.getString(8),
                        (Long) rs.getObject(9, Long.class),
                        rs.getString(10),
                        (Long) rs.getObject(11, Long.class),
                        rs.getString(12),
                        rs.getString(13),
                        rs.getString(14)),
                args));
  }

  @Override
  public void listen(@Nullable Consumer<AuditEvent> listener) {
    this.listener = listener;
  }
}
