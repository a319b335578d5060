package io.nql.planner.vector;

import org.apache.calcite.rel.type.RelDataType;

/** A compiled value expression: binds to a batch to give its {@link Values}. */
interface Operand {
  /** The Calcite type of the values. */
  RelDataType type();

  /** The operand's values over a batch's rows. */
  Values bind(Batch batch);
}
