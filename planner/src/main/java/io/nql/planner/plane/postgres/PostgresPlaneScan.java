package io.nql.planner.plane.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.DatasetScan;
import io.nql.planner.iceberg.DeltaRead;
import io.nql.planner.iceberg.RowIds;
import io.nql.planner.store.PlaneSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expressions;
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
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Enumerable scan of a {@link PostgresPlaneTable}: sends one {@code SELECT} of the columns it reads
 * and the conjuncts pushed into it ({@link PlaneSql}) to the plane and streams the rows back
 * through a cursor ({@link PlaneScanSpec}). The pushed conjuncts only narrow what the plane sends:
 * the filter they came from stays above the scan, so every row is checked by the engine as on the
 * embedded plane, and the access rule's barrier and meter above see exactly the rows they would.
 *
 * <p>Row ids (for charging a row once per statement) are the source table's primary key, numbered
 * per statement by {@link RowIds#key}: the key columns are fetched too when row ids are asked for.
 */
public final class PostgresPlaneScan extends TableScan implements EnumerableRel, DatasetScan {
  /** The row count the planner assumes for every plane scan: no statistics of the source. */
  static final double SCAN_ROWS = 10_000d;

  private final PostgresPlaneTable planeTable;
  private final int[] projects;
  private final List<RexNode> pushed;
  private final @Nullable String purpose;
  private final boolean rowIds;

  private PostgresPlaneScan(
      RelOptCluster cluster,
      RelTraitSet traits,
      RelOptTable table,
      PostgresPlaneTable planeTable,
      int[] projects,
      List<RexNode> pushed,
      @Nullable String purpose,
      boolean rowIds) {
    super(cluster, traits, List.of(), table);
    this.planeTable = planeTable;
    this.projects = projects;
    this.pushed = List.copyOf(pushed);
    this.purpose = purpose;
    this.rowIds = rowIds;
  }

  /** A scan of all columns without a pushed filter. */
  static PostgresPlaneScan create(
      RelOptCluster cluster, RelOptTable table, PostgresPlaneTable planeTable) {
    int n = table.getRowType().getFieldCount();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return new PostgresPlaneScan(
        cluster,
        cluster.traitSetOf(EnumerableConvention.INSTANCE),
        table,
        planeTable,
        all,
        List.of(),
        null,
        false);
  }

  private PostgresPlaneScan with(
      int[] newProjects, List<RexNode> newPushed, @Nullable String newPurpose, boolean newRowIds) {
    return new PostgresPlaneScan(
        getCluster(), traitSet, table, planeTable, newProjects, newPushed, newPurpose, newRowIds);
  }

  @Override
  public PostgresPlaneScan withPurpose(String newPurpose) {
    return with(projects, pushed, newPurpose, rowIds);
  }

  @Override
  public @Nullable String purpose() {
    return purpose;
  }

  @Override
  public PostgresPlaneScan withRowIds() {
    return with(projects, pushed, purpose, true);
  }

  @Override
  public boolean hasRowIds() {
    return rowIds;
  }

  @Override
  public DatasetScan withDelta(DeltaRead read, String name) {
    throw NqlException.of(
        ErrorCode.NOT_SUPPORTED,
        "Cannot read %s incrementally: DELTA is not supported for it (its rows are not in the gateway's warehouse)",
        name);
  }

  /** The plane table scanned. */
  public PostgresPlaneTable planeTable() {
    return planeTable;
  }

  /** Whether conjuncts have been pushed into this scan. */
  boolean hasPushedFilter() {
    return !pushed.isEmpty();
  }

  /**
   * An expression over this scan's output columns rewritten over the table's columns, or null when
   * it reads the row id.
   */
  @Nullable RexNode toTable(RexNode e) {
    boolean[] rowId = {false};
    RexNode out =
        e.accept(
            new RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef ref) {
                if (ref.getIndex() >= projects.length) {
                  rowId[0] = true;
                  return ref;
                }
                return new RexInputRef(projects[ref.getIndex()], ref.getType());
              }
            });
    return rowId[0] ? null : out;
  }

  /**
   * The same scan with more conjuncts pushed into it.
   *
   * @param conjuncts pushable conjuncts over the table's columns (see {@link #toTable})
   */
  PostgresPlaneScan withPushed(List<RexNode> conjuncts) {
    List<RexNode> all = new ArrayList<>(pushed);
    all.addAll(conjuncts);
    return with(projects, all, purpose, rowIds);
  }

  /** The scan narrowed to some of its output fields (indices into this scan's row type). */
  PostgresPlaneScan withFields(int[] fields) {
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
    return with(narrowed, pushed, purpose, keepRowIds);
  }

  /** The source columns the plane sends: the projected ones, then key columns for row ids. */
  private List<String> fetched() {
    PlaneSource source = planeTable.source();
    List<String> out = new ArrayList<>();
    for (int p : projects) {
      out.add(source.columns().get(p).name());
    }
    if (rowIds) {
      for (PlaneSource.Column k : source.key()) {
        if (!out.contains(k.name())) {
          out.add(k.name());
        }
      }
    }
    return out;
  }

  /** The statement sent to the plane, with {@code ?} for every value. */
  PlaneSql.Query query() {
    return PlaneSql.select(getCluster().getRexBuilder(), planeTable.source(), fetched(), pushed);
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
      builder.add(RowIds.COLUMN, getCluster().getTypeFactory().createSqlType(SqlTypeName.BIGINT));
    }
    return builder.build();
  }

  /**
   * What the scan reads: the plane and the statement sent to it (shown to owners in {@code EXPLAIN
   * PLAN FOR}; a buyer's plan shows the rule node only). The digest also names the dataset by its
   * owner and id, so scans of two companies' datasets of the same name are never merged.
   */
  @Override
  public RelWriter explainTerms(RelWriter pw) {
    super.explainTerms(pw);
    PlaneSql.Query query = query();
    if (pw.getDetailLevel() == SqlExplainLevel.DIGEST_ATTRIBUTES) {
      pw.item("identity", planeTable.ownerCompanyId() + "/" + planeTable.datasetId());
      // The SQL has a ? for every value: two scans that differ only in their values must not
      // share a digest (the planner would make them one node, reading one scan's rows for both).
      pw.item("binds", binds(query));
    }
    return pw.item("plane", planeTable.source().plane())
        .itemIf("purpose", purpose, purpose != null)
        .itemIf("row_ids", true, rowIds)
        .item("sql", query.sql());
  }

  /** Each bind's statement parameter ({@code ?0}) or literal value with its type. */
  private static String binds(PlaneSql.Query query) {
    StringBuilder sb = new StringBuilder("[");
    for (PlaneSql.Bind b : query.binds()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      if (b.parameter() >= 0) {
        sb.append('?').append(b.parameter());
      } else {
        sb.append(b.type()).append(' ').append(b.value());
      }
    }
    return sb.append(']').toString();
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    // Fixed, as for a rule's Iceberg scan: the plan must not depend on the provider's data.
    return hasPushedFilter() ? SCAN_ROWS * 0.25 : SCAN_ROWS;
  }

  @Override
  public @Nullable RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    double rows = estimateRowCount(mq);
    double width = (double) projects.length / Math.max(1, table.getRowType().getFieldCount());
    // A remote read costs more per row than a local one: keep work on the plane when possible.
    return planner.getCostFactory().makeCost(rows, rows * (1 + width), rows * (1 + width));
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    JavaRowFormat format = JavaRowFormat.ARRAY.optimize(getRowType());
    if (format != JavaRowFormat.SCALAR) {
      format = JavaRowFormat.ARRAY;
    }
    PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format, false);
    PlaneSource source = planeTable.source();
    List<PlaneSource.Column> outputs = new ArrayList<>();
    for (int p : projects) {
      outputs.add(source.columns().get(p));
    }
    PlaneScanSpec spec =
        new PlaneScanSpec(planeTable, query(), outputs, fetched(), rowIds, purpose);
    String method =
        format == JavaRowFormat.SCALAR ? PlaneScanSpec.SCALARS_METHOD : PlaneScanSpec.ARRAYS_METHOD;
    return implementor.result(
        physType,
        Blocks.toBlock(
            Expressions.call(
                implementor.stash(spec, PlaneScanSpec.class), method, DataContext.ROOT)));
  }
}
