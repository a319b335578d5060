package io.nql.planner.engine;

import io.nql.planner.parser.SqlCreateAccessRule;
import io.nql.planner.parser.SqlCreateAttribute;
import io.nql.planner.parser.SqlCreateCompany;
import io.nql.planner.parser.SqlCreateDataset;
import io.nql.planner.parser.SqlCreateMapping;
import io.nql.planner.parser.SqlCreateUser;
import io.nql.planner.parser.SqlDescribeDataset;
import io.nql.planner.parser.SqlDropAccessRule;
import io.nql.planner.parser.SqlDropAttribute;
import io.nql.planner.parser.SqlDropDataset;
import io.nql.planner.parser.SqlDropMapping;
import io.nql.planner.parser.SqlDropUser;
import io.nql.planner.parser.SqlShowAccessRules;
import io.nql.planner.parser.SqlShowAttributes;
import io.nql.planner.parser.SqlShowDatasets;
import io.nql.planner.parser.SqlShowMappings;
import io.nql.planner.parser.SqlShowPlanCache;
import io.nql.planner.parser.SqlSuggestMappings;
import io.nql.planner.store.User;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The statements of a session that define and show objects — companies and users, datasets, access
 * rules, Rosetta Stone attributes and mappings, the plan cache — each routed to the class that runs
 * it. Loads, queries, views and changes of rows are routed by {@link EngineSession}.
 */
final class DefinitionStatements {
  private final EngineSession session;
  private final NqlEngine engine;
  private final User user;
  private final DatasetStatements datasets;
  private final AdminStatements admin;
  private final RuleStatements rules;
  private final MappingStatements mappings;
  private final AttributeStatements attributes;

  DefinitionStatements(
      EngineSession session,
      NqlEngine engine,
      User user,
      io.nql.planner.store.Company company,
      DatasetStatements datasets) {
    this.session = session;
    this.engine = engine;
    this.user = user;
    this.datasets = datasets;
    this.admin = new AdminStatements(engine.store(), user);
    this.rules = new RuleStatements(engine, company);
    this.mappings = new MappingStatements(engine, company, datasets);
    this.attributes = new AttributeStatements(engine);
  }

  /** Runs a definition statement; null when {@code node} is none of them. */
  @Nullable StatementResult run(String statementId, SqlNode node) {
    if (node instanceof SqlCreateCompany n) {
      return admin.createCompany(statementId, n);
    }
    if (node instanceof SqlCreateUser n) {
      return admin.createUser(statementId, n);
    }
    if (node instanceof SqlDropUser n) {
      return admin.dropUser(statementId, n);
    }
    if (node instanceof SqlCreateDataset n) {
      return datasets.create(statementId, n);
    }
    if (node instanceof SqlDropDataset n) {
      return datasets.drop(statementId, n);
    }
    if (node instanceof SqlShowDatasets) {
      return datasets.show(statementId);
    }
    if (node instanceof SqlDescribeDataset n) {
      SqlIdentifier table = n.getTable();
      if (table.names.size() == 2) {
        var rule = session.namespaces().ruleOrRosetta(table.names.get(0), table.names.get(1));
        if (rule.isPresent()) {
          return datasets.describeRule(statementId, rule.get(), n);
        }
      }
      return datasets.describe(statementId, n);
    }
    if (node instanceof SqlCreateAccessRule n) {
      return rules.create(statementId, n, session);
    }
    if (node instanceof SqlDropAccessRule n) {
      return rules.drop(statementId, n);
    }
    if (node instanceof SqlShowAccessRules) {
      return rules.show(statementId);
    }
    if (node instanceof SqlCreateAttribute n) {
      return attributes.createAttribute(statementId, n, user.admin());
    }
    if (node instanceof SqlDropAttribute n) {
      return attributes.dropAttribute(statementId, n, user.admin());
    }
    if (node instanceof SqlShowAttributes) {
      return attributes.showAttributes(statementId);
    }
    if (node instanceof SqlCreateMapping n) {
      return mappings.create(statementId, n);
    }
    if (node instanceof SqlDropMapping n) {
      return mappings.drop(statementId, n);
    }
    if (node instanceof SqlShowMappings n) {
      return mappings.showMappings(statementId, n);
    }
    if (node instanceof SqlSuggestMappings n) {
      return mappings.suggest(statementId, n);
    }
    if (node instanceof io.nql.planner.parser.SqlAnalyzeDataset n) {
      engine.statistics().analyze(datasets.own(n.dataset()));
      engine.dataChanged();
      return StatementResults.count(statementId, 0);
    }
    if (node instanceof SqlShowPlanCache) {
      return admin.showPlanCache(statementId, engine.executor().planCacheStats());
    }
    return null;
  }
}
