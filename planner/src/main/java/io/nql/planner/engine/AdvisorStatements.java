package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.forecast.ProfileStore;
import io.nql.planner.maintenance.Advisor;
import io.nql.planner.maintenance.Compaction;
import io.nql.planner.maintenance.QueryPredicates;
import io.nql.planner.parser.SqlApplyRecommendation;
import io.nql.planner.parser.SqlShowRecommendations;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.QueryLogEntry;
import io.nql.planner.store.QueryStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlNode;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;

/**
 * {@code SHOW RECOMMENDATIONS [FOR company_data.<ds>]} and {@code APPLY RECOMMENDATION <n>} /
 * {@code APPLY RECOMMENDATIONS FOR company_data.<ds>}: the layout {@link Advisor} over the caller's
 * own datasets. The observed statements are the successful ones of the query log (the latest
 * {@value #LOG_ENTRIES} of each company) that read one of the caller's datasets: the caller's own
 * statements naming {@code company_data.<ds>}, and any company's naming one of the caller's access
 * rules ({@code <slug>.<rule>}, its columns taken as the dataset's of the same name). Only counts
 * and estimates are shown: never a statement, a literal or who ran it.
 *
 * <p>Recommendations are numbered from 1 over the caller's datasets in name order; {@code APPLY
 * RECOMMENDATION <n>} computes them again and applies the n-th: the new layout and the rewrite of
 * every data file into it ({@link Compaction#relayout}) are one Iceberg transaction, so a failed
 * APPLY leaves the dataset's layout and snapshot as they were; every row keeps its id.
 */
final class AdvisorStatements {
  /** Query log entries read per company, most recent first. */
  static final int LOG_ENTRIES = 10_000;

  static final List<ResultColumn> COLUMNS =
      List.of(
          ResultColumn.bigint("recommendation", false),
          ResultColumn.varchar("dataset"),
          ResultColumn.varchar("kind"),
          ResultColumn.varchar("columns"),
          ResultColumn.bigint("queries", false),
          ResultColumn.varchar("files_now_per_query"),
          ResultColumn.varchar("files_after_per_query"),
          ResultColumn.varchar("files_pruned_per_query"),
          ResultColumn.bigint("bytes_saved_per_query", false));

  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Company company;

  AdvisorStatements(NqlEngine engine, DatasetStatements datasets, Company company) {
    this.engine = engine;
    this.datasets = datasets;
    this.company = company;
  }

  static boolean handles(SqlNode node) {
    return node instanceof SqlShowRecommendations || node instanceof SqlApplyRecommendation;
  }

  static PreparedInfo shape(SqlNode node) {
    return node instanceof SqlShowRecommendations
        ? new PreparedInfo(true, COLUMNS, List.of())
        : new PreparedInfo(true, OptimizeStatements.OPTIMIZE_COLUMNS, List.of());
  }

  StatementResult run(String statementId, SqlNode node, ProgressListener progress) {
    if (node instanceof SqlShowRecommendations n) {
      Long only = n.dataset() == null ? null : datasets.own(n.dataset()).id();
      List<Object[]> rows = new ArrayList<>();
      for (Numbered r : recommendations()) {
        if (only == null || r.dataset().id() == only) {
          rows.add(row(r));
        }
      }
      return StatementResults.rows(statementId, COLUMNS, rows);
    }
    SqlApplyRecommendation n = (SqlApplyRecommendation) node;
    Dataset target = n.dataset() == null ? null : datasets.own(n.dataset());
    if (target != null) {
      PlaneDatasets.refuseInPlane(target, "apply recommendations to");
    }
    List<Numbered> chosen =
        recommendations().stream()
            .filter(
                r -> target == null ? r.number() == n.number() : r.dataset().id() == target.id())
            .toList();
    if (chosen.isEmpty()) {
      throw NqlException.of(
          ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "Cannot apply %s: there is no such recommendation now (see SHOW RECOMMENDATIONS)",
          target == null
              ? "recommendation " + n.number()
              : "recommendations for " + Names.written(n.dataset()));
    }
    Dataset dataset = chosen.get(0).dataset();
    StatementAudit.resolved(dataset.name());
    List<Advisor.Recommendation> changes = chosen.stream().map(Numbered::recommendation).toList();
    Compaction.Result r =
        Compaction.relayout(
            engine.warehouse(), dataset, txn -> changes.forEach(c -> layout(txn, c)), progress);
    engine.dataChanged();
    return StatementResults.rows(
        statementId,
        OptimizeStatements.OPTIMIZE_COLUMNS,
        List.<Object[]>of(OptimizeStatements.row(r)));
  }

  /** Makes one recommended change of layout in a transaction (committed with the rewrite). */
  private static void layout(Transaction txn, Advisor.Recommendation r) {
    String column = r.column();
    if (Advisor.SORT_ORDER.equals(r.kind())) {
      txn.replaceSortOrder().asc(column).commit();
      return;
    }
    Term term =
        switch (r.transform()) {
          case "day" -> Expressions.day(column);
          case "month" -> Expressions.month(column);
          default -> Expressions.ref(column);
        };
    txn.updateSpec().addField(term).commit();
  }

  /** A recommendation with its number. */
  private record Numbered(int number, Dataset dataset, Advisor.Recommendation recommendation) {}

  private static Object[] row(Numbered n) {
    Advisor.Recommendation r = n.recommendation();
    return new Object[] {
      (long) n.number(),
      "company_data." + n.dataset().name(),
      r.kind(),
      r.columns(),
      r.queries(),
      decimal(r.filesNow()),
      decimal(r.filesAfter()),
      decimal(r.filesPruned()),
      r.bytesSaved()
    };
  }

  private static String decimal(double v) {
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).toPlainString();
  }

  /** The recommendations for the caller's datasets, numbered in dataset name order. */
  private List<Numbered> recommendations() {
    List<Dataset> own = new ArrayList<>(engine.warehouse().datasets(company.id()));
    own.removeIf(Dataset::inPlane); // its files are the plane's: nothing to sort or compact
    own.sort(Comparator.comparing(Dataset::name));
    Map<String, Long> byName = new HashMap<>(); // how statements name the datasets
    for (Dataset d : own) {
      byName.put(key("company_data", d.name()), d.id());
    }
    Map<String, Long> byRule = new HashMap<>();
    for (AccessRule rule : engine.store().accessRules().rules(company.id())) {
      byRule.put(key(company.slug(), rule.name()), rule.datasetId());
    }
    Map<Long, List<List<QueryPredicates.Predicate>>> observed = new HashMap<>();
    for (Company c : engine.store().companies()) {
      for (QueryLogEntry e : engine.store().queryLog(c.id(), LOG_ENTRIES)) {
        if (e.status() != QueryStatus.OK) {
          continue;
        }
        Map<Long, List<QueryPredicates.Predicate>> statement = new HashMap<>();
        QueryPredicates.of(e.sqlText())
            .forEach(
                (table, predicates) -> {
                  Long id = byRule.get(table);
                  if (id == null && e.companyId() == company.id()) {
                    id = byName.get(table);
                  }
                  if (id != null) {
                    statement.computeIfAbsent(id, k -> new ArrayList<>()).addAll(predicates);
                  }
                });
        statement.forEach((id, p) -> observed.computeIfAbsent(id, k -> new ArrayList<>()).add(p));
      }
    }
    List<Numbered> out = new ArrayList<>();
    for (Dataset d : own) {
      List<List<QueryPredicates.Predicate>> statements = observed.get(d.id());
      if (statements == null) {
        continue;
      }
      Table table = engine.warehouse().loadTable(d);
      for (Advisor.Recommendation r :
          Advisor.advise(
              table,
              statements,
              distinctValues(table),
              Compaction.Options.DEFAULT.targetFileSize())) {
        out.add(new Numbered(out.size() + 1, d, r));
      }
    }
    return out;
  }

  /** Distinct values per column (lower-case name) from the dataset's stored statistics. */
  private Map<String, Double> distinctValues(Table table) {
    return engine
        .profiles()
        .find(table, ProfileStore.DATASET)
        .map(f -> f.profile().distinctValues())
        .orElse(Map.of());
  }

  private static String key(String schema, String name) {
    return (schema + "." + name).toLowerCase(Locale.ROOT);
  }
}
