package io.nql.planner.iceberg;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;

/** Planner rules that push work into {@link IcebergTableScan}, as constants. */
public final class IcebergRules {
  private IcebergRules() {}

  /** Pushes the translatable part of a filter into the scan; the whole filter stays above. */
  public static final RelOptRule FILTER_SCAN = new IcebergFilterScanRule();

  /** Narrows a scan to the columns a project above it uses. */
  public static final RelOptRule PROJECT_SCAN = new IcebergProjectScanRule();

  /** All rules of the adapter. */
  public static final List<RelOptRule> RULES = List.of(FILTER_SCAN, PROJECT_SCAN);
}
