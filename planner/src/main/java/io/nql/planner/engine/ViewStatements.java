package io.nql.planner.engine;

import io.nql.planner.catalog.DeltaTables;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.Describing;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlBudgetQuery;
import io.nql.planner.parser.SqlCreateMaterializedView;
import io.nql.planner.parser.SqlDropMaterializedView;
import io.nql.planner.parser.SqlRefreshMaterializedView;
import io.nql.planner.parser.SqlShowMaterializedViews;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.MaterializedViews;
import io.nql.planner.store.MaterializedViews.Outcome;
import io.nql.planner.store.MaterializedViews.Run;
import io.nql.planner.store.MaterializedViews.View;
import io.nql.planner.store.User;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CREATE MATERIALIZED VIEW}, {@code REFRESH MATERIALIZED VIEW}, {@code DROP MATERIALIZED
 * VIEW} and {@code SHOW MATERIALIZED VIEWS}. A view is a dataset of its company, filled by runs of
 * its query: each run reads as the company's statements read (access rules metered and charged
 * under the view's budget) and writes what it read as one snapshot — appended, or in place of the
 * view's rows with {@code WRITE_MODE = 'overwrite'} — or nothing when it fails: the view keeps its
 * previous snapshot. At most one run of a view at a time, also across gateways sharing a metadata
 * store.
 */
final class ViewStatements {
  /** Letters, digits and underscores (NQL.md §6). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

  /**
   * Runs a query as the caller's under a budget, as the statement {@code statementId}, with the
   * view run's incremental reads ({@link DeltaTables}, its {@code DELTA} reads rewritten by {@link
   * DeltaQueries#rewrite}) when {@code delta} is not null.
   */
  @FunctionalInterface
  interface Queries {
    StatementResult run(
        String statementId, SqlNode query, Budgets.Budget budget, @Nullable DeltaRead delta);
  }

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;
  private final User user;

  ViewStatements(NqlEngine engine, DatasetStatements datasets, Company company, User user) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
    this.user = user;
  }

  private MaterializedViews store() {
    return engine.store().views();
  }

  /** Whether {@code node} is a statement of materialized views, run by {@link #run}. */
  static boolean handles(SqlNode node) {
    return node instanceof SqlCreateMaterializedView
        || node instanceof SqlRefreshMaterializedView
        || node instanceof SqlDropMaterializedView
        || node instanceof SqlShowMaterializedViews;
  }

  /**
   * Runs a statement of materialized views ({@link #handles}).
   *
   * @param trigger of a REFRESH: see {@link #refresh}
   */
  StatementResult run(
      String statementId,
      SqlNode node,
      Supplier<SchemaPlus> root,
      @Nullable String sessionBudgetUsd,
      Queries queries,
      String trigger) {
    if (node instanceof SqlCreateMaterializedView n) {
      return create(statementId, n, root.get(), sessionBudgetUsd, queries);
    }
    if (node instanceof SqlRefreshMaterializedView n) {
      return refresh(statementId, n, queries, trigger);
    }
    if (node instanceof SqlDropMaterializedView n) {
      return drop(statementId, n);
    }
    return show(statementId);
  }

  /**
   * Creates the view's dataset from the query's columns, records the view and runs it once; when
   * that run fails nothing is left (no dataset, no view), what it bought stays bought.
   *
   * @param sessionBudgetUsd the session's {@code budget_usd}: the budget of every run of a view
   *     without a budget clause
   */
  StatementResult create(
      String statementId,
      SqlCreateMaterializedView n,
      SchemaPlus root,
      @Nullable String sessionBudgetUsd,
      Queries queries) {
    String name = n.getSimpleName();
    if (!NAME.matcher(name).matches()) {
      throw NqlException.of(
          ErrorCode.INVALID_NAME,
          "Cannot create materialized view %s: a view name has letters, digits and underscores"
              + " only",
          name);
    }
    String schedule = n.getRefreshSchedule() == null ? "@once" : n.getRefreshSchedule();
    Schedules.check(name, schedule);
    if (engine.warehouse().dataset(company.id(), name).isPresent()) {
      throw NqlException.of(
          ErrorCode.DUPLICATE_TABLE,
          "Cannot create materialized view %s: the company already has a dataset or view of that"
              + " name",
          name);
    }
    String budget =
        n.getBudget() != null
            ? NqlParser.unparse(n.getBudget())
            : "LIMIT "
                + new BigDecimal(sessionBudgetUsd == null ? "0" : sessionBudgetUsd).toPlainString()
                + " USD";
    String query = NqlParser.unparse(n.getQuery());
    budgetOf(query, budget, 0); // a clause out of range fails here, before anything is created
    checkColumnNames(name, n.getQuery());
    SqlNode described = DeltaQueries.firstRun(n.getQuery(), root);
    Schema schema = schema(name, Describing.logical(described, root).rel().getRowType());
    PartitionSpec spec = DatasetStatements.partitionSpec(schema, n.getPartitionFields());
    Dataset dataset = engine.warehouse().createDataset(company, name, schema, spec);
    View view;
    try {
      view =
          new View(
              dataset.id(),
              company.id(),
              user.id(),
              name,
              query,
              budget,
              schedule,
              n.getDisplayName(),
              n.getDescription(),
              n.getExpire() == null ? "retain_everything" : n.getExpire(),
              n.getTags(),
              n.getWriteMode() == null ? "append" : n.getWriteMode(),
              Instant.now(),
              null);
      store().create(view);
      return run(statementId, view, "create", queries);
    } catch (RuntimeException e) {
      try {
        engine.warehouse().dropDataset(dataset); // the view's row goes with its dataset
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Runs a view now: its new rows, and the budget warning when its budget cut the run short.
   *
   * @param trigger {@code refresh} for a statement, {@code schedule} for the scheduler (the run
   *     then needs the view due)
   */
  StatementResult refresh(
      String statementId, SqlRefreshMaterializedView n, Queries queries, String trigger) {
    return run(statementId, view(n.getName(), "refresh"), trigger, queries);
  }

  /** Drops a view: its dataset, its files and its definition; its runs stay in the history. */
  StatementResult drop(String statementId, SqlDropMaterializedView n) {
    View view = view(n.getName(), "drop");
    Dataset dataset =
        engine
            .warehouse()
            .datasetById(company.id(), view.datasetId())
            .orElseThrow(() -> DatasetStatements.unknownTable(view.name()));
    engine.warehouse().dropDataset(dataset);
    return StatementResults.count(statementId, 0);
  }

  /** The columns of {@code SHOW MATERIALIZED VIEWS}. */
  static final List<ResultColumn> SHOW_COLUMNS =
      List.of(
          new ResultColumn("name", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.varchar("display_name"),
          ResultColumn.varchar("description"),
          new ResultColumn("refresh_schedule", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("write_mode", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("expire", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.varchar("tags"),
          new ResultColumn("budget", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("status", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.timestamp("last_run_at"),
          ResultColumn.bigint("last_run_rows", true),
          ResultColumn.bigint("rows", false),
          ResultColumn.bigint("runs", false),
          new ResultColumn("spent_usd", java.sql.Types.DECIMAL, "DECIMAL", 19, 6, false),
          ResultColumn.varchar("query"));

  /** The caller's company's views, by name, with their last run and their spend over all runs. */
  StatementResult show(String statementId) {
    List<Object[]> rows = new ArrayList<>();
    for (View v : store().ofCompany(company.id())) {
      List<Run> runs = store().runs(v.datasetId(), Integer.MAX_VALUE);
      Run last = runs.isEmpty() ? null : runs.get(0);
      long spent = 0;
      for (Run r : runs) {
        spent += r.spentMicros();
      }
      long tableRows = 0;
      Optional<Dataset> d = engine.warehouse().datasetById(company.id(), v.datasetId());
      if (d.isPresent()) {
        Snapshot s = engine.warehouse().loadTable(d.get()).currentSnapshot();
        if (s != null) {
          tableRows = Long.parseLong(s.summary().getOrDefault("total-records", "0"));
        }
      }
      rows.add(
          new Object[] {
            v.name(),
            v.displayName(),
            v.description(),
            v.schedule(),
            v.writeMode(),
            v.expire(),
            v.tags().isEmpty() ? null : String.join(", ", v.tags()),
            v.budget(),
            last == null ? "never run" : status(last),
            last == null ? null : LocalDateTime.ofInstant(last.startedAt(), ZoneOffset.UTC),
            last == null ? null : last.rowsWritten(),
            tableRows,
            (long) runs.size(),
            BigDecimal.valueOf(spent, 6),
            v.query()
          });
    }
    return StatementResults.rows(statementId, SHOW_COLUMNS, rows);
  }

  private static String status(Run run) {
    return switch (run.status()) {
      case "ok" -> run.budgetCut() ? "ok (budget cut)" : "ok";
      case "error" -> "error " + run.sqlState() + ": " + run.errorMessage();
      default -> run.status();
    };
  }

  /**
   * One run of {@code view}: its query read under its budget, its rows written as one snapshot. The
   * run is recorded before it starts and when it ends; a failed run writes nothing.
   */
  StatementResult run(String statementId, View view, String trigger, Queries queries) {
    boolean scheduled = trigger.equals("schedule");
    Optional<Long> claimed =
        store()
            .startRun(
                company.id(),
                view.datasetId(),
                statementId,
                trigger,
                engine.instanceId(),
                scheduled ? engine.clock().instant() : null);
    if (claimed.isEmpty()) {
      throw NqlException.of(
          ErrorCode.OBJECT_IN_USE,
          "Cannot run materialized view %s: another run of it is in progress; try again when it"
              + " ends",
          view.name());
    }
    long runId = claimed.get();
    StatementResult rows = null;
    try {
      SqlBudgetQuery statement =
          (SqlBudgetQuery) NqlParser.parse(view.query() + " " + view.budget());
      Dataset dataset =
          engine
              .warehouse()
              .datasetById(company.id(), view.datasetId())
              .orElseThrow(() -> DatasetStatements.unknownTable(view.name()));
      Table table = engine.warehouse().loadTable(dataset);
      SqlNode query = statement.getQuery();
      DeltaRead delta = null;
      if (DeltaQueries.uses(query)) {
        delta = new DeltaRead(DeltaRead.positionsOf(table)); // the query reads it (Queries)
      }
      rows =
          queries.run(
              statementId, query, budgetOf(view.query(), view.budget(), view.datasetId()), delta);
      LoadResult written = ViewWrites.write(view, table, rows, delta);
      Charge charge = rows.charge();
      List<StatementWarning> warnings = new ArrayList<>(rows.warnings());
      if (delta != null) {
        warnings.addAll(ViewWrites.deltaWarnings(delta, charge));
      }
      rows.close();
      rows = null;
      if (written.snapshotId().isPresent()) {
        engine.statistics().afterWrite(dataset);
        engine.dataChanged();
      }
      store()
          .finishRun(
              runId,
              view.datasetId(),
              new Outcome(
                  "ok",
                  written.rowsLoaded(),
                  charge.micros(),
                  charge.budgetCut(),
                  written.snapshotId().isPresent() ? written.snapshotId().getAsLong() : null,
                  null,
                  null),
              trigger.equals("refresh")
                  ? view.nextRunAt()
                  : Schedules.next(view.schedule(), engine.clock().instant()));
      return StatementResults.count(statementId, written.rowsLoaded(), warnings);
    } catch (RuntimeException e) {
      Charge charge = null;
      if (rows != null) {
        charge = rows.charge();
        try {
          rows.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      NqlException error =
          e instanceof NqlException n
              ? n
              : new NqlException(ErrorCode.INTERNAL_ERROR, "Internal error in the run", e);
      try {
        store()
            .finishRun(
                runId,
                view.datasetId(),
                new Outcome(
                    "error",
                    0,
                    charge == null ? 0 : charge.micros(),
                    charge != null && charge.budgetCut(),
                    null,
                    error.sqlState(),
                    error.getMessage()),
                scheduled ? retryAt(view) : view.nextRunAt());
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Scheduled runs that fail are retried this many times before the next scheduled time. */
  static final int RETRIES = 3;

  /** The wait before the first retry; each next retry waits twice as long. */
  static final java.time.Duration FIRST_RETRY = java.time.Duration.ofMinutes(1);

  /**
   * When a view whose scheduled run just failed runs next: after 1, 2 and 4 minutes for its first
   * {@link #RETRIES} consecutive failed scheduled runs, then at its next scheduled time.
   */
  private @Nullable Instant retryAt(View view) {
    Instant now = engine.clock().instant();
    int failures = 1; // this run's
    for (Run r : store().runs(view.datasetId(), RETRIES + 1)) {
      if (r.status().equals("running")) {
        continue; // this run, not finished yet
      }
      if (!r.status().equals("error") || !r.trigger().equals("schedule")) {
        break;
      }
      failures++;
    }
    if (failures <= RETRIES) {
      return now.plus(FIRST_RETRY.multipliedBy(1L << (failures - 1)));
    }
    return Schedules.next(view.schedule(), now);
  }

  /**
   * A run's budget: the view's clause, a period clause shared by every run of the view (keyed by
   * the view, not by its text) and counted in the period of the schedules' clock's day.
   */
  private Budgets.Budget budgetOf(String query, String budget, long datasetId) {
    SqlBudgetQuery parsed = (SqlBudgetQuery) NqlParser.parse(query + " " + budget);
    return Budgets.of(
        parsed.getBudget(),
        "MATERIALIZED VIEW " + datasetId,
        java.time.LocalDate.ofInstant(engine.clock().instant(), ZoneOffset.UTC));
  }

  /** The view named {@code name} of the caller's company, for {@code verb} in errors. */
  private View view(SqlIdentifier name, String verb) {
    Dataset dataset = datasets.own(qualified(name));
    return store()
        .get(company.id(), dataset.id())
        .orElseThrow(
            () ->
                NqlException.of(
                    ErrorCode.WRONG_OBJECT_TYPE,
                    "Cannot %s materialized view %s: it is a dataset, not a materialized view",
                    verb,
                    Names.written(name)));
  }

  /** A view's name as written, or {@code company_data.<name>} for a bare name. */
  private static SqlIdentifier qualified(SqlIdentifier name) {
    if (name.names.size() == 1) {
      return new SqlIdentifier(
          List.of(Namespaces.COMPANY_DATA, name.getSimple()), name.getParserPosition());
    }
    return name;
  }

  /**
   * Refuses a select list that names two columns alike or leaves an expression unnamed (the
   * validator would make up {@code id0} or {@code EXPR$1}).
   */
  private static void checkColumnNames(String view, SqlNode query) {
    SqlNode select = query instanceof SqlOrderBy o ? o.query : query;
    if (!(select instanceof SqlSelect s)) {
      return;
    }
    Set<String> seen = new HashSet<>();
    int ordinal = 0;
    for (SqlNode item : s.getSelectList()) {
      ordinal++;
      String alias;
      if (item.getKind() == SqlKind.AS) {
        alias = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
      } else if (item instanceof SqlIdentifier id) {
        if (id.isStar()) {
          continue;
        }
        alias = id.names.get(id.names.size() - 1);
      } else {
        throw NqlException.of(
            ErrorCode.INVALID_NAME,
            "Cannot create materialized view %s: its column %d (%s) has no name; name it with AS",
            view,
            ordinal,
            NqlParser.unparse(item));
      }
      if (!seen.add(alias.toLowerCase(Locale.ROOT))) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_COLUMN,
            "Cannot create materialized view %s: its query returns two columns named %s; give"
                + " them distinct names with AS",
            view,
            alias);
      }
    }
  }

  /** The dataset schema of a query's row type: one optional column per field, named as it. */
  private static Schema schema(String view, org.apache.calcite.rel.type.RelDataType rowType) {
    List<Types.NestedField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int id = 1;
    for (RelDataTypeField f : rowType.getFieldList()) {
      String column = f.getName();
      if (!seen.add(column.toLowerCase(Locale.ROOT))) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_COLUMN,
            "Cannot create materialized view %s: its query returns two columns named %s; give"
                + " them distinct names with AS",
            view,
            column);
      }
      fields.add(
          Types.NestedField.optional(
              id++, column, DatasetTypes.icebergType(view, column, f.getType())));
    }
    return new Schema(fields);
  }
}
