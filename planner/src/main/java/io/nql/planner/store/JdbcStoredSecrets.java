package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Secrets in the {@code secrets} table (see V9__secrets.sql). */
final class JdbcStoredSecrets implements StoredSecrets {
  private static final String COLUMNS =
      "company_id, name, secret_type, sealed, created_by, created_at";

  private final Database db;

  JdbcStoredSecrets(Database db) {
    this.db = db;
  }

  @Override
  public void put(StoredSecret s, boolean replace) {
    db.inTransaction(
        "create secret " + s.name(),
        h -> {
          if (JdbcCompanies.find(h, s.companyId()).isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create secret %s: no company has id %d",
                s.name(),
                s.companyId());
          }
          if (replace) {
            h.update(
                "DELETE FROM secrets WHERE company_id = ? AND name = ?", s.companyId(), s.name());
          }
          return h.insert(
              e -> duplicate(s.name(), e),
              "INSERT INTO secrets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
              s.companyId(),
              s.name(),
              s.type(),
              s.sealed(),
              s.createdBy(),
              s.createdAt());
        });
  }

  private static NqlException duplicate(String name, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_OBJECT,
        "Cannot create secret " + name + ": a secret with this name already exists",
        cause);
  }

  @Override
  public Optional<StoredSecret> get(long companyId, String name) {
    return db.read(
        "read secret",
        h ->
            h.first(
                "SELECT " + COLUMNS + " FROM secrets WHERE company_id = ? AND name = ?",
                JdbcStoredSecrets::secret,
                companyId,
                name));
  }

  @Override
  public List<StoredSecret> ofCompany(long companyId) {
    return db.read(
        "read secrets",
        h ->
            h.list(
                "SELECT " + COLUMNS + " FROM secrets WHERE company_id = ? ORDER BY name",
                JdbcStoredSecrets::secret,
                companyId));
  }

  @Override
  public boolean delete(long companyId, String name) {
    return db.inTransaction(
        "drop secret",
        h ->
            h.update("DELETE FROM secrets WHERE company_id = ? AND name = ?", companyId, name) > 0);
  }

  private static StoredSecret secret(ResultSet rs) throws SQLException {
    return new StoredSecret(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getObject(6, OffsetDateTime.class).toInstant());
  }
}
