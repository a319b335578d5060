package io.nql.planner.engine;

import io.nql.planner.catalog.DatasetHandle;
import io.nql.planner.catalog.DatasetSource;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.PlanCache;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.export.ExportRoots;
import io.nql.planner.forecast.ProfileStore;
import io.nql.planner.ingest.IngestRoots;
import io.nql.planner.ingest.postgres.PostgresHosts;
import io.nql.planner.plane.PlaneConnector;
import io.nql.planner.plane.PostgresPlaneConnector;
import io.nql.planner.policy.PolicyRewriter;
import io.nql.planner.secret.SecretCipher;
import io.nql.planner.secret.Secrets;
import io.nql.planner.store.BootstrapResult;
import io.nql.planner.store.Company;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import io.nql.planner.vector.VectorExecution;
import io.nql.planner.warehouse.Warehouse;
import io.nql.planner.webhook.WebhookHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.calcite.rel.RelNode;

/**
 * An open warehouse: the metadata store, the Iceberg warehouse and the query executor, shared by
 * every session. Thread-safe; close it once, after its sessions.
 */
public final class NqlEngine implements SessionFactory, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NqlEngine.class);

  private final EngineConfig config;
  private final MetadataStore store;
  private final Warehouse warehouse;
  private final IngestRoots ingestRoots;
  private final ExportRoots exportRoots;
  private final QueryExecutor executor;
  private final String generatedAdminPassword;
  private final InstanceId instance;
  private final String instanceId;
  private final ProfileStore profiles = new ProfileStore();
  private final Statistics statistics = new Statistics(this);
  private final CatalogCache catalog;
  private final Secrets secrets;
  private final io.nql.planner.plane.DataPlanes dataPlanes;
  private final PostgresHosts postgresHosts;
  private final PlaneConnector planeConnector;
  private final WebhookHosts webhookHosts;

  private NqlEngine(
      EngineConfig config,
      MetadataStore store,
      Warehouse warehouse,
      IngestRoots roots,
      ExportRoots exports,
      String generated,
      InstanceId instance,
      Connectors connectors,
      Consumer<RelNode> rewrittenPlans) {
    this.executor =
        new QueryExecutor(
            new PolicyRewriter(rewrittenPlans), VectorExecution.EXECUTION, PlanCache.DEFAULT_SIZE);
    this.instance = instance;
    this.instanceId = instance.id();
    this.config = config;
    this.store = store;
    this.warehouse = warehouse;
    this.ingestRoots = roots;
    this.exportRoots = exports;
    this.generatedAdminPassword = generated;
    this.webhookHosts = WebhookHosts.parse(config.webhookHosts());
    this.secrets = new Secrets(store.secrets(), connectors.cipher());
    this.dataPlanes =
        new io.nql.planner.plane.DataPlanes(store.dataPlanes(), connectors.cipher(), secrets);
    this.postgresHosts = connectors.postgresHosts();
    this.planeConnector = new PostgresPlaneConnector(dataPlanes, postgresHosts);
    this.catalog = new CatalogCache(store, warehouse, planeConnector);
  }

  /** What connectors need: the secrets' key and the hosts imports may reach. */
  private record Connectors(SecretCipher cipher, PostgresHosts postgresHosts) {
    static Connectors of(EngineConfig config) {
      PostgresHosts hosts;
      try {
        hosts = PostgresHosts.of(config.postgresImportHosts());
      } catch (IllegalArgumentException e) {
        throw new NqlException(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage());
      }
      SecretCipher cipher =
          config.secretKeyFile() != null
              ? SecretCipher.fromFile(config.secretKeyFile())
              : SecretCipher.createOrRead(
                  config.warehouse().resolve(SecretCipher.DEFAULT_FILE_NAME));
      return new Connectors(cipher, hosts);
    }
  }

  /**
   * Opens (creating when missing) the warehouse and its metadata store, applies pending schema
   * migrations, and creates the bootstrap {@code admin} user on first start.
   *
   * @throws NqlException when the warehouse or the metadata store cannot be opened, or an ingest or
   *     export root is unusable (missing, inside another root of its kind, or overlapping the
   *     warehouse or the metadata store's directory; an export root also an ingest root)
   */
  public static NqlEngine open(EngineConfig config) {
    return open(config, plan -> {});
  }

  /**
   * Opens the warehouse as {@link #open(EngineConfig)}, handing every logical plan the policy
   * rewrite returns (before optimization) to {@code rewrittenPlans}, on the statement's thread: for
   * diagnostics and the golden-plan tests.
   */
  public static NqlEngine open(EngineConfig config, Consumer<RelNode> rewrittenPlans) {
    try {
      Files.createDirectories(config.warehouse());
    } catch (IOException e) {
      throw new NqlException(
          ErrorCode.IO_ERROR,
          "Cannot open warehouse " + config.warehouse() + ": " + e.getMessage(),
          e);
    }
    MetadataStore store =
        config.metadataUrl() == null
            ? MetadataStore.embedded(config.warehouse())
            : MetadataStore.open(
                config.metadataUrl(), config.metadataUser(), config.metadataPassword());
    Warehouse warehouse = null;
    InstanceId instance = null;
    try {
      IngestRoots roots = ingestRoots(config, store);
      ExportRoots exports = exportRoots(config, store, roots);
      Connectors connectors = Connectors.of(config);
      warehouse = Warehouse.open(config.warehouse(), store);
      BootstrapResult boot = store.bootstrapAdmin(config.adminPassword());
      String generated = boot.passwordWasGenerated() ? boot.generatedPassword() : null;
      instance = InstanceId.claim(config.warehouse());
      String instanceId = instance.id();
      int reconciled = store.ledger().reconcile(instanceId);
      if (reconciled > 0) {
        LOG.warn(
            "Reconciled {} ledger entries left open by a previous run: each was charged the budget"
                + " it had reserved",
            reconciled);
      }
      int abandoned = store.views().abandonRuns(instanceId);
      if (abandoned > 0) {
        LOG.warn(
            "Ended {} materialized view runs left running by a previous run of this gateway as"
                + " errors; what a run committed before the stop stays in its view",
            abandoned);
      }
      return new NqlEngine(
          config,
          store,
          warehouse,
          roots,
          exports,
          generated,
          instance,
          connectors,
          rewrittenPlans);
    } catch (RuntimeException e) {
      if (instance != null) {
        instance.close();
      }
      if (warehouse != null) {
        warehouse.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * The configured roots, never reading the warehouse or the metadata store's files: a root that
   * overlaps either is refused now, and a path that reaches them (e.g. through a link) is refused
   * at {@code COPY INTO}.
   */
  private static IngestRoots ingestRoots(EngineConfig config, MetadataStore store) {
    if (config.ingestRoots().isEmpty()) {
      return IngestRoots.none();
    }
    IngestRoots roots =
        IngestRoots.of(config.ingestRoots()).excluding("warehouse", config.warehouse());
    Optional<Path> metadata = store.config().localDirectory();
    return metadata.isPresent() ? roots.excluding("metadata store", metadata.get()) : roots;
  }

  /**
   * The configured export roots, never writing the warehouse, the metadata store's files or an
   * ingest root: a root that overlaps one of them is refused now. An export root may not overlap an
   * ingest root at all: nested, one company's export area would hold other companies' ingest areas
   * (or the reverse), letting it plant files another company then loads; equal, the gateway would
   * need write access to the uploads it should only read, and an export could replace a staged
   * file. Kept apart, an operator grants the gateway read-only access to the one and write access
   * to the other.
   */
  private static ExportRoots exportRoots(
      EngineConfig config, MetadataStore store, IngestRoots ingest) {
    if (config.exportRoots().isEmpty()) {
      return ExportRoots.none();
    }
    ExportRoots roots =
        ExportRoots.of(config.exportRoots()).excluding("warehouse", config.warehouse());
    Optional<Path> metadata = store.config().localDirectory();
    if (metadata.isPresent()) {
      roots = roots.excluding("metadata store", metadata.get());
    }
    for (Path root : ingest.roots()) {
      roots = roots.excluding("ingest root", root);
    }
    return roots;
  }

  /** The admin password generated on this start (first start only, when none was configured). */
  public Optional<String> generatedAdminPassword() {
    return Optional.ofNullable(generatedAdminPassword);
  }

  /** The configuration this engine was opened with. */
  public EngineConfig config() {
    return config;
  }

  /** The metadata store. */
  public MetadataStore store() {
    return store;
  }

  /** The Iceberg warehouse. */
  public Warehouse warehouse() {
    return warehouse;
  }

  /** This gateway instance's id: its open ledger reservations are reconciled on restart. */
  String instanceId() {
    return instanceId;
  }

  IngestRoots ingestRoots() {
    return ingestRoots;
  }

  ExportRoots exportRoots() {
    return exportRoots;
  }

  /** The companies' secrets. */
  Secrets secrets() {
    return secrets;
  }

  /** The companies' data planes. */
  io.nql.planner.plane.DataPlanes dataPlanes() {
    return dataPlanes;
  }

  /** The PostgreSQL servers imports may connect to. */
  PostgresHosts postgresHosts() {
    return postgresHosts;
  }

  QueryExecutor executor() {
    return executor;
  }

  /** The statistics forecasts read, kept in the datasets' Iceberg metadata. */
  ProfileStore profiles() {
    return profiles;
  }

  /** Where a company's datasets come from (what its namespace and its rules read). */
  DatasetSource datasets() {
    return companyId -> {
      List<DatasetHandle> out = new ArrayList<>();
      for (var d : warehouse.datasets(companyId)) {
        out.add(
            new DatasetHandle(
                d.id(), d.name(), () -> warehouse.loadTable(d), d.plane(), planeConnector));
      }
      return out;
    };
  }

  /** Shapes of described queries, by text, company, session properties and DDL version. */
  private final com.github.benmanes.caffeine.cache.Cache<PlanCache.Key, PreparedInfo> described =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(PlanCache.DEFAULT_SIZE)
          .executor(Runnable::run)
          .build();

  /** The shape a query was described with, if kept. */
  PreparedInfo described(PlanCache.Key key) {
    return described.getIfPresent(key);
  }

  void describedAs(PlanCache.Key key, PreparedInfo info) {
    described.put(key, info);
  }

  /** The catalog as statements read it, cached per catalog version. */
  CatalogCache catalog() {
    return catalog;
  }

  /**
   * Records that rows or statistics of a dataset were committed, so that cached tables and plans
   * are checked against the new snapshot. The commit stands when this fails (it is logged): tables
   * are loaded again at the latest after {@link CatalogCache#MAX_TABLE_AGE_NANOS}.
   */
  void dataChanged() {
    try {
      store.dataChanged();
    } catch (RuntimeException e) {
      LOG.warn("Cannot record a data change in the catalog version", e);
    }
  }

  private volatile StatementListener listener = StatementListener.NONE;

  /**
   * Tells {@code listener} of every statement's end and every settlement from now on, in place of
   * the listener set before ({@link StatementListener#NONE} by default).
   */
  public void listen(StatementListener listener) {
    this.listener = listener == null ? StatementListener.NONE : listener;
  }

  StatementListener listener() {
    return listener;
  }

  /** The plan cache's counters (as {@code SHOW PLAN CACHE} shows them). */
  public PlanCacheCounters planCacheCounters() {
    return PlanCacheCounters.of(executor.planCacheStats());
  }

  /**
   * Runs a trivial query on the metadata store: for readiness checks. It may wait as long as a
   * statement waits for a store connection; callers that need an answer sooner wait on another
   * thread.
   *
   * @throws NqlException IO_ERROR when the store does not answer
   */
  public void checkMetadataStore() {
    store.catalogVersion();
  }

  /**
   * Reports the metadata store's connection pool (connections active, idle, pending, acquisition
   * and usage times) to {@code tracker}, e.g. HikariCP's Micrometer binding. Once per engine.
   *
   * @throws IllegalStateException when a tracker was set before
   */
  public void trackMetadataPool(com.zaxxer.hikari.metrics.MetricsTrackerFactory tracker) {
    store.trackPool(tracker);
  }

  /** The hosts webhook deliveries may post to. */
  WebhookHosts webhookHosts() {
    return webhookHosts;
  }

  /** The clock of materialized views' schedules (tests set their own). */
  private volatile java.time.Clock clock = java.time.Clock.systemUTC();

  java.time.Clock clock() {
    return clock;
  }

  /** Replaces the schedules' clock (tests of the scheduler). */
  void useClock(java.time.Clock clock) {
    this.clock = clock;
  }

  private volatile io.nql.planner.maintenance.MaintenanceSettings maintenance =
      io.nql.planner.maintenance.MaintenanceSettings.DEFAULTS;

  /** The operator's table maintenance settings ({@code VACUUM}'s defaults). */
  public io.nql.planner.maintenance.MaintenanceSettings maintenanceSettings() {
    return maintenance;
  }

  /** How long VACUUM and the scheduled pass keep replaced snapshots unless told otherwise. */
  public static final java.time.Duration DEFAULT_SNAPSHOT_RETENTION =
      io.nql.planner.maintenance.MaintenanceSettings.DEFAULTS.snapshotRetention();

  /**
   * Sets how long VACUUM and the scheduled pass keep replaced snapshots (the gateway's {@code
   * --snapshot-retention}); the other maintenance settings keep their defaults.
   */
  public void useSnapshotRetention(java.time.Duration retention) {
    var d = io.nql.planner.maintenance.MaintenanceSettings.DEFAULTS;
    useMaintenanceSettings(
        new io.nql.planner.maintenance.MaintenanceSettings(
            retention, d.orphanAge(), d.readGrace()));
  }

  /** Replaces the table maintenance settings (tests). */
  public void useMaintenanceSettings(io.nql.planner.maintenance.MaintenanceSettings settings) {
    this.maintenance = settings;
  }

  /** Computes statistics after writes, rule changes and {@code ANALYZE}. */
  Statistics statistics() {
    return statistics;
  }

  @Override
  public NqlSession login(String user, char[] password) {
    return login(user, password, "embedded", null);
  }

  @Override
  public NqlSession login(String user, char[] password, String frontEnd, String remote) {
    User u = store.authenticate(user, password).orElse(null);
    LoginAudit.record(store, user, u, frontEnd, remote, u == null ? "wrong_credentials" : null);
    if (u == null) {
      throw new NqlException(
          ErrorCode.INVALID_AUTHORIZATION, "Cannot authenticate: wrong user name or password");
    }
    return open(u);
  }

  @Override
  public void loginRefused(String user, String frontEnd, String remote) {
    LoginAudit.record(store, user, null, frontEnd, remote, "throttled");
  }

  /**
   * Writes one JSON line per audit event committed from now on to {@code out}, flushed per event
   * ({@code nql serve --audit-log}); null stops. The caller owns and closes {@code out}.
   */
  public void auditTo(java.io.Writer out) {
    store.audit().listen(out == null ? null : new AuditLines(out, store));
  }

  @Override
  public NqlSession trusted(String user) {
    // Front ends open a session per call (Flight SQL): the user and its company come from the
    // catalog of the current version (one round trip for the version, none for the rows).
    CatalogCache.State state = catalog.current();
    User u =
        state
            .user(user)
            .orElseThrow(
                () ->
                    new NqlException(
                        ErrorCode.INVALID_AUTHORIZATION,
                        "Cannot open a session: no user named '" + user + "'"));
    return open(u, state.company(u.companyId()));
  }

  private NqlSession open(User u) {
    return open(u, store.company(u.companyId()));
  }

  private NqlSession open(User u, java.util.Optional<Company> company) {
    return new EngineSession(
        this,
        u,
        company.orElseThrow(
            () ->
                new NqlException(
                    ErrorCode.INTERNAL_ERROR, "Cannot open a session: the user has no company")));
  }

  /**
   * A session of a view's owner in which {@code REFRESH MATERIALIZED VIEW} is a scheduled run (the
   * scheduler's); empty when the owner no longer exists.
   */
  java.util.Optional<EngineSession> schedulerSession(long companyId, long userId) {
    java.util.Optional<Company> company = store.company(companyId);
    if (company.isEmpty()) {
      return java.util.Optional.empty();
    }
    return store.users(companyId).stream()
        .filter(u -> u.id() == userId)
        .findFirst()
        .map(u -> new EngineSession(this, u, company.get()).asScheduler());
  }

  @Override
  public void close() {
    try {
      warehouse.close();
    } finally {
      try {
        store.close();
      } finally {
        instance.close(); // last: another gateway may take the id only when nothing is open
      }
    }
  }
}
