package io.nql.planner.iceberg;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexPermuteInputsShuttle;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mappings;

/** Narrows an Iceberg scan to the columns used by the project above it. */
final class IcebergProjectScanRule extends RelOptRule {
  @SuppressWarnings("deprecation")
  IcebergProjectScanRule() {
    super(
        operand(Project.class, operand(IcebergTableScan.class, none())), "IcebergProjectScanRule");
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Project project = call.rel(0);
    IcebergTableScan scan = call.rel(1);
    int fieldCount = scan.getRowType().getFieldCount();
    ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
    int tableColumns = scan.hasRowIds() ? fieldCount - 1 : fieldCount;
    if (used.isEmpty() || used.nextSetBit(0) >= tableColumns) {
      // Still read one column so that row counts are right (e.g. COUNT(*)).
      used = used.union(ImmutableBitSet.of(0));
    }
    if (used.cardinality() == fieldCount) {
      return;
    }
    Mappings.TargetMapping mapping = Mappings.target(used.asList(), fieldCount);
    IcebergTableScan narrowed = scan.withFields(used.toArray());
    RexPermuteInputsShuttle shuttle = RexPermuteInputsShuttle.of(mapping);
    List<RexNode> exprs = shuttle.visitList(project.getProjects());
    RelBuilder builder = call.builder();
    call.transformTo(
        builder.push(narrowed).project(exprs, project.getRowType().getFieldNames()).build());
  }
}
