package io.nql.planner.iceberg;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rex.RexNode;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What one {@link IcebergTableScan} reads at run time: the table, its output columns and the pushed
 * filter. When the enumerator is created, the filter's conjuncts with {@code ?} parameters are
 * translated with the statement's values (found in the {@link DataContext} as {@code ?0}, {@code
 * ?1}, …), and the whole filter is used for file planning and for skipping Parquet row groups.
 * Metrics go to the {@link ScanMetrics} found in the {@link DataContext} under {@link
 * ScanMetrics#CONTEXT_KEY}, once per open. The files come from {@link PlannedFiles}: planned from
 * the snapshot's manifests once, not on every open (a nested-loop join opens its inner side once
 * per outer row).
 */
public final class IcebergScanSpec {
  private final IcebergTable table;
  private final List<String> columns;
  private final @Nullable Expression filter;
  private final List<RexNode> paramFilter;
  private final boolean rowIds;
  private final IcebergTableScan.@Nullable Delta delta;
  private final boolean lineage;

  IcebergScanSpec(
      IcebergTable table,
      List<String> columns,
      @Nullable Expression filter,
      List<RexNode> paramFilter,
      boolean rowIds) {
    this(table, columns, filter, paramFilter, rowIds, null, false);
  }

  /**
   * @param delta the incremental read, or null
   * @param lineage whether {@link Lineage#ROW_ID} and {@link Lineage#LAST_UPDATED} among {@code
   *     columns} are the rows' lineage (the table is {@linkplain Lineage#tracked tracked})
   */
  IcebergScanSpec(
      IcebergTable table,
      List<String> columns,
      @Nullable Expression filter,
      List<RexNode> paramFilter,
      boolean rowIds,
      IcebergTableScan.@Nullable Delta delta,
      boolean lineage) {
    this.rowIds = rowIds;
    this.delta = delta;
    this.lineage = lineage;
    this.table = table;
    this.columns = List.copyOf(columns);
    this.filter = filter;
    this.paramFilter = List.copyOf(paramFilter);
  }

  /** Name of {@link #enumerable(DataContext)}, called by generated code. */
  static final String ARRAYS_METHOD = "enumerable";

  /** Name of {@link #scalars(DataContext)}, called by generated code. */
  static final String SCALARS_METHOD = "scalars";

  /**
   * Rows as {@code Object[]} of Calcite internal values, in {@code columns} order, then the row id
   * if the scan has one (numbered by the statement's {@link RowIds}).
   */
  public Enumerable<Object[]> enumerable(DataContext root) {
    ScanMetrics metrics = metrics(root);
    RowIds ids = rowIds ? rowIds(root) : null;
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return open(metrics, boundFilter(root), ids);
      }
    };
  }

  private static RowIds rowIds(DataContext root) {
    Object ids = root.get(RowIds.CONTEXT_KEY);
    if (!(ids instanceof RowIds r)) {
      throw new IllegalStateException("a scan with row ids needs the statement's RowIds");
    }
    return r;
  }

  /**
   * Rows of a one-column scan as bare Calcite internal values (Calcite's {@code SCALAR} row
   * format).
   *
   * @throws IllegalStateException if the scan does not have exactly one column
   */
  public Enumerable<Object> scalars(DataContext root) {
    if (columns.size() != 1 || rowIds) {
      throw new IllegalStateException("Scalar rows need exactly one column, not " + columns);
    }
    return enumerable(root).select(row -> row[0]);
  }

  private static ScanMetrics metrics(DataContext root) {
    Object m = root.get(ScanMetrics.CONTEXT_KEY);
    return m instanceof ScanMetrics sm ? sm : new ScanMetrics();
  }

  /** The pushed filter with the statement's parameter values, or null when it rules nothing out. */
  @Nullable Expression boundFilter(DataContext root) {
    return boundFilter(table.icebergTable(), filter, paramFilter, i -> root.get("?" + i));
  }

  /**
   * A scan's pushed filter for one execution: the conjuncts with literals and those with {@code ?}
   * parameters translated with their values (see {@link IcebergFilterTranslator#bind}).
   *
   * @param filter the conjuncts with literals, or null
   * @param paramFilter the conjuncts with parameters, over the table's columns
   * @param parameters the value of parameter {@code i} (Calcite internal value), possibly null
   * @return the filter, or null when it rules nothing out
   */
  static @Nullable Expression boundFilter(
      Table table,
      @Nullable Expression filter,
      List<RexNode> paramFilter,
      IntFunction<Object> parameters) {
    Expression bound = filter == null ? Expressions.alwaysTrue() : filter;
    if (!paramFilter.isEmpty()) {
      bound =
          Expressions.and(
              bound,
              IcebergFilterTranslator.bind(table.schema().columns(), paramFilter, parameters));
    }
    return bound.op() == Expression.Operation.TRUE ? null : bound;
  }

  private Enumerator<Object[]> open(
      ScanMetrics metrics, @Nullable Expression pushed, @Nullable RowIds ids) {
    Table t = table.icebergTable();
    Schema projected = projection(t.schema());
    for (Types.NestedField f : projected.columns()) {
      if (!IcebergTypes.isReadable(f.type())) {
        throw NqlException.of(
            ErrorCode.NOT_SUPPORTED,
            "Cannot read column %s: type %s is not supported",
            f.name(),
            f.type().typeId().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    Snapshot snapshot = t.currentSnapshot();
    if (snapshot == null) {
      metrics.recordPlan(0, 0, 0);
      return new IcebergRowEnumerator(t, projected, columns, List.of(), null, metrics, ids, -1);
    }
    // Pinned before its manifests are read: snapshot expiry keeps it until the rows are closed.
    ReadPins.Pin pin = ReadPins.shared().pin(t.uuid().toString(), snapshot.snapshotId());
    try {
      return open(t, snapshot, projected, metrics, pushed, ids, pin);
    } catch (RuntimeException | Error e) {
      pin.close();
      throw e;
    }
  }

  private Enumerator<Object[]> open(
      Table t,
      Snapshot snapshot,
      Schema projected,
      ScanMetrics metrics,
      @Nullable Expression pushed,
      @Nullable RowIds ids,
      ReadPins.Pin pin) {
    List<String> planned = lineage ? tableColumns() : columns;
    PlannedFiles.Plan plan = PlannedFiles.shared().plan(t, snapshot, planned, pushed, metrics);
    List<FileScanTask> tasks = plan.tasks();
    long minRowId = -1;
    if (delta != null) {
      DeltaRead.Selection selected =
          delta.read().tasks(table.datasetId(), delta.name(), t, snapshot, tasks);
      tasks = selected.tasks();
      minRowId = selected.minRowId();
    }
    metrics.recordPlan(plan.snapshotFiles(), tasks.size(), plan.bytes());
    metrics.addRowGroupsPlanned(plan.rowGroups());
    return new IcebergRowEnumerator(
            t, projected, columns, tasks, readFilter(pushed, projected), metrics, ids, minRowId)
        .releasing(pin);
  }

  /** The table columns among {@link #columns} (without lineage columns). */
  private List<String> tableColumns() {
    return columns.stream().filter(c -> !Lineage.RESERVED.contains(c)).toList();
  }

  /** The Iceberg schema the scan reads: its table columns, then lineage columns if it has any. */
  private Schema projection(Schema schema) {
    if (!lineage) {
      return schema.select(columns);
    }
    List<Types.NestedField> fields = new java.util.ArrayList<>();
    for (String c : columns) {
      fields.add(Lineage.RESERVED.contains(c) ? Lineage.field(c) : schema.findField(c));
    }
    return new Schema(fields);
  }

  /**
   * The filter for skipping row groups, if it applies to the columns read (it does when the filter
   * above the scan reads them too, which is how it is pushed; otherwise row groups are not
   * skipped).
   */
  private static @Nullable Expression readFilter(@Nullable Expression pushed, Schema projected) {
    if (pushed == null) {
      return null;
    }
    try {
      Binder.bind(projected.asStruct(), pushed, true);
      return pushed;
    } catch (ValidationException e) {
      return null;
    }
  }
}
