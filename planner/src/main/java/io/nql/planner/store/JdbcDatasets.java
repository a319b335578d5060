package io.nql.planner.store;

import static io.nql.planner.store.Database.display;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.MetadataStore.DatasetAction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Dataset rows in the metadata store's {@code datasets} table (see V1__init.sql); their Iceberg
 * tables are the warehouse's.
 */
final class JdbcDatasets {
  /** The name of every schema's Rosetta Stone table: no dataset or rule may take it. */
  static final String RESERVED_NAME = "rosetta_stone";

  private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_]{0,127}");
  private static final String DATASET_COLUMNS =
      "id, company_id, name, iceberg_namespace, iceberg_name, created_at, data_plane, plane_source";

  private final Database db;

  JdbcDatasets(Database db) {
    this.db = db;
  }

  Dataset create(
      long companyId, String name, @Nullable PlaneSource plane, DatasetAction beforeCommit) {
    return db.inCatalogTransaction(
        "create dataset " + display(name),
        h -> {
          Company owner =
              JdbcCompanies.find(h, companyId)
                  .orElseThrow(
                      () ->
                          NqlException.of(
                              ErrorCode.UNDEFINED_OBJECT,
                              "Cannot create dataset %s: no company has id %d",
                              display(name),
                              companyId));
          String qualified = owner.slug() + "." + display(name);
          if (name == null || !DATASET_NAME.matcher(name).matches()) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create dataset %s: a dataset name has 1 to 128 letters, digits and"
                    + " underscores, and does not start with an underscore (reserved)",
                qualified);
          }
          if (name.equals(RESERVED_NAME)) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create dataset %s: %s is reserved for the Rosetta Stone",
                qualified,
                RESERVED_NAME);
          }
          if (name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            // company_data."17" names the dataset with id 17: a name must never read as an id.
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create dataset %s: a dataset name must not be only digits (company_data.\"<n>\""
                    + " names the dataset with id n)",
                qualified);
          }
          if (find(h, companyId, name).isPresent()) {
            throw duplicateDataset(qualified, null);
          }
          if (h.exists(
              "SELECT 1 FROM access_rules WHERE company_id = ? AND name = ? AND live_key = 0",
              companyId,
              name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_TABLE,
                "Cannot create dataset %s: an access rule of your company has this name",
                qualified);
          }
          // The plane's row stays locked until the commit, as DROP DATA PLANE locks it: the two
          // run one after the other, so a drop never misses a dataset created meanwhile (H2 does
          // not enforce the foreign key between two such concurrent transactions).
          if (plane != null
              && !h.exists(
                  "SELECT 1 FROM data_planes WHERE company_id = ? AND name = ? FOR UPDATE",
                  companyId,
                  plane.plane())) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create dataset %s: your company has no data plane %s",
                qualified,
                plane.plane());
          }
          long id = h.nextval("dataset_ids");
          Dataset dataset =
              new Dataset(
                  id,
                  companyId,
                  name,
                  "c" + companyId,
                  "d" + id,
                  Database.now().toInstant(),
                  plane);
          h.insert(
              e -> duplicateDataset(qualified, e),
              "INSERT INTO datasets (" + DATASET_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              id,
              companyId,
              name,
              dataset.icebergNamespace(),
              dataset.icebergName(),
              dataset.createdAt(),
              plane == null ? null : plane.plane(),
              plane == null ? null : plane.toJson());
          beforeCommit.run(dataset);
          return dataset;
        });
  }

  private static NqlException duplicateDataset(String qualified, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_TABLE,
        "Cannot create dataset " + qualified + ": a dataset with this name already exists",
        cause);
  }

  Optional<Dataset> byName(long companyId, String name) {
    return db.read("read dataset " + display(name), h -> find(h, companyId, name));
  }

  Optional<Dataset> byId(long companyId, long id) {
    return db.read(
        "read dataset " + id,
        h ->
            h.first(
                "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND id = ?",
                JdbcDatasets::toDataset,
                companyId,
                id));
  }

  List<Dataset> ofCompany(long companyId) {
    return db.read(
        "list datasets",
        h ->
            h.list(
                "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? ORDER BY name",
                JdbcDatasets::toDataset,
                companyId));
  }

  void delete(Dataset dataset, DatasetAction beforeCommit) {
    db.inCatalogTransaction(
        "drop dataset " + display(dataset.name()),
        h -> {
          int deleted =
              h.update(
                  "DELETE FROM datasets WHERE company_id = ? AND id = ?",
                  dataset.companyId(),
                  dataset.id());
          if (deleted == 0) {
            throw NqlException.of(
                ErrorCode.UNKNOWN_TABLE,
                "Cannot drop dataset %s: no such dataset",
                display(dataset.name()));
          }
          beforeCommit.run(dataset);
          return null;
        });
  }

  private static Optional<Dataset> find(Handle h, long companyId, String name) throws SQLException {
    return h.first(
        "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND name = ?",
        JdbcDatasets::toDataset,
        companyId,
        name);
  }

  private static Dataset toDataset(ResultSet rs) throws SQLException {
    String plane = rs.getString("data_plane");
    return new Dataset(
        rs.getLong("id"),
        rs.getLong("company_id"),
        rs.getString("name"),
        rs.getString("iceberg_namespace"),
        rs.getString("iceberg_name"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        plane == null ? null : PlaneSource.fromJson(plane, rs.getString("plane_source")));
  }
}
