package io.nql.planner.policy;

import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Finds the scans of {@link RosettaTable}s in a plan and replaces them: by their sources' rule
 * plans in the policy rewrite, by their sources' tables in forecasts.
 */
public final class RosettaScans {
  private RosettaScans() {}

  /** What replaces one scan of a rosetta_stone table, given the columns the statement reads. */
  @FunctionalInterface
  public interface Replacement {
    RelNode of(
        RosettaTable table, org.apache.calcite.rel.core.TableScan scan, ImmutableBitSet used);
  }

  /** Whether a plan scans a rosetta_stone table. */
  public static boolean scannedBy(RelNode plan) {
    boolean[] found = {false};
    new org.apache.calcite.rel.RelVisitor() {
      @Override
      public void visit(RelNode node, int ordinal, RelNode parent) {
        if (node instanceof org.apache.calcite.rel.core.TableScan scan
            && scan.getTable().unwrap(RosettaTable.class) != null) {
          found[0] = true;
        }
        super.visit(node, ordinal, parent);
      }
    }.go(plan);
    return found[0];
  }

  /**
   * A plan with every scan of a rosetta_stone table replaced. Which attributes a statement reads
   * decides which sources answer it: the plan is first trimmed, which leaves each such scan under a
   * projection of the columns used (a bare scan reads them all). A plan without such a scan is
   * returned as is.
   */
  public static RelNode replaceScans(RelNode plan, Replacement replacement) {
    if (!scannedBy(plan)) {
      return plan;
    }
    RelNode trimmed =
        new org.apache.calcite.sql2rel.RelFieldTrimmer(
                null,
                org.apache.calcite.rel.core.RelFactories.LOGICAL_BUILDER.create(
                    plan.getCluster(), null))
            .trim(plan);
    return trimmed.accept(
        new org.apache.calcite.rel.RelShuttleImpl() {
          @Override
          public RelNode visit(org.apache.calcite.rel.core.TableScan scan) {
            RosettaTable rosetta = scan.getTable().unwrap(RosettaTable.class);
            return rosetta == null
                ? super.visit(scan)
                : replacement.of(
                    rosetta, scan, ImmutableBitSet.range(scan.getRowType().getFieldCount()));
          }

          @Override
          public RelNode visit(LogicalProject project) {
            if (project.getInput() instanceof org.apache.calcite.rel.core.TableScan scan
                && scan.getTable().unwrap(RosettaTable.class) != null) {
              RelNode replaced =
                  replacement.of(
                      scan.getTable().unwrap(RosettaTable.class),
                      scan,
                      RelOptUtil.InputFinder.bits(project.getProjects(), null));
              return project.copy(project.getTraitSet(), List.of(replaced));
            }
            return super.visit(project);
          }
        });
  }

  /**
   * A logical plan with every scan of a rosetta_stone table replaced by its {@link #forecastPlan}:
   * what forecasts estimate from.
   */
  public static RelNode forForecast(RelNode plan) {
    return replaceScans(
        plan,
        (table, scan, used) ->
            table.forecastPlan(scan.getCluster(), used, scan.getTable().getRelOptSchema()));
  }
}
