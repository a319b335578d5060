package io.nql.planner.exec;

import io.nql.planner.iceberg.IcebergTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.iceberg.Snapshot;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What a plan reads, to decide whether it may be kept and until when. */
final class PlanReads {
  private PlanReads() {}

  /**
   * The dataset tables a plan scans, each at the snapshot the statement reads, or null when it
   * scans anything else (the ledger, information_schema, metadata tables: their rows are computed
   * for the statement's session, so the plan is not kept) or reads a table incrementally (a view
   * run's plan depends on the view's last run).
   */
  static @Nullable List<PlanCache.ReadTable> tables(RelNode plan) {
    Set<PlanCache.ReadTable> out = new LinkedHashSet<>();
    boolean[] other = {false};
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, @Nullable RelNode parent) {
        if (node instanceof TableScan scan) {
          IcebergTable t = scan.getTable().unwrap(IcebergTable.class);
          if (t == null
              || t.datasetId() < 0
              || scan instanceof io.nql.planner.iceberg.IcebergTableScan s && s.isDelta()) {
            other[0] = true;
          } else {
            Snapshot s = t.icebergTable().currentSnapshot();
            out.add(
                new PlanCache.ReadTable(
                    t.ownerCompanyId(), t.datasetId(), s == null ? -1 : s.snapshotId()));
          }
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return other[0] ? null : new ArrayList<>(out);
  }

  /**
   * Whether a logical plan calls a dynamic function ({@code CURRENT_TIMESTAMP}) or a
   * non-deterministic one: such a plan is not kept, so no value of one statement can be folded into
   * another's plan.
   */
  static boolean hasDynamicCall(RelNode plan) {
    boolean[] found = {false};
    RexShuttle finder =
        new RexShuttle() {
          @Override
          public RexNode visitCall(RexCall call) {
            if (call.getOperator().isDynamicFunction() || !call.getOperator().isDeterministic()) {
              found[0] = true;
            }
            return super.visitCall(call);
          }
        };
    new RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, @Nullable RelNode parent) {
        node.accept(finder);
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return found[0];
  }
}
