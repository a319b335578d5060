package io.nql.planner.exec;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.IcebergRules;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.ErrorMapper;
import io.nql.planner.plan.HepPlanners;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.plan.PlanRewriter;
import io.nql.planner.plan.SqlToRel;
import io.nql.planner.plan.SqlToRel.Validated;
import io.nql.planner.plane.postgres.PostgresPlaneRules;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.CancelFlag;

/**
 * Runs validated queries: validate → convert to a logical plan → remove sub-queries and decorrelate
 * → {@link PlanRewriter policy hook} → {@link CodePointStrings code-point string functions}, {@link
 * TimestampCasts casts to TIMESTAMP WITH LOCAL TIME ZONE} and {@link MathDomains math functions
 * that fail outside their domain} → trim unused fields → optimize (Volcano, enumerable convention,
 * Iceberg push-down rules) → compile and execute lazily.
 *
 * <p>Thread-safe; one instance can serve every statement.
 */
public final class QueryExecutor {
  private final PlanRewriter policy;
  private final BatchExecution batches;
  private final Consumer<PhaseTimes> timings;
  private final CompiledPlans compiled;
  private final PlanCache plans;

  /**
   * Context key of a statement's choice to interpret inner equi-joins ({@code Boolean}, default
   * true; see {@link InterpretedJoins}).
   */
  public static final String INTERPRETED_JOINS = "nql.interpreted_joins";

  /** Compiled plans kept for reuse by statements that generate the same code. */
  private static final int COMPILED_PLAN_CACHE_SIZE = 256;

  /** An executor without a policy rewrite, running every plan on the row engine. */
  public QueryExecutor() {
    this(PlanRewriter.IDENTITY, BatchExecution.NONE);
  }

  /**
   * An executor that applies {@code policy} to every logical plan before optimization and offers
   * every optimized plan to {@code batches} before running it on the row engine.
   */
  public QueryExecutor(PlanRewriter policy, BatchExecution batches) {
    this(policy, batches, t -> {}, COMPILED_PLAN_CACHE_SIZE, 0);
  }

  /**
   * An executor as {@link #QueryExecutor(PlanRewriter, BatchExecution)} that also keeps up to
   * {@code planCacheSize} optimized plans for statements executed with a {@link PlanCache.Scope}.
   */
  public QueryExecutor(PlanRewriter policy, BatchExecution batches, int planCacheSize) {
    this(policy, batches, t -> {}, COMPILED_PLAN_CACHE_SIZE, planCacheSize);
  }

  /**
   * An executor that also reports the time spent in each phase of every executed statement.
   *
   * @param compiledPlanCacheSize compiled plans kept for reuse; 0 compiles every statement
   */
  QueryExecutor(
      PlanRewriter policy,
      BatchExecution batches,
      Consumer<PhaseTimes> timings,
      int compiledPlanCacheSize) {
    this(policy, batches, timings, compiledPlanCacheSize, 0);
  }

  QueryExecutor(
      PlanRewriter policy,
      BatchExecution batches,
      Consumer<PhaseTimes> timings,
      int compiledPlanCacheSize,
      int planCacheSize) {
    this.policy = policy;
    this.batches = batches;
    this.timings = timings;
    this.compiled = new CompiledPlans(compiledPlanCacheSize);
    this.plans = new PlanCache(planCacheSize);
  }

  /** The plan cache's counters. */
  public PlanCache.Stats planCacheStats() {
    return plans.stats();
  }

  /**
   * Nanoseconds spent in each phase of one statement: validation, SQL-to-rel conversion, logical
   * rewrites (sub-queries, decorrelation, policy, code points, trimming), optimization, and code
   * generation plus compilation.
   */
  record PhaseTimes(long validate, long convert, long rewrite, long optimize, long compile) {}

  /** The compiled-plan cache (for tests and diagnostics). */
  CompiledPlans compiledPlans() {
    return compiled;
  }

  /**
   * Executes a query.
   *
   * @param query a parsed query (SELECT, WITH, VALUES, set operations, ORDER BY) or {@code EXPLAIN
   *     PLAN FOR} of one, which returns the optimized plan as a one-column result {@code PLAN}
   * @param rootSchema the caller's namespaces (see {@code CallerSchemas})
   * @param metrics collector for this statement's scan metrics
   * @return the result; the caller must close it
   * @throws NqlException for validation errors (UNKNOWN_TABLE, INVALID_SCHEMA, UNKNOWN_COLUMN,
   *     VALIDATION_ERROR), unsupported statements, and failures while planning
   */
  public QueryResult execute(SqlNode query, SchemaPlus rootSchema, ScanMetrics metrics) {
    return execute(query, rootSchema, metrics, List.of());
  }

  /**
   * Executes a query with values for its {@code ?} parameters, in order (external Java types as in
   * {@link QueryResult#next()}; numbers and strings are converted to the parameter's type).
   *
   * @throws NqlException {@code INVALID_PARAMETER_VALUE} when the number of values differs from the
   *     number of parameters or a value does not fit its parameter's type; otherwise as {@link
   *     #execute(SqlNode, SchemaPlus, ScanMetrics)}
   */
  public QueryResult execute(
      SqlNode query, SchemaPlus rootSchema, ScanMetrics metrics, List<Object> parameters) {
    return execute(query, rootSchema, metrics, parameters, java.util.Map.of());
  }

  /**
   * Executes a query with parameters and extra values for the statement's DataContext (e.g. the
   * statement's rule deliveries, looked up by the operators that need them). An {@code
   * AtomicBoolean} under {@link org.apache.calcite.DataContext.Variable#CANCEL_FLAG}'s name is the
   * statement's cancel flag: once set, the result's next advance fails with {@code QUERY_CANCELED},
   * also while an operator computes before its first row.
   */
  public QueryResult execute(
      SqlNode query,
      SchemaPlus rootSchema,
      ScanMetrics metrics,
      List<Object> parameters,
      java.util.Map<String, Object> contextValues) {
    return execute(query, null, rootSchema, metrics, parameters, contextValues, null);
  }

  /**
   * Executes a query as {@link #execute(SqlNode, SchemaPlus, ScanMetrics, List, java.util.Map)},
   * reusing a kept plan when {@code scope} allows (EXPLAIN is always planned afresh).
   *
   * <p>A statement without parameters has its literal comparisons normalized into parameters (see
   * {@link LiteralParameters}) — in {@code query} itself, which is why the statement as written
   * comes from {@code reparse} when it must be planned as written after all: when a value does not
   * fit its parameter's type, or when the normalized statement does not plan (its errors are
   * reported as the statement was written).
   *
   * @param reparse the statement parsed again, as written; null disables literal normalization
   * @param scope what the plan is kept for, or null to plan without the cache
   */
  public QueryResult execute(
      SqlNode query,
      java.util.function.@org.checkerframework.checker.nullness.qual.Nullable Supplier<SqlNode>
          reparse,
      SchemaPlus rootSchema,
      ScanMetrics metrics,
      List<Object> parameters,
      java.util.Map<String, Object> contextValues,
      PlanCache.@org.checkerframework.checker.nullness.qual.Nullable Scope scope) {
    boolean explain = query.getKind() == SqlKind.EXPLAIN;
    SqlNode body = explain ? ((SqlExplain) query).getExplicandum() : query;
    if (!body.isA(SqlKind.QUERY)) {
      throw NqlException.of(
          io.nql.planner.error.ErrorCode.NOT_SUPPORTED,
          "Cannot execute statement: %s is not a query",
          body.getKind());
    }
    if (scope != null && !explain) {
      return executeCached(body, reparse, rootSchema, metrics, parameters, contextValues, scope);
    }
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    StatementContext context = new StatementContext(rootSchema, typeFactory, metrics);
    context.values().putAll(contextValues);
    Planned planned = plan(body, rootSchema, typeFactory, context);
    Parameters.bind(planned.parameterTypes, parameters, context.values());
    planned.largeLimits.bind(context.values());
    if (explain) {
      String text = policy.explain(planned.rel);
      RelDataType varchar =
          typeFactory.createTypeWithNullability(
              typeFactory.createSqlType(SqlTypeName.VARCHAR), false);
      return new QueryResult(
          List.of(new ResultColumn("PLAN", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false)),
          List.of(varchar),
          Linq4j.enumerator(List.<Object>of(text)),
          metrics);
    }
    try {
      BatchExecution.Cursor cursor = batches.open(planned.rel, context, planned.types);
      if (cursor != null) {
        long[] t = planned.phaseNanos;
        timings.accept(new PhaseTimes(t[0], t[1], t[2], t[3], 0));
        return new QueryResult(planned.columns, planned.types, cursor, metrics);
      }
    } catch (RuntimeException e) {
      throw ErrorMapper.runtime(e);
    }
    try {
      long start = System.nanoTime();
      CancelChecks.check(CancelChecks.flag(context));
      // Checks of the cancel flag between operators: joins, aggregates and sorts can compute for
      // long before their first row, and Calcite's operators do not look at the flag themselves.
      EnumerableRel executable = EnumerableCancelCheck.everyEdge((EnumerableRel) planned.rel);
      Bindable<Object> bindable =
          new CompiledRun().bindable(compiled, batches, executable, context);
      long[] t = planned.phaseNanos;
      timings.accept(new PhaseTimes(t[0], t[1], t[2], t[3], System.nanoTime() - start));
      Enumerable<Object> rows = bindable.bind(context);
      return new QueryResult(planned.columns, planned.types, rows.enumerator(), metrics);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      // A constant expression that fails (1 / 0) fails in the generated class's initializer.
      throw ErrorMapper.planning(e);
    }
  }

  private static final String NORMALIZED = "normalized: ";
  private static final String AS_WRITTEN = "as written: ";

  private QueryResult executeCached(
      SqlNode body,
      java.util.function.@org.checkerframework.checker.nullness.qual.Nullable Supplier<SqlNode>
          reparse,
      SchemaPlus rootSchema,
      ScanMetrics metrics,
      List<Object> parameters,
      java.util.Map<String, Object> contextValues,
      PlanCache.Scope scope) {
    long start = System.nanoTime();
    Found found = find(body, reparse, rootSchema, parameters, contextValues, scope);
    return timed(
        run(found.plan, rootSchema, metrics, found.values, contextValues), start, found.planned);
  }

  /**
   * Plans a query into the plan cache ahead of its execution (a front end that describes a
   * statement just before running it: Flight SQL's {@code GetFlightInfo}), so that running it
   * without new parameters, or with values for its {@code ?} parameters, reuses the plan instead of
   * validating it a second time.
   *
   * @param contextValues as for {@link #execute(SqlNode, SchemaPlus, ScanMetrics, List,
   *     java.util.Map)}: the cancel flag stops the planning
   * @return the result columns and the {@code ?} parameters, as {@link Describing#describe}
   */
  public QueryShape prepare(
      SqlNode body,
      java.util.function.Supplier<SqlNode> reparse,
      SchemaPlus rootSchema,
      java.util.Map<String, Object> contextValues,
      PlanCache.Scope scope) {
    Found found = find(body, reparse, rootSchema, List.of(), contextValues, scope);
    List<ResultColumn> parameters = new ArrayList<>();
    if (!found.normalized) {
      List<RelDataType> types = found.plan.parameterTypes();
      for (int i = 0; i < types.size(); i++) {
        parameters.add(JdbcTypes.column("?" + i, types.get(i)));
      }
    }
    return new QueryShape(found.plan.columns(), parameters);
  }

  /**
   * A plan found in the cache or made (and kept), with the values its parameters take.
   *
   * @param normalized whether the plan is the statement's with its literals as parameters
   */
  private record Found(CachedPlan plan, List<Object> values, boolean planned, boolean normalized) {}

  private Found find(
      SqlNode body,
      java.util.function.@org.checkerframework.checker.nullness.qual.Nullable Supplier<SqlNode>
          reparse,
      SchemaPlus rootSchema,
      List<Object> parameters,
      java.util.Map<String, Object> contextValues,
      PlanCache.Scope scope) {
    plans.observe(scope);
    boolean planned = false;
    LiteralParameters.Normalized normalized =
        reparse != null && parameters.isEmpty() ? LiteralParameters.normalize(body) : null;
    if (normalized != null) {
      PlanCache.Key key = scope.key(NORMALIZED + NqlParser.unparse(body));
      CachedPlan plan = plans.get(key, scope);
      if (plan == null) {
        planned = true;
        plan = planNormalized(body, contextValues, rootSchema, scope);
        if (plan != null) {
          keep(key, plan);
        }
      }
      if (plan != null && normalized.fits(plan.parameterTypes())) {
        count(planned);
        return new Found(plan, normalized.values(), planned, true);
      }
      body = reparse.get();
    }
    PlanCache.Key key = scope.key(AS_WRITTEN + scope.text());
    CachedPlan plan = plans.get(key, scope);
    if (plan == null) {
      planned = true;
      plan = cachedPlan(body, contextValues, rootSchema, scope.dataVersion(), false);
      keep(key, plan);
    }
    count(planned);
    return new Found(plan, parameters, planned, false);
  }

  /**
   * Records the planning time (up to the run's start: opening the result is not planning, but
   * opening is lazy, so the difference is small) and whether a kept plan ran.
   */
  private static QueryResult timed(QueryResult result, long start, boolean planned) {
    result.planned(System.nanoTime() - start, !planned);
    return result;
  }

  private void count(boolean planned) {
    if (planned) {
      plans.miss();
    } else {
      plans.hit();
    }
  }

  private void keep(PlanCache.Key key, CachedPlan plan) {
    if (plan.cacheable()) {
      plans.put(key, plan);
    } else {
      plans.notCacheable();
    }
  }

  /** The plan of a normalized statement, or null when it must be planned as written. */
  private @org.checkerframework.checker.nullness.qual.Nullable CachedPlan planNormalized(
      SqlNode body,
      java.util.Map<String, Object> contextValues,
      SchemaPlus rootSchema,
      PlanCache.Scope scope) {
    try {
      return cachedPlan(body, contextValues, rootSchema, scope.dataVersion(), true);
    } catch (OutOfOrderParameters e) {
      return null;
    } catch (NqlException e) {
      if (e.code() == io.nql.planner.error.ErrorCode.QUERY_CANCELED) {
        throw e;
      }
      return null;
    }
  }

  private CachedPlan cachedPlan(
      SqlNode body,
      java.util.Map<String, Object> contextValues,
      SchemaPlus rootSchema,
      long dataVersion,
      boolean normalized) {
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    StatementContext planning = new StatementContext(rootSchema, typeFactory, new ScanMetrics());
    planning.values().putAll(contextValues);
    Planned p = plan(body, rootSchema, typeFactory, planning, normalized);
    List<PlanCache.ReadTable> tables = PlanReads.tables(p.rel);
    boolean cacheable = tables != null && !p.dynamic;
    if (cacheable) {
      // The optimizer's memo of alternatives is not needed to run the plan: let it go.
      p.planner.clear();
    }
    BatchExecution.Prepared batch;
    try {
      batch = batches.prepare(p.rel);
    } catch (RuntimeException e) {
      throw ErrorMapper.runtime(e);
    }
    return new CachedPlan(
        p.columns,
        p.types,
        p.parameterTypes,
        p.largeLimits,
        typeFactory,
        batch,
        EnumerableCancelCheck.everyEdge((EnumerableRel) p.rel),
        tables == null ? List.of() : tables,
        dataVersion,
        System.nanoTime(),
        cacheable,
        new CompiledRun());
  }

  /** Runs a plan (kept or just made) for one statement. */
  private QueryResult run(
      CachedPlan plan,
      SchemaPlus rootSchema,
      ScanMetrics metrics,
      List<Object> parameters,
      java.util.Map<String, Object> contextValues) {
    StatementContext context = new StatementContext(rootSchema, plan.typeFactory(), metrics);
    context.values().putAll(contextValues);
    Parameters.bind(plan.parameterTypes(), parameters, context.values());
    plan.largeLimits().bind(context.values());
    try {
      if (plan.batch() != null) {
        BatchExecution.Cursor cursor = plan.batch().open(context, plan.types());
        if (cursor != null) {
          return new QueryResult(plan.columns(), plan.types(), cursor, metrics);
        }
      }
    } catch (RuntimeException e) {
      throw ErrorMapper.runtime(e);
    }
    try {
      CancelChecks.check(CancelChecks.flag(context));
      Bindable<Object> bindable =
          plan.compiled().bindable(compiled, batches, plan.executable(), context);
      Enumerable<Object> rows = bindable.bind(context);
      return new QueryResult(plan.columns(), plan.types(), rows.enumerator(), metrics);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw ErrorMapper.planning(e);
    }
  }

  /**
   * The optimized plan of a query as text, without executing it.
   *
   * @throws NqlException as for {@link #execute}
   */
  public String explain(SqlNode query, SchemaPlus rootSchema) {
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    StatementContext context = new StatementContext(rootSchema, typeFactory, new ScanMetrics());
    Planned planned = plan(query, rootSchema, typeFactory, context);
    return policy.explain(planned.rel);
  }

  private record Planned(
      RelNode rel,
      List<ResultColumn> columns,
      List<RelDataType> types,
      List<RelDataType> parameterTypes,
      LargeLimits largeLimits,
      long[] phaseNanos,
      boolean dynamic,
      VolcanoPlanner planner) {}

  /** A normalized statement whose parameters the validator lists in another order. */
  private static final class OutOfOrderParameters extends RuntimeException {
    OutOfOrderParameters() {
      super(null, null, false, false);
    }
  }

  private Planned plan(
      SqlNode query, SchemaPlus rootSchema, JavaTypeFactory typeFactory, StatementContext ctx) {
    return plan(query, rootSchema, typeFactory, ctx, false);
  }

  private Planned plan(
      SqlNode query,
      SchemaPlus rootSchema,
      JavaTypeFactory typeFactory,
      StatementContext ctx,
      boolean normalized) {
    long t0 = System.nanoTime();
    Validated v = SqlToRel.validate(query, rootSchema, typeFactory);
    long t1 = System.nanoTime();
    SqlValidator validator = v.validator();
    CalciteCatalogReader catalogReader = v.catalogReader();
    SqlNode validated = v.node();
    if (normalized && !LiteralParameters.inOrder(validated)) {
      throw new OutOfOrderParameters();
    }
    List<RelDataType> parameterTypes = new ArrayList<>();
    for (RelDataTypeField f : validator.getParameterRowType(validated).getFieldList()) {
      parameterTypes.add(f.getType());
    }

    // The statement's cancel flag reaches the optimizer: a cancel (or a timeout) stops a long join
    // ordering at its next rule instead of after it (see CancelChecks.whilePlanning).
    AtomicBoolean cancel = CancelChecks.flag(ctx);
    VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(new CancelFlag(cancel)));
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
    RelOptUtil.registerDefaultRules(planner, false, false);
    for (RelOptRule rule : IcebergRules.RULES) {
      planner.addRule(rule);
    }
    for (RelOptRule rule : PostgresPlaneRules.RULES) {
      planner.addRule(rule);
    }
    planner.setExecutor(TimestampCasts.reducingWith(new RexExecutorImpl(ctx)));
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
    try {
      CancelChecks.check(cancel);
      RelRoot root = SqlToRel.converter(v, cluster).convertQuery(validated, false, true);
      long t2 = System.nanoTime();
      RelNode logical = root.project();
      LargeLimits largeLimits = new LargeLimits(parameterTypes.size());
      logical = largeLimits.rewrite(Describing.removeSubQueries(logical, cancel));
      CancelChecks.check(cancel);
      RelBuilder relBuilder =
          RelBuilder.proto(cluster.getPlanner().getContext()).create(cluster, catalogReader);
      logical = RelDecorrelator.decorrelateQuery(logical, relBuilder);
      logical = applyPolicy(logical);
      logical = CodePointStrings.rewrite(logical);
      logical = TimestampCasts.rewrite(logical);
      logical = MathDomains.rewrite(logical);
      logical = new RelFieldTrimmer(validator, relBuilder).trim(logical);
      logical = JoinOrdering.apply(planner, logical);
      boolean dynamic = PlanReads.hasDynamicCall(logical);
      long t3 = System.nanoTime();
      CancelChecks.check(cancel);
      RelNode best = optimize(planner, logical);
      // A cancelled optimizer returns the best plan found so far: the statement ends here.
      CancelChecks.check(cancel);
      long t4 = System.nanoTime();

      List<ResultColumn> columns = new ArrayList<>();
      List<RelDataType> types = new ArrayList<>();
      List<RelDataTypeField> fields = root.validatedRowType.getFieldList();
      List<RelDataTypeField> planFields = best.getRowType().getFieldList();
      for (int i = 0; i < fields.size(); i++) {
        RelDataType t = planFields.get(i).getType();
        types.add(t);
        columns.add(JdbcTypes.column(fields.get(i).getName(), t));
      }
      return new Planned(
          best,
          columns,
          types,
          parameterTypes,
          largeLimits,
          new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3},
          dynamic,
          planner);
    } catch (RuntimeException | AssertionError e) {
      // AssertionError: Calcite's converter throws it for some statements its validator accepts
      throw CancelChecks.whilePlanning(cancel, e);
    }
  }

  /** The policy hook: the only place where the logical plan is transformed before optimizing. */
  private RelNode applyPolicy(RelNode logical) {
    return policy.rewrite(logical);
  }

  private static RelNode optimize(VolcanoPlanner planner, RelNode logical) {
    planner.setRoot(
        planner.changeTraits(
            logical, logical.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify()));
    RelNode best = planner.findBestExp();
    // Enumerable Project and Filter are implemented as Calc: convert and merge them.
    return EnumerableLongLimit.everyLimit(HepPlanners.calc(best));
  }
}
