package io.nql.planner.vector;

import java.util.Arrays;
import java.util.List;

/** The boolean connectives and tests over compiled {@link Predicate}s and {@link Operand}s. */
final class Predicates {
  private Predicates() {}

  static Predicate constant(byte value) {
    return (batch, out) -> Arrays.fill(out, 0, batch.rows, value);
  }

  /** A BOOLEAN operand as a predicate (NULL is UNKNOWN). */
  static Predicate of(Operand operand) {
    return (batch, out) -> {
      Values v = operand.bind(batch);
      for (int i = 0; i < batch.rows; i++) {
        out[i] =
            v.isNull(i) ? Predicate.UNKNOWN : v.getLong(i) != 0 ? Predicate.TRUE : Predicate.FALSE;
      }
    };
  }

  static Predicate and(List<Predicate> operands) {
    return connective(operands, Predicate.FALSE, Predicate.TRUE);
  }

  static Predicate or(List<Predicate> operands) {
    return connective(operands, Predicate.TRUE, Predicate.FALSE);
  }

  /**
   * AND (FALSE dominates, TRUE is the identity) or OR (the reverse) in three-valued logic: the
   * dominant value wins, else UNKNOWN if any operand is UNKNOWN, else the identity.
   */
  private static Predicate connective(List<Predicate> operands, byte dominant, byte identity) {
    return (batch, out) -> {
      int n = batch.rows;
      Arrays.fill(out, 0, n, identity);
      byte[] tmp = new byte[n];
      for (Predicate p : operands) {
        p.eval(batch, tmp);
        for (int i = 0; i < n; i++) {
          byte a = out[i];
          byte b = tmp[i];
          out[i] =
              a == dominant || b == dominant
                  ? dominant
                  : a == Predicate.UNKNOWN || b == Predicate.UNKNOWN ? Predicate.UNKNOWN : identity;
        }
      }
    };
  }

  static Predicate not(Predicate p) {
    return (batch, out) -> {
      p.eval(batch, out);
      for (int i = 0; i < batch.rows; i++) {
        byte a = out[i];
        out[i] = a == Predicate.TRUE ? Predicate.FALSE : a == Predicate.FALSE ? Predicate.TRUE : a;
      }
    };
  }

  /** IS TRUE / IS FALSE / IS UNKNOWN (never UNKNOWN itself), optionally negated. */
  static Predicate is(Predicate p, byte value, boolean negated) {
    return (batch, out) -> {
      p.eval(batch, out);
      for (int i = 0; i < batch.rows; i++) {
        boolean hit = out[i] == value;
        out[i] = hit != negated ? Predicate.TRUE : Predicate.FALSE;
      }
    };
  }

  /** IS NULL / IS NOT NULL of a value. */
  static Predicate isNull(Operand operand, boolean negated) {
    return (batch, out) -> {
      Values v = operand.bind(batch);
      for (int i = 0; i < batch.rows; i++) {
        out[i] = v.isNull(i) != negated ? Predicate.TRUE : Predicate.FALSE;
      }
    };
  }

  /** A predicate's results as a BOOLEAN operand. */
  static Operand operand(Predicate p, org.apache.calcite.rel.type.RelDataType type) {
    return new Operand() {
      @Override
      public org.apache.calcite.rel.type.RelDataType type() {
        return type;
      }

      @Override
      public Values bind(Batch batch) {
        byte[] r = new byte[batch.rows];
        p.eval(batch, r);
        return new Values() {
          @Override
          public boolean isNull(int row) {
            return r[row] == Predicate.UNKNOWN;
          }

          @Override
          public long getLong(int row) {
            return r[row] == Predicate.TRUE ? 1 : 0;
          }
        };
      }
    };
  }
}
