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
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A physical plan the vector path runs: {@code [Limit] ← Calc* ← [RuleMeter ← RuleBarrier] ← Calc*
 * ← IcebergTableScan}, where every Calc compiles (see {@link ExprCompiler}), the Calcs above the
 * meter (or above the limit) only project, and every column type has a vector. Decided once per
 * statement, before anything runs; any other plan runs on the row engine.
 *
 * <p>{@code ?} parameters may appear in the Calcs, in the scan's pushed filter and in LIMIT and
 * OFFSET. {@link #of} checks the shape with the parameters unknown; {@link #bind} then gives the
 * plan of one execution, with the values the statement's DataContext holds ({@code ?0}, {@code ?1},
 * …), compiled as constants.
 */
public final class VectorPlan {
  final Table table;
  final List<Types.NestedField> fields;
  final List<RelDataType> scanTypes;

  /** The scan columns the Calcs read (all when null): the others need not be decoded. */
  final boolean @Nullable [] scanReads;

  /** The scan's pushed filter (for skipping only), with parameter values once bound. */
  final org.apache.iceberg.expressions.@Nullable Expression filter;

  /** Applied to every scanned batch, bottom up: the Calcs below the meter (or the limit). */
  final List<VectorCalc> lower;

  /** Applied after, bottom up: projections only, one row out for each row in. */
  final List<VectorCalc> upper;

  final @Nullable RuleRef rule;
  final RowCap meterCap;
  final long offset;
  final long fetch;

  /** What {@link #bind} needs; null once bound or when the plan has no parameters. */
  private final @Nullable Unbound unbound;

  /** The parts of the plan that depend on parameter values. */
  private record Unbound(
      IcebergTableScan scan,
      List<Calc> lower,
      List<Calc> upper,
      List<boolean[]> lowerUsed,
      List<boolean[]> upperUsed,
      RowCap offset,
      RowCap fetch) {}

  private VectorPlan(
      Table table,
      List<Types.NestedField> fields,
      List<RelDataType> scanTypes,
      boolean @Nullable [] scanReads,
      org.apache.iceberg.expressions.@Nullable Expression filter,
      List<VectorCalc> lower,
      List<VectorCalc> upper,
      @Nullable RuleRef rule,
      RowCap meterCap,
      long offset,
      long fetch,
      @Nullable Unbound unbound) {
    this.table = table;
    this.fields = fields;
    this.scanTypes = scanTypes;
    this.scanReads = scanReads;
    this.filter = filter;
    this.lower = lower;
    this.upper = upper;
    this.rule = rule;
    this.meterCap = meterCap;
    this.offset = offset;
    this.fetch = fetch;
    this.unbound = unbound;
  }

  /** The vector form of an optimized plan, or null when the row engine must run it. */
  public static @Nullable VectorPlan of(RelNode root) {
    return of(root, null);
  }

  /**
   * The vector form of a plan whose consumer reads only the result columns {@code used} (all when
   * null): the columns nothing reads are neither computed nor copied on the way (they are null in
   * the batches); or null when the row engine must run it.
   */
  static @Nullable VectorPlan of(RelNode root, boolean @Nullable [] used) {
    try {
      return compile(root, used);
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static VectorPlan compile(RelNode root, boolean @Nullable [] rootUsed) {
    for (RelDataTypeField f : root.getRowType().getFieldList()) {
      if (!VectorTypes.supported(f.getType())) {
        throw new UnsupportedOperationException("result type " + f.getType());
      }
    }
    // top-down: calcs (top first), an optional limit, an optional meter
    List<Calc> calcs = new ArrayList<>();
    int calcsAboveLimit = -1;
    int calcsAboveMeter = -1;
    RowCap offset = RowCap.NONE;
    RowCap fetch = RowCap.NONE;
    RuleMeter meter = null;
    RelNode node = root;
    while (!(node instanceof IcebergTableScan)) {
      if (node instanceof Calc calc) {
        calcs.add(calc);
      } else if (node instanceof EnumerableLimit limit && calcsAboveLimit < 0 && meter == null) {
        calcsAboveLimit = calcs.size();
        offset = cap(limit.offset);
        fetch = cap(limit.fetch);
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
    if (scan.isDelta() || scan.readsLineage()) {
      throw new UnsupportedOperationException("incremental scan or row lineage");
    }
    int split = meter != null ? calcsAboveMeter : Math.max(calcsAboveLimit, 0);
    List<Calc> upperCalcs = new ArrayList<>();
    List<Calc> lowerCalcs = new ArrayList<>();
    List<VectorCalc> upper = new ArrayList<>();
    List<VectorCalc> lower = new ArrayList<>();
    boolean parameters = !scan.paramFilter().isEmpty() || !offset.params().isEmpty();
    parameters |= !fetch.params().isEmpty();
    // which outputs of each Calc the operators above read (top first)
    List<boolean[]> used = new ArrayList<>();
    boolean[] reads = rootUsed;
    for (Calc calc : calcs) {
      used.add(reads);
      reads = VectorCalc.inputsRead(calc, reads);
    }
    List<boolean[]> upperUsed = new ArrayList<>();
    List<boolean[]> lowerUsed = new ArrayList<>();
    for (int i = calcs.size() - 1; i >= 0; i--) {
      Calc calc = calcs.get(i);
      VectorCalc c = VectorCalc.compile(calc, index -> null, used.get(i));
      (i < split ? upperUsed : lowerUsed).add(used.get(i));
      parameters |= VectorCalc.hasParameters(calc);
      if (i < split) {
        if (!c.isProjection()) {
          throw new UnsupportedOperationException("filter above a meter or limit");
        }
        upper.add(c);
        upperCalcs.add(calc);
      } else {
        lower.add(c);
        lowerCalcs.add(calc);
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
        reads,
        scan.filter(),
        List.copyOf(lower),
        List.copyOf(upper),
        meter == null ? null : meter.rule(),
        meter == null ? RowCap.NONE : meter.maxRows(),
        Math.max(0, offset.fixed()),
        fetch.fixed(),
        parameters
            ? new Unbound(
                scan,
                List.copyOf(lowerCalcs),
                List.copyOf(upperCalcs),
                lowerUsed,
                upperUsed,
                offset,
                fetch)
            : null);
  }

  /** A LIMIT or OFFSET of literals and parameters (-1 for none), or unsupported. */
  private static RowCap cap(@Nullable RexNode n) {
    if (n == null) {
      return RowCap.NONE;
    }
    RowCap cap = RowCap.of(n, null);
    if (cap == null) {
      throw new UnsupportedOperationException("limit " + n);
    }
    return cap;
  }

  /**
   * The plan of one execution: its {@code ?} parameters replaced by their values in the context
   * ({@code ?0}, {@code ?1}, …, as the executor stores them for the row engine): compiled as
   * constants in the Calcs, translated into the scan's pushed filter, resolved in LIMIT and OFFSET
   * (a NULL one takes every row, as on the row engine).
   *
   * @return the bound plan (this plan when it has no parameters), or null when a value is one the
   *     vector path does not reproduce exactly (then the row engine runs the statement)
   */
  public @Nullable VectorPlan bind(DataContext context) {
    if (unbound == null) {
      return this;
    }
    IntFunction<Object> values = index -> context.get("?" + index);
    List<VectorCalc> boundLower = new ArrayList<>();
    List<VectorCalc> boundUpper = new ArrayList<>();
    try {
      for (int i = 0; i < unbound.lower().size(); i++) {
        boundLower.add(
            VectorCalc.compile(unbound.lower().get(i), values, unbound.lowerUsed().get(i)));
      }
      for (int i = 0; i < unbound.upper().size(); i++) {
        boundUpper.add(
            VectorCalc.compile(unbound.upper().get(i), values, unbound.upperUsed().get(i)));
      }
    } catch (UnsupportedOperationException e) {
      return null;
    }
    return new VectorPlan(
        table,
        fields,
        scanTypes,
        scanReads,
        unbound.scan().boundFilter(values),
        List.copyOf(boundLower),
        List.copyOf(boundUpper),
        rule,
        meterCap,
        Math.max(0, unbound.offset().sum(context)),
        unbound.fetch().sum(context),
        null);
  }

  /**
   * Starts the statement's run: declares the rule to the statement's deliveries (as the row
   * engine's meter does); nothing is read until the cursor is used.
   *
   * @throws IllegalStateException if the plan reads a rule and the context has no deliveries, or
   *     has parameters and is not {@linkplain #bind bound}
   */
  public VectorCursor open(DataContext context, List<RelDataType> resultTypes) {
    Started started = start(context);
    return new VectorCursor(
        this,
        started.metrics(),
        started.deliveries(),
        resultTypes,
        meterCap.resolve(context),
        CancelChecks.flag(context),
        VectorExecution.scanThreads(context));
  }

  /**
   * Starts the statement's run as {@link #open} does, for a consumer of its batches in this package
   * (an aggregation): the pipeline allocates from {@code allocator}.
   */
  VectorPipeline pipeline(DataContext context, BufferAllocator allocator, int batchRows) {
    Started started = start(context);
    return new VectorPipeline(
        this,
        started.metrics(),
        started.deliveries(),
        allocator,
        batchRows,
        meterCap.resolve(context),
        CancelChecks.flag(context),
        VectorExecution.scanThreads(context));
  }

  private record Started(ScanMetrics metrics, @Nullable Deliveries deliveries) {}

  private Started start(DataContext context) {
    if (unbound != null) {
      throw new IllegalStateException("a plan with parameters runs bound to their values");
    }
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
    return new Started(metrics, deliveries);
  }
}
