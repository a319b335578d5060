package io.nql.planner.policy.harness;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A seeded generator of buyer statements over {@link HarnessSource}s: joins of every type, set
 * operations (a rule with itself too), IN / EXISTS / scalar subqueries (correlated or not),
 * windows, aggregates with GROUP BY and HAVING, IN lists of 1 to 60 values, CASE, CAST, division,
 * string functions, row limits (huge ones and {@code LIMIT ?}), budget clauses and {@code ?}
 * parameters. The same seed gives the same statements.
 *
 * <p>For the differential mode it also records, per rule scan, the buyer's <em>filters on that
 * scan</em> (see {@link StatementGenerator.Mode#DIFFERENTIAL}), from which the expected charge is
 * counted; statements whose charge would depend on the plan say so ({@code chargeUndefined}).
 */
public final class StatementGenerator {

  /** Which statements to generate, by the pair of worlds (or the oracle) they are checked on. */
  public enum Mode {
    /** Any statement and budget (for worlds that differ in what no budget can buy). */
    ANY_BUDGET,
    /** A priced rule is read, the budget buys nothing (session default, 0 USD, 0.0005 USD). */
    ZERO_BUDGET,
    /**
     * {@code us_events} is read with no predicate on it at all, no other priced rule is read, and
     * the budget buys at most {@link WorldData#US_ROWS} of its rows.
     */
    CAPPED_BUDGET,
    /**
     * No pseudo-columns, no unreachable names, {@code NO LIMIT} (or a large session budget), no
     * predicate over two tables of an outer join. Filters on a scan are: WHERE conjuncts that
     * reference only that scan's alias (never generated for the null-supplying side of an outer
     * join), and ON conjuncts that reference only that alias when it is a side of an inner join or
     * the null-supplying side of an outer join. An ON conjunct on the preserved side filters
     * nothing; a semi-join (IN / EXISTS over a subquery), a comparison with a subquery, HAVING, and
     * a filter on a window's output are not filters on the scan below them.
     */
    DIFFERENTIAL
  }

  private static final long HUGE = Long.MAX_VALUE;

  private final long seed;
  private final Random random;
  private final HarnessCatalog catalog;
  private final Shapes shapes;
  private int index;

  public StatementGenerator(long seed, HarnessCatalog catalog) {
    this.seed = seed;
    this.random = new Random(seed);
    this.catalog = catalog;
    this.shapes = new Shapes(random, catalog, new Expressions(random, catalog));
  }

  /** The next statement for {@code mode}. */
  public HarnessStatement next(Mode mode) {
    int position = index++;
    while (true) {
      Draft c = new Draft(mode);
      try {
        return generate(c, position);
      } catch (Draft.Retry e) {
        // the shape could not be built under the mode's constraints: draw another
      }
    }
  }

  // ---------------------------------------------------------------------------------- top level

  private HarnessStatement generate(Draft c, int position) {
    int k = random.nextInt(100);
    boolean nonDiff = !c.differential();
    String shape;
    Draft.Block b;
    if (k < 12) {
      shape = "single";
      b = shapes.single(c, false);
    } else if (k < 28) {
      shape = "join";
      b = shapes.join(c);
    } else if (k < 39) {
      shape = "aggregate";
      b = shapes.aggregate(c);
    } else if (k < 49) {
      shape = "set operation";
      b = shapes.setOperation(c);
    } else if (k < 56) {
      shape = "IN subquery";
      b = shapes.inSubquery(c);
    } else if (k < 61) {
      shape = "EXISTS";
      b = shapes.exists(c);
    } else if (k < 67) {
      shape = "scalar subquery";
      b = shapes.scalarSubquery(c);
    } else if (k < 75) {
      shape = "window";
      b = shapes.window(c);
    } else if (k < 83) {
      shape = "IN list";
      b = shapes.single(c, true);
    } else if (k < 88) {
      shape = "CTE";
      b = shapes.cte(c);
    } else if (k < 94 && nonDiff && c.mode != Mode.CAPPED_BUDGET) {
      shape = "names";
      b = shapes.probe(c);
    } else if (k < 97 && c.mode == Mode.ANY_BUDGET) {
      // A plan may depend on the rule's estimated rows, which its forecast publishes: so plans
      // are compared only between worlds that differ in what no budget buys.
      if (random.nextBoolean()) {
        shape = "EXPLAIN PLAN FOR";
        Draft.Block inner = random.nextBoolean() ? shapes.join(c) : shapes.single(c, false);
        b = new Draft.Block("EXPLAIN PLAN FOR " + inner.sql(), 1, null);
        checkSources(c, false);
        return finish(c, position, shape, b.sql(), false, Budget.DEFAULT);
      }
      // A forecast publishes statistics of the rule's own rows: it must not depend on anything
      // the rule hides (rows, columns, other companies), so it is compared between such worlds.
      shape = "EXPLAIN forecast";
      Draft.Block inner =
          switch (random.nextInt(5)) {
            case 0 -> shapes.join(c);
            case 1 -> shapes.aggregate(c);
            case 2 -> shapes.inSubquery(c);
            case 3 -> shapes.single(c, true);
            default -> shapes.single(c, false);
          };
      String format = random.nextInt(4) == 0 ? "EXPLAIN (FORMAT JSON) " : "EXPLAIN ";
      String clause =
          switch (random.nextInt(3)) {
            case 0 -> " NO LIMIT";
            case 1 -> " LIMIT 0.05 USD";
            default -> "";
          };
      checkSources(c, false);
      return finish(c, position, shape, format + inner.sql() + clause, false, Budget.DEFAULT);
    } else if (nonDiff && c.mode != Mode.CAPPED_BUDGET) {
      shape = "metadata";
      String sql =
          switch (random.nextInt(4)) {
            case 0 -> "SHOW ACCESS RULES";
            case 1 -> "SHOW DATASETS";
            case 2 -> "DESCRIBE " + pick(List.of(HarnessSource.values())).token();
            default -> "DESCRIBE " + pick(catalog.probes());
          };
      return finish(c, position, shape, sql, false, Budget.DEFAULT);
    } else {
      shape = "single";
      b = shapes.single(c, false);
    }
    if (!shape.equals("names")) {
      checkSources(c, true);
    }
    StringBuilder sql = new StringBuilder(b.sql());
    boolean ordered = false;
    boolean orderBy = random.nextInt(100) < 40;
    if (orderBy) {
      StringJoiner j = new StringJoiner(", ", " ORDER BY ", "");
      for (int i = 1; i <= b.columns(); i++) {
        j.add(i + (random.nextInt(4) == 0 ? " DESC" : ""));
      }
      sql.append(j);
      ordered = true;
    }
    String unlimited = null;
    boolean direct = b.plainScan() != null && !orderBy;
    // Which rows a limit without ORDER BY over a join or a set operation keeps depends on the
    // plan, and a plan may depend on a rule's estimated rows, which its forecast publishes: such
    // limits are only written for worlds that differ in what no budget buys.
    boolean planFree =
        orderBy || direct || b.blocking() || c.mode == Mode.ANY_BUDGET || c.differential();
    if (random.nextInt(100) < 35 && planFree) {
      if (!orderBy) {
        unlimited = sql.toString();
        if (!direct && !b.blocking()) {
          c.undefined("a row limit without ORDER BY over a join or a set operation");
        }
      }
      sql.append(rowLimit(c, b, orderBy, direct));
    }
    HarnessStatement st = finish(c, position, shape, sql.toString(), ordered, null);
    return unlimited == null ? st : st.withUnlimited(unlimited);
  }

  /** Row limit clauses; records the cap on a direct scan and undefined charges. */
  private String rowLimit(Draft c, Draft.Block b, boolean orderBy, boolean direct) {
    long n = pick(new long[] {0, 1, 2, 3, 5, 10, 25, 100, 2147483647L, 2147483648L, HUGE});
    long off = random.nextInt(3) == 0 ? pick(new long[] {0, 1, 5, 50, HUGE}) : -1;
    if (n == 0 && !direct) {
      // nothing needs to be read for no rows: the charge would depend on the plan
      c.undefined("a zero row limit");
    }
    String text;
    long cap;
    switch (random.nextInt(7)) {
      case 0 -> {
        text = " FETCH FIRST " + n + " ROWS ONLY";
        cap = n;
      }
      case 1 -> {
        long o = Math.max(off, 0);
        text = " OFFSET " + o + " ROWS FETCH NEXT " + n + " ROWS ONLY";
        cap = saturatedAdd(n, o);
      }
      case 2 -> {
        text = " LIMIT " + n + " ROWS";
        cap = n;
      }
      case 3 -> {
        long o = Math.max(off, 1);
        text = " OFFSET " + o + " ROWS";
        cap = HUGE;
      }
      case 4 -> {
        Object value = n <= Integer.MAX_VALUE && random.nextBoolean() ? (Object) (int) n : n;
        text = " LIMIT " + c.param(value);
        cap = n;
      }
      default -> {
        text = " LIMIT " + n + (off >= 0 ? " OFFSET " + off : "");
        cap = saturatedAdd(n, Math.max(off, 0));
      }
    }
    if (direct) {
      // the offset's rows are delivered to the query (and charged), but with no row to return
      // nothing needs to be read at all
      b.plainScan().cap = n == 0 && cap != HUGE ? 0 : cap;
    }
    return text;
  }

  private HarnessStatement finish(
      Draft c, int position, String shape, String sql, boolean ordered, Budget fixed) {
    Budget budget = fixed != null ? fixed : budget(c);
    List<HarnessStatement.ExpectedCharge> charges = new ArrayList<>();
    if (c.differential()) {
      charges = expectedCharges(c);
    }
    return new HarnessStatement(
        seed,
        position,
        c.mode,
        shape,
        sql,
        Map.copyOf(c.params),
        budget,
        ordered,
        charges,
        c.differential() ? c.chargeUndefined : "not a differential statement",
        c.differential() ? scanCounts(c) : List.of(),
        null);
  }

  private Budget budget(Draft c) {
    boolean params = !c.params.isEmpty();
    return switch (c.mode) {
      case DIFFERENTIAL -> params ? Budget.session("1000000") : Budget.clause("NO LIMIT");
      case ZERO_BUDGET ->
          params
              ? (random.nextBoolean() ? Budget.DEFAULT : Budget.session("0"))
              : pick(
                  List.of(
                      Budget.DEFAULT,
                      Budget.DEFAULT,
                      Budget.clause("LIMIT 0 USD"),
                      Budget.clause("BUDGET 0 USD"),
                      Budget.clause("LIMIT 0.0005 USD"),
                      Budget.clause("LIMIT 0.00 USD")));
      case CAPPED_BUDGET ->
          params
              ? Budget.session(pick(List.of("0.12", "0.05", "0")))
              : pick(
                  List.of(
                      Budget.clause("LIMIT 0.12 USD"),
                      Budget.clause("LIMIT 0.12 USD"),
                      Budget.clause("BUDGET 0.1205 USD"),
                      Budget.clause("LIMIT 0.05 USD"),
                      Budget.clause("LIMIT 0.002 USD"),
                      Budget.DEFAULT));
      case ANY_BUDGET ->
          params
              ? Budget.session(pick(List.of("0", "0.05", "1000")))
              : pick(
                  List.of(
                      Budget.DEFAULT,
                      Budget.clause("NO LIMIT"),
                      Budget.clause("NO LIMIT"),
                      Budget.clause("NO LIMIT"),
                      Budget.clause("LIMIT 0 USD"),
                      Budget.clause("LIMIT 0.01 USD"),
                      Budget.clause("LIMIT 0.05 USD"),
                      Budget.clause("LIMIT 0.12 USD"),
                      Budget.clause("BUDGET 1 USD"),
                      Budget.clause("LIMIT 2.5 USD")));
    };
  }

  /** Rejects statements that do not read what the mode is about. */
  private void checkSources(Draft c, boolean needRule) {
    Set<HarnessSource> read = EnumSet.noneOf(HarnessSource.class);
    c.scans.forEach(s -> read.add(s.source));
    switch (c.mode) {
      case ZERO_BUDGET -> {
        if (!read.contains(HarnessSource.US) && !read.contains(HarnessSource.GBR)) {
          throw new Draft.Retry();
        }
      }
      case CAPPED_BUDGET -> {
        if (!read.contains(HarnessSource.US) || read.contains(HarnessSource.GBR)) {
          throw new Draft.Retry();
        }
      }
      default -> {
        if (needRule && read.stream().noneMatch(HarnessSource::isRule)) {
          throw new Draft.Retry();
        }
      }
    }
  }

  /** Per scan, the count of the rows its own filters keep. */
  private static List<String> scanCounts(Draft c) {
    List<String> out = new ArrayList<>();
    for (Draft.Scan s : c.scans) {
      StringJoiner and = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
      for (String f : s.filters) {
        and.add(f.replaceAll("\\b" + s.alias + "\\.", "r."));
      }
      out.add("SELECT COUNT(*) FROM " + s.source.token() + " r" + and);
    }
    return out;
  }

  private List<HarnessStatement.ExpectedCharge> expectedCharges(Draft c) {
    Map<HarnessSource, List<Draft.Scan>> byRule = new EnumMap<>(HarnessSource.class);
    for (Draft.Scan s : c.scans) {
      if (s.source.isRule()) {
        byRule.computeIfAbsent(s.source, k -> new ArrayList<>()).add(s);
      }
    }
    List<HarnessStatement.ExpectedCharge> out = new ArrayList<>();
    for (Map.Entry<HarnessSource, List<Draft.Scan>> e : byRule.entrySet()) {
      long cap = HUGE;
      StringJoiner or = new StringJoiner(" OR ");
      boolean unfiltered = false;
      for (Draft.Scan s : e.getValue()) {
        StringJoiner and = new StringJoiner(" AND ", "(", ")");
        int n = 0;
        cap = Math.min(cap, s.cap);
        for (String f : s.filters) {
          and.add(f.replaceAll("\\b" + s.alias + "\\.", "r."));
          n++;
        }
        if (n == 0) {
          unfiltered = true;
        }
        or.add(and.toString());
      }
      String count = "SELECT COUNT(*) FROM " + e.getKey().token() + " r";
      if (!unfiltered) {
        count += " WHERE " + or;
      }
      out.add(new HarnessStatement.ExpectedCharge(e.getKey(), count, cap));
    }
    return out;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private long pick(long[] array) {
    return array[random.nextInt(array.length)];
  }
}
