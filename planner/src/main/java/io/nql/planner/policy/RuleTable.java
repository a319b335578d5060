package io.nql.planner.policy;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.DatasetScan;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.IncrementalTable;
import io.nql.planner.iceberg.RowIds;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.plan.NqlTypeSystem;
import io.nql.planner.plan.RowCap;
import io.nql.planner.plan.SqlToRel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.ViewExpanders;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An access rule as a table in a caller's namespace. Its columns are the rule's select list plus
 * the {@link PseudoColumns pseudo-columns}; a scan of it is only a placeholder, which {@link
 * PolicyRewriter} replaces with {@link #restrictedPlan}. The rule's query is validated and
 * converted in its owner's namespace, never the caller's.
 */
public final class RuleTable extends AbstractTable implements IncrementalTable {
  private final RuleRef rule;
  private final String queryText;
  private final Supplier<SchemaPlus> ownerNamespace;
  private final @Nullable RuleTemplates templates;
  private final @Nullable DeltaRead delta;
  private final @Nullable String deltaName;
  private RelDataType rowType;
  private RelDataTypeFactory rowTypeFactory;
  private SqlToRel.Validated validated;
  private RelDataTypeFactory validatedWith;

  /**
   * @param rule the rule version and the caller's price
   * @param queryText the rule's query, as stored
   * @param ownerNamespace the owner's root schema (its datasets under {@code company_data})
   */
  public RuleTable(RuleRef rule, String queryText, Supplier<SchemaPlus> ownerNamespace) {
    this(rule, queryText, ownerNamespace, null);
  }

  /**
   * A rule table whose query is validated and converted once per rule version in {@code templates}
   * (the catalog state's), not once per statement.
   */
  public RuleTable(
      RuleRef rule,
      String queryText,
      Supplier<SchemaPlus> ownerNamespace,
      @Nullable RuleTemplates templates) {
    this(rule, queryText, ownerNamespace, templates, null, null);
  }

  private RuleTable(
      RuleRef rule,
      String queryText,
      Supplier<SchemaPlus> ownerNamespace,
      @Nullable RuleTemplates templates,
      @Nullable DeltaRead delta,
      @Nullable String deltaName) {
    this.rule = rule;
    this.queryText = queryText;
    this.ownerNamespace = ownerNamespace;
    this.templates = templates;
    this.delta = delta;
    this.deltaName = deltaName;
  }

  /**
   * This rule read incrementally ({@code DELTA} in a materialized view's query): its dataset scan
   * reads only the rows added since the view's last run ({@link DeltaRead}), below the rule's
   * filter, barrier and meter, so the rule keeps, hides and charges exactly as on a full read.
   *
   * @param name the rule as the caller names it ({@code acme.orders}), in errors
   */
  @Override
  public RuleTable incremental(DeltaRead read, String name) {
    return new RuleTable(rule, queryText, ownerNamespace, templates, read, name);
  }

  /** The rule this table reads through. */
  public RuleRef rule() {
    return rule;
  }

  @Override
  public synchronized RelDataType getRowType(RelDataTypeFactory typeFactory) {
    if (rowType == null || rowTypeFactory != typeFactory) {
      RuleTemplates.Template t = template();
      RelDataType ruleType;
      if (t != null) {
        ruleType = t.ruleType();
      } else {
        SqlToRel.Validated v = validate((JavaTypeFactory) typeFactory);
        ruleType = v.validator().getValidatedNodeType(v.node());
      }
      RelDataTypeFactory.Builder b = typeFactory.builder();
      for (RelDataTypeField f : ruleType.getFieldList()) {
        b.add(f.getName(), typeFactory.copyType(f.getType()));
      }
      for (String name : PseudoColumns.ALL) {
        b.add(name, pseudoType(typeFactory, name));
      }
      rowType = b.build();
      rowTypeFactory = typeFactory;
    }
    return rowType;
  }

  private static RelDataType pseudoType(RelDataTypeFactory f, String name) {
    return name.equals(PseudoColumns.PRICE_CPM_USD)
        ? f.createSqlType(
            SqlTypeName.DECIMAL, PseudoColumns.PRICE_PRECISION, PseudoColumns.PRICE_SCALE)
        : f.createSqlType(SqlTypeName.BIGINT);
  }

  /**
   * The rule's query validated in its owner's namespace, once per type factory (a statement's): the
   * caller's validation asks for the row type and the policy rewrite for the plan, in one
   * statement.
   */
  private synchronized SqlToRel.Validated validate(JavaTypeFactory typeFactory) {
    if (validated == null || validatedWith != typeFactory) {
      SqlNode query = NqlParser.parse(queryText);
      try {
        validated = SqlToRel.validate(query, ownerNamespace.get(), typeFactory);
      } catch (NqlException e) {
        throw unavailable(e);
      }
      validatedWith = typeFactory;
    }
    return validated;
  }

  /** The rule version's template, built on first use in the catalog state; null without one. */
  private RuleTemplates.@Nullable Template template() {
    return templates == null ? null : templates.get(rule.ruleId(), rule.version(), this::build);
  }

  /**
   * The rule's query validated and converted in a type factory and cluster of its own. The plan is
   * kept only when {@link #copyable}: otherwise each statement converts the rule itself.
   */
  private RuleTemplates.Template build() {
    JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    SqlNode query = NqlParser.parse(queryText);
    SqlToRel.Validated v;
    try {
      v = SqlToRel.validate(query, ownerNamespace.get(), typeFactory);
    } catch (NqlException e) {
      throw unavailable(e);
    }
    RelDataType ruleType = v.validator().getValidatedNodeType(v.node());
    RelOptCluster cluster =
        RelOptCluster.create(
            new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
    RelNode plan = convert(cluster, v).project();
    return new RuleTemplates.Template(ruleType, copyable(plan) ? plan : null);
  }

  /**
   * Whether a converted rule plan can be copied into another cluster as it is: logical projections
   * and filters over one dataset scan, whose expressions refer to nothing outside their input (no
   * sub-query, correlation, parameter or window). Anything else is left to the statement, which
   * converts it in its own cluster and checks it as it always did ({@link #rowLocal}).
   */
  private static boolean copyable(RelNode plan) {
    if (plan instanceof DatasetScan) {
      return true;
    }
    List<RexNode> exprs;
    if (plan instanceof LogicalFilter f && f.getVariablesSet().isEmpty()) {
      exprs = List.of(f.getCondition());
    } else if (plan instanceof LogicalProject p && p.getVariablesSet().isEmpty()) {
      exprs = p.getProjects();
    } else {
      return false;
    }
    for (RexNode e : exprs) {
      if (!selfContained(e)) {
        return false;
      }
    }
    return copyable(plan.getInput(0));
  }

  private static boolean selfContained(RexNode e) {
    try {
      e.accept(
          new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitSubQuery(RexSubQuery subQuery) {
              throw Util.FoundOne.NULL;
            }

            @Override
            public Void visitCorrelVariable(RexCorrelVariable v) {
              throw Util.FoundOne.NULL;
            }

            @Override
            public Void visitDynamicParam(RexDynamicParam p) {
              throw Util.FoundOne.NULL;
            }

            @Override
            public Void visitOver(RexOver over) {
              throw Util.FoundOne.NULL;
            }
          });
      return true;
    } catch (Util.FoundOne found) {
      return false;
    }
  }

  /**
   * A copy of a template's plan in {@code cluster}: a new scan of the same table there, the same
   * filters and projections above it, as {@link #rowLocal} builds them from a plan of the
   * statement's own.
   */
  private RelNode copy(RelNode plan, RelOptCluster cluster, boolean rowIds) {
    if (plan instanceof DatasetScan scan) {
      RelNode fresh = scan.getTable().toRel(ViewExpanders.simpleContext(cluster));
      if (!(fresh instanceof DatasetScan freshScan)) {
        throw unavailable(null);
      }
      return servingScan(freshScan, rowIds).rel();
    }
    RelNode input = copy(plan.getInput(0), cluster, rowIds);
    if (plan instanceof LogicalFilter f) {
      return LogicalFilter.create(input, f.getCondition());
    }
    return project(input, (Project) plan, rowIds);
  }

  private NqlException unavailable(Throwable cause) {
    // The rule's text and its dataset are the provider's: say only that the rule is unusable.
    return new NqlException(
        ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
        "Cannot read "
            + rule.qualifiedName()
            + ": the access rule no longer matches its dataset; its provider must publish it again",
        cause);
  }

  /**
   * The rule's restricted plan for a scan of this table: the dataset scan, the rule's filter and
   * projection, the pseudo-columns, behind a {@link RuleBarrier} and under a {@link RuleMeter}.
   *
   * @param rowIds whether the plan carries each row's id up to the meter (as a last column the
   *     meter consumes), so that a row delivered twice in the statement is charged once
   */
  public RelNode restrictedPlan(RelOptCluster cluster, boolean rowIds) {
    JavaTypeFactory typeFactory = (JavaTypeFactory) cluster.getTypeFactory();
    RuleTemplates.Template template = template();
    RelNode local =
        template != null && template.plan() != null
            ? copy(template.plan(), cluster, rowIds)
            : rowLocal(convert(cluster, validate(typeFactory)).project(), rowIds);
    RelDataType tableType = getRowType(typeFactory);
    RexBuilder rex = cluster.getRexBuilder();
    RelBuilder b = RelBuilder.proto(Contexts.empty()).create(cluster, null);
    b.push(local);
    List<RexNode> exprs = new ArrayList<>(b.fields());
    RexNode rowId = rowIds ? exprs.remove(exprs.size() - 1) : null;
    exprs.add(
        rex.makeExactLiteral(rule.priceCpmUsd(), typeOf(tableType, PseudoColumns.PRICE_CPM_USD)));
    exprs.add(
        rex.makeExactLiteral(
            java.math.BigDecimal.valueOf(rule.ownerCompanyId()),
            typeOf(tableType, PseudoColumns.SOURCE_COMPANY_ID)));
    exprs.add(
        rex.makeExactLiteral(
            java.math.BigDecimal.valueOf(rule.ruleId()),
            typeOf(tableType, PseudoColumns.ACCESS_RULE_ID)));
    List<RexNode> typed = new ArrayList<>(exprs.size());
    List<RelDataTypeField> fields = tableType.getFieldList();
    if (fields.size() != exprs.size()) {
      throw unavailable(null);
    }
    for (int i = 0; i < exprs.size(); i++) {
      typed.add(rex.ensureType(fields.get(i).getType(), exprs.get(i), true));
    }
    List<String> names = new ArrayList<>(tableType.getFieldNames());
    if (rowId != null) {
      typed.add(rowId);
      names.add(RowIds.COLUMN);
    }
    RelNode restricted = b.project(typed, names, true).build();
    return RuleMeter.Logical.create(
        RuleBarrier.Logical.create(restricted, rule), rule, RowCap.NONE, rowIds);
  }

  /** The rule's owner's namespace, where the rule and mappings of its dataset are compiled. */
  public Supplier<SchemaPlus> ownerNamespace() {
    return ownerNamespace;
  }

  /**
   * The rule's plan flattened over its dataset scan: which rows it keeps and its columns, as
   * expressions of the dataset row (without pseudo-columns). The scan is not yet marked as serving
   * the rule: a caller that builds a plan from it must use {@link #servingScan}.
   */
  public RowShape shape(RelOptCluster cluster) {
    RelRoot root = convert(cluster, validate((JavaTypeFactory) cluster.getTypeFactory()));
    return RowShape.of(root.project()).orElseThrow(() -> unavailable(null));
  }

  /** The rule's validated query as a plan in {@code cluster}. */
  private RelRoot convert(RelOptCluster cluster, SqlToRel.Validated v) {
    try {
      return SqlToRel.converter(v, cluster).convertQuery(v.node(), false, true);
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }

  /** A dataset scan of this rule's shape marked as serving this rule, with row ids or not. */
  public DatasetScan servingScan(DatasetScan scan, boolean rowIds) {
    DatasetScan served = scan.withPurpose("rule " + rule.ruleId() + " v" + rule.version());
    if (delta != null) {
      served = served.withDelta(delta, deltaName);
    }
    return rowIds ? served.withRowIds() : served;
  }

  /**
   * The restricted plan with its dataset scan marked as serving this rule, after checking that it
   * is row-local: projections without window functions and filters over one scan. Each rule row is
   * then one dataset row, so the buyer's leak-proof filters may move below the barrier and a
   * buyer's LIMIT caps the rows read. Creation refuses any other shape; a stored rule of another
   * shape (written by an older version) is refused here, failing closed.
   */
  private RelNode rowLocal(RelNode plan, boolean rowIds) {
    if (plan instanceof DatasetScan scan) {
      return servingScan(scan, rowIds).rel();
    }
    if (plan.getInputs().size() != 1) {
      throw unavailable(null);
    }
    RelNode input = rowLocal(plan.getInput(0), rowIds);
    if (plan instanceof Filter f && !RexOver.containsOver(f.getCondition())) {
      return f.copy(f.getTraitSet(), input, f.getCondition());
    }
    if (plan instanceof Project p && !RexOver.containsOver(p.getProjects(), null)) {
      return project(input, p, rowIds);
    }
    throw unavailable(null);
  }

  /** {@code p}'s projection over {@code input}, passing the row id through when there is one. */
  private static RelNode project(RelNode input, Project p, boolean rowIds) {
    List<RexNode> exprs = new ArrayList<>(p.getProjects());
    List<String> names = new ArrayList<>(p.getRowType().getFieldNames());
    if (rowIds) { // pass the row id through, as the last column
      exprs.add(RexInputRef.of(input.getRowType().getFieldCount() - 1, input.getRowType()));
      names.add(RowIds.COLUMN);
    }
    return RelBuilder.proto(Contexts.empty())
        .create(input.getCluster(), null)
        .push(input)
        .project(exprs, names, true)
        .build();
  }

  private static RelDataType typeOf(RelDataType row, String field) {
    return row.getField(field, true, false).getType();
  }
}
