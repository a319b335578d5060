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
        h -> {
          if (!h.exists(
              "SELECT 1 FROM data_planes WHERE company_id = ? AND name = ? FOR UPDATE",
              companyId,
              name)) {
            return false;
          }
          List<String> datasets =
              h.list(
                  "SELECT name FROM datasets WHERE company_id = ? AND data_plane = ? ORDER BY name",
                  rs -> rs.getString(1),
                  companyId,
                  name);
          if (!datasets.isEmpty()) {
            throw inUse(name, datasets, null);
          }
          try {
            return h.update(
                    "DELETE FROM data_planes WHERE company_id = ? AND name = ?", companyId, name)
                > 0;
          } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
              // The last guard: a dataset committed between the look-up and the delete.
              throw inUse(name, List.of(), e);
            }
            throw e;
          }
        });
  }

  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private static NqlException inUse(String plane, List<String> datasets, SQLException cause) {
    String which =
        datasets.isEmpty()
            ? "datasets rest in it"
            : (datasets.size() == 1 ? "dataset " : "datasets ")
                + String.join(", ", datasets.subList(0, Math.min(10, datasets.size())))
                + (datasets.size() > 10 ? " and " + (datasets.size() - 10) + " more" : "")
                + (datasets.size() == 1 ? " rests" : " rest")
                + " in it";
    return new NqlException(
        ErrorCode.DEPENDENT_OBJECTS_STILL_EXIST,
        "Cannot drop data plane " + plane + ": " + which + "; drop them first",
        cause);
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
