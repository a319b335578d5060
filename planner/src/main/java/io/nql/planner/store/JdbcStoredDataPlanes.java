package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Data planes in the {@code data_planes} table (see V13__data_planes.sql). */
final class JdbcStoredDataPlanes implements StoredDataPlanes {
  private static final String COLUMNS =
      "company_id, name, plane_type, secret_name, sealed, created_by, created_at";

  private final Database db;

  JdbcStoredDataPlanes(Database db) {
    this.db = db;
  }

  @Override
  public void put(StoredDataPlane p) {
    db.inTransaction(
        "create data plane " + p.name(),
        h -> {
          if (JdbcCompanies.find(h, p.companyId()).isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create data plane %s: no company has id %d",
                p.name(),
                p.companyId());
          }
          return h.insert(
              e ->
                  new NqlException(
                      ErrorCode.DUPLICATE_OBJECT,
                      "Cannot create data plane "
                          + p.name()
                          + ": a data plane with this name already exists",
                      e),
              "INSERT INTO data_planes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
              p.companyId(),
              p.name(),
              p.type(),
              p.secretName(),
              p.sealed(),
              p.createdBy(),
              p.createdAt());
        });
  }

  @Override
  public Optional<StoredDataPlane> get(long companyId, String name) {
    return db.read(
        "read data plane",
        h ->
            h.first(
                "SELECT " + COLUMNS + " FROM data_planes WHERE company_id = ? AND name = ?",
                JdbcStoredDataPlanes::plane,
                companyId,
                name));
  }

  @Override
  public List<StoredDataPlane> ofCompany(long companyId) {
    return db.read(
        "read data planes",
        h ->
            h.list(
                "SELECT " + COLUMNS + " FROM data_planes WHERE company_id = ? ORDER BY name",
                JdbcStoredDataPlanes::plane,
                companyId));
  }

  @Override
  public boolean delete(long companyId, String name) {
    return db.inTransaction(
        "drop data plane",
        h ->
            h.update("DELETE FROM data_planes WHERE company_id = ? AND name = ?", companyId, name)
                > 0);
  }

  private static StoredDataPlane plane(ResultSet rs) throws SQLException {
    return new StoredDataPlane(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getObject(7, OffsetDateTime.class).toInstant());
  }
}
