package io.nql.planner.policy;

import io.nql.planner.error.EvaluationException;
import io.nql.planner.error.NqlException;
import java.io.UncheckedIOException;

/** Tells failures of evaluating an expression on a row from failures of the engine itself. */
final class EvaluationFailures {
  private EvaluationFailures() {}

  /**
   * Whether a failure raised while a rule's rows were pulled came from evaluating an expression on
   * a row (a division by zero, a failed cast, an overflow, an {@link EvaluationException}, …), as
   * opposed to the engine's own failures (I/O, cancel, an error the engine raised deliberately).
   * When in doubt it says yes: an evaluation failure is charged as a delivered row, and a charge is
   * the safe side of the payment invariant.
   */
  static boolean isOnRow(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EvaluationException) {
        return true;
      }
      if (c instanceof NqlException || c instanceof UncheckedIOException) {
        return false;
      }
    }
    return true;
  }
}
