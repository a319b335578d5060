package io.nql.planner.vector;

import io.nql.planner.exec.CancelChecks;
import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.iceberg.IcebergTableScan;
import io.nql.planner.iceberg.IcebergTypes;
import io.nql.planner.iceberg.ScanMetrics;
import io.nql.planner.plan.RowCap;
import io.nql.planner.policy.Deliveries;
import io.nql.planner.policy.RuleBarrier;
import io.nql.planner.policy.RuleMeter;
import io.nql.planner.policy.RuleRef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A physical plan the vector path runs: {@code [Limit] ← Calc* ← [RuleMeter ← RuleBarrier] ← Calc*
 * ← IcebergTableScan}, where every Calc compiles (see {@link ExprCompiler}), the Calcs above the
 * meter (or above the limit) only project, and every column type has a vector. Decided once per
 * statement, before anything runs; any other plan runs on the row engine.
 */
public final class VectorPlan {
  final Table table;
  final List<Types.NestedField> fields;
  final List<RelDataType> scanTypes;
  final org.apache.iceberg.expressions.@Nullable Expression filter;

  /** Applied to every scanned batch, bottom up: the Calcs below the meter (or the limit). */
  final List<VectorCalc> lower;

  /** Applied after, bottom up: projections only, one row out for each row in. */
  final List<VectorCalc> upper;

  final @Nullable RuleRef rule;
  final RowCap meterCap;
  final long offset;
  final long fetch;

  private VectorPlan(
      Table table,
      List<Types.NestedField> fields,
      List<RelDataType> scanTypes,
      org.apache.iceberg.expressions.@Nullable Expression filter,
      List<VectorCalc> lower,
      List<VectorCalc> upper,
      @Nullable RuleRef rule,
      RowCap meterCap,
      long offset,
      long fetch) {
    this.table = table;
    this.fields = fields;
    this.scanTypes = scanTypes;
    this.filter = filter;
    this.lower = lower;
    this.upper = upper;
    this.rule = rule;
    this.meterCap = meterCap;
    this.offset = offset;
    this.fetch = fetch;
  }

  /** The vector form of an optimized plan, or null when the row engine must run it. */
  public static @Nullable VectorPlan of(RelNode root) {
    try {
      return compile(root);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static VectorPlan compile(RelNode root) {
    for (RelDataTypeField f : root.getRowType().getFieldList()) {
      if (!VectorTypes.supported(f.getType())) {
        throw new UnsupportedOperationException("result type " + f.getType());
      }
    }
    // top-down: calcs (top first), an optional limit, an optional meter
    List<Calc> calcs = new ArrayList<>();
    int calcsAboveLimit = -1;
    int calcsAboveMeter = -1;
    long offset = 0;
    long fetch = -1;
    RuleMeter meter = null;
    RelNode node = root;
    while (!(node instanceof IcebergTableScan)) {
      if (node instanceof Calc calc) {
        calcs.add(calc);
      } else if (node instanceof EnumerableLimit limit && calcsAboveLimit < 0 && meter == null) {
        calcsAboveLimit = calcs.size();
        offset = literal(limit.offset, 0);
        fetch = literal(limit.fetch, -1);
      } else if (node instanceof RuleMeter m && meter == null) {
        meter = m;
        calcsAboveMeter = calcs.size();
      } else if (node instanceof RuleBarrier && meter != null) {
        // rows pass through; the rule's filter is in the Calcs below
      } else {
        throw new UnsupportedOperationException("operator " + node.getRelTypeName());
      }
      if (node.getInputs().size() != 1) {
        throw new UnsupportedOperationException("operator " + node.getRelTypeName());
      }
      node = node.getInput(0);
    }
    IcebergTableScan scan = (IcebergTableScan) node;
    if (scan.hasRowIds()) {
      throw new UnsupportedOperationException("scan with row ids");
    }
    int split = meter != null ? calcsAboveMeter : Math.max(calcsAboveLimit, 0);
    List<VectorCalc> upper = new ArrayList<>();
    List<VectorCalc> lower = new ArrayList<>();
    for (int i = calcs.size() - 1; i >= 0; i--) {
      VectorCalc c = VectorCalc.compile(calcs.get(i));
      if (i < split) {
        if (!c.isProjection()) {
          throw new UnsupportedOperationException("filter above a meter or limit");
        }
        upper.add(c);
      } else {
        lower.add(c);
      }
    }
    IcebergTable icebergTable = scan.getTable().unwrap(IcebergTable.class);
    if (icebergTable == null) {
      throw new UnsupportedOperationException("not an Iceberg table");
    }
    List<Types.NestedField> fields = scan.outputFields();
    if (fields.isEmpty()) {
      throw new UnsupportedOperationException("scan without columns");
    }
    List<RelDataType> types = new ArrayList<>();
    List<RelDataTypeField> scanFields = scan.getRowType().getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      Types.NestedField f = fields.get(i);
      RelDataType t = scanFields.get(i).getType();
      if (!f.type().isPrimitiveType()
          || !IcebergTypes.isReadable(f.type())
          || !VectorTypes.supported(t)
          || f.initialDefault() != null) {
        throw new UnsupportedOperationException("column " + f);
      }
      types.add(t);
    }
    return new VectorPlan(
        icebergTable.icebergTable(),
        List.copyOf(fields),
        List.copyOf(types),
        scan.filter(),
        List.copyOf(lower),
        List.copyOf(upper),
        meter == null ? null : meter.rule(),
        meter == null ? RowCap.NONE : meter.maxRows(),
        offset,
        fetch);
  }

  private static long literal(@Nullable RexNode n, long absent) {
    if (n == null) {
      return absent;
    }
    if (n instanceof RexLiteral lit && lit.getValue() instanceof BigDecimal d) {
      return d.longValueExact();
    }
    throw new UnsupportedOperationException("limit " + n);
  }

  /**
   * Starts the statement's run: declares the rule to the statement's deliveries (as the row
   * engine's meter does); nothing is read until the cursor is used.
   *
   * @throws IllegalStateException if the plan reads a rule and the context has no deliveries
   */
  public VectorCursor open(DataContext context, List<RelDataType> resultTypes) {
    Object m = context.get(ScanMetrics.CONTEXT_KEY);
    ScanMetrics metrics = m instanceof ScanMetrics sm ? sm : new ScanMetrics();
    Deliveries deliveries = null;
    if (rule != null) {
      deliveries = (Deliveries) context.get(Deliveries.CONTEXT_KEY);
      if (deliveries == null) {
        throw new IllegalStateException(
            "rule "
                + rule.ruleId()
                + " read without the statement's deliveries; refusing to deliver");
      }
      deliveries.register(rule.ruleId(), rule.version(), rule.ownerCompanyId(), rule.priceCpmUsd());
    }
    return new VectorCursor(
        this,
        metrics,
        deliveries,
        resultTypes,
        meterCap.resolve(context),
        CancelChecks.flag(context));
  }
}
