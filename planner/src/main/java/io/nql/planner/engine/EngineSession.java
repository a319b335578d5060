package io.nql.planner.engine;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetSource;
import io.nql.planner.catalog.DeltaTables;
import io.nql.planner.catalog.LineageTables;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.CancelChecks;
import io.nql.planner.exec.Describing;
import io.nql.planner.exec.PlanCache;
import io.nql.planner.exec.QueryExecutor;
import io.nql.planner.exec.QueryResult;
import io.nql.planner.exec.QueryShape;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlBudgetQuery;
import io.nql.planner.parser.SqlCopyInto;
import io.nql.planner.parser.SqlForecast;
import io.nql.planner.plane.postgres.OpenScans;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.QueryStats;
import io.nql.planner.store.QueryStatus;
import io.nql.planner.store.User;
import io.nql.planner.vector.VectorExecution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A session of one user: parses each statement and routes it to the code that runs it. */
final class EngineSession implements NqlSession {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EngineSession.class);

  private final NqlEngine engine;
  private final User user;
  private final Company company;
  private final Map<SessionProperty, String> properties = new ConcurrentHashMap<>();
  private final DatasetStatements datasets;
  private final DmlStatements dml;
  private final ViewStatements views;
  private final ExportStatements exports;
  private final StatementAudit audit;

  /** Whether this is the scheduler's session, whose REFRESH runs are scheduled runs. */
  private boolean scheduler;

  private volatile FrontEnd frontEnd = FrontEnd.EMBEDDED;

  /** The reports of the statement started last (its queries settle and end through it). */
  private volatile StatementReport report = StatementReport.start(StatementListener.NONE, frontEnd);

  private final RosettaExpansion rosetta;
  private final DefinitionStatements definitions;
  private final ForecastStatements forecasts;
  private volatile ProgressListener progress = ProgressListener.NONE;
  private volatile QueryStatementResult current;

  /** The cancel flag of the statement started last (set by a cancel while it plans or runs). */
  private volatile AtomicBoolean cancelFlag = new AtomicBoolean();

  /** The cancel flag of a query being planned ahead by {@link #plan}, or null. */
  private volatile AtomicBoolean preparing;

  private volatile boolean closed;

  /**
   * The catalog the statement running on this thread reads (one version read per statement), or
   * null. Per thread, not per session: a front end may prepare one statement of a connection while
   * another executes, and each must plan and key its plan with the one version it read (a plan made
   * from one version's rules must never be kept under another version).
   */
  private final ThreadLocal<CatalogCache.State> statementCatalog = new ThreadLocal<>();

  EngineSession(NqlEngine engine, User user, Company company) {
    this.engine = engine;
    this.user = user;
    this.company = company;
    this.datasets = new DatasetStatements(engine, company);
    this.dml = new DmlStatements(engine, datasets, company, this::catalog);
    this.views = new ViewStatements(engine, datasets, company, user);
    this.exports = new ExportStatements(engine, datasets, company, this::namespaces);
    this.rosetta = new RosettaExpansion(engine, datasets, this::namespaces, this::catalog);
    this.forecasts = new ForecastStatements(engine, company);
    this.audit = new StatementAudit(engine.store(), user, company);
    this.definitions = new DefinitionStatements(this, engine, user, company, datasets);
    for (SessionProperty p : SessionProperty.values()) {
      properties.put(p, p.defaultValue());
    }
  }

  /** Makes this the scheduler's session of the view owner (see {@link NqlEngine}). */
  EngineSession asScheduler() {
    scheduler = true;
    frontEnd = FrontEnd.SCHEDULER;
    return this;
  }

  @Override
  public void frontEnd(FrontEnd frontEnd) {
    this.frontEnd = frontEnd;
  }

  @Override
  public String userName() {
    return user.name();
  }

  @Override
  public String companySlug() {
    return company.slug();
  }

  @Override
  public boolean isAdmin() {
    return user.admin();
  }

  @Override
  public long ingest(IngestRequest request, java.util.Iterator<Object[]> rows) {
    return logged(
        request.describe(),
        statementId ->
            new BulkIngest(engine, company, datasets).run(statementId, request, rows, cancelFlag),
        loaded -> true);
  }

  @Override
  public StatementResult execute(String sql) {
    return execute(sql, List.of());
  }

  @Override
  public StatementResult execute(String sql, List<Object> parameters) {
    return logged(
        sql,
        statementId -> {
          try {
            statementCatalog.set(engine.catalog().current());
            SqlNode node = parsed(sql);
            if (!parameters.isEmpty()
                && !isQuery(node)
                && !(node instanceof SqlForecast)
                && !DmlStatements.handles(node)) {
              throw new NqlException(
                  ErrorCode.NOT_SUPPORTED,
                  "Cannot bind parameters to this statement: not supported");
            }
            return audit.run(statementId, node, () -> route(statementId, sql, node, parameters));
          } finally {
            statementCatalog.remove();
          }
        },
        result -> !(result instanceof QueryStatementResult)); // it logs its own end when read
  }

  /**
   * Runs one statement of this session under a new id and cancel flag, in the query log from its
   * start; its end is logged here when {@code ended} says it has ended (a query's result logs its
   * own end when it is read), and any failure is logged and answered with a SQLSTATE.
   *
   * @param text the statement as the query log records it
   */
  private <T> T logged(
      String text,
      java.util.function.Function<String, T> body,
      java.util.function.Predicate<T> ended) {
    checkOpen();
    String statementId = UUID.randomUUID().toString();
    cancelFlag = new AtomicBoolean();
    StatementReport started = StatementReport.start(engine.listener(), frontEnd);
    report = started;
    engine.store().logQueryStarted(statementId, company.id(), user.id(), text, Instant.now());
    try {
      T result = body.apply(statementId);
      long rows = result instanceof StatementResult r ? StatementResults.rowCount(r) : -1;
      if (ended.test(result)) {
        engine
            .store()
            .logQueryFinished(
                statementId,
                QueryStatus.OK,
                Instant.now(),
                null,
                null,
                rows > 0 ? new QueryStats(rows, 0, 0, 0, 0) : QueryStats.NONE);
      }
      if (!(result instanceof QueryStatementResult)) {
        started.ok(result instanceof StatementResult r && r.isQuery(), Math.max(rows, 0));
      }
      return result;
    } catch (NqlException e) {
      logFailure(statementId, e);
      throw e;
    } catch (RuntimeException e) {
      NqlException wrapped = StatementFailures.unexpected(statementId, e);
      logFailure(statementId, wrapped);
      throw wrapped;
    } catch (StackOverflowError e) {
      // Parsing, validating and planning recurse over the statement's nesting.
      NqlException tooDeep =
          new NqlException(
              ErrorCode.STATEMENT_TOO_COMPLEX,
              "Statement too complex: its expressions or sub-queries are nested too deeply",
              e);
      logFailure(statementId, tooDeep);
      throw tooDeep;
    }
  }

  private void logFailure(String statementId, NqlException e) {
    report.failed(e);
    try {
      engine
          .store()
          .logQueryFinished(
              statementId,
              e.code() == ErrorCode.QUERY_CANCELED ? QueryStatus.CANCELLED : QueryStatus.ERROR,
              Instant.now(),
              e.sqlState(),
              e.getMessage(),
              QueryStats.NONE);
    } catch (RuntimeException ignored) {
      // the statement's own error is the one to report
    }
  }

  /** The statement parsed, with the caller's Rosetta Stone columns expanded. */
  private SqlNode parsed(String sql) {
    return DeltaQueries.onlyInViews(rosetta.expand(NqlParser.parse(sql)));
  }

  static boolean isQuery(SqlNode node) {
    if (node instanceof SqlBudgetQuery budgeted) {
      return isQuery(budgeted.getQuery());
    }
    return node.getKind().belongsTo(SqlKind.QUERY) || node.getKind() == SqlKind.ORDER_BY;
  }

  private StatementResult route(
      String statementId, String sql, SqlNode node, List<Object> parameters) {
    StatementResult defined = definitions.run(statementId, node);
    if (defined != null) {
      return defined;
    }
    if (node instanceof SqlCopyInto n) {
      return datasets.copyInto(statementId, n, stoppable(progress, cancelFlag));
    }
    if (PlaneStatements.handles(node)) {
      return PlaneStatements.run(engine, company, user, statementId, node);
    }
    if (ConnectorStatements.handles(node)) {
      return new ConnectorStatements(engine, datasets, company, user)
          .run(statementId, node, stoppable(progress, cancelFlag), cancelFlag);
    }
    if (node instanceof io.nql.planner.parser.SqlExport n) {
      return exports.run(statementId, n, queries(statementId, false), cancelFlag, progress);
    }
    if (node instanceof SqlBudgetQuery n) {
      return query(
          statementId,
          sql,
          n.getQuery(),
          parameters,
          Budgets.of(n.getBudget(), NqlParser.unparse(n.getQuery())),
          null,
          false);
    }
    if (ViewStatements.handles(node)) {
      return views.run(
          statementId,
          node,
          this::rootSchema,
          properties.get(SessionProperty.BUDGET_USD),
          this::query,
          scheduler ? "schedule" : "refresh");
    }
    if (MaintenanceStatements.handles(node)) {
      return new MaintenanceStatements(engine, datasets, company)
          .run(statementId, node, stoppable(progress, cancelFlag));
    }
    if (DeliveryStatements.handles(node)) {
      return new DeliveryStatements(engine, datasets, company, user).run(statementId, node);
    }
    if (node instanceof SqlForecast n) {
      return forecasts.forecast(
          statementId, n, this::rootSchema, properties.get(SessionProperty.BUDGET_USD), parameters);
    }
    if (node instanceof SqlExplain || isQuery(node)) {
      return query(statementId, sql, node, parameters, sessionBudget(), null, false);
    }
    if (DmlStatements.handles(node)) {
      return dml.run(statementId, node, parameters, queries(statementId, true));
    }
    throw new NqlException(
        ErrorCode.NOT_SUPPORTED,
        "Cannot run "
            + node.getKind().lowerName.replace('_', ' ').toUpperCase(Locale.ROOT)
            + " statements: not supported");
  }

  /** A query of a materialized view's run: run as the caller's, under the view's budget. */
  private StatementResult query(
      String statementId, SqlNode query, Budgets.Budget budget, @Nullable DeltaRead delta) {
    return query(statementId, null, query, List.of(), budget, delta, false);
  }

  /**
   * The queries of a statement that runs queries of the caller (DML, EXPORT), under the session's
   * budget; with {@code lineage}, the caller's datasets' rows and their {@linkplain
   * io.nql.planner.iceberg.Lineage lineage} are readable ({@link LineageTables}) for UPDATE/DELETE.
   */
  private DmlStatements.Queries queries(String statementId, boolean lineage) {
    Budgets.Budget budget = sessionBudget();
    return (query, parameters) ->
        query(statementId, null, query, parameters, budget, null, lineage);
  }

  private Budgets.Budget sessionBudget() {
    return Budgets.session(properties.get(SessionProperty.BUDGET_USD));
  }

  /**
   * The progress of a long load that also ends it at a cancel or a timeout (57014): a load reports
   * its progress every megabyte it reads, and nothing is committed before its end.
   */
  private static ProgressListener stoppable(ProgressListener progress, AtomicBoolean cancel) {
    return progress.checkedBy(() -> CancelChecks.check(cancel));
  }

  /**
   * Runs a query of the caller. {@code sql} is the statement as written, whose plan may be kept and
   * reused; null for a query that is part of another statement (planned each time). {@code delta}:
   * a materialized view run's incremental reads, or null.
   */
  private StatementResult query(
      String statementId,
      @Nullable String sql,
      SqlNode node,
      List<Object> parameters,
      Budgets.Budget budget,
      @Nullable DeltaRead delta,
      boolean lineage) {
    SchemaPlus root = rootSchema();
    if (delta != null) {
      node = DeltaQueries.rewrite(node, names -> DeltaTables.readable(root, names));
      DeltaTables.add(root, delta);
    }
    if (lineage) {
      LineageTables.add(root);
    }
    CatalogCache.State catalog = catalog();
    StatementReport reports = sql == null ? report.part() : report;
    ScanMetrics metrics = new ScanMetrics();
    Deliveries deliveries =
        new Deliveries(
            new StatementGate(
                engine.store().ledger(), statementId, user, engine.instanceId(), budget));
    AtomicBoolean cancel = cancelFlag;
    OpenScans scans = new OpenScans();
    QueryResult result;
    try {
      result =
          engine
              .executor()
              .execute(
                  node,
                  sql == null ? null : () -> asWritten(sql),
                  root,
                  metrics,
                  parameters,
                  Map.of(
                      Deliveries.CONTEXT_KEY,
                      deliveries,
                      DataContext.Variable.CANCEL_FLAG.camelName,
                      cancel,
                      VectorExecution.CONTEXT_KEY,
                      Boolean.parseBoolean(properties.get(SessionProperty.VECTOR_EXECUTION)),
                      QueryExecutor.INTERPRETED_JOINS,
                      Boolean.parseBoolean(properties.get(SessionProperty.INTERPRETED_JOINS)),
                      OpenScans.CONTEXT_KEY,
                      scans),
                  sql == null ? null : PlanScopes.of(sql, company.id(), properties, catalog));
    } catch (RuntimeException e) {
      // An operator that computes while the result opens (a sort, an aggregate) may already have
      // read — and charged — rule rows before it failed: settle them now, so the ledger entry is
      // final and the unused reservation is released (not left open for a restart to charge).
      scans.closeAll();
      settleQuietly(deliveries, statementId, reports);
      throw e;
    }
    QueryStatementResult r =
        new QueryStatementResult(
            statementId,
            result,
            scans,
            engine.store(),
            deliveries,
            budget,
            company.id(),
            cancel,
            reports);
    current = r;
    return r;
  }

  /** The query of a statement parsed again as written (budget clause and EXPLAIN removed). */
  private SqlNode asWritten(String sql) {
    SqlNode node = parsed(sql);
    return node instanceof SqlBudgetQuery b ? b.getQuery() : node;
  }

  private void settleQuietly(Deliveries deliveries, String statementId, StatementReport reports) {
    try {
      deliveries.settle();
      reports.settled(deliveries, company.id());
    } catch (RuntimeException e) {
      LOG.error("Cannot settle the deliveries of failed statement {}", statementId, e);
    }
  }

  /** The caller's namespaces: its datasets and rules, and rules shared with it. */
  SchemaPlus rootSchema() {
    SchemaPlus root = namespaces().root();
    root.add(
        Namespaces.INFORMATION_SCHEMA,
        new InformationSchema(this::visibleSchemas, this::visibleTables));
    return root;
  }

  /** The caller's own datasets only (where its rules are validated). */
  SchemaPlus ownNamespace() {
    return CallerSchemas.forCompany(company.id(), List.of(), datasetSource());
  }

  CallerNamespaces namespaces() {
    return new CallerNamespaces(engine, company, user, catalog());
  }

  private DatasetSource datasetSource() {
    return catalog().datasetSource();
  }

  /** The running statement's catalog, else the current one. */
  private CatalogCache.State catalog() {
    CatalogCache.State c = statementCatalog.get();
    return c != null ? c : engine.catalog().current();
  }

  @Override
  public PreparedInfo prepare(String sql) {
    return prepare(sql, false);
  }

  @Override
  public PreparedInfo plan(String sql) {
    return prepare(sql, true);
  }

  private PreparedInfo prepare(String sql, boolean plan) {
    checkOpen();
    statementCatalog.set(engine.catalog().current());
    try {
      return prepareStatement(sql, plan);
    } catch (NqlException e) {
      StatementReport.start(engine.listener(), frontEnd).failed(e); // refused before it ran
      throw e;
    } finally {
      statementCatalog.remove();
    }
  }

  private PreparedInfo prepareStatement(String sql, boolean plan) {
    // The shape of a query depends on its text and the caller's catalog only: kept per DDL
    // version, so clients that describe each statement before running it (Flight SQL, BI tools
    // preparing everything) parse and validate it once.
    CatalogCache.State catalog = catalog();
    PlanCache.Key key =
        new PlanCache.Key(
            sql, company.id(), PlanScopes.planning(properties), catalog.version().ddl());
    PreparedInfo known = engine.described(key);
    if (known != null) {
      return known;
    }
    SqlNode node = parsed(sql);
    if (node instanceof SqlBudgetQuery n) {
      node = n.getQuery();
    }
    if (node instanceof SqlExplain || isQuery(node)) {
      // A query about to run and described for the first time is planned now, into the plan
      // cache: its execution (Flight SQL's DoGet after GetFlightInfo) then validates nothing.
      QueryShape shape =
          plan && !(node instanceof SqlExplain)
              ? planAhead(sql, node, catalog)
              : Describing.describe(node, rootSchema());
      PreparedInfo info = new PreparedInfo(true, shape.columns(), shape.parameters());
      engine.describedAs(key, info);
      return info;
    }
    if (node instanceof SqlForecast f) {
      SqlNode q = f.getQuery() instanceof SqlBudgetQuery b ? b.getQuery() : f.getQuery();
      List<ResultColumn> params =
          isQuery(q) ? Describing.describe(q, rootSchema()).parameters() : List.of();
      return new PreparedInfo(
          true, f.json() ? ForecastStatements.JSON_COLUMNS : ForecastStatements.COLUMNS, params);
    }
    if (DmlStatements.handles(node)) {
      // a prepared INSERT's, UPDATE's or DELETE's parameters (INSERT VALUES: their columns' types)
      return new PreparedInfo(false, List.of(), dml.parameters(node, rootSchema()));
    }
    return FixedShapes.of(node);
  }

  /**
   * Plans a query as its execution without new parameter values, or with values for its {@code ?}
   * parameters, would plan it, and keeps the plan. A {@link #cancel} stops the planning.
   */
  private QueryShape planAhead(String sql, SqlNode query, CatalogCache.State catalog) {
    AtomicBoolean cancel = new AtomicBoolean();
    preparing = cancel;
    try {
      return engine
          .executor()
          .prepare(
              query,
              () -> asWritten(sql),
              rootSchema(),
              Map.of(
                  DataContext.Variable.CANCEL_FLAG.camelName,
                  cancel,
                  VectorExecution.CONTEXT_KEY,
                  Boolean.parseBoolean(properties.get(SessionProperty.VECTOR_EXECUTION))),
              PlanScopes.of(sql, company.id(), properties, catalog));
    } finally {
      preparing = null;
    }
  }

  @Override
  public List<VisibleTable> visibleTables() {
    checkOpen();
    List<VisibleTable> out = new ArrayList<>(datasets.visibleTables());
    out.addAll(namespaces().ruleTables());
    out.addAll(InformationSchema.LISTED);
    return out;
  }

  @Override
  public List<String> visibleSchemas() {
    checkOpen();
    List<String> out = new ArrayList<>(namespaces().schemas());
    out.add(Namespaces.INFORMATION_SCHEMA);
    return out;
  }

  @Override
  public void setProperty(String name, String value) {
    SessionProperty p = SessionProperty.of(name);
    properties.put(p, p.validate(value));
  }

  @Override
  public void setProgressListener(ProgressListener listener) {
    this.progress = listener == null ? ProgressListener.NONE : listener;
  }

  @Override
  public void cancel() {
    // The flag reaches the statement also while it is still being planned (no result yet).
    cancelFlag.set(true);
    AtomicBoolean planning = preparing;
    if (planning != null) {
      planning.set(true);
    }
    QueryStatementResult r = current;
    if (r != null) {
      r.cancel();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new NqlException(
          ErrorCode.INVALID_AUTHORIZATION, "Cannot run a statement: session closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    QueryStatementResult r = current;
    if (r != null) {
      r.close();
    }
  }
}
