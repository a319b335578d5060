package io.nql.planner.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic generator of {@code select5}-like queries over {@link JoinTables}: each joins
 * {@code k} distinct tables in a shuffled FROM list, connected by a random spanning tree of
 * equalities {@code a<i> = b<j>} in shuffled WHERE order; three in four pin one table with {@code
 * a<t> = c} (one row), the others return ten rows ordered by their first column. Every query
 * selects each table's {@code x} in shuffled order.
 */
public final class JoinQueries {
  private JoinQueries() {}

  /**
   * {@code count} queries over tables {@code t1..t<maxTables>} whose table counts cycle through
   * {@code minTables..maxTables}.
   *
   * @throws IllegalArgumentException when the range is empty or outside 2..{@link JoinTables#COUNT}
   */
  public static List<JoinQuery> suite(long seed, int count, int minTables, int maxTables) {
    if (minTables < 2 || maxTables > JoinTables.COUNT || minTables > maxTables) {
      throw new IllegalArgumentException(
          "Cannot generate joins of " + minTables + ".." + maxTables + " tables");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<JoinQuery> queries = new ArrayList<>();
    int span = maxTables - minTables + 1;
    for (int i = 0; i < count; i++) {
      int k = minTables + i % span;
      queries.add(query("join-" + k + "-" + (1 + i / span), k, maxTables, random));
    }
    return queries;
  }

  private static JoinQuery query(String name, int k, int available, SplittableRandom random) {
    List<Integer> all = new ArrayList<>();
    for (int t = 1; t <= available; t++) {
      all.add(t);
    }
    shuffle(all, random);
    List<Integer> tables = new ArrayList<>(all.subList(0, k));
    List<JoinQuery.Equality> equalities = new ArrayList<>();
    for (int i = 1; i < k; i++) {
      int earlier = tables.get(random.nextInt(i));
      int table = tables.get(i);
      boolean keyHere = random.nextBoolean();
      equalities.add(
          new JoinQuery.Equality(
              keyHere ? table : earlier, keyHere ? earlier : table, random.nextBoolean()));
    }
    shuffle(equalities, random);
    List<JoinQuery.Constant> constants = new ArrayList<>();
    boolean pinned = random.nextInt(4) != 0;
    if (pinned) {
      constants.add(
          new JoinQuery.Constant(
              tables.get(random.nextInt(k)), 1 + random.nextInt(JoinTables.ROWS)));
    }
    List<Integer> from = new ArrayList<>(tables);
    shuffle(from, random);
    List<Integer> select = new ArrayList<>(tables);
    shuffle(select, random);
    return new JoinQuery(name, from, equalities, constants, select, !pinned, List.of());
  }

  /**
   * The chain {@code SELECT x1, …, x<n> FROM t1, …, t<n> WHERE a1=b2 AND a2=b3 AND …}: ten rows, in
   * no particular order.
   */
  public static JoinQuery chain(int tables) {
    List<Integer> from = new ArrayList<>();
    List<JoinQuery.Equality> equalities = new ArrayList<>();
    for (int t = 1; t <= tables; t++) {
      from.add(t);
      if (t < tables) {
        equalities.add(new JoinQuery.Equality(t, t + 1, false));
      }
    }
    return new JoinQuery("chain-" + tables, from, equalities, List.of(), from, false, List.of());
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, random.nextInt(i + 1));
    }
  }
}
