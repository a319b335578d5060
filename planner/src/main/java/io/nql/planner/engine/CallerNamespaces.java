package io.nql.planner.engine;

import io.nql.planner.catalog.CallerSchemas;
import io.nql.planner.catalog.DatasetSource;
import io.nql.planner.catalog.Namespaces;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.policy.RosettaTable;
import io.nql.planner.policy.RuleRef;
import io.nql.planner.policy.RuleTable;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.rosetta.Attribute;
import io.nql.planner.rosetta.AttributeCatalog;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.Mappings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;

/**
 * What one caller may query, built once per statement from the metadata store: its datasets and
 * rules under {@code company_data}, the rules other companies share with it under their slugs, and
 * {@code narrative}. Nothing else is reachable, by name or through metadata calls.
 */
final class CallerNamespaces {
  private static final BigDecimal FREE = new BigDecimal("0.00");

  private final NqlEngine engine;
  private final Company caller;
  private final DatasetSource datasets;
  private final CatalogCache.State catalog;
  private final Map<Long, String> slugs = new HashMap<>();
  private final Map<String, Table> ownRules = new LinkedHashMap<>();
  private final Map<String, Map<String, Table>> shared = new LinkedHashMap<>();
  private final Map<Long, Supplier<SchemaPlus>> ownerNamespaces = new HashMap<>();

  CallerNamespaces(
      NqlEngine engine,
      Company caller,
      io.nql.planner.store.User user,
      CatalogCache.State catalog) {
    this.engine = engine;
    this.caller = caller;
    this.catalog = catalog;
    this.datasets = catalog.datasetSource();
    for (Company c : catalog.companies()) {
      slugs.put(c.id(), c.slug());
    }
    for (AccessRule r : catalog.rules(caller.id())) {
      ownRules.put(r.name(), table(r, true));
    }
    ownRules.put(LedgerTable.NAME, new LedgerTable(engine.store(), caller.id(), slugs));
    ownRules.put(AuditTable.NAME, new AuditTable(engine.store(), user, slugs));
    List<Map.Entry<RuleTable, AccessRule>> sharedRules = new ArrayList<>();
    for (AccessRule r : catalog.sharedWith(caller.id())) {
      RuleTable table = table(r, false);
      sharedRules.add(Map.entry(table, r));
      shared
          .computeIfAbsent(slugs.get(r.companyId()), s -> new LinkedHashMap<>())
          .put(r.name(), table);
    }
    addRosettaTables(sharedRules);
  }

  /**
   * The {@code rosetta_stone} tables: the caller's own datasets under {@code company_data}, each
   * sharing company's rules under its slug, every shared rule under {@code narrative}. Attributes
   * and mappings are read when a statement first uses one of them.
   */
  private void addRosettaTables(List<Map.Entry<RuleTable, AccessRule>> sharedRules) {
    Supplier<List<Attribute>> attributes =
        () -> AttributeCatalog.of(engine.store().mappings().attributes()).all();
    Map<Long, List<RosettaTable.MappingExpr>>[] memo = new Map[1];
    Supplier<Map<Long, List<RosettaTable.MappingExpr>>> mappings =
        () -> {
          if (memo[0] == null) {
            java.util.Set<Long> ids = new java.util.TreeSet<>();
            sharedRules.forEach(e -> ids.add(e.getValue().datasetId()));
            catalog.datasets(caller.id()).forEach(d -> ids.add(d.id()));
            Map<Long, List<RosettaTable.MappingExpr>> m = new HashMap<>();
            for (Mappings.Mapping x : engine.store().mappings().forDatasets(ids)) {
              m.computeIfAbsent(x.datasetId(), k -> new ArrayList<>())
                  .add(
                      new RosettaTable.MappingExpr(
                          x.attribute(), x.ordinal(), x.property(), x.expression()));
            }
            memo[0] = m;
          }
          return memo[0];
        };
    ownRules.put(
        RosettaTable.NAME,
        new RosettaTable(
            Namespaces.COMPANY_DATA + "." + RosettaTable.NAME,
            true,
            false,
            attributes,
            () -> {
              List<RosettaTable.Source> out = new ArrayList<>();
              for (Dataset d : catalog.datasets(caller.id())) {
                List<RosettaTable.MappingExpr> m = mappings.get().get(d.id());
                if (m != null) {
                  out.add(
                      new RosettaTable.Source(
                          null, d.id(), caller.id(), ownerNamespace(caller.id()), m));
                }
              }
              return out;
            }));
    Map<String, List<Map.Entry<RuleTable, AccessRule>>> bySlug = new LinkedHashMap<>();
    for (Map.Entry<RuleTable, AccessRule> e : sharedRules) {
      bySlug.computeIfAbsent(slugs.get(e.getValue().companyId()), s -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<Map.Entry<RuleTable, AccessRule>>> e : bySlug.entrySet()) {
      shared
          .get(e.getKey())
          .put(
              RosettaTable.NAME,
              new RosettaTable(
                  e.getKey() + "." + RosettaTable.NAME,
                  false,
                  false,
                  attributes,
                  () -> sources(e.getValue(), mappings.get())));
    }
    shared
        .computeIfAbsent(Namespaces.NARRATIVE, s -> new LinkedHashMap<>())
        .put(
            RosettaTable.NAME,
            new RosettaTable(
                Namespaces.NARRATIVE + "." + RosettaTable.NAME,
                false,
                false,
                attributes,
                () -> sources(sharedRules, mappings.get())));
    addBrowsingVariants();
  }

  /** Each rosetta_stone table's browsing variant, beside it (never listed by metadata calls). */
  private void addBrowsingVariants() {
    List<Map<String, Table>> schemas = new ArrayList<>(shared.values());
    schemas.add(ownRules);
    for (Map<String, Table> tables : schemas) {
      if (tables.get(RosettaTable.NAME) instanceof RosettaTable r) {
        tables.put(RosettaTable.BROWSE_NAME, r.browsing());
      }
    }
  }

  private List<RosettaTable.Source> sources(
      List<Map.Entry<RuleTable, AccessRule>> rules,
      Map<Long, List<RosettaTable.MappingExpr>> mappings) {
    List<RosettaTable.Source> out = new ArrayList<>();
    for (Map.Entry<RuleTable, AccessRule> e : rules) {
      AccessRule r = e.getValue();
      List<RosettaTable.MappingExpr> m = mappings.get(r.datasetId());
      if (m != null) {
        out.add(
            new RosettaTable.Source(
                e.getKey(), r.datasetId(), r.companyId(), ownerNamespace(r.companyId()), m));
      }
    }
    return out;
  }

  private RuleTable table(AccessRule r, boolean owned) {
    RuleRef ref =
        new RuleRef(
            r.id(),
            r.version(),
            r.companyId(),
            slugs.get(r.companyId()),
            r.name(),
            owned ? FREE : r.priceCpmUsd(),
            owned);
    return new RuleTable(
        ref, r.queryText(), ownerNamespace(r.companyId()), catalog.ruleTemplates());
  }

  private Supplier<SchemaPlus> ownerNamespace(long ownerId) {
    return ownerNamespaces.computeIfAbsent(
        ownerId,
        id -> {
          SchemaPlus[] memo = new SchemaPlus[1];
          return () -> {
            if (memo[0] == null) {
              memo[0] = CallerSchemas.forCompany(id, List.of(), datasets);
            }
            return memo[0];
          };
        });
  }

  /** The root schema statements of this caller resolve names against. */
  SchemaPlus root() {
    List<String> others = new ArrayList<>();
    for (Map.Entry<Long, String> e : slugs.entrySet()) {
      if (e.getKey() != caller.id()) {
        others.add(e.getValue());
      }
    }
    return CallerSchemas.forCaller(caller.id(), datasets, ownRules, others, shared);
  }

  /** The schemas with something the caller may query (company_data and narrative always). */
  List<String> schemas() {
    List<String> out = new ArrayList<>();
    out.add(Namespaces.COMPANY_DATA);
    TreeSet<String> others = new TreeSet<>(shared.keySet());
    others.remove(Namespaces.NARRATIVE);
    out.addAll(others);
    out.add(Namespaces.NARRATIVE);
    return out;
  }

  /** The rule or rosetta_stone table a caller reaches as {@code schema.name}, if any. */
  java.util.Optional<Table> ruleOrRosetta(String schema, String name) {
    Table t =
        Namespaces.COMPANY_DATA.equals(schema)
            ? ownRules.get(name)
            : shared.getOrDefault(schema, Map.of()).get(name);
    return t instanceof RuleTable || t instanceof RosettaTable
        ? java.util.Optional.of(t)
        : java.util.Optional.empty();
  }

  /** The rule table a caller reaches as {@code schema.name}, if any. */
  java.util.Optional<RuleTable> rule(String schema, String name) {
    Table t =
        Namespaces.COMPANY_DATA.equals(schema)
            ? ownRules.get(name)
            : shared.getOrDefault(schema, Map.of()).get(name);
    return t instanceof RuleTable rule ? java.util.Optional.of(rule) : java.util.Optional.empty();
  }

  /** The caller's rules and the rules shared with it, as metadata calls list them. */
  List<VisibleTable> ruleTables() {
    RelDataTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    List<VisibleTable> out = new ArrayList<>();
    for (Map.Entry<String, Table> e : ownRules.entrySet()) {
      if (e.getKey().equals(RosettaTable.BROWSE_NAME)) {
        continue;
      }
      if (e.getValue() instanceof RuleTable rule) {
        out.add(visible(Namespaces.COMPANY_DATA, e.getKey(), rule, typeFactory));
      } else if (e.getValue() instanceof RosettaTable rosetta) {
        out.add(rosettaTable(Namespaces.COMPANY_DATA, rosetta, typeFactory));
      } else {
        RelDataType row = e.getValue().getRowType(typeFactory);
        List<ResultColumn> columns = new ArrayList<>();
        for (RelDataTypeField f : row.getFieldList()) {
          columns.add(DatasetTypes.column(f.getName(), f.getType()));
        }
        out.add(
            new VisibleTable(
                Namespaces.COMPANY_DATA,
                e.getKey(),
                "SYSTEM TABLE",
                e.getValue() instanceof AuditTable
                    ? "the audit log (read-only)"
                    : "the ledger (read-only)",
                columns));
      }
    }
    for (Map.Entry<String, Map<String, Table>> schema : shared.entrySet()) {
      for (Map.Entry<String, Table> e : schema.getValue().entrySet()) {
        if (e.getKey().equals(RosettaTable.BROWSE_NAME)) {
          continue;
        }
        if (e.getValue() instanceof RosettaTable rosetta) {
          out.add(rosettaTable(schema.getKey(), rosetta, typeFactory));
        } else {
          out.add(visible(schema.getKey(), e.getKey(), (RuleTable) e.getValue(), typeFactory));
        }
      }
    }
    return out;
  }

  private static VisibleTable rosettaTable(
      String schema, RosettaTable table, RelDataTypeFactory typeFactory) {
    List<ResultColumn> columns = new ArrayList<>();
    for (RelDataTypeField f : table.getRowType(typeFactory).getFieldList()) {
      columns.add(DatasetTypes.column(f.getName(), f.getType()));
    }
    return new VisibleTable(
        schema,
        RosettaTable.NAME,
        "VIEW",
        "Rosetta Stone: standardized attributes over every source you may read",
        columns);
  }

  private static VisibleTable visible(
      String schema, String name, RuleTable table, RelDataTypeFactory typeFactory) {
    List<ResultColumn> columns = new ArrayList<>();
    try {
      RelDataType row = table.getRowType(typeFactory);
      for (RelDataTypeField f : row.getFieldList()) {
        columns.add(DatasetTypes.column(f.getName(), f.getType()));
      }
    } catch (io.nql.planner.error.NqlException e) {
      // A rule that no longer matches its dataset is listed without columns.
    }
    return new VisibleTable(schema, name, "VIEW", "access rule", columns);
  }
}
