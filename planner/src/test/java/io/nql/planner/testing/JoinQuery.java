package io.nql.planner.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One query of the many-table join suite over {@link JoinTables}: a comma join of tables, a WHERE
 * of equalities {@code a<i> = b<j>} and constants {@code a<t> = c}, the {@code x} column of each
 * table in some order, optionally ordered by the first. Knows its answer ({@link #expected}),
 * computed in plain Java from the visible rows.
 *
 * @param name a short label ({@code join-<tables>-<n>})
 * @param from the tables in FROM order (numbers 1..64)
 * @param equalities the equality conjuncts, in WHERE order after the constants are placed
 * @param constants the constant conjuncts
 * @param select the tables whose {@code x} column is selected, in order
 * @param orderBy whether the query orders by its first column (then its rows are a list)
 * @param extra further conjuncts, as SQL, that hold on every visible row (so the answer does not
 *     change) but fail or differ on hidden ones, e.g. {@code 100 / d3 > 0}
 */
public record JoinQuery(
    String name,
    List<Integer> from,
    List<Equality> equalities,
    List<Constant> constants,
    List<Integer> select,
    boolean orderBy,
    List<String> extra) {

  /**
   * {@code a<keyTable> = b<otherTable>}, written with the {@code b} side first when {@code bFirst}.
   */
  public record Equality(int keyTable, int otherTable, boolean bFirst) {
    String sql() {
      String a = "a" + keyTable;
      String b = "b" + otherTable;
      return bFirst ? b + "=" + a : a + "=" + b;
    }
  }

  /** {@code a<table> = value}. */
  public record Constant(int table, int value) {
    String sql() {
      return "a" + table + "=" + value;
    }
  }

  public JoinQuery {
    from = List.copyOf(from);
    equalities = List.copyOf(equalities);
    constants = List.copyOf(constants);
    select = List.copyOf(select);
    extra = List.copyOf(extra);
  }

  /** This query with more conjuncts that hold on every visible row. */
  public JoinQuery with(List<String> moreConjuncts) {
    List<String> all = new ArrayList<>(extra);
    all.addAll(moreConjuncts);
    return new JoinQuery(name, from, equalities, constants, select, orderBy, all);
  }

  /** The SQL, with each table {@code n} written as {@code tableName.apply(n)}. */
  public String sql(IntFunction<String> tableName) {
    StringBuilder sb = new StringBuilder("SELECT ");
    for (int i = 0; i < select.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('x').append(select.get(i));
    }
    sb.append("\n  FROM ");
    for (int i = 0; i < from.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(tableName.apply(from.get(i)));
    }
    List<String> where = new ArrayList<>();
    equalities.forEach(e -> where.add(e.sql()));
    // The constants go where the generator's seed put them: spread over the chain.
    for (int i = 0; i < constants.size(); i++) {
      int at = (int) ((long) (i + 1) * where.size() / (constants.size() + 1));
      where.add(at, constants.get(i).sql());
    }
    where.addAll(extra);
    for (int i = 0; i < where.size(); i++) {
      sb.append(i == 0 ? "\n WHERE " : "\n   AND ").append(where.get(i));
    }
    if (orderBy) {
      sb.append("\n ORDER BY 1");
    }
    return sb.toString();
  }

  /**
   * The answer over the visible rows of {@code data}: each row the {@code x} values in select
   * order. In order when {@link #orderBy()}, otherwise sorted (compare as a multiset).
   */
  public List<List<String>> expected(JoinTables data) {
    // Bind tables one at a time, each next one joined to those bound, checking every conjunct as
    // soon as its tables are bound: partial results stay as small as the answer.
    List<Integer> order = bindingOrder();
    List<Map<Integer, Integer>> partial = new ArrayList<>();
    partial.add(new HashMap<>());
    for (int table : order) {
      List<Map<Integer, Integer>> next = new ArrayList<>();
      for (Map<Integer, Integer> bound : partial) {
        for (int a = 1; a <= JoinTables.ROWS; a++) {
          Map<Integer, Integer> candidate = new HashMap<>(bound);
          candidate.put(table, a);
          if (holds(candidate, table, data)) {
            next.add(candidate);
          }
        }
      }
      partial = next;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<Integer, Integer> row : partial) {
      List<String> values = new ArrayList<>();
      for (int t : select) {
        values.add(JoinTables.x(t, row.get(t)));
      }
      rows.add(values);
    }
    // As text, the order of VARCHAR in NQL and of the usual collations alike: these values differ
    // only in the row number, and "row 10" sorts before "row 2".
    rows.sort(Comparator.comparing(r -> orderBy ? r.get(0) : r.toString()));
    return rows;
  }

  /** Tables in an order where each one after the first shares an equality with an earlier one. */
  private List<Integer> bindingOrder() {
    List<Integer> order = new ArrayList<>();
    List<Integer> left = new ArrayList<>(from);
    while (!left.isEmpty()) {
      Integer next = null;
      for (Integer t : left) {
        if (order.isEmpty() || connected(t, order)) {
          next = t;
          break;
        }
      }
      if (next == null) {
        next = left.get(0); // a separate component: a cross product
      }
      order.add(next);
      left.remove(next);
    }
    return order;
  }

  private boolean connected(int table, List<Integer> bound) {
    for (Equality e : equalities) {
      if ((e.keyTable() == table && bound.contains(e.otherTable()))
          || (e.otherTable() == table && bound.contains(e.keyTable()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the conjuncts that mention {@code table} and only bound tables hold. */
  private boolean holds(Map<Integer, Integer> row, int table, JoinTables data) {
    for (Constant c : constants) {
      if (c.table() == table && row.get(table) != c.value()) {
        return false;
      }
    }
    for (Equality e : equalities) {
      Integer a = row.get(e.keyTable());
      Integer other = row.get(e.otherTable());
      boolean mentions = e.keyTable() == table || e.otherTable() == table;
      if (mentions && a != null && other != null && a != data.b(e.otherTable(), other)) {
        return false;
      }
    }
    return true;
  }
}
