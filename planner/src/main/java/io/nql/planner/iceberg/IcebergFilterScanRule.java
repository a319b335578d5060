package io.nql.planner.iceberg;

import java.util.Optional;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.iceberg.expressions.Expression;

/**
 * Copies the translatable conjuncts of a filter into the Iceberg scan below it. The filter itself
 * stays, so rows are always checked by the engine.
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
    if (scan.filter() != null) {
      return;
    }
    Optional<Expression> pushed =
        new IcebergFilterTranslator(scan.outputFields(), filter.getCluster().getRexBuilder())
            .translate(filter.getCondition());
    if (pushed.isEmpty()) {
      return;
    }
    call.transformTo(
        filter.copy(filter.getTraitSet(), scan.withFilter(pushed.get()), filter.getCondition()));
  }
}
