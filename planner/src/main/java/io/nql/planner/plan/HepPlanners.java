package io.nql.planner.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.Context;
import org.apache.calcite.plan.RelOptCostImpl;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRules;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The heuristic planners of the engine's own programs, all in Calcite's <em>large plan mode</em>
 * ({@link HepPlanner#setLargePlanMode}): the same rules to the same fixed point, without the
 * bookkeeping that made each rule firing cost a walk of the whole plan graph. With the default mode
 * a {@code TOP_DOWN} program collects the graph's garbage before every restart of its iterator,
 * that is after every transformation, and an {@code ARBITRARY} one rebuilds a depth-first list of
 * the graph; a join of forty rule tables has hundreds of vertices and needs about as many
 * transformations to place its WHERE clause, so planning it was quadratic in the tables. Large plan
 * mode removes only the vertices each transformation discarded and continues its iterator where the
 * transformation happened.
 */
public final class HepPlanners {
  private HepPlanners() {}

  /** Calcite's {@code RelOptRules.CALC_RULES}, one instruction each, as {@code Programs.calc}. */
  private static final HepProgram CALC = calcProgram();

  private static HepProgram calcProgram() {
    HepProgramBuilder b = HepProgram.builder();
    for (RelOptRule rule : RelOptRules.CALC_RULES) {
      b.addRuleInstance(rule);
    }
    return b.build();
  }

  /** A planner of {@code program} (which may share sub-plans: a DAG) in large plan mode. */
  public static HepPlanner of(HepProgram program, @Nullable Context context) {
    HepPlanner hep = new HepPlanner(program, context);
    hep.setLargePlanMode(true);
    return hep;
  }

  /** {@code program} applied to {@code rel} until no rule matches. */
  public static RelNode run(HepProgram program, @Nullable Context context, RelNode rel) {
    HepPlanner hep = of(program, context);
    hep.setRoot(rel);
    return hep.findBestExp();
  }

  /**
   * What Calcite's {@code Programs.calc(DefaultRelMetadataProvider.INSTANCE)} does to a physical
   * plan — enumerable projections and filters converted to calcs and merged — in large plan mode: a
   * tree (no shared sub-plans), with the default metadata provider set on the plan's cluster.
   */
  @SuppressWarnings("deprecation") // registerMetadataProviders: what Programs.of calls
  public static RelNode calc(RelNode rel) {
    HepPlanner hep = new HepPlanner(CALC, null, true, null, RelOptCostImpl.FACTORY);
    hep.setLargePlanMode(true);
    List<RelMetadataProvider> providers = new ArrayList<>();
    providers.add(DefaultRelMetadataProvider.INSTANCE);
    hep.registerMetadataProviders(providers); // puts Hep's own provider first, as Calcite does
    rel.getCluster().setMetadataProvider(ChainedRelMetadataProvider.of(providers));
    hep.setRoot(rel);
    return hep.findBestExp();
  }
}
