package io.nql.planner.policy.harness;

import io.nql.planner.policy.harness.StatementGenerator.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement while {@link StatementGenerator} writes it: its mode, table references (with the
 * filters on each), parameter values, and why its charge is not defined, if it is not.
 */
final class Draft {
  final Mode mode;
  final Map<Integer, Object> params = new LinkedHashMap<>();
  final List<Scan> scans = new ArrayList<>();
  String chargeUndefined;
  private int aliases;

  Draft(Mode mode) {
    this.mode = mode;
  }

  /** A statement that cannot be completed under the mode's constraints. */
  static final class Retry extends RuntimeException {
    Retry() {
      super(null, null, false, false);
    }
  }

  /** One reference to a table in the statement. */
  static final class Scan {
    final HarnessSource source;
    final String alias;
    final List<String> filters = new ArrayList<>();
    boolean nullSupplying;
    long cap = Long.MAX_VALUE;

    Scan(HarnessSource source, String alias) {
      this.source = source;
      this.alias = alias;
    }

    String col(String name) {
      return alias + "." + name;
    }
  }

  /**
   * A SELECT (or set operation) and what the top level needs to know about it.
   *
   * @param plainScan the only scan when the block is a filter and projection of it, else null
   * @param blocking the block reads all of its input before its first row (aggregate, window)
   */
  record Block(String sql, int columns, Scan plainScan, boolean blocking) {
    Block(String sql, int columns, Scan plainScan) {
      this(sql, columns, plainScan, false);
    }
  }

  Scan scan(HarnessSource s) {
    Scan scan = new Scan(s, "t" + ++aliases);
    scans.add(scan);
    return scan;
  }

  /** Records a parameter value; returns its token in the statement's text. */
  String param(Object value) {
    int n = params.size();
    params.put(n, value);
    return "?{" + n + "}";
  }

  /** Marks the statement's charge as not defined (the first reason is kept). */
  void undefined(String why) {
    if (chargeUndefined == null) {
      chargeUndefined = why;
    }
  }

  boolean differential() {
    return mode == Mode.DIFFERENTIAL;
  }

  /** Whether a predicate on this scan may be generated at all. */
  boolean mayFilter(Scan s) {
    return !(mode == Mode.CAPPED_BUDGET && s.source == HarnessSource.US);
  }
}
