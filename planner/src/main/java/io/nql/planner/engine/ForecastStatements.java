package io.nql.planner.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.Describing;
import io.nql.planner.forecast.PlanEstimator;
import io.nql.planner.forecast.PlanEstimator.Rows;
import io.nql.planner.forecast.Profile;
import io.nql.planner.forecast.ProfileStore;
import io.nql.planner.iceberg.IcebergFilterTranslator;
import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlBudgetQuery;
import io.nql.planner.parser.SqlForecast;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.policy.PseudoColumns;
import io.nql.planner.policy.RuleRef;
import io.nql.planner.policy.RuleTable;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlNode;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code EXPLAIN <query>}: a forecast of the rows and cost of a query, per source and in total,
 * from statistics alone (never a data file, never charged); and {@code ANALYZE} of a dataset.
 *
 * <p>What a forecast shows a buyer about a rule comes from the rule's own statistics (its output
 * rows): never the dataset's, never a snapshot id or time of the provider's dataset (a write of
 * rows the rule hides changes those), only when the rule's rows last changed.
 */
final class ForecastStatements {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ForecastStatements.class);

  /** The columns of {@code EXPLAIN <query>}. */
  static final List<ResultColumn> COLUMNS =
      List.of(
          new ResultColumn("source", Types.VARCHAR, "VARCHAR", 0, 0, false),
          new ResultColumn("source_type", Types.VARCHAR, "VARCHAR", 0, 0, false),
          ResultColumn.varchar("provider"),
          new ResultColumn("price_cpm_usd", Types.DECIMAL, "DECIMAL", 12, 2, true),
          ResultColumn.bigint("matching_rows", true),
          ResultColumn.bigint("estimated_rows", true),
          ResultColumn.bigint("rows_low", true),
          ResultColumn.bigint("rows_high", true),
          new ResultColumn("estimated_cost_usd", Types.DECIMAL, "DECIMAL", 20, 6, true),
          new ResultColumn("cost_low_usd", Types.DECIMAL, "DECIMAL", 20, 6, true),
          new ResultColumn("cost_high_usd", Types.DECIMAL, "DECIMAL", 20, 6, true),
          ResultColumn.bool("budget_cut"),
          ResultColumn.timestamp("freshness"),
          ResultColumn.varchar("statistics"),
          ResultColumn.varchar("result_schema"),
          ResultColumn.varchar("detail"));

  /** The column of {@code EXPLAIN (FORMAT JSON) <query>}. */
  static final List<ResultColumn> JSON_COLUMNS =
      List.of(new ResultColumn("FORECAST", Types.VARCHAR, "VARCHAR", 0, 0, false));

  private final NqlEngine engine;
  private final Company company;

  ForecastStatements(NqlEngine engine, Company company) {
    this.engine = engine;
    this.company = company;
  }

  /** One source of a forecast, with what the output shows about it. */
  private record Described(
      PlanEstimator.Source source,
      String name,
      String type,
      String provider,
      BigDecimal price,
      @Nullable Instant freshness,
      String statistics,
      @Nullable Table ownTable) {}

  StatementResult forecast(
      String statementId,
      SqlForecast node,
      Supplier<org.apache.calcite.schema.SchemaPlus> root,
      String sessionBudgetUsd,
      List<Object> parameters) {
    SqlNode stmt = node.getQuery();
    Budgets.Budget budget;
    if (stmt instanceof SqlBudgetQuery b) {
      budget = Budgets.of(b.getBudget(), NqlParser.unparse(b.getQuery()));
      stmt = b.getQuery();
    } else if (stmt instanceof io.nql.planner.parser.SqlCreateMaterializedView view) {
      // a new view's first run: its query under its budget (a period budget not yet spent)
      budget =
          view.getBudget() != null
              ? Budgets.of(view.getBudget(), "MATERIALIZED VIEW (new)")
              : Budgets.session(sessionBudgetUsd);
      stmt = view.getQuery();
    } else if (stmt.isA(org.apache.calcite.sql.SqlKind.QUERY)) {
      budget = Budgets.session(sessionBudgetUsd);
    } else {
      throw new NqlException(
          ErrorCode.NOT_SUPPORTED, "Cannot forecast this statement: only queries and views");
    }
    var schema = root.get();
    stmt = DeltaQueries.firstRun(stmt, schema);
    Describing.Logical logical = Describing.logical(stmt, schema);
    // rosetta_stone: estimated over its sources' own tables (an upper bound, see forecastPlan)
    logical =
        new Describing.Logical(
            io.nql.planner.policy.RosettaScans.forForecast(logical.rel()),
            logical.columns(),
            logical.parameters());
    if (!parameters.isEmpty() && parameters.size() != logical.parameters()) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot forecast statement: it has "
              + logical.parameters()
              + " parameters, "
              + parameters.size()
              + " values were given");
    }
    Map<String, Described> described = new HashMap<>();
    PlanEstimator.Estimate estimate =
        PlanEstimator.estimate(logical.rel(), table -> describe(table, described), parameters);
    long available = available(budget);
    Map<String, ArrayNode> files = new HashMap<>();
    List<Object[]> rows =
        rows(
            estimate,
            described,
            available,
            logical.columns(),
            files,
            scale ->
                PlanEstimator.again(
                        estimate, table -> describe(table, described), parameters, scale)
                    .rows());
    if (!node.json()) {
      return StatementResults.rows(statementId, COLUMNS, rows);
    }
    return StatementResults.rows(
        statementId, JSON_COLUMNS, List.<Object[]>of(new Object[] {json(rows, logical, files)}));
  }

  /** What the budget leaves for this statement (a period budget less its period's spend). */
  private long available(Budgets.Budget budget) {
    if (budget.period() == null) {
      return budget.micros();
    }
    long spent = engine.store().ledger().spentInPeriod(company.id(), budget.period());
    return Math.max(0, budget.micros() - spent);
  }

  private PlanEstimator.@Nullable Source describe(
      RelOptTable table, Map<String, Described> described) {
    RuleTable rule = table.unwrap(RuleTable.class);
    if (rule != null) {
      return describeRule(table, rule.rule(), described);
    }
    IcebergTable own = table.unwrap(IcebergTable.class);
    if (own != null) {
      return describeDataset(table, own, described);
    }
    return null;
  }

  private PlanEstimator.Source describeRule(
      RelOptTable table, RuleRef ref, Map<String, Described> described) {
    String key = ProfileStore.ruleKey(ref.ruleId(), ref.version());
    Described known = described.get(key);
    if (known != null) {
      return known.source();
    }
    Optional<ProfileStore.Found> found = Optional.empty();
    Optional<AccessRule> rule = engine.store().accessRules().version(ref.ruleId(), ref.version());
    if (rule.isPresent()) {
      Optional<Dataset> d =
          engine.warehouse().datasetById(rule.get().companyId(), rule.get().datasetId());
      if (d.isPresent() && !d.get().inPlane()) { // a plane's dataset has no profiles (yet)
        found = statistics(engine.warehouse().loadTable(d.get()), key);
      }
    }
    Profile p = found.map(ProfileStore.Found::profile).orElse(null);
    List<RelDataTypeField> fields = table.getRowType().getFieldList();
    int[] columnOf = new int[fields.size()];
    Object[] constants = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).getName();
      columnOf[i] = p == null ? -1 : p.column(name);
      switch (name) {
        case PseudoColumns.PRICE_CPM_USD -> {
          columnOf[i] = -1;
          constants[i] = ref.priceCpmUsd().doubleValue();
        }
        case PseudoColumns.SOURCE_COMPANY_ID -> {
          columnOf[i] = -1;
          constants[i] = (double) ref.ownerCompanyId();
        }
        case PseudoColumns.ACCESS_RULE_ID -> {
          columnOf[i] = -1;
          constants[i] = (double) ref.ruleId();
        }
        default -> {}
      }
    }
    PlanEstimator.Source source = new PlanEstimator.Source(key, p, columnOf, constants);
    String statistics =
        p == null
            ? "none: the provider has not analyzed this rule's dataset"
            : String.format(
                java.util.Locale.ROOT,
                "statistics of the rule's %,d rows (sample of %,d)",
                round(p.rows()),
                round(sampleRows(p)));
    described.put(
        key,
        new Described(
            source,
            ref.qualifiedName(),
            "access rule",
            ref.ownerSlug(),
            ref.priceCpmUsd(),
            p == null ? null : Instant.ofEpochMilli(p.changedMillis()),
            statistics,
            null));
    return source;
  }

  /**
   * The statistics of a source, or none when they cannot be read (the forecast then says it has
   * none; the reason goes to the gateway's log, never to the caller).
   */
  private Optional<ProfileStore.Found> statistics(Table table, String source) {
    try {
      return engine.profiles().find(table, source);
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the statistics of {} of table {}", source, table.name(), e);
      return Optional.empty();
    }
  }

  private static long sampleRows(Profile p) {
    long n = 0;
    for (long w : p.sampleWeights()) {
      n += w;
    }
    return n;
  }

  private PlanEstimator.Source describeDataset(
      RelOptTable table, IcebergTable own, Map<String, Described> described) {
    List<String> qualified = table.getQualifiedName();
    String name = Namespaces.COMPANY_DATA + "." + qualified.get(qualified.size() - 1);
    String key = "dataset:" + name;
    Described known = described.get(key);
    if (known != null) {
      return known.source();
    }
    Table t = own.icebergTable();
    Optional<ProfileStore.Found> found = statistics(t, ProfileStore.DATASET);
    Profile p = found.map(ProfileStore.Found::profile).orElse(null);
    List<RelDataTypeField> fields = table.getRowType().getFieldList();
    int[] columnOf = new int[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      columnOf[i] = p == null ? -1 : p.column(fields.get(i).getName());
    }
    Snapshot current = t.currentSnapshot();
    if (p == null && current == null) {
      // An empty dataset: nothing to analyze, nothing to read.
      p = emptyProfile(fields.size());
    }
    PlanEstimator.Source source =
        new PlanEstimator.Source(key, p, columnOf, new Object[fields.size()]);
    String statistics;
    if (p == null) {
      statistics = "none: run ANALYZE " + name;
    } else if (current == null) {
      statistics = "empty dataset";
    } else {
      statistics =
          String.format(
                  java.util.Locale.ROOT,
                  "statistics of the dataset's %,d rows (sample of %,d)",
                  p.rows(),
                  sampleRows(p))
              + (found.get().current() ? "" : "; statistics of an older snapshot: run ANALYZE");
    }
    described.put(
        key,
        new Described(
            source,
            name,
            "dataset",
            company.slug(),
            BigDecimal.ZERO.setScale(2),
            current == null ? null : Instant.ofEpochMilli(current.timestampMillis()),
            statistics,
            t));
    return source;
  }

  private static Profile emptyProfile(int columns) {
    return new Profile(0, 0, 0, 0, 0, List.of(), new long[0], new short[0][]);
  }

  private List<Object[]> rows(
      PlanEstimator.Estimate estimate,
      Map<String, Described> described,
      long availableMicros,
      List<ResultColumn> resultColumns,
      Map<String, ArrayNode> files,
      java.util.function.Function<Map<String, Double>, @Nullable Rows> withBudget) {
    // Cost of every priced source, then the share of it the budget buys.
    double wanted = 0;
    boolean unknown = estimate.rows() == null;
    for (PlanEstimator.Use u : estimate.uses().values()) {
      Described d = described.get(u.source().key());
      if (u.rows() == null) {
        unknown = true;
      } else {
        wanted += micros(u.rows().rows(), d.price());
      }
    }
    double bought = wanted <= 0 ? 1 : Math.min(1, availableMicros / wanted);
    boolean cut = !unknown && bought < 1;
    List<Object[]> out = new ArrayList<>();
    double cost = 0;
    double costLow = 0;
    double costHigh = 0;
    Instant stalest = null;
    for (PlanEstimator.Use u : estimate.uses().values()) {
      Described d = described.get(u.source().key());
      Rows r = u.rows();
      boolean priced = d.price().signum() > 0;
      double f = priced ? bought : 1;
      Object[] row = new Object[COLUMNS.size()];
      row[0] = d.name();
      row[1] = d.type();
      row[2] = d.provider();
      row[3] = d.price();
      if (r != null) {
        double cap = priced ? rowsFor(availableMicros, d.price()) : Double.POSITIVE_INFINITY;
        // Costs are of the rows shown (rounded), so that rows × price is what the row says.
        long matching = round(r.rows());
        // (the share is a quotient: 10 USD of 1 USD rows must buy 10 rows, not 9.999…)
        long delivered =
            (long) Math.min(f < 1 ? Math.floor(r.rows() * f * (1 + 1e-9)) : matching, cap);
        long low = round(Math.min(r.low(), cap), Math::floor);
        // rounding up never passes what the budget buys: the meter stops there
        long high = (long) Math.min(round(Math.min(r.high(), cap), Math::ceil), cap);
        row[4] = matching;
        row[5] = delivered;
        row[6] = Math.min(low, delivered);
        row[7] = Math.max(high, delivered);
        double c = micros(delivered, d.price());
        double cl = micros((Long) row[6], d.price());
        double ch = micros((Long) row[7], d.price());
        row[8] = usd(c);
        row[9] = usd(cl);
        row[10] = usd(ch);
        cost += c;
        costLow += cl;
        costHigh += ch;
        row[11] = priced && f < 1;
      }
      row[12] = utc(d.freshness());
      row[13] = d.statistics();
      if (d.ownTable() != null) {
        ArrayNode list = JSON.createArrayNode();
        row[15] = fileDetail(d.ownTable(), u, list);
        files.put(d.name(), list);
      }
      if (d.freshness() != null && (stalest == null || d.freshness().isBefore(stalest))) {
        stalest = d.freshness();
      }
      out.add(row);
    }
    Object[] total = new Object[COLUMNS.size()];
    total[0] = "TOTAL";
    total[1] = "total";
    if (!unknown) {
      Rows r = estimate.rows();
      total[4] = round(r.rows());
      // The result under the budget: the plan estimated again with each priced source
      // delivering what the budget buys of it (a global aggregate stays one row).
      Rows after = r;
      if (cut) {
        Map<String, Double> scale = new HashMap<>();
        for (PlanEstimator.Use u : estimate.uses().values()) {
          if (described.get(u.source().key()).price().signum() > 0) {
            scale.put(u.source().key(), bought);
          }
        }
        Rows again = withBudget.apply(scale);
        after = again == null ? r : again;
      }
      total[5] = round(after.rows());
      total[6] = Math.min(round(after.low(), Math::floor), (Long) total[5]);
      total[7] = Math.max(round(after.high(), Math::ceil), (Long) total[5]);
      // the statement never spends more than its budget, whatever each source's high
      double budget =
          availableMicros == Deliveries.UNLIMITED ? Double.POSITIVE_INFINITY : availableMicros;
      total[8] = usd(cost);
      total[9] = usd(Math.min(costLow, budget));
      total[10] = usd(Math.min(costHigh, budget));
      total[11] = cut;
    }
    total[12] = utc(stalest);
    total[13] =
        unknown
            ? "incomplete: a source has no statistics"
            : "estimated from the statistics of " + out.size() + " source(s)";
    total[14] = schema(resultColumns);
    out.add(total);
    return out;
  }

  /** A TIMESTAMP value (a UTC wall clock, as SHOW DATASETS answers). */
  private static java.time.@Nullable LocalDateTime utc(@Nullable Instant t) {
    return t == null ? null : java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
  }

  private static double micros(double rows, BigDecimal priceCpm) {
    return rows * priceCpm.doubleValue() * 1000;
  }

  private static double rowsFor(long micros, BigDecimal priceCpm) {
    return micros == Deliveries.UNLIMITED
        ? Double.POSITIVE_INFINITY
        : Math.floor(micros / (priceCpm.doubleValue() * 1000));
  }

  /**
   * Rows rounded to two significant digits above 100 (an estimate claims no more precision than it
   * has; and a single row more or less in a rule rarely shows).
   */
  static long round(double rows) {
    return round(rows, Math::rint);
  }

  /** Rows to two significant digits above 100, rounded by {@code mode} (down for a low bound). */
  static long round(double rows, java.util.function.DoubleUnaryOperator mode) {
    if (!(rows > 0)) {
      return 0;
    }
    if (rows < 100) {
      return (long) mode.applyAsDouble(rows);
    }
    double scale = Math.pow(10, Math.floor(Math.log10(rows)) - 1);
    return (long) (mode.applyAsDouble(rows / scale) * scale);
  }

  private static BigDecimal usd(double micros) {
    return BigDecimal.valueOf(micros / 1_000_000).setScale(6, RoundingMode.HALF_UP);
  }

  private static String schema(List<ResultColumn> columns) {
    StringBuilder b = new StringBuilder();
    for (ResultColumn c : columns) {
      b.append(b.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.typeName());
    }
    return b.toString();
  }

  /**
   * For the caller's own datasets: the data files its filters keep after pruning by partition and
   * by the files' column bounds (manifests only).
   */
  private String fileDetail(Table table, PlanEstimator.Use use, ArrayNode list) {
    Snapshot s = table.currentSnapshot();
    if (s == null) {
      return "no data files";
    }
    try {
      return fileDetail(table, s, use, list);
    } catch (RuntimeException e) {
      LOG.warn("Cannot list the data files of {} for a forecast", table.name(), e);
      return "file detail unavailable";
    }
  }

  private static String fileDetail(Table table, Snapshot s, PlanEstimator.Use use, ArrayNode list) {
    TableScan scan = table.newScan();
    if (use.filter() != null) {
      Optional<Expression> pushed =
          new IcebergFilterTranslator(
                  table.schema().columns(),
                  new RexBuilder(new org.apache.calcite.jdbc.JavaTypeFactoryImpl()))
              .split(use.filter())
              .fixed();
      if (pushed.isPresent()) {
        scan = scan.filter(pushed.get());
      }
    }
    long files = 0;
    long bytes = 0;
    long records = 0;
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      for (FileScanTask t : tasks) {
        files++;
        bytes += t.file().fileSizeInBytes();
        records += t.file().recordCount();
        if (list.size() < MAX_LISTED_FILES) {
          list.addObject()
              .put("path", t.file().location())
              .put("records", t.file().recordCount())
              .put("bytes", t.file().fileSizeInBytes());
        }
      }
    } catch (java.io.IOException e) {
      return "file detail unavailable";
    }
    long total = Long.parseLong(s.summary().getOrDefault("total-data-files", "0"));
    return String.format(
        java.util.Locale.ROOT,
        "%d of %d data files after pruning (%,d rows, %,d bytes)",
        files,
        total,
        records,
        bytes);
  }

  /** Data files listed per own dataset in a JSON forecast. */
  private static final int MAX_LISTED_FILES = 1000;

  private static String json(
      List<Object[]> rows, Describing.Logical logical, Map<String, ArrayNode> files) {
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode sources = doc.putArray("sources");
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      ObjectNode o = i == rows.size() - 1 ? doc.putObject("total") : sources.addObject();
      for (int c = 0; c < COLUMNS.size(); c++) {
        String name = COLUMNS.get(c).name();
        Object v = row[c];
        if (name.equals("result_schema")) {
          continue;
        }
        if (v == null) {
          o.putNull(name);
        } else if (v instanceof BigDecimal d) {
          o.put(name, d);
        } else if (v instanceof Long l) {
          o.put(name, l);
        } else if (v instanceof Boolean b) {
          o.put(name, b);
        } else if (v instanceof java.time.LocalDateTime t) {
          o.put(name, t.toInstant(java.time.ZoneOffset.UTC).toString());
        } else {
          o.put(name, v.toString());
        }
      }
      ArrayNode listed = files.get(String.valueOf(row[0]));
      if (listed != null && i < rows.size() - 1) {
        o.set("files", listed);
      }
    }
    ArrayNode schema = doc.putArray("result_schema");
    for (ResultColumn c : logical.columns()) {
      schema
          .addObject()
          .put("name", c.name())
          .put("type", c.typeName())
          .put("nullable", c.nullable());
    }
    return doc.toString();
  }
}
