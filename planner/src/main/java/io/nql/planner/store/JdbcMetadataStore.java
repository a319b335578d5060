package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link MetadataStore} over JDBC, for PostgreSQL and for H2 in PostgreSQL mode: one {@link
 * Database} shared by a collaborator per entity.
 */
final class JdbcMetadataStore implements MetadataStore {
  private final Database db;
  private final JdbcCompanies companies;
  private final JdbcUsers users;
  private final JdbcDatasets datasets;
  private final JdbcQueryLog queryLog;
  private final AccessRules accessRules;
  private final Ledger ledger;
  private final JdbcAuditLog audit;
  private final Mappings mappings;
  private final MaterializedViews views;
  private final StoredSecrets secrets;
  private final StoredDataPlanes dataPlanes;
  private final WebhookDeliveries webhookDeliveries;
  private final DatasetMaintenance maintenance;

  private JdbcMetadataStore(Database db) {
    this.db = db;
    this.companies = new JdbcCompanies(db);
    this.users = new JdbcUsers(db);
    this.datasets = new JdbcDatasets(db);
    this.queryLog = new JdbcQueryLog(db);
    this.accessRules = new JdbcAccessRules(db);
    this.audit = new JdbcAuditLog(db);
    this.ledger = new JdbcLedger(db, audit);
    this.mappings = new JdbcMappings(db);
    this.views = new JdbcMaterializedViews(db);
    this.secrets = new JdbcStoredSecrets(db);
    this.dataPlanes = new JdbcStoredDataPlanes(db);
    this.webhookDeliveries = new JdbcWebhookDeliveries(db);
    this.maintenance = new JdbcDatasetMaintenance(db);
  }

  /** The configuration of the embedded H2 database of a warehouse. */
  static StoreConfig embeddedConfig(Path warehouseDir) {
    Path dir = warehouseDir.toAbsolutePath().normalize().resolve("metadata");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw NqlException.of(
          ErrorCode.IO_ERROR, "Cannot create metadata directory %s: %s", dir, reason(e));
    }
    // WRITE_DELAY=0: a commit reaches the file before it returns. H2 otherwise keeps commits in
    // memory for up to a second, and a killed gateway would forget budget reservations it had
    // already delivered rows against (CrashReconciliationTest).
    // async: H2 reads and writes through an AsynchronousFileChannel, which a thread interrupt does
    // not close. Through a FileChannel, stopping a statement's thread while it wrote the ledger
    // closed the database for every session of the gateway (StoreFailureTest).
    String url =
        "jdbc:h2:async:"
            + dir.resolve("nql")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    return new StoreConfig(url, "nql", "");
  }

  /** Migrates the database to the current schema and opens the store. */
  static JdbcMetadataStore open(StoreConfig config) {
    return open(config, Database.CONNECTION_TIMEOUT);
  }

  /** As {@link #open(StoreConfig)}, waiting at most {@code connectionTimeout} for a connection. */
  static JdbcMetadataStore open(StoreConfig config, Duration connectionTimeout) {
    return new JdbcMetadataStore(Database.open(config, connectionTimeout));
  }

  @Override
  public StoreConfig config() {
    return db.config();
  }

  @Override
  public void trackPool(com.zaxxer.hikari.metrics.MetricsTrackerFactory tracker) {
    db.trackPool(tracker);
  }

  @Override
  public Company createCompany(String slug) {
    return companies.create(slug);
  }

  @Override
  public Optional<Company> company(String slug) {
    return companies.bySlug(slug);
  }

  @Override
  public Optional<Company> company(long id) {
    return companies.byId(id);
  }

  @Override
  public List<Company> companies() {
    return companies.all();
  }

  @Override
  public User createUser(String name, long companyId, char[] password, boolean admin) {
    return users.create(name, companyId, password, admin);
  }

  @Override
  public Optional<User> user(String name) {
    return users.byName(name);
  }

  @Override
  public List<User> users(long companyId) {
    return users.ofCompany(companyId);
  }

  @Override
  public Optional<User> authenticate(String name, char[] password) {
    return users.authenticate(name, password);
  }

  @Override
  public void dropUser(String name) {
    users.drop(name);
  }

  @Override
  public BootstrapResult bootstrapAdmin(String password) {
    return users.bootstrapAdmin(password);
  }

  @Override
  public Dataset createDataset(long companyId, String name, DatasetAction beforeCommit) {
    return datasets.create(companyId, name, null, beforeCommit);
  }

  @Override
  public Dataset createPlaneDataset(
      long companyId, String name, PlaneSource source, DatasetAction beforeCommit) {
    return datasets.create(companyId, name, source, beforeCommit);
  }

  @Override
  public Optional<Dataset> dataset(long companyId, String name) {
    return datasets.byName(companyId, name);
  }

  @Override
  public Optional<Dataset> datasetById(long companyId, long id) {
    return datasets.byId(companyId, id);
  }

  @Override
  public List<Dataset> datasets(long companyId) {
    return datasets.ofCompany(companyId);
  }

  @Override
  public void deleteDataset(Dataset dataset, DatasetAction beforeCommit) {
    datasets.delete(dataset, beforeCommit);
  }

  @Override
  public CatalogVersion catalogVersion() {
    return db.read(
            "read the catalog version",
            h ->
                h.first(
                    "SELECT ddl_version, data_version FROM catalog_version WHERE id = 1",
                    rs -> new CatalogVersion(rs.getLong(1), rs.getLong(2))))
        .orElseThrow(() -> new IllegalStateException("catalog_version has no row"));
  }

  @Override
  public void dataChanged() {
    db.inTransaction(
        "record a data change",
        h -> h.update("UPDATE catalog_version SET data_version = data_version + 1 WHERE id = 1"));
  }

  @Override
  public void logQueryStarted(
      String statementId, long companyId, long userId, String sqlText, Instant startedAt) {
    queryLog.started(statementId, companyId, userId, sqlText, startedAt);
  }

  @Override
  public void logQueryFinished(
      String statementId,
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats) {
    queryLog.finished(statementId, status, finishedAt, sqlState, errorMessage, stats);
  }

  @Override
  public List<QueryLogEntry> queryLog(long companyId, int limit) {
    return queryLog.entries(companyId, limit);
  }

  @Override
  public Optional<QueryLogEntry> queryLogEntry(String statementId) {
    return queryLog.entry(statementId);
  }

  @Override
  public MaterializedViews views() {
    return views;
  }

  @Override
  public StoredSecrets secrets() {
    return secrets;
  }

  @Override
  public StoredDataPlanes dataPlanes() {
    return dataPlanes;
  }

  @Override
  public WebhookDeliveries webhookDeliveries() {
    return webhookDeliveries;
  }

  @Override
  public DatasetMaintenance maintenance() {
    return maintenance;
  }

  @Override
  public AccessRules accessRules() {
    return accessRules;
  }

  @Override
  public Mappings mappings() {
    return mappings;
  }

  @Override
  public AuditLog audit() {
    return audit;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public void close() {
    try {
      queryLog.close();
      ((JdbcLedger) ledger).close();
    } finally {
      db.close();
    }
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? "I/O error" : Database.firstLine(e.getMessage());
  }
}
