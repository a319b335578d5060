package io.nql.bench.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The buyer's queries whose forecasts are measured: over the skewed dataset (through its two access
 * rules and the buyer's own CRM dataset) and over the demo marketplace. Literals are drawn with a
 * fixed seed from the values the data is known to hold ({@link SkewedData}), so the same seed gives
 * the same queries.
 *
 * <p>Skewed-data queries are templates: {@code {P}} is the priced rule, {@code {F}} the free rule,
 * {@code {C}} the buyer's CRM dataset. For NQL they become the tables the buyer names; for
 * PostgreSQL, subqueries with the rule's select list and WHERE clause over the plain table, so
 * PostgreSQL estimates exactly "rule predicate AND buyer predicate".
 */
final class ForecastQueries {
  /** The budget clause of queries that are not budget-capped. */
  static final String NO_LIMIT = "NO LIMIT";

  /**
   * One measured query.
   *
   * @param id short name in the report (s01.., d01..)
   * @param category what kind of predicate or shape it exercises
   * @param demo over the demo marketplace (no PostgreSQL twin)
   * @param template the SELECT, with placeholders for the skewed-data sources
   * @param budget the budget clause: {@link #NO_LIMIT} or {@code LIMIT <usd> USD}
   */
  record BenchQuery(String id, String category, boolean demo, String template, String budget) {
    /** The statement the buyer runs on NQL (with its budget clause). */
    String nql(Sources s) {
      return s.nql(template) + " " + budget;
    }

    /** The equivalent PostgreSQL SELECT, or null (demo data, or a budget cut PostgreSQL lacks). */
    String pg(Sources s) {
      return demo || !budget.equals(NO_LIMIT) ? null : s.pg(template);
    }

    boolean budgeted() {
      return !budget.equals(NO_LIMIT);
    }
  }

  /** What the placeholders stand for in NQL and in PostgreSQL. */
  record Sources(
      String nqlPriced,
      String nqlFree,
      String nqlCrm,
      String pgPriced,
      String pgFree,
      String pgCrm) {
    String nql(String t) {
      return t.replace("{P}", nqlPriced).replace("{F}", nqlFree).replace("{C}", nqlCrm);
    }

    String pg(String t) {
      return t.replace("{P}", pgPriced).replace("{F}", pgFree).replace("{C}", pgCrm);
    }
  }

  private final SkewedData data;
  private final SplittableRandom random;
  private final List<BenchQuery> out = new ArrayList<>();
  private String category;

  private ForecastQueries(SkewedData data, long seed) {
    this.data = data;
    this.random = new SplittableRandom(seed);
  }

  /** The skewed-data queries, then (unless {@code withDemo} is false) the demo ones. */
  static List<BenchQuery> all(SkewedData data, long seed, boolean withDemo) {
    ForecastQueries q = new ForecastQueries(data, seed);
    q.skewed();
    if (withDemo) {
      q.demo();
    }
    return List.copyOf(q.out);
  }

  /**
   * Single-source queries over the priced rule only, for timing EXPLAIN: the skewed-data queries
   * without joins, the free rule, the CRM or a budget (PostgreSQL runs the same statements).
   */
  static List<BenchQuery> singleSource(SkewedData data, long seed) {
    List<BenchQuery> list = new ArrayList<>();
    for (BenchQuery q : all(data, seed, false)) {
      if (!q.template().contains("{F}") && !q.template().contains("{C}") && !q.budgeted()) {
        list.add(q);
      }
    }
    return list;
  }

  private void add(String template) {
    add(template, NO_LIMIT);
  }

  private void add(String template, String budget) {
    String id = String.format(Locale.ROOT, "s%02d", out.size() + 1);
    out.add(new BenchQuery(id, category, false, template, budget));
  }

  private void demo(String template, String budget) {
    long n = out.stream().filter(BenchQuery::demo).count() + 1;
    out.add(
        new BenchQuery(String.format(Locale.ROOT, "d%02d", n), category, true, template, budget));
  }

  private int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  private String brand(int rank) {
    return "'" + SkewedData.brand(rank) + "'";
  }

  private static String day(int d) {
    return "TIMESTAMP '" + SkewedData.FIRST_DAY.plusDays(d).toString().replace('T', ' ') + ":00'";
  }

  private static final String SELECT_P = "SELECT e.id, e.brand, e.amount FROM {P} e WHERE ";

  private void skewed() {
    int users = data.users();
    long rows = data.rows();

    category = "equality, high cardinality";
    add(SELECT_P + "e.brand = " + brand(1));
    add(SELECT_P + "e.brand = " + brand(between(2, 10)));
    add(SELECT_P + "e.brand = " + brand(between(20, 100)));
    add(SELECT_P + "e.brand = " + brand(between(300, 1000)));
    add(SELECT_P + "e.user_id = " + data.userId(1));
    add(SELECT_P + "e.user_id = " + data.userId(between(10, 100)));
    add(SELECT_P + "e.user_id = " + data.userId(between(1000, Math.max(1000, users))));
    SkewedData.Row some = data.row(1 + random.nextLong(rows));
    add(SELECT_P + "e.email = '" + some.email() + "'");

    category = "equality, low cardinality";
    add(SELECT_P + "e.segment = 'wholesale'");
    add(SELECT_P + "e.channel = 'app'");
    add(SELECT_P + "e.state = 'GA'");

    category = "range";
    int[] amounts = {5, 20, 100, 500};
    add(SELECT_P + "e.amount > " + amounts[random.nextInt(amounts.length)] + ".00");
    add(SELECT_P + "e.income >= " + between(6, 12) * 10_000);
    add(SELECT_P + "e.age < " + between(20, 30));
    add(SELECT_P + "e.event_ts >= " + day(between(20, 28)));
    add(SELECT_P + "e.id <= " + Math.max(1, rows * between(1, 30) / 100));
    add(SELECT_P + "e.amount > 300.00"); // the log-normal's tail: about 0.35 % of the rows

    category = "BETWEEN";
    int a = between(25, 60);
    add(SELECT_P + "e.age BETWEEN " + a + " AND " + (a + between(0, 5)));
    add(SELECT_P + "e.amount BETWEEN 10.00 AND 20.00");
    int d = between(0, 25);
    add(SELECT_P + "e.event_ts BETWEEN " + day(d) + " AND " + day(d + 2));

    category = "IN list";
    add(
        SELECT_P
            + "e.brand IN ("
            + brand(between(2, 5))
            + ", "
            + brand(between(30, 80))
            + ", "
            + brand(between(400, 900))
            + ")");
    add(SELECT_P + "e.state IN ('CA', 'NY', 'WA')");
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      ids.append(i == 0 ? "" : ", ").append(data.userId(between(1, 200)));
    }
    add(SELECT_P + "e.user_id IN (" + ids + ")");

    category = "LIKE prefix";
    add(SELECT_P + "e.email LIKE 'u" + between(1, 9) + "%'");
    add(SELECT_P + "e.email LIKE 'u" + between(10, 99) + "%'");
    add(SELECT_P + "e.city LIKE 'San%'");
    add(SELECT_P + "e.brand LIKE 'brand_00%'");

    category = "IS NULL";
    add(SELECT_P + "e.age IS NULL");
    add(SELECT_P + "e.channel IS NULL AND e.segment = 'retail'");
    add(SELECT_P + "e.brand IS NULL");
    add(SELECT_P + "e.income IS NOT NULL");

    category = "OR";
    add(SELECT_P + "e.state = 'CO' OR e.brand = " + brand(1));
    add(SELECT_P + "e.segment = 'online' OR e.age < 25");
    add(SELECT_P + "e.channel IS NULL OR e.amount > 200.00");

    category = "correlated columns";
    add(SELECT_P + "e.state = 'CA' AND e.city = 'Los Angeles'");
    add(SELECT_P + "e.state = 'IL' AND e.city = 'Springfield'");
    add(SELECT_P + "e.city = 'Springfield'");
    add(SELECT_P + "e.state = 'TX' AND e.city = 'Boston'");
    add(SELECT_P + "e.age >= 65 AND e.income >= 100000");
    add(SELECT_P + "e.age < 25 AND e.income > 90000");

    category = "conjunction";
    add(SELECT_P + "e.segment = 'retail' AND e.channel = 'web' AND e.amount < 20.00");
    add(SELECT_P + "e.brand = " + brand(between(2, 4)) + " AND e.state = 'CA'");
    add(
        SELECT_P
            + "e.event_ts >= "
            + day(between(10, 20))
            + " AND e.segment = 'wholesale' AND e.age BETWEEN 30 AND 40");

    category = "free rule (expression column, time window)";
    add("SELECT f.id, f.age_band FROM {F} f WHERE f.age_band = " + between(2, 6) * 10);
    add("SELECT f.id FROM {F} f WHERE f.state = 'NY' AND f.event_ts >= " + day(between(2, 5)));
    add("SELECT f.id FROM {F} f WHERE f.event_ts >= " + day(between(15, 25)));
    add("SELECT f.id, f.brand FROM {F} f WHERE f.brand = " + brand(1));
    add("SELECT f.id FROM {F} f WHERE f.segment = 'internal'");

    category = "join";
    add(
        "SELECT e.id, c.tier FROM {P} e JOIN {C} c ON e.user_id = c.user_id"
            + " WHERE c.tier = 'gold'");
    add("SELECT e.id, f.age_band FROM {P} e JOIN {F} f ON e.id = f.id WHERE e.state = 'CA'");
    add(
        "SELECT e.id, c.tier FROM {P} e JOIN {C} c ON e.user_id = c.user_id"
            + " WHERE e.brand = "
            + brand(between(1, 3)));
    add("SELECT f.id, c.tier FROM {F} f JOIN {C} c ON f.user_id = c.user_id");

    category = "GROUP BY";
    add("SELECT e.state, COUNT(*) AS n FROM {P} e GROUP BY e.state");
    add("SELECT e.state, e.city, COUNT(*) AS n FROM {P} e GROUP BY e.state, e.city");
    add("SELECT e.brand, SUM(e.amount) AS total FROM {P} e GROUP BY e.brand");
    add(
        "SELECT e.user_id, COUNT(*) AS n FROM {P} e WHERE e.segment = 'online'"
            + " GROUP BY e.user_id");
    add("SELECT f.age_band, COUNT(*) AS n FROM {F} f GROUP BY f.age_band");
    add("SELECT e.segment, e.channel, COUNT(*) AS n FROM {P} e GROUP BY e.segment, e.channel");

    category = "budget cut";
    add("SELECT e.id, e.brand FROM {P} e", "LIMIT 0.10 USD");
    add("SELECT e.id, e.brand FROM {P} e WHERE e.state = 'CA'", "LIMIT 1.00 USD");
    add("SELECT e.id FROM {P} e WHERE e.brand = " + brand(between(300, 600)), "LIMIT 0.05 USD");
    add("SELECT COUNT(*) AS n FROM {P} e WHERE e.age > 30", "LIMIT 0.20 USD");
    add("SELECT e.id, c.tier FROM {P} e JOIN {C} c ON e.user_id = c.user_id", "LIMIT 0.50 USD");

    category = "own dataset";
    add("SELECT c.user_id FROM {C} c WHERE c.tier = 'gold'");
    add("SELECT c.tier, COUNT(*) AS n FROM {C} c GROUP BY c.tier");

    category = "row limit";
    add("SELECT e.id FROM {P} e WHERE e.segment = 'retail' LIMIT 100");
    add("SELECT e.id, e.amount FROM {P} e WHERE e.state = 'WA' ORDER BY e.amount DESC LIMIT 10");

    category = "no match";
    add(SELECT_P + "e.brand = 'brand_9999'");
    add(SELECT_P + "e.amount < 0.00");
    add(SELECT_P + "e.email = 'nobody@nowhere.example'");

    category = "other shapes";
    add(SELECT_P + "e.state <> 'CA'");
    add(SELECT_P + "e.email LIKE '%gmail%'");
    add(SELECT_P + "UPPER(e.city) = 'BOSTON'");
    add("SELECT COUNT(*) AS n FROM {P} e WHERE e.state = 'CA'");
    add("SELECT DISTINCT e.state FROM {P} e");
    add(
        "SELECT e.id FROM {P} e WHERE e.state = 'NY'"
            + " UNION ALL SELECT f.id FROM {F} f WHERE f.state = 'NY'");
    add(
        "SELECT e.id FROM {P} e WHERE e.user_id IN"
            + " (SELECT c.user_id FROM {C} c WHERE c.tier = 'gold')");
    add(
        "SELECT e.state, COUNT(*) AS n FROM {P} e GROUP BY e.state HAVING COUNT(*) > "
            + Math.max(1, rows / 20));
  }

  private void demo() {
    String us = "SELECT m.maid FROM acme.mobile_events_us m WHERE ";
    String sample = "acme.mobile_events_sample s";
    String purchases = "SELECT p.order_id, p.amount FROM globex.purchases_5usd_plus p WHERE ";

    category = "demo: equality";
    demo(us + "m.app_category = 'fitness'", NO_LIMIT);
    demo(us + "m.country = 'GBR'", NO_LIMIT);
    demo("SELECT s.country FROM " + sample + " WHERE s.country = 'USA'", NO_LIMIT);

    category = "demo: conjunction";
    demo(us + "m.sex = 'F' AND m.app_category IN ('games', 'social')", NO_LIMIT);
    demo(purchases + "p.product_category = 'toys' AND p.country = 'JPN'", NO_LIMIT);
    demo(purchases + "p.currency = 'EUR' AND p.country = 'DEU'", NO_LIMIT);

    category = "demo: range";
    demo(
        us
            + "m.event_ts >= TIMESTAMP '2026-10-10 00:00:00'"
            + " AND m.event_ts < TIMESTAMP '2026-10-12 00:00:00'",
        NO_LIMIT);
    demo(purchases + "p.amount > 100.00", NO_LIMIT);
    demo(purchases + "p.amount > 500.00", NO_LIMIT);
    demo(purchases + "p.amount BETWEEN 5.00 AND 10.00", NO_LIMIT);
    demo(
        "SELECT s.sex FROM " + sample + " WHERE s.event_ts >= TIMESTAMP '2026-10-05 00:00:00'",
        NO_LIMIT);
    demo(us + "m.email_sha256 LIKE 'ab%'", NO_LIMIT);

    category = "demo: GROUP BY";
    demo(
        "SELECT m.app_category, COUNT(*) AS n FROM acme.mobile_events_us m"
            + " GROUP BY m.app_category",
        NO_LIMIT);
    demo(
        "SELECT s.app_category, COUNT(*) AS n FROM " + sample + " GROUP BY s.app_category",
        NO_LIMIT);
    demo(
        "SELECT p.country, SUM(p.amount) AS total FROM globex.purchases_5usd_plus p"
            + " GROUP BY p.country",
        NO_LIMIT);

    category = "demo: join";
    demo(
        "SELECT m.maid, p.amount FROM acme.mobile_events_us m JOIN globex.purchases_5usd_plus p"
            + " ON m.email_sha256 = p.email_sha256"
            + " WHERE m.app_category = 'fitness' AND p.amount > 500.00",
        NO_LIMIT);

    category = "demo: budget cut";
    demo("SELECT m.maid FROM acme.mobile_events_us m", "LIMIT 0.50 USD");
    demo(purchases + "p.country = 'USA'", "LIMIT 2.00 USD");
  }
}
