package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The Rosetta Stone's tables (see V6__rosetta.sql). */
final class JdbcMappings implements Mappings {
  private static final String COLUMNS =
      "dataset_id, attribute, ordinal, property, expression, created_at";
  private static final String ORDER = " ORDER BY dataset_id, attribute, ordinal, property";

  private final Database db;

  JdbcMappings(Database db) {
    this.db = db;
  }

  @Override
  public List<Mapping> forDataset(long datasetId) {
    return db.read(
        "read mappings",
        h ->
            h.list(
                "SELECT " + COLUMNS + " FROM rosetta_mappings WHERE dataset_id = ?" + ORDER,
                JdbcMappings::mapping,
                datasetId));
  }

  @Override
  public List<Mapping> forDatasets(Collection<Long> datasetIds) {
    if (datasetIds.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(datasetIds.size(), "?"));
    return db.read(
        "read mappings",
        h ->
            h.list(
                "SELECT "
                    + COLUMNS
                    + " FROM rosetta_mappings WHERE dataset_id IN ("
                    + marks
                    + ")"
                    + ORDER,
                JdbcMappings::mapping,
                datasetIds.toArray()));
  }

  private static Mapping mapping(ResultSet rs) throws SQLException {
    String property = rs.getString(4);
    return new Mapping(
        rs.getLong(1),
        rs.getString(2),
        rs.getInt(3),
        property.isEmpty() ? null : property,
        rs.getString(5),
        rs.getObject(6, OffsetDateTime.class).toInstant());
  }

  @Override
  public List<Mapping> add(long datasetId, List<NewMapping> mappings) {
    return db.inCatalogTransaction(
        "create mapping",
        h -> {
          // Lock the dataset row: two statements mapping one dataset take ordinals in turn.
          if (!h.exists("SELECT 1 FROM datasets WHERE id = ? FOR UPDATE", datasetId)) {
            throw NqlException.of(
                ErrorCode.UNKNOWN_TABLE,
                "Unknown table or insufficient table permissions: %s",
                datasetId);
          }
          OffsetDateTime now = Database.now();
          List<Mapping> out = new ArrayList<>();
          for (NewMapping m : mappings) {
            int ordinal =
                h.first(
                        "SELECT COALESCE(MAX(ordinal), 0) + 1 FROM rosetta_mappings"
                            + " WHERE dataset_id = ? AND attribute = ?",
                        rs -> rs.getInt(1),
                        datasetId,
                        m.attribute())
                    .orElse(1);
            for (Map.Entry<String, String> e : m.expressions().entrySet()) {
              h.update(
                  "INSERT INTO rosetta_mappings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                  datasetId,
                  m.attribute(),
                  ordinal,
                  e.getKey(),
                  e.getValue(),
                  now);
              out.add(
                  new Mapping(
                      datasetId,
                      m.attribute(),
                      ordinal,
                      e.getKey().isEmpty() ? null : e.getKey(),
                      e.getValue(),
                      now.toInstant()));
            }
          }
          return List.copyOf(out);
        });
  }

  @Override
  public int drop(long datasetId, String attribute, String property) {
    return db.inCatalogTransaction(
        "drop mapping",
        h ->
            property == null
                ? h.update(
                    "DELETE FROM rosetta_mappings WHERE dataset_id = ? AND attribute = ?",
                    datasetId,
                    attribute)
                : h.update(
                    "DELETE FROM rosetta_mappings WHERE dataset_id = ? AND attribute = ?"
                        + " AND property = ?",
                    datasetId,
                    attribute,
                    property));
  }

  @Override
  public List<StoredAttribute> attributes() {
    return db.read(
        "read attributes",
        h ->
            h.list(
                "SELECT name, definition, created_at FROM rosetta_attributes ORDER BY name",
                rs ->
                    new StoredAttribute(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant())));
  }

  @Override
  public void createAttribute(String name, String definition) {
    db.inCatalogTransaction(
        "create attribute " + name,
        h -> {
          if (h.exists("SELECT 1 FROM rosetta_attributes WHERE name = ?", name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_OBJECT, "Cannot create attribute %s: it exists", name);
          }
          h.update(
              "INSERT INTO rosetta_attributes (name, definition, created_at) VALUES (?, ?, ?)",
              name,
              definition,
              Database.now());
          return null;
        });
  }

  @Override
  public void dropAttribute(String name) {
    db.inCatalogTransaction(
        "drop attribute " + name,
        h -> {
          if (!h.exists("SELECT 1 FROM rosetta_attributes WHERE name = ? FOR UPDATE", name)) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot drop attribute %s: no attribute of this name was added by an admin",
                name);
          }
          if (h.exists("SELECT 1 FROM rosetta_mappings WHERE attribute = ?", name)) {
            throw NqlException.of(
                ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
                "Cannot drop attribute %s: datasets map it (their owners must drop the mappings"
                    + " first)",
                name);
          }
          h.update("DELETE FROM rosetta_attributes WHERE name = ?", name);
          return null;
        });
  }
}
