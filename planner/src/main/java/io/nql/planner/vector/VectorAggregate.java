package io.nql.planner.vector;

import io.nql.planner.exec.BatchExecution;
import io.nql.planner.iceberg.ScanMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableAggregate;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A hash aggregation over the rows of a {@link VectorPlan} — scan, rule filter, barrier, meter,
 * projections — run on batches: the part of a plan below and including an {@code
 * EnumerableAggregate}, whose few result rows the compiled parts above it read (sorts, HAVING,
 * expressions, joins). The rows it aggregates are the rows the vector path delivers, each admitted
 * by the rule's meter first, so a priced aggregate is metered and capped exactly as on the row
 * engine: the same rows are read, charged and cut by a budget.
 *
 * <p>Its results are the row engine's: the same groups (keys equal as the row engine's key objects
 * are, see {@link GroupTable}), the same values (see {@link Accumulators}), and the same order:
 * Calcite's aggregate puts each new key into a {@code HashMap} in arrival order and emits the map's
 * entries; the groups here are put into a {@code HashMap} with key objects of the same classes and
 * hash codes (a bare value for one key, a {@code List} for several), in the same order.
 *
 * <p>Like Calcite's, it reads its whole input when the plan is bound, before its first row is asked
 * for.
 */
final class VectorAggregate implements BatchExecution.Subplan {
  private static final BufferAllocator ROOT = new RootAllocator();

  /** Rows read at a time. */
  private static final int BATCH_ROWS = 65_536;

  private final VectorPlan input;
  private final int[] groupKeys;
  private final List<RelDataType> keyTypes;
  private final List<AggregateCall> calls;
  private final List<RelDataType> inputTypes;

  private VectorAggregate(
      VectorPlan input,
      int[] groupKeys,
      List<RelDataType> keyTypes,
      List<AggregateCall> calls,
      List<RelDataType> inputTypes) {
    this.input = input;
    this.groupKeys = groupKeys;
    this.keyTypes = keyTypes;
    this.calls = calls;
    this.inputTypes = inputTypes;
  }

  /** The vectorized form of a hash aggregate over a vector plan, or null. */
  static @Nullable VectorAggregate of(RelNode rel) {
    if (!(rel instanceof EnumerableAggregate agg) || agg.getGroupType() != Aggregate.Group.SIMPLE) {
      return null;
    }
    // the aggregation reads its keys, its calls' arguments and filters only
    boolean[] read = new boolean[agg.getInput().getRowType().getFieldCount()];
    agg.getGroupSet().forEach(k -> read[k] = true);
    for (AggregateCall call : agg.getAggCallList()) {
      call.getArgList().forEach(a -> read[a] = true);
      if (call.filterArg >= 0) {
        read[call.filterArg] = true;
      }
    }
    VectorPlan input = VectorPlan.of(agg.getInput(), read);
    if (input == null) {
      return null;
    }
    List<RelDataType> inputTypes = new ArrayList<>();
    for (RelDataTypeField f : agg.getInput().getRowType().getFieldList()) {
      inputTypes.add(f.getType());
    }
    int[] keys = agg.getGroupSet().toArray();
    List<RelDataType> keyTypes = new ArrayList<>();
    try {
      for (int k : keys) {
        keyTypes.add(inputTypes.get(k));
      }
      new GroupTable(keyTypes);
      for (AggregateCall call : agg.getAggCallList()) {
        Accumulators.of(call, inputTypes);
      }
    } catch (UnsupportedOperationException e) {
      return null;
    }
    return new VectorAggregate(
        input, keys, List.copyOf(keyTypes), List.copyOf(agg.getAggCallList()), inputTypes);
  }

  @Override
  public @Nullable Enumerable<Object> run(DataContext context) {
    if (!VectorExecution.enabled(context.get(VectorExecution.CONTEXT_KEY))) {
      return null;
    }
    VectorPlan bound = input.bind(context);
    if (bound == null) {
      return null;
    }
    if (context.get(ScanMetrics.CONTEXT_KEY) instanceof ScanMetrics metrics) {
      metrics.addBatchAggregation();
    }
    GroupTable groups = new GroupTable(keyTypes);
    List<Accumulators.Accumulator> accumulators = new ArrayList<>();
    for (AggregateCall call : calls) {
      accumulators.add(Accumulators.of(call, inputTypes));
    }
    try (BufferAllocator allocator =
            ROOT.newChildAllocator("nql-vector-aggregate", 0, Long.MAX_VALUE);
        VectorPipeline pipeline = bound.pipeline(context, allocator, BATCH_ROWS)) {
      int[] gids = new int[BATCH_ROWS];
      Values[] keyValues = new Values[groupKeys.length];
      int n;
      while ((n = pipeline.advance(BATCH_ROWS)) > 0) {
        Batch batch = pipeline.batch();
        int start = pipeline.start();
        if (gids.length < n) {
          gids = new int[n];
        }
        for (int k = 0; k < groupKeys.length; k++) {
          keyValues[k] = ColumnValues.of(batch.vectors[groupKeys[k]]);
        }
        groups.assign(keyValues, start, n, gids);
        for (Accumulators.Accumulator a : accumulators) {
          a.ensure(groups.size());
          a.add(batch, start, n, gids);
        }
      }
    }
    if (groupKeys.length == 0 && groups.size() == 0) {
      // an aggregate without GROUP BY has one row, also of no input
      groups.assign(new Values[0], 0, 1, new int[1]);
    }
    for (Accumulators.Accumulator a : accumulators) {
      a.ensure(groups.size());
    }
    return Linq4j.asEnumerable(rows(groups, accumulators));
  }

  /** The result rows, in the order of Calcite's aggregate. */
  private List<Object> rows(GroupTable groups, List<Accumulators.Accumulator> accumulators) {
    int count = groups.size();
    int width = groupKeys.length + accumulators.size();
    Object[] keys = new Object[count];
    Map<Object, Integer> order = new HashMap<>();
    for (int g = 0; g < count; g++) {
      if (groupKeys.length == 1) {
        keys[g] = groups.key(0, g);
      } else {
        Object[] values = new Object[groupKeys.length];
        for (int k = 0; k < values.length; k++) {
          values[k] = groups.key(k, g);
        }
        keys[g] = Arrays.asList(values);
      }
      if (groupKeys.length > 0) {
        order.put(keys[g], g);
      }
    }
    Iterable<Integer> emitted = groupKeys.length == 0 ? List.of(0) : order.values();
    List<Object> rows = new ArrayList<>(count);
    for (int g : emitted) {
      Object[] row = new Object[width];
      for (int k = 0; k < groupKeys.length; k++) {
        row[k] = groupKeys.length == 1 ? keys[g] : ((List<?>) keys[g]).get(k);
      }
      for (int a = 0; a < accumulators.size(); a++) {
        row[groupKeys.length + a] = accumulators.get(a).result(g);
      }
      rows.add(width == 1 ? row[0] : row);
    }
    return rows;
  }
}
