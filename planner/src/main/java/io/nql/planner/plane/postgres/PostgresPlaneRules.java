package io.nql.planner.plane.postgres;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexPermuteInputsShuttle;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.Mappings;

/**
 * Planner rules that push work into a {@link PostgresPlaneScan}, mirroring the Iceberg scan's: a
 * projection narrows the columns the plane sends, and the pushable conjuncts of a filter directly
 * on the scan go into its {@code WHERE} (the filter stays above, so the engine checks every row).
 * Only a filter directly on the scan is pushed: inside an access rule that is the rule's own filter
 * and the buyer's leak-proof conjuncts that {@code FilterIntoBarrierRule} moved below the barrier,
 * never a buyer expression that could fail on a hidden row.
 */
public final class PostgresPlaneRules {
  private PostgresPlaneRules() {}

  /** Pushes the pushable conjuncts of a filter into the scan; the whole filter stays above. */
  public static final RelOptRule FILTER_SCAN = new FilterScan();

  /** Narrows a scan to the columns a project above it uses. */
  public static final RelOptRule PROJECT_SCAN = new ProjectScan();

  /** All rules of the plane. */
  public static final List<RelOptRule> RULES = List.of(FILTER_SCAN, PROJECT_SCAN);

  private static final class FilterScan extends RelOptRule {
    @SuppressWarnings("deprecation")
    FilterScan() {
      super(
          operand(Filter.class, operand(PostgresPlaneScan.class, none())),
          "PostgresPlaneFilterScanRule");
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      Filter filter = call.rel(0);
      PostgresPlaneScan scan = call.rel(1);
      if (scan.hasPushedFilter()) {
        return;
      }
      List<RexNode> push = new ArrayList<>();
      for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
        RexNode overTable = scan.toTable(conjunct);
        if (overTable != null
            && PlaneSql.pushable(
                filter.getCluster().getRexBuilder(), scan.planeTable().source(), overTable)) {
          push.add(overTable);
        }
      }
      if (push.isEmpty()) {
        return;
      }
      call.transformTo(
          filter.copy(filter.getTraitSet(), scan.withPushed(push), filter.getCondition()));
    }
  }

  private static final class ProjectScan extends RelOptRule {
    @SuppressWarnings("deprecation")
    ProjectScan() {
      super(
          operand(Project.class, operand(PostgresPlaneScan.class, none())),
          "PostgresPlaneProjectScanRule");
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
      Project project = call.rel(0);
      PostgresPlaneScan scan = call.rel(1);
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
      PostgresPlaneScan narrowed = scan.withFields(used.toArray());
      List<RexNode> exprs = RexPermuteInputsShuttle.of(mapping).visitList(project.getProjects());
      call.transformTo(
          call.builder()
              .push(narrowed)
              .project(exprs, project.getRowType().getFieldNames())
              .build());
    }
  }
}
