package io.nql.planner.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The most rows a query can take from a rule scan: {@code OFFSET + FETCH} of a {@code LIMIT}
 * directly above it, where each part is a literal or a {@code ?} parameter (resolved when the
 * statement runs). The sum saturates: {@code LIMIT 9223372036854775807 OFFSET 1} caps nothing.
 *
 * @param fixed the sum of the literal parts
 * @param params indices of the {@code ?} parameters added to it
 */
public record RowCap(long fixed, List<Integer> params) {
  /** No cap. */
  public static final RowCap NONE = new RowCap(-1, List.of());

  public RowCap {
    params = List.copyOf(params);
  }

  /** The cap of {@code OFFSET offset FETCH fetch}, or null when a part is neither kind. */
  public static @Nullable RowCap of(RexNode fetch, @Nullable RexNode offset) {
    long fixed = 0;
    List<Integer> params = new ArrayList<>();
    List<RexNode> parts = new ArrayList<>();
    for (RexNode n : offset == null ? List.of(fetch) : List.of(fetch, offset)) {
      addends(n, parts);
    }
    for (RexNode part : parts) {
      if (part instanceof RexLiteral lit && lit.getValue() instanceof BigDecimal d) {
        long value =
            d.signum() < 0
                ? 0
                : d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0
                    ? Long.MAX_VALUE
                    : d.longValue();
        fixed = saturatedAdd(fixed, value);
      } else if (part instanceof RexDynamicParam p) {
        params.add(p.getIndex());
      } else {
        return null;
      }
    }
    return new RowCap(fixed, params);
  }

  /** The terms of a sum ({@code ?0 + 10}, as planner rules write OFFSET + FETCH), or the node. */
  private static void addends(RexNode n, List<RexNode> out) {
    if (n instanceof RexCall call && call.getKind() == SqlKind.PLUS) {
      for (RexNode operand : call.getOperands()) {
        addends(operand, out);
      }
    } else {
      out.add(n);
    }
  }

  /** A cap from its generated-code form: the literal part and comma-separated indices. */
  public static RowCap parse(long fixed, String params) {
    List<Integer> indices = new ArrayList<>();
    for (String p : params.isEmpty() ? new String[0] : params.split(",")) {
      indices.add(Integer.parseInt(p));
    }
    return new RowCap(fixed, indices);
  }

  /** Whether this caps anything. */
  public boolean isCapped() {
    return fixed >= 0;
  }

  /** Whether this cap is at most {@code other} for every parameter value (both capped). */
  public boolean atMost(RowCap other) {
    return isCapped() && other.isCapped() && params.equals(other.params) && fixed <= other.fixed;
  }

  /**
   * The cap for one execution, with the statement's parameter values (found in the context as
   * {@code ?0}, {@code ?1}, …), or -1 for none.
   */
  public long resolve(DataContext root) {
    long cap = sum(root);
    return cap == Long.MAX_VALUE ? -1 : cap;
  }

  /**
   * The value for one execution, saturated at {@code Long.MAX_VALUE}; -1 when there is none or a
   * parameter is NULL.
   */
  public long sum(DataContext root) {
    if (!isCapped()) {
      return -1;
    }
    long cap = fixed;
    for (int index : params) {
      Object v = root.get("?" + index);
      if (!(v instanceof Number n)) {
        return -1; // a NULL limit takes every row; the LIMIT above decides
      }
      cap = saturatedAdd(cap, Math.max(0, n.longValue()));
    }
    return cap;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** Plan text: the literal part, then {@code +?n} per parameter. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(Long.toString(fixed));
    for (int p : params) {
      b.append("+?").append(p);
    }
    return b.toString();
  }
}
