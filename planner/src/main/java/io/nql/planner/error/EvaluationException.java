package io.nql.planner.error;

/**
 * An error raised by evaluating an expression on a row (a domain error of a function, a substring
 * of negative length, …), as opposed to an error the engine raises about the statement or itself.
 * Like every failure of evaluating a buyer's expression, it charges the rule row it failed on
 * (payment invariant: see docs/reference/access-rules.md, "Errors are paid for, and carry no
 * values"); its message names what is wrong and never the value.
 */
public final class EvaluationException extends NqlException {
  public EvaluationException(ErrorCode code, String message) {
    super(code, message);
  }
}
