package io.nql.planner.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Enumerable scan of an {@link IcebergTable}: reads the listed columns of the files that Iceberg
 * plans for the pushed filter, skipping the Parquet row groups the filter rules out. The pushed
 * filter only skips files and row groups; rows are filtered above.
 *
 * <p>The pushed filter has two parts: an Iceberg expression of the conjuncts with literals, and the
 * conjuncts that compare columns with {@code ?} parameters, kept as Calcite expressions over the
 * table's columns and translated when the statement runs (see {@link IcebergScanSpec}).
 */
public final class IcebergTableScan extends TableScan implements EnumerableRel, DatasetScan {
  private final IcebergTable icebergTable;
  private final int[] projects;
  private final @Nullable Expression filter;
  private final List<RexNode> paramFilter;
  private final @Nullable String purpose;
  private final boolean rowIds;
  private final @Nullable Delta delta;

  /** An incremental read: the run's positions, and the table as the caller named it. */
  record Delta(DeltaRead read, String name) {}

  /** The row count the planner assumes for every rule scan (see {@link #estimateRowCount}). */
  static final double RULE_SCAN_ROWS = 10_000d;

  private IcebergTableScan(
      RelOptCluster cluster,
      RelTraitSet traits,
      RelOptTable table,
      IcebergTable icebergTable,
      int[] projects,
      @Nullable Expression filter,
      List<RexNode> paramFilter,
      @Nullable String purpose,
      boolean rowIds,
      @Nullable Delta delta) {
    super(cluster, traits, List.of(), table);
    this.rowIds = rowIds;
    this.delta = delta;
    this.icebergTable = icebergTable;
    this.projects = projects;
    this.filter = filter;
    this.paramFilter = List.copyOf(paramFilter);
    this.purpose = purpose;
  }

  /** A scan of all columns without a filter. */
  public static IcebergTableScan create(
      RelOptCluster cluster, RelOptTable table, IcebergTable icebergTable) {
    int n = table.getRowType().getFieldCount();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return new IcebergTableScan(
        cluster,
        cluster.traitSetOf(EnumerableConvention.INSTANCE),
        table,
        icebergTable,
        all,
        null,
        List.of(),
        null,
        false,
        null);
  }

  /**
   * The same scan serving one purpose (e.g. {@code "rule 12 v3"}: the dataset scan inside an access
   * rule's restricted plan). The purpose is part of the scan's identity: the planner never merges
   * it with a scan of the same table that serves another purpose, or none.
   */
  @Override
  public IcebergTableScan withPurpose(String newPurpose) {
    return with(projects, filter, paramFilter, newPurpose, rowIds);
  }

  /**
   * The same scan with one more output column after the table's: {@link RowIds#COLUMN}, a BIGINT
   * that identifies the row within the statement (see {@link RowIds}).
   */
  @Override
  public IcebergTableScan withRowIds() {
    return with(projects, filter, paramFilter, purpose, true);
  }

  /**
   * The same scan reading only the rows appended since a materialized view's last run (see {@link
   * DeltaRead}); part of the scan's identity, so never merged with a full scan of the table.
   *
   * @param name the table as the caller named it, in errors and warnings
   */
  @Override
  public IcebergTableScan withDelta(DeltaRead read, String name) {
    return new IcebergTableScan(
        getCluster(),
        traitSet,
        table,
        icebergTable,
        projects,
        filter,
        paramFilter,
        purpose,
        rowIds,
        new Delta(read, name));
  }

  /** Whether this scan reads only the rows appended since a view's last run. */
  public boolean isDelta() {
    return delta != null;
  }

  /** Whether the last output column is the row id. */
  @Override
  public boolean hasRowIds() {
    return rowIds;
  }

  /** What this scan serves, or null for a scan the caller wrote. */
  @Override
  public @Nullable String purpose() {
    return purpose;
  }

  /**
   * The same scan with a pushed filter.
   *
   * @param newFilter the Iceberg expression of the conjuncts with literals, or null
   * @param paramConjuncts conjuncts with {@code ?} parameters over this scan's output columns (as
   *     {@link IcebergFilterTranslator#split} returns them)
   */
  public IcebergTableScan withFilter(@Nullable Expression newFilter, List<RexNode> paramConjuncts) {
    List<RexNode> overTable = new ArrayList<>();
    RexShuttle toTableColumns =
        new RexShuttle() {
          @Override
          public RexNode visitInputRef(RexInputRef ref) {
            return new RexInputRef(projects[ref.getIndex()], ref.getType());
          }
        };
    for (RexNode conjunct : paramConjuncts) {
      overTable.add(conjunct.accept(toTableColumns));
    }
    return with(projects, newFilter, overTable, purpose, rowIds);
  }

  /** Whether a filter has been pushed into this scan. */
  public boolean hasPushedFilter() {
    return filter != null || !paramFilter.isEmpty();
  }

  /** The scan narrowed to some of its output fields (indices into this scan's row type). */
  public IcebergTableScan withFields(int[] fields) {
    int columns = 0;
    boolean keepRowIds = false;
    for (int f : fields) {
      if (rowIds && f == projects.length) {
        keepRowIds = true;
      } else {
        columns++;
      }
    }
    int[] narrowed = new int[columns];
    int i = 0;
    for (int f : fields) {
      if (!(rowIds && f == projects.length)) {
        narrowed[i++] = projects[f];
      }
    }
    return with(narrowed, filter, paramFilter, purpose, keepRowIds);
  }

  /** This scan of the same table with other columns, filters, purpose or row ids. */
  private IcebergTableScan with(
      int[] newProjects,
      @Nullable Expression newFilter,
      List<RexNode> newParamFilter,
      @Nullable String newPurpose,
      boolean newRowIds) {
    return new IcebergTableScan(
        getCluster(),
        traitSet,
        table,
        icebergTable,
        newProjects,
        newFilter,
        newParamFilter,
        newPurpose,
        newRowIds,
        delta);
  }

  /** The pushed filter's conjuncts with literals, or null. */
  public @Nullable Expression filter() {
    return filter;
  }

  /** The pushed conjuncts with {@code ?} parameters, over the table's columns (not the scan's). */
  public List<RexNode> paramFilter() {
    return paramFilter;
  }

  /**
   * The pushed filter for one execution, its conjuncts with {@code ?} parameters translated with
   * their values (as the row engine's scan does when it opens).
   *
   * @param parameters the value of parameter {@code i} (Calcite internal value), possibly null
   * @return the filter, or null when it rules nothing out
   */
  public @Nullable Expression boundFilter(java.util.function.IntFunction<Object> parameters) {
    return IcebergScanSpec.boundFilter(
        icebergTable.icebergTable(), filter, paramFilter, parameters);
  }

  /** Iceberg fields of this scan's output columns, in output order. */
  public List<Types.NestedField> outputFields() {
    List<Types.NestedField> columns = icebergTable.icebergTable().schema().columns();
    List<RelDataTypeField> fields = table.getRowType().getFieldList();
    List<Types.NestedField> out = new ArrayList<>(projects.length);
    for (int p : projects) {
      out.add(p < columns.size() ? columns.get(p) : Lineage.field(fields.get(p).getName()));
    }
    return out;
  }

  /**
   * Whether the scanned table has the {@linkplain Lineage lineage columns} after the dataset's (a
   * table of {@code catalog.LineageTables}, read by {@code DELETE} and {@code UPDATE}): such a scan
   * runs on the row engine and takes no pushed filter.
   */
  public boolean readsLineage() {
    return table.getRowType().getFieldCount()
        > icebergTable.icebergTable().schema().columns().size();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return this;
  }

  @Override
  public RelDataType deriveRowType() {
    List<RelDataTypeField> fields = table.getRowType().getFieldList();
    RelDataTypeFactory.Builder builder = getCluster().getTypeFactory().builder();
    for (int p : projects) {
      builder.add(fields.get(p));
    }
    if (rowIds) {
      RelDataTypeFactory tf = getCluster().getTypeFactory();
      builder.add(RowIds.COLUMN, tf.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BIGINT));
    }
    return builder.build();
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return scanTerms(super.explainTerms(pw));
  }

  /**
   * The one place that describes what this scan reads: its output columns and the Iceberg filter
   * pushed for planning (shown to owners in {@code EXPLAIN PLAN FOR}). A policy that must hide
   * these from some callers changes only this method.
   *
   * <p>Calcite also builds the planner's digest of the node from these terms, and the planners (Hep
   * in DAG mode, Volcano) treat nodes with equal digests as one node. Two scans are the same node
   * only if they read the same Iceberg table (by its UUID, not by the name the caller wrote: two
   * companies' tables can share a qualified name such as {@code company_data."1"}) at the same
   * snapshot, for the same purpose, with the same columns and filters. The digest writer asks for
   * {@link SqlExplainLevel#DIGEST_ATTRIBUTES}; plan text ({@code EXPLAIN PLAN FOR}) does not show
   * the UUID and snapshot.
   */
  RelWriter scanTerms(RelWriter pw) {
    List<String> names = new ArrayList<>();
    for (Types.NestedField f : outputFields()) {
      names.add(f.name());
    }
    org.apache.iceberg.Table t = icebergTable.icebergTable();
    if (pw.getDetailLevel() == SqlExplainLevel.DIGEST_ATTRIBUTES) {
      Snapshot snapshot = t.currentSnapshot();
      pw.item("identity", t.uuid() + "@" + (snapshot == null ? "empty" : snapshot.snapshotId()));
    }
    pw.itemIf("purpose", purpose, purpose != null);
    pw.itemIf("row_ids", true, rowIds);
    if (delta != null) {
      DeltaRead.Position position = delta.read().position(icebergTable.datasetId());
      pw.item(
          "delta",
          pw.getDetailLevel() == SqlExplainLevel.DIGEST_ATTRIBUTES
              ? "since " + position
              : position == null ? "all rows (first run)" : "rows added since the last run");
    }
    List<Types.NestedField> tableColumns = t.schema().columns();
    return pw.item("columns", names)
        .itemIf("filter", String.valueOf(filter), filter != null)
        .itemIf(
            "paramFilter",
            paramFilter.stream().map(c -> PushedText.of(c, tableColumns)).toList(),
            !paramFilter.isEmpty());
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    if (purpose != null) {
      // A scan inside another company's rule: the plan (join order, build sides, and so the order
      // of rows and which rows a budget buys) must not depend on the provider's data, hidden rows
      // included, so the planner sees a fixed size rather than the table's statistics.
      return hasPushedFilter() ? RULE_SCAN_ROWS * 0.25 : RULE_SCAN_ROWS;
    }
    Snapshot snapshot = icebergTable.icebergTable().currentSnapshot();
    double rows = 100d;
    if (snapshot != null) {
      Map<String, String> summary = snapshot.summary();
      String total = summary == null ? null : summary.get("total-records");
      if (total != null) {
        rows = Math.max(1d, Double.parseDouble(total));
      }
    }
    return hasPushedFilter() ? rows * 0.25 : rows;
  }

  @Override
  public @Nullable RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = estimateRowCount(mq);
    double width = (double) projects.length / Math.max(1, table.getRowType().getFieldCount());
    return planner.getCostFactory().makeCost(rows, rows * (0.5 + width), rows * width);
  }

  /**
   * Generates code that reads this scan's rows.
   *
   * <p>The physical row format follows Calcite's convention for {@link JavaRowFormat#ARRAY}: it is
   * {@linkplain JavaRowFormat#optimize optimized} for the row type, so a one-column row is a bare
   * value ({@link JavaRowFormat#SCALAR}), not a one-element {@code Object[]}. Operators that pass
   * rows through (sort, merge join, set operations) re-derive the physical type of their input with
   * that optimization and read rows accordingly, so the scan must produce exactly the format its
   * physical type declares.
   */
  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    PhysType physType = physType(implementor.getTypeFactory(), getRowType());
    List<String> columns = new ArrayList<>();
    for (Types.NestedField f : outputFields()) {
      columns.add(f.name());
    }
    IcebergScanSpec spec =
        new IcebergScanSpec(
            icebergTable, columns, filter, paramFilter, rowIds, delta, readsLineage());
    String method =
        physType.getFormat() == JavaRowFormat.SCALAR
            ? IcebergScanSpec.SCALARS_METHOD
            : IcebergScanSpec.ARRAYS_METHOD;
    return implementor.result(
        physType,
        Blocks.toBlock(
            org.apache.calcite.linq4j.tree.Expressions.call(
                implementor.stash(spec, IcebergScanSpec.class), method, DataContext.ROOT)));
  }

  /**
   * The physical type of the scan's rows: {@code Object[]} per row, except a bare value when the
   * scan has one column.
   */
  static PhysType physType(JavaTypeFactory typeFactory, RelDataType rowType) {
    JavaRowFormat format = JavaRowFormat.ARRAY.optimize(rowType);
    if (format != JavaRowFormat.SCALAR) {
      format = JavaRowFormat.ARRAY;
    }
    return PhysTypeImpl.of(typeFactory, rowType, format, false);
  }
}
