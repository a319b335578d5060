package io.nql.planner.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Companies, users, datasets and the query log of one gateway.
 *
 * <p>Implementations are thread-safe. Every method that writes more than one row does so in one
 * transaction: when it throws, nothing it wrote remains. Errors are {@link
 * io.nql.planner.error.NqlException}s; failures of the database itself carry {@code IO_ERROR}.
 */
public interface MetadataStore extends AutoCloseable {
  /** Slugs that name built-in schemas and can never be company slugs. */
  List<String> RESERVED_SLUGS =
      List.of("company_data", "narrative", "information_schema", "pg_catalog");

  /** The company of the bootstrap admin. */
  String OPERATOR_COMPANY = "operator";

  /** The bootstrap admin's user name. */
  String ADMIN_USER = "admin";

  /**
   * Opens (creating if needed) the embedded store of a warehouse: an H2 file database under {@code
   * <warehouseDir>/metadata/}, migrated to the current schema.
   */
  static MetadataStore embedded(Path warehouseDir) {
    return JdbcMetadataStore.open(JdbcMetadataStore.embeddedConfig(warehouseDir));
  }

  /** Opens the store at a JDBC URL (e.g. {@code jdbc:postgresql://…}) and migrates it. */
  static MetadataStore open(String url, String user, String password) {
    return open(new StoreConfig(url, user, password));
  }

  /** Opens the store described by {@code config} and migrates it. */
  static MetadataStore open(StoreConfig config) {
    return JdbcMetadataStore.open(config);
  }

  /** How this store reaches its database (the Iceberg catalog shares it). */
  StoreConfig config();

  /**
   * Reports the store's connection pool to {@code tracker} (connections active, idle, pending;
   * acquisition and usage times). Once per store.
   *
   * @throws IllegalStateException when a tracker was set before
   */
  void trackPool(com.zaxxer.hikari.metrics.MetricsTrackerFactory tracker);

  // Companies

  /**
   * Creates a company.
   *
   * @param slug {@code [a-z][a-z0-9_]*}, at most 63 characters, not reserved
   * @throws io.nql.planner.error.NqlException INVALID_PARAMETER_VALUE for a bad slug,
   *     DUPLICATE_OBJECT when it exists
   */
  Company createCompany(String slug);

  /** The company with this slug. */
  Optional<Company> company(String slug);

  /** The company with this id. */
  Optional<Company> company(long id);

  /** All companies, ordered by slug. */
  List<Company> companies();

  // Users

  /**
   * Creates a user; only a salted hash of the password is stored.
   *
   * @param name login name, 1 to 128 characters, no control characters
   * @param companyId the user's company
   * @param password non-empty; not retained
   * @param admin whether the user may run admin statements
   * @throws io.nql.planner.error.NqlException DUPLICATE_OBJECT when the name is taken,
   *     UNDEFINED_OBJECT when the company does not exist, INVALID_PARAMETER_VALUE for a bad name or
   *     an empty password
   */
  User createUser(String name, long companyId, char[] password, boolean admin);

  /** The user with this name. */
  Optional<User> user(String name);

  /** The users of a company, ordered by name. */
  List<User> users(long companyId);

  /**
   * Checks a user's password. Unknown users take the same time as a wrong password, and both give
   * an empty result.
   */
  Optional<User> authenticate(String name, char[] password);

  /**
   * Drops a user.
   *
   * @throws io.nql.planner.error.NqlException UNDEFINED_OBJECT when there is no such user
   */
  void dropUser(String name);

  /**
   * Makes sure an admin exists. When none does, creates company {@value #OPERATOR_COMPANY} (if
   * absent) and admin user {@value #ADMIN_USER} with {@code password}, or with a generated one that
   * the result carries so the caller can print it once. When an admin exists, changes nothing and
   * reveals nothing.
   *
   * @param password the admin password (e.g. from {@code NQL_ADMIN_PASSWORD}), or null to generate
   *     one
   */
  BootstrapResult bootstrapAdmin(String password);

  // Datasets

  /**
   * Creates a dataset row with a fresh id and runs {@code beforeCommit} in the same transaction:
   * when it throws, the row is rolled back and the exception propagates.
   *
   * @param companyId the owner
   * @param name letters, digits and underscores, at most 128 characters
   * @param beforeCommit work that must succeed for the dataset to exist (e.g. creating its table)
   * @throws io.nql.planner.error.NqlException DUPLICATE_TABLE when the owner has a dataset with
   *     this name, UNDEFINED_OBJECT for an unknown company, INVALID_PARAMETER_VALUE for a bad name
   */
  Dataset createDataset(long companyId, String name, DatasetAction beforeCommit);

  /**
   * Creates a dataset whose rows rest in a table of one of the company's data planes, as {@link
   * #createDataset(long, String, DatasetAction)} does.
   *
   * @param source the plane, its table and the columns read from it
   * @throws io.nql.planner.error.NqlException as the other form; UNDEFINED_OBJECT when the company
   *     has no plane of this name
   */
  Dataset createPlaneDataset(
      long companyId, String name, PlaneSource source, DatasetAction beforeCommit);

  /** The dataset of a company with this name. */
  Optional<Dataset> dataset(long companyId, String name);

  /** The dataset of a company with this id. */
  Optional<Dataset> datasetById(long companyId, long id);

  /** The datasets of a company, ordered by name. */
  List<Dataset> datasets(long companyId);

  /**
   * Deletes a dataset row and runs {@code beforeCommit} in the same transaction. Its id is never
   * handed out again.
   *
   * @throws io.nql.planner.error.NqlException UNKNOWN_TABLE when the dataset does not exist
   */
  void deleteDataset(Dataset dataset, DatasetAction beforeCommit);

  // Catalog version

  /**
   * The catalog's version, read from the store (one round trip): every gateway sharing the store
   * sees a change made by any of them at its next statement.
   */
  CatalogVersion catalogVersion();

  /**
   * Records that rows were committed to a dataset's table (after the Iceberg commit, which is not
   * in this store's transaction).
   */
  void dataChanged();

  // Query log

  /**
   * Records that a statement started; its status is RUNNING until {@link #logQueryFinished}.
   *
   * <p>The query log is written by a group commit: this returns once the start is queued, and
   * {@link #queryLog} and {@link #queryLogEntry} see everything queued before them. A start of an
   * id already logged is not written (the log keeps the first, and a warning is logged).
   *
   * @param statementId a UUID, unique
   */
  void logQueryStarted(
      String statementId, long companyId, long userId, String sqlText, Instant startedAt);

  /**
   * Records how a statement ended.
   *
   * @param status OK, ERROR or CANCELLED
   * @param sqlState SQLSTATE of the error, or null
   * @param errorMessage client-visible message, or null
   * @throws io.nql.planner.error.NqlException INVALID_PARAMETER_VALUE for the status RUNNING (the
   *     end of an unknown statement id changes nothing)
   */
  void logQueryFinished(
      String statementId,
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats);

  /** The newest {@code limit} statements of a company, newest first. */
  List<QueryLogEntry> queryLog(long companyId, int limit);

  /** The statement with this id. */
  Optional<QueryLogEntry> queryLogEntry(String statementId);

  /** The access rules kept in this store. */
  AccessRules accessRules();

  /** The Rosetta Stone's attributes and mappings kept in this store. */
  Mappings mappings();

  /** The ledger of deliveries kept in this store. */
  Ledger ledger();

  /** The append-only audit log. */
  AuditLog audit();

  /** The materialized views kept in this store. */
  MaterializedViews views();

  /** The companies' secrets kept in this store (sealed). */
  StoredSecrets secrets();

  /** The companies' data planes kept in this store (credentials sealed or named). */
  StoredDataPlanes dataPlanes();

  /** The webhook deliveries of materialized views kept in this store. */
  WebhookDeliveries webhookDeliveries();

  /** Datasets' retention and the lease of their scheduled maintenance. */
  DatasetMaintenance maintenance();

  /** Closes all connections. */
  @Override
  void close();

  /** Work done inside a dataset transaction. */
  @FunctionalInterface
  interface DatasetAction {
    /** No work. */
    DatasetAction NONE = dataset -> {};

    /** Runs with the dataset as it will be committed (or as it was before deletion). */
    void run(Dataset dataset) throws Exception;
  }
}
