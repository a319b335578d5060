package io.nql.planner.iceberg;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Filter;

/**
 * Copies the translatable conjuncts of a filter (with literals or {@code ?} parameters) into the
 * Iceberg scan below it. The filter itself stays, so rows are always checked by the engine.
 */
final class IcebergFilterScanRule extends RelOptRule {
  @SuppressWarnings("deprecation")
  IcebergFilterScanRule() {
    super(operand(Filter.class, operand(IcebergTableScan.class, none())), "IcebergFilterScanRule");
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    IcebergTableScan scan = call.rel(1);
    if (scan.hasPushedFilter() || scan.readsLineage()) {
      return;
    }
    IcebergFilterTranslator.Split pushed =
        new IcebergFilterTranslator(scan.outputFields(), filter.getCluster().getRexBuilder())
            .split(filter.getCondition());
    if (pushed.isEmpty()) {
      return;
    }
    IcebergTableScan narrowed = scan.withFilter(pushed.fixed().orElse(null), pushed.deferred());
    call.transformTo(filter.copy(filter.getTraitSet(), narrowed, filter.getCondition()));
  }
}
