package io.nql.bench;

import java.sql.SQLException;
import java.sql.Statement;

/** Sanity checks that stop the benchmark when the two systems would not compare like for like. */
final class Checks {
  private Checks() {}

  static void equal(String what, long expected, long actual) {
    if (expected != actual) {
      throw new IllegalStateException(
          "Cannot compare: " + what + " is " + actual + ", expected " + expected);
    }
  }

  /** The statement must fail: the buyer may not read what it names. */
  static void refused(String system, Statement s, String sql) {
    try {
      s.execute(sql);
    } catch (SQLException expected) {
      return;
    }
    throw new IllegalStateException(
        "Cannot compare: "
            + system
            + " lets the buyer run "
            + sql
            + " (the policy should refuse it)");
  }
}
