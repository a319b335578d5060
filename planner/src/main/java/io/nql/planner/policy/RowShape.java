package io.nql.planner.policy;

import io.nql.planner.iceberg.DatasetScan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;

/**
 * A row-local plan — projections and filters over one dataset scan — flattened: the scan, one
 * condition over the scan's columns (TRUE when there is no filter) and the output expressions over
 * the scan's columns. An access rule's plan and a mapping's plan both have this shape; flattened,
 * conditions and expressions of plans over the same scan can be combined.
 *
 * @param scan the dataset scan
 * @param condition which scan rows the plan keeps
 * @param outputs the plan's columns as expressions of the scan row
 */
public record RowShape(DatasetScan scan, RexNode condition, List<RexNode> outputs) {

  /** The shape of a plan, or empty when it is not projections and filters over one scan. */
  public static Optional<RowShape> of(RelNode plan) {
    RexBuilder rex = plan.getCluster().getRexBuilder();
    if (plan instanceof DatasetScan scan) {
      List<RexNode> refs = new ArrayList<>();
      for (int i = 0; i < scan.getRowType().getFieldCount(); i++) {
        refs.add(RexInputRef.of(i, scan.getRowType()));
      }
      return Optional.of(new RowShape(scan, rex.makeLiteral(true), refs));
    }
    if (plan.getInputs().size() != 1) {
      return Optional.empty();
    }
    Optional<RowShape> below = of(plan.getInput(0));
    if (below.isEmpty()) {
      return below;
    }
    RowShape in = below.get();
    if (plan instanceof Filter f && !RexOver.containsOver(f.getCondition())) {
      RexNode cond =
          RexUtil.composeConjunction(rex, List.of(in.condition, in.substitute(f.getCondition())));
      return Optional.of(new RowShape(in.scan, cond, in.outputs));
    }
    if (plan instanceof Project p && !RexOver.containsOver(p.getProjects(), null)) {
      List<RexNode> outs = new ArrayList<>();
      for (RexNode e : p.getProjects()) {
        outs.add(in.substitute(e));
      }
      return Optional.of(new RowShape(in.scan, in.condition, outs));
    }
    return Optional.empty();
  }

  /** An expression over this shape's outputs rewritten over the scan's columns. */
  public RexNode substitute(RexNode e) {
    return e.accept(
        new RexShuttle() {
          @Override
          public RexNode visitInputRef(RexInputRef ref) {
            return outputs.get(ref.getIndex());
          }
        });
  }

  /** The scan columns this shape passes through unchanged, as output index by scan column. */
  public java.util.Map<Integer, Integer> passedThrough() {
    java.util.Map<Integer, Integer> out = new java.util.HashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i) instanceof RexInputRef ref) {
        out.putIfAbsent(ref.getIndex(), i);
      }
    }
    return out;
  }

  /** Whether another shape reads the same dataset scan (same table, same columns). */
  public boolean sameScan(RowShape other) {
    return scan.getTable().getQualifiedName().equals(other.scan.getTable().getQualifiedName())
        && scan.getRowType().getFieldNames().equals(other.scan.getRowType().getFieldNames());
  }
}
