package io.nql.planner.engine;

import io.nql.planner.parser.SqlDescribeDataset;
import io.nql.planner.parser.SqlShowAccessRules;
import io.nql.planner.parser.SqlShowAttributes;
import io.nql.planner.parser.SqlShowDatasets;
import io.nql.planner.parser.SqlShowMappings;
import io.nql.planner.parser.SqlShowPlanCache;
import io.nql.planner.parser.SqlSuggestMappings;
import java.util.List;
import org.apache.calcite.sql.SqlNode;

/**
 * The description of a statement other than a query: statements that answer with rows of a fixed
 * shape (SHOW, DESCRIBE, SUGGEST, EXPORT) are described as queries, so that clients that prepare
 * everything (the Flight SQL JDBC driver, ADBC) read their rows; any other statement returns an
 * update count.
 */
final class FixedShapes {
  private FixedShapes() {}

  static PreparedInfo of(SqlNode node) {
    if (node instanceof SqlShowDatasets) {
      return new PreparedInfo(true, DatasetStatements.SHOW_COLUMNS, List.of());
    }
    if (node instanceof SqlDescribeDataset) {
      return new PreparedInfo(true, DatasetStatements.DESCRIBE_COLUMNS, List.of());
    }
    if (node instanceof SqlShowAccessRules) {
      return new PreparedInfo(true, RuleStatements.SHOW_COLUMNS, List.of());
    }
    if (node instanceof SqlShowMappings) {
      return new PreparedInfo(true, MappingStatements.MAPPING_COLUMNS, List.of());
    }
    if (node instanceof SqlShowAttributes) {
      return new PreparedInfo(true, AttributeStatements.ATTRIBUTE_COLUMNS, List.of());
    }
    if (node instanceof SqlShowPlanCache) {
      return new PreparedInfo(true, AdminStatements.PLAN_CACHE_COLUMNS, List.of());
    }
    if (node instanceof io.nql.planner.parser.SqlShowMaterializedViews) {
      return new PreparedInfo(true, ViewStatements.SHOW_COLUMNS, List.of());
    }
    if (node instanceof io.nql.planner.parser.SqlExport) {
      return new PreparedInfo(true, ExportStatements.COLUMNS, List.of());
    }
    if (node instanceof io.nql.planner.parser.SqlShowDataPlanes) {
      return new PreparedInfo(true, PlaneStatements.SHOW_COLUMNS, List.of());
    }
    if (node instanceof io.nql.planner.parser.SqlShowSecrets) {
      return new PreparedInfo(true, ConnectorStatements.SHOW_COLUMNS, List.of());
    }
    if (node instanceof SqlSuggestMappings) {
      return new PreparedInfo(true, MappingStatements.SUGGEST_COLUMNS, List.of());
    }
    if (MaintenanceStatements.handles(node)) {
      return MaintenanceStatements.shape(node);
    }
    return new PreparedInfo(false, List.of(), List.of());
  }
}
