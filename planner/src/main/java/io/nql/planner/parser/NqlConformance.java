package io.nql.planner.parser;

import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Calcite's default conformance, plus {@code OFFSET n ROWS LIMIT m} (Postgres order), which NQL
 * needs so that {@code ... OFFSET 10 ROWS LIMIT 5 USD} parses, and {@code GROUP BY 1} (a select
 * item by its position, as in PostgreSQL; BI tools generate it). {@code LIMIT start, count} stays
 * disallowed. Both are resolved by the validator, before the policy rewrite sees the plan.
 *
 * <p>{@link #checkedArithmetic()} stays Calcite's default (false): NQL checks integer arithmetic
 * itself while converting SQL ({@code io.nql.planner.plan.CheckedArithmetic}). In Calcite 1.42 the
 * flag is read only by {@code Prepare}, which NQL does not use, and the operators it would bring
 * are treated as unable to fail by 1.42's simplifier.
 */
public final class NqlConformance extends SqlDelegatingConformance {
  /** The one instance. */
  public static final SqlConformance INSTANCE = new NqlConformance();

  private NqlConformance() {
    super(SqlConformanceEnum.DEFAULT);
  }

  @Override
  public boolean isOffsetLimitAllowed() {
    return true;
  }

  @Override
  public boolean isGroupByOrdinal() {
    return true;
  }

  @Override
  public boolean isLimitStartCountAllowed() {
    return false;
  }
}
