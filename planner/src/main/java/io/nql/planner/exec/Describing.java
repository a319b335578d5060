package io.nql.planner.exec;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.plan.HepPlanners;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.plan.SqlToRel;
import io.nql.planner.plan.SqlToRel.Validated;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.CancelFlag;

/**
 * The front half of planning, for statements that are described or forecast rather than run: a
 * query's result columns and parameter types (validation only), and its logical plan before the
 * policy rewrite. Nothing is optimized, compiled or read.
 */
public final class Describing {
  private Describing() {}

  /**
   * The result columns and parameter types of a query, from validation only (nothing is planned or
   * read).
   *
   * @throws NqlException as for {@link QueryExecutor#execute(SqlNode, SchemaPlus, ScanMetrics)}
   */
  public static QueryShape describe(SqlNode query, SchemaPlus rootSchema) {
    if (query.getKind() == SqlKind.EXPLAIN) {
      return new QueryShape(
          List.of(new ResultColumn("PLAN", java.sql.Types.VARCHAR, "VARCHAR", 0, 0, false)),
          List.of());
    }
    // the same type system as execution: a prepared statement's columns are the result's columns
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    Validated v = SqlToRel.validate(query, rootSchema, typeFactory);
    List<ResultColumn> columns = new ArrayList<>();
    for (RelDataTypeField f : v.validator().getValidatedNodeType(v.node()).getFieldList()) {
      columns.add(JdbcTypes.column(f.getName(), f.getType()));
    }
    List<ResultColumn> params = new ArrayList<>();
    for (RelDataTypeField f : v.validator().getParameterRowType(v.node()).getFieldList()) {
      params.add(JdbcTypes.column(f.getName(), f.getType()));
    }
    return new QueryShape(columns, params);
  }

  /**
   * A query's logical plan before the policy rewrite and before optimization, with its result
   * columns: what forecasts estimate from ({@code EXPLAIN <query>}). Rule scans are still the
   * placeholders of their rule tables; nothing is compiled or read.
   */
  public record Logical(RelNode rel, List<ResultColumn> columns, int parameters) {}

  /**
   * Validates and converts a query, removes its sub-queries and decorrelates it (the front half of
   * planning, without the policy rewrite).
   *
   * @throws NqlException as for {@link QueryExecutor#execute(SqlNode, SchemaPlus, ScanMetrics)}
   */
  public static Logical logical(SqlNode query, SchemaPlus rootSchema) {
    if (!query.isA(SqlKind.QUERY)) {
      throw NqlException.of(
          io.nql.planner.error.ErrorCode.NOT_SUPPORTED,
          "Cannot forecast statement: %s is not a query",
          query.getKind());
    }
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    Validated v = SqlToRel.validate(query, rootSchema, typeFactory);
    AtomicBoolean cancel = new AtomicBoolean();
    HepPlanner planner = new HepPlanner(new HepProgramBuilder().build());
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
    try {
      RelRoot root = SqlToRel.converter(v, cluster).convertQuery(v.node(), false, true);
      RelNode logical = removeSubQueries(root.project(), cancel);
      RelBuilder relBuilder =
          RelBuilder.proto(cluster.getPlanner().getContext()).create(cluster, v.catalogReader());
      logical = RelDecorrelator.decorrelateQuery(logical, relBuilder);
      List<ResultColumn> columns = new ArrayList<>();
      List<RelDataTypeField> fields = root.validatedRowType.getFieldList();
      for (RelDataTypeField f : fields) {
        columns.add(JdbcTypes.column(f.getName(), f.getType()));
      }
      return new Logical(
          logical, columns, v.validator().getParameterRowType(v.node()).getFieldCount());
    } catch (RuntimeException | AssertionError e) {
      throw CancelChecks.whilePlanning(cancel, e);
    }
  }

  /**
   * The plan with its sub-queries turned into correlates (one collection of rules, applied until
   * none matches).
   */
  static RelNode removeSubQueries(RelNode rel, AtomicBoolean cancel) {
    HepProgramBuilder program = new HepProgramBuilder();
    // One collection, applied until none matches: removing a sub-query from a projection can
    // bring a sub-query nested in it into a filter, which the filter rule must then see too.
    program.addRuleCollection(
        List.of(
            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE));
    return HepPlanners.run(program.build(), Contexts.of(new CancelFlag(cancel)), rel);
  }
}
