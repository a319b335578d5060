package io.nql.planner.policy.harness;

import io.nql.planner.policy.harness.Draft.Block;
import io.nql.planner.policy.harness.Draft.Scan;
import io.nql.planner.policy.harness.Expressions.Expr;
import io.nql.planner.policy.harness.HarnessSource.Column;
import io.nql.planner.policy.harness.HarnessSource.Kind;
import io.nql.planner.policy.harness.StatementGenerator.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

/**
 * The shapes of statement {@link StatementGenerator} writes: one table, joins of every type (three
 * tables too), aggregates, set operations, IN / EXISTS / scalar subqueries, windows, CTEs, and
 * names a buyer must not reach. Each records its scans and the filters on them in the {@link Draft}
 * (see {@link StatementGenerator.Mode#DIFFERENTIAL} for what a filter on a scan is).
 */
final class Shapes {
  private final Random random;
  private final HarnessCatalog catalog;
  private final Expressions expressions;

  Shapes(Random random, HarnessCatalog catalog, Expressions expressions) {
    this.random = random;
    this.catalog = catalog;
    this.expressions = expressions;
  }

  Block single(Draft c, boolean inList) {
    Scan a = c.scan(source(c, true));
    List<String> where = new ArrayList<>();
    if (inList && c.mayFilter(a)) {
      filter(a, where, expressions.inList(a.alias, a.source, 1 + random.nextInt(60)));
    }
    int preds = random.nextInt(inList ? 2 : 4);
    for (int i = 0; i < preds && c.mayFilter(a); i++) {
      filter(a, where, predicate(c, a));
    }
    boolean distinct = random.nextInt(10) == 0;
    String select;
    int columns;
    if (!c.differential() && !distinct && random.nextInt(12) == 0) {
      select = "*";
      columns = a.source.columns().size() + (a.source.isRule() ? 3 : 0);
    } else {
      columns = 1 + random.nextInt(4);
      select = projection(c, List.of(a), columns);
    }
    String sql =
        "SELECT "
            + (distinct ? "DISTINCT " : "")
            + select
            + " FROM "
            + a.source.token()
            + " "
            + a.alias
            + where(where);
    return new Block(sql, columns, distinct ? null : a);
  }

  Block join(Draft c) {
    FromWhere fw = joinFromWhere(c, true);
    int columns = 1 + random.nextInt(4);
    return new Block(
        "SELECT " + projection(c, fw.scans, columns) + " FROM " + fw.from + where(fw.where),
        columns,
        null);
  }

  private record FromWhere(String from, List<String> where, List<Scan> scans) {}

  private FromWhere joinFromWhere(Draft c, boolean outerJoins) {
    Scan a = c.scan(source(c, true));
    Scan b = c.scan(source(c, false));
    int t = outerJoins ? random.nextInt(100) : 0;
    String type;
    if (t < 40) {
      type = "JOIN";
    } else if (t < 65) {
      type = "LEFT JOIN";
      b.nullSupplying = true;
    } else if (t < 80) {
      type = "RIGHT JOIN";
      a.nullSupplying = true;
    } else {
      type = "FULL JOIN";
      a.nullSupplying = true;
      b.nullSupplying = true;
    }
    String key = random.nextInt(3) == 0 ? "grp" : "id";
    StringBuilder from =
        new StringBuilder(a.source.token())
            .append(' ')
            .append(a.alias)
            .append(' ')
            .append(type)
            .append(' ')
            .append(b.source.token())
            .append(' ')
            .append(b.alias)
            .append(" ON ")
            .append(a.col(key))
            .append(" = ")
            .append(b.col(key));
    if (random.nextInt(10) < 3) {
      Scan side = random.nextBoolean() ? a : b;
      if (c.mayFilter(side)) {
        // no IS NULL: with the join key it makes a condition a planner proves false
        String p = expressions.comparisonWithoutNullTest(side.alias, side.source);
        from.append(" AND ").append(p);
        boolean inner = type.equals("JOIN");
        // an ON conjunct filters an inner side or the null-supplying side of an outer join
        if (inner || (side.nullSupplying && !type.equals("FULL JOIN"))) {
          side.filters.add(p);
        }
      }
    }
    List<Scan> scans = new ArrayList<>(List.of(a, b));
    if (type.equals("JOIN") && random.nextInt(100) < 15) {
      Scan d = c.scan(source(c, false));
      from.append(" JOIN ")
          .append(d.source.token())
          .append(' ')
          .append(d.alias)
          .append(" ON ")
          .append(b.col("grp"))
          .append(" = ")
          .append(d.col("grp"));
      scans.add(d);
    }
    List<String> where = new ArrayList<>();
    int preds = random.nextInt(3);
    for (int i = 0; i < preds; i++) {
      Scan s = pick(scans);
      if (!c.mayFilter(s) || (s.nullSupplying && c.differential())) {
        continue;
      }
      filter(s, where, predicate(c, s));
    }
    boolean outer = !type.equals("JOIN");
    // in differential mode never over an outer join: it may reject the null-extended rows and
    // make the join an inner one, whose ON conjuncts then filter the preserved side too
    if (random.nextInt(100) < 12
        && scans.stream().allMatch(c::mayFilter)
        && !(outer && c.differential())) {
      // a predicate over two tables: a filter on neither scan
      where.add(scans.get(0).col("grp") + " <= " + scans.get(1).col("grp") + " + 2");
    }
    return new FromWhere(from.toString(), where, scans);
  }

  private FromWhere singleFromWhere(Draft c) {
    Scan a = c.scan(source(c, true));
    List<String> where = new ArrayList<>();
    int preds = random.nextInt(3);
    for (int i = 0; i < preds && c.mayFilter(a); i++) {
      filter(a, where, predicate(c, a));
    }
    return new FromWhere(a.source.token() + " " + a.alias, where, List.of(a));
  }

  Block aggregate(Draft c) {
    FromWhere fw = random.nextInt(3) == 0 ? joinFromWhere(c, true) : singleFromWhere(c);
    List<String> items = new ArrayList<>();
    String group = null;
    if (random.nextInt(5) > 0) {
      Scan g = pick(fw.scans);
      group =
          switch (random.nextInt(4)) {
            case 0 -> g.col("id") + " / 50";
            case 1 -> stringColumn(g) != null ? g.col(stringColumn(g).name()) : g.col("grp");
            default -> g.col("grp");
          };
      items.add(group + " AS c1");
    }
    int aggs = 1 + random.nextInt(3);
    for (int i = 0; i < aggs; i++) {
      Scan s = pick(fw.scans);
      Expr e = numericExpr(s);
      String agg =
          switch (random.nextInt(7)) {
            case 0 -> "COUNT(*)";
            case 1 -> "COUNT(DISTINCT " + s.col("grp") + ")";
            case 2 -> "SUM(" + e.sql() + ")";
            case 3 -> "MIN(" + e.sql() + ")";
            case 4 -> "MAX(" + e.sql() + ")";
            case 5 -> "AVG(" + e.sql() + ")";
            default -> "COUNT(" + e.sql() + ")";
          };
      items.add(agg + " AS c" + (items.size() + 1));
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(String.join(", ", items))
            .append(" FROM ")
            .append(fw.from)
            .append(where(fw.where));
    if (group != null) {
      sql.append(" GROUP BY ").append(group);
    }
    if (random.nextInt(10) < 3) {
      Scan s = pick(fw.scans);
      if (c.mayFilter(s)) {
        Expr e = numericExpr(s);
        sql.append(" HAVING ")
            .append(
                switch (random.nextInt(3)) {
                  case 0 -> "COUNT(*) > " + random.nextInt(6);
                  case 1 -> "SUM(" + e.sql() + ") > " + expressions.literal(e);
                  default -> "MAX(" + e.sql() + ") >= " + expressions.literal(e);
                });
      }
    }
    return new Block(sql.toString(), items.size(), null, true);
  }

  Block setOperation(Draft c) {
    int branches = random.nextInt(100) < 15 ? 3 : 2;
    boolean idOnly = random.nextInt(4) == 0;
    StringBuilder sql = new StringBuilder();
    HarnessSource first = null;
    for (int i = 0; i < branches; i++) {
      HarnessSource src = first != null && random.nextInt(10) < 4 ? first : source(c, i == 0);
      if (first == null) {
        first = src;
      }
      Scan a = c.scan(src);
      List<String> where = new ArrayList<>();
      int preds = random.nextInt(3);
      for (int p = 0; p < preds && c.mayFilter(a); p++) {
        filter(a, where, predicate(c, a));
      }
      if (i > 0) {
        sql.append(
            pick(List.of(" UNION ", " UNION ALL ", " INTERSECT ", " EXCEPT ", " UNION ALL ")));
      }
      sql.append("SELECT ")
          .append(a.col("id"))
          .append(" AS c1")
          .append(idOnly ? "" : ", " + a.col("grp") + " AS c2")
          .append(" FROM ")
          .append(src.token())
          .append(' ')
          .append(a.alias)
          .append(where(where));
    }
    return new Block(sql.toString(), idOnly ? 1 : 2, null);
  }

  Block inSubquery(Draft c) {
    Scan a = c.scan(source(c, true));
    if (!c.mayFilter(a)) {
      throw new Draft.Retry(); // a semi-join on the outer scan is a predicate on it
    }
    HarnessSource inner = random.nextInt(10) < 3 ? a.source : source(c, false);
    Scan b = c.scan(inner);
    String key = random.nextBoolean() ? "id" : "grp";
    List<String> sub = new ArrayList<>();
    int preds = random.nextInt(3);
    for (int i = 0; i < preds && c.mayFilter(b); i++) {
      filter(b, sub, predicate(c, b));
    }
    List<String> where = new ArrayList<>();
    where.add(
        a.col(key)
            + (random.nextInt(4) == 0 ? " NOT IN " : " IN ")
            + "(SELECT "
            + b.col(key)
            + " FROM "
            + inner.token()
            + " "
            + b.alias
            + where(sub)
            + ")");
    if (random.nextBoolean()) {
      filter(a, where, predicate(c, a));
    }
    int columns = 1 + random.nextInt(3);
    return new Block(
        "SELECT "
            + projection(c, List.of(a), columns)
            + " FROM "
            + a.source.token()
            + " "
            + a.alias
            + where(where),
        columns,
        null);
  }

  Block exists(Draft c) {
    if (c.mode == Mode.CAPPED_BUDGET) {
      throw new Draft.Retry(); // a correlated or semi-join predicate on us_events either way
    }
    Scan a = c.scan(source(c, true));
    Scan b = c.scan(source(c, false));
    boolean correlated = random.nextInt(5) > 0;
    if (b.source.isRule()) {
      c.undefined("a rule read " + (correlated ? "in a correlated" : "in an EXISTS") + " subquery");
    }
    List<String> sub = new ArrayList<>();
    if (correlated) {
      sub.add(b.col(random.nextBoolean() ? "grp" : "id") + " = " + a.col("grp"));
    }
    int preds = random.nextInt(3);
    for (int i = 0; i < preds; i++) {
      filter(b, sub, predicate(c, b));
    }
    List<String> where = new ArrayList<>();
    where.add(
        (random.nextInt(3) == 0 ? "NOT " : "")
            + "EXISTS (SELECT 1 FROM "
            + b.source.token()
            + " "
            + b.alias
            + where(sub)
            + ")");
    if (random.nextBoolean()) {
      filter(a, where, predicate(c, a));
    }
    int columns = 1 + random.nextInt(3);
    return new Block(
        "SELECT "
            + projection(c, List.of(a), columns)
            + " FROM "
            + a.source.token()
            + " "
            + a.alias
            + where(where),
        columns,
        null);
  }

  Block scalarSubquery(Draft c) {
    Scan a = c.scan(source(c, true));
    Scan b = c.scan(source(c, false));
    Expr inner = numericExpr(b);
    List<String> sub = new ArrayList<>();
    int preds = random.nextInt(2);
    for (int i = 0; i < preds && c.mayFilter(b); i++) {
      filter(b, sub, predicate(c, b));
    }
    String agg = pick(List.of("MAX", "MIN", "SUM", "COUNT", "AVG"));
    List<String> where = new ArrayList<>();
    String select;
    int columns;
    if (random.nextBoolean()) {
      // in the select list, correlated or not
      boolean correlated = random.nextInt(3) > 0;
      if (correlated) {
        if (b.source == HarnessSource.US && c.mode == Mode.CAPPED_BUDGET) {
          throw new Draft.Retry();
        }
        if (b.source.isRule()) {
          c.undefined("a rule read in a correlated scalar subquery");
        }
        sub.add(b.col("grp") + " = " + a.col("grp"));
      }
      columns = 1 + random.nextInt(2);
      select =
          projection(c, List.of(a), columns)
              + ", (SELECT "
              + agg
              + "("
              + inner.sql()
              + ") FROM "
              + b.source.token()
              + " "
              + b.alias
              + where(sub)
              + ") AS c"
              + (columns + 1);
      columns++;
      if (random.nextBoolean() && c.mayFilter(a)) {
        filter(a, where, predicate(c, a));
      }
    } else {
      // compared with in WHERE, uncorrelated: a predicate on the outer scan, not a filter on it
      if (!c.mayFilter(a)) {
        throw new Draft.Retry();
      }
      Expr outer = numericExpr(a);
      where.add(
          outer.sql()
              + pick(List.of(" > ", " <= ", " = "))
              + "(SELECT "
              + agg
              + "("
              + inner.sql()
              + ") FROM "
              + b.source.token()
              + " "
              + b.alias
              + where(sub)
              + ")");
      columns = 1 + random.nextInt(3);
      select = projection(c, List.of(a), columns);
    }
    return new Block(
        "SELECT " + select + " FROM " + a.source.token() + " " + a.alias + where(where),
        columns,
        null);
  }

  Block window(Draft c) {
    Scan a = c.scan(source(c, true));
    List<String> inner = new ArrayList<>();
    int preds = random.nextInt(3);
    for (int i = 0; i < preds && c.mayFilter(a); i++) {
      filter(a, inner, predicate(c, a));
    }
    Expr e = numericExpr(a);
    List<String> fns = new ArrayList<>();
    fns.add(a.col("id") + " AS c1");
    fns.add(a.col("grp") + " AS c2");
    List<String> names = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      String name = "w" + i;
      String fn =
          switch (random.nextInt(7)) {
            case 0 ->
                "ROW_NUMBER() OVER (PARTITION BY " + a.col("grp") + " ORDER BY " + a.col("id");
            case 1 -> "RANK() OVER (ORDER BY " + e.sql();
            case 2 -> "SUM(" + e.sql() + ") OVER (PARTITION BY " + a.col("grp");
            case 3 -> "COUNT(*) OVER (";
            case 4 ->
                "LAG("
                    + a.col("id")
                    + ") OVER (PARTITION BY "
                    + a.col("grp")
                    + " ORDER BY "
                    + a.col("id");
            case 5 ->
                "MAX("
                    + e.sql()
                    + ") OVER (PARTITION BY "
                    + a.col("grp")
                    + " ORDER BY "
                    + a.col("id")
                    + " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW";
            default -> "DENSE_RANK() OVER (PARTITION BY " + a.col("grp") + " ORDER BY " + e.sql();
          };
      fns.add(fn + ") AS " + name);
      names.add(name);
    }
    List<String> outer = new ArrayList<>();
    if (random.nextInt(10) < 6 && c.mayFilter(a)) {
      String w = pick(names);
      outer.add("w." + w + pick(List.of(" <= ", " < ", " = ", " > ")) + random.nextInt(4));
    }
    if (!c.differential() && random.nextInt(10) < 2 && c.mayFilter(a)) {
      outer.add("w.c2 = " + random.nextInt(10));
    }
    String sql =
        "SELECT w.* FROM (SELECT "
            + String.join(", ", fns)
            + " FROM "
            + a.source.token()
            + " "
            + a.alias
            + where(inner)
            + ") w"
            + where(outer);
    return new Block(sql, fns.size(), null, true);
  }

  Block cte(Draft c) {
    Scan a = c.scan(source(c, true));
    List<String> inner = new ArrayList<>();
    int preds = random.nextInt(3);
    for (int i = 0; i < preds && c.mayFilter(a); i++) {
      filter(a, inner, predicate(c, a));
    }
    Expr v = expression(a);
    String with =
        "WITH x AS (SELECT "
            + a.col("id")
            + " AS id, "
            + a.col("grp")
            + " AS grp, "
            + v.sql()
            + " AS v FROM "
            + a.source.token()
            + " "
            + a.alias
            + where(inner)
            + ") ";
    int form = random.nextInt(c.mayFilter(a) ? 3 : 2);
    return switch (form) {
      case 0 ->
          new Block(
              with
                  + "SELECT x1.id AS c1, x2.v AS c2 FROM x x1 JOIN x x2 ON x1.grp = x2.grp"
                  + (random.nextBoolean() ? " WHERE x1.id < x2.id" : ""),
              2,
              null);
      case 1 -> new Block(with + "SELECT COUNT(*) AS c1, SUM(x.grp) AS c2 FROM x", 2, null);
      default -> {
        Scan o = c.scan(HarnessSource.OWN);
        yield new Block(
            with
                + "SELECT x.id AS c1, x.v AS c2 FROM x WHERE x.grp IN (SELECT "
                + o.col("grp")
                + " FROM "
                + o.source.token()
                + " "
                + o.alias
                + ")",
            2,
            null);
      }
    };
  }

  Block probe(Draft c) {
    String name = pick(catalog.probes());
    return switch (random.nextInt(5)) {
      case 0 -> new Block("SELECT COUNT(*) AS c1 FROM " + name, 1, null);
      case 1 -> new Block("SELECT * FROM " + name, 1, null);
      case 2 -> {
        Scan a = c.scan(HarnessSource.US);
        yield new Block(
            "SELECT "
                + a.col("id")
                + " AS c1 FROM "
                + a.source.token()
                + " "
                + a.alias
                + " JOIN "
                + name
                + " p ON "
                + a.col("id")
                + " = p.id",
            1,
            null);
      }
      case 3 -> {
        Scan a = c.scan(HarnessSource.OWN);
        yield new Block(
            "SELECT "
                + a.col("id")
                + " AS c1 FROM "
                + a.source.token()
                + " "
                + a.alias
                + " WHERE EXISTS (SELECT 1 FROM "
                + name
                + ")",
            1,
            null);
      }
      default -> new Block("SELECT id AS c1, grp AS c2 FROM " + name + " WHERE id < 10", 2, null);
    };
  }

  private void filter(Scan s, List<String> where, String predicate) {
    where.add(predicate);
    s.filters.add(predicate);
  }

  private static String where(List<String> conjuncts) {
    return conjuncts.isEmpty() ? "" : " WHERE " + String.join(" AND ", conjuncts);
  }

  private String predicate(Draft c, Scan s) {
    return expressions.predicate(s.alias, s.source, !c.differential(), c::param);
  }

  private Expr expression(Scan s) {
    return expressions.expression(s.alias, s.source);
  }

  private Expr numericExpr(Scan s) {
    return expressions.numeric(s.alias, s.source);
  }

  private String projection(Draft c, List<Scan> scans, int n) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 1; i <= n; i++) {
      Scan s = pick(scans);
      String e;
      if (!c.differential() && s.source.isRule() && random.nextInt(12) == 0) {
        e = s.col(pick(List.of("_price_cpm_usd", "_source_company_id", "_access_rule_id")));
      } else {
        e = expression(s).sql();
      }
      j.add(e + " AS c" + i);
    }
    return j.toString();
  }

  private HarnessSource source(Draft c, boolean preferRule) {
    while (true) {
      int k = random.nextInt(100);
      HarnessSource s;
      if (k < (preferRule ? 45 : 28)) {
        s = HarnessSource.US;
      } else if (k < (preferRule ? 62 : 40)) {
        s = HarnessSource.GBR;
      } else if (k < (preferRule ? 78 : 55)) {
        s = HarnessSource.FREE;
      } else if (k < 88) {
        s = HarnessSource.OWN;
      } else if (k < 94) {
        s = HarnessSource.D1;
      } else if (k < 97) {
        s = HarnessSource.D2;
      } else {
        s = HarnessSource.RS;
      }
      if (c.mode == Mode.CAPPED_BUDGET && s == HarnessSource.GBR) {
        continue;
      }
      // rosetta_stone reads every rule: no oracle answers it, and it reads more than us_events
      if (s == HarnessSource.RS && (c.differential() || c.mode == Mode.CAPPED_BUDGET)) {
        continue;
      }
      return s;
    }
  }

  private Column stringColumn(Scan s) {
    List<Column> cols = s.source.columns().stream().filter(x -> x.kind() == Kind.STR).toList();
    return cols.isEmpty() ? null : pick(cols);
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private <T> T pick(T[] array) {
    return array[random.nextInt(array.length)];
  }
}
