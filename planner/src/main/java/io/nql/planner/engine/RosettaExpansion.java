package io.nql.planner.engine;

import io.nql.planner.catalog.Namespaces;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlBudgetQuery;
import io.nql.planner.parser.SqlForecast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Expands Rosetta Stone columns in a caller's statements before they are planned: a source's {@code
 * _rosetta_stone.<attribute>} becomes the mapping expression over that source's columns, read from
 * the caller's namespaces and the catalog version of the running statement.
 */
final class RosettaExpansion {
  private final NqlEngine engine;
  private final DatasetStatements datasets;
  private final Supplier<CallerNamespaces> namespaces;
  private final Supplier<CatalogCache.State> catalog;

  RosettaExpansion(
      NqlEngine engine,
      DatasetStatements datasets,
      Supplier<CallerNamespaces> namespaces,
      Supplier<CatalogCache.State> catalog) {
    this.engine = engine;
    this.datasets = datasets;
    this.namespaces = namespaces;
    this.catalog = catalog;
  }

  /**
   * The statement with each {@code t._rosetta_stone.<attribute>} replaced by the source's mapping
   * expression over {@code t}'s columns, and stars over {@code rosetta_stone} reading its browsing
   * variant (queries, budgeted queries, EXPLAIN, forecasts and the query of an EXPORT).
   */
  SqlNode expand(SqlNode node) {
    if (node instanceof SqlBudgetQuery b) {
      return new SqlBudgetQuery(b.getParserPosition(), expand(b.getQuery()), b.getBudget());
    }
    if (node instanceof SqlForecast f) {
      return new SqlForecast(f.getParserPosition(), expand(f.getQuery()), f.json());
    }
    if (node instanceof io.nql.planner.parser.SqlExport x && x.getQuery() != null) {
      return x.withQuery(expand(x.getQuery()));
    }
    if (node instanceof SqlExplain e) {
      e.setOperand(0, expand(e.getExplicandum()));
      return e;
    }
    if (!EngineSession.isQuery(node)) {
      return node;
    }
    RosettaColumns.browsing(node);
    if (!RosettaColumns.mentioned(node)) {
      return node;
    }
    Map<String, io.nql.planner.rosetta.Attribute> byName = new java.util.HashMap<>();
    for (io.nql.planner.rosetta.Attribute a : AttributeStatements.catalog(engine).all()) {
      byName.put(a.name(), a);
    }
    CallerNamespaces ns = namespaces.get();
    return RosettaColumns.rewrite(node, names -> rosettaSource(ns, names), byName);
  }

  private java.util.Optional<RosettaColumns.Source> rosettaSource(
      CallerNamespaces ns, List<String> names) {
    if (names.size() != 2) {
      return java.util.Optional.empty();
    }
    String written = String.join(".", names);
    var rule = ns.rule(names.get(0), names.get(1));
    if (rule.isPresent()) {
      io.nql.planner.policy.RuleRef ref = rule.get().rule();
      var stored = engine.store().accessRules().version(ref.ruleId(), ref.version());
      if (stored.isEmpty()) {
        return java.util.Optional.empty();
      }
      long datasetId = stored.get().datasetId();
      var dataset = engine.warehouse().datasetById(ref.ownerCompanyId(), datasetId);
      if (dataset.isEmpty()) {
        return java.util.Optional.empty();
      }
      List<String> columns = new ArrayList<>();
      catalog.get().table(dataset.get()).schema().columns().forEach(c -> columns.add(c.name()));
      return java.util.Optional.of(
          new RosettaColumns.Source(
              written,
              RosettaColumns.passedThrough(stored.get().queryText(), columns),
              mappingExprs(datasetId)));
    }
    if (Namespaces.COMPANY_DATA.equals(names.get(0))) {
      java.util.Optional<io.nql.planner.store.Dataset> d;
      try {
        d = java.util.Optional.of(datasets.own(new SqlIdentifier(names, SqlParserPos.ZERO)));
      } catch (NqlException e) {
        return java.util.Optional.empty();
      }
      Map<String, String> identity = new java.util.HashMap<>();
      catalog
          .get()
          .table(d.get())
          .schema()
          .columns()
          .forEach(c -> identity.put(c.name(), c.name()));
      return java.util.Optional.of(
          new RosettaColumns.Source(written, identity, mappingExprs(d.get().id())));
    }
    return java.util.Optional.empty();
  }

  private List<io.nql.planner.policy.RosettaTable.MappingExpr> mappingExprs(long datasetId) {
    List<io.nql.planner.policy.RosettaTable.MappingExpr> out = new ArrayList<>();
    for (io.nql.planner.store.Mappings.Mapping m :
        engine.store().mappings().forDataset(datasetId)) {
      out.add(
          new io.nql.planner.policy.RosettaTable.MappingExpr(
              m.attribute(), m.ordinal(), m.property(), m.expression()));
    }
    return out;
  }
}
