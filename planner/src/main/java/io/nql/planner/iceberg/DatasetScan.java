package io.nql.planner.iceberg;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The scan of one dataset's rows, whichever plane they rest in: the embedded warehouse's Iceberg
 * scan or a data plane's (e.g. a PostgreSQL table's). The policy machinery — an access rule's
 * restricted plan, its barrier and meter, mappings and the Rosetta Stone — builds on this interface
 * only, so a rule keeps, hides and charges the same rows on every plane.
 *
 * <p>Every implementation is a {@link org.apache.calcite.rel.core.TableScan} in the enumerable
 * convention; {@link #rel()} is this scan as a plan node.
 */
public interface DatasetScan {
  /** This scan as a plan node. */
  default RelNode rel() {
    return (RelNode) this;
  }

  /** The table scanned (its qualified name is the caller's name of the dataset). */
  RelOptTable getTable();

  /** The scan's output columns. */
  RelDataType getRowType();

  /** The cluster the scan belongs to. */
  RelOptCluster getCluster();

  /**
   * The same scan serving one purpose (e.g. {@code "rule 12 v3"}: the dataset scan inside an access
   * rule's restricted plan). The purpose is part of the scan's identity: the planner never merges
   * it with a scan of the same table that serves another purpose, or none; and what the scan
   * reveals of its source in a plan is up to the rule's owner.
   */
  DatasetScan withPurpose(String purpose);

  /** What this scan serves, or null for a scan the caller wrote. */
  @Nullable String purpose();

  /**
   * The same scan with one more output column after the table's: {@code _row_id}, a BIGINT that
   * identifies the row within the statement, so a row read twice is charged once.
   */
  DatasetScan withRowIds();

  /** Whether the last output column is the row id. */
  boolean hasRowIds();

  /**
   * The same scan reading only the rows appended since a materialized view's last run.
   *
   * @param name the table as the caller named it, in errors and warnings
   * @throws io.nql.planner.error.NqlException NOT_SUPPORTED when the plane cannot read increments
   */
  DatasetScan withDelta(DeltaRead read, String name);
}
