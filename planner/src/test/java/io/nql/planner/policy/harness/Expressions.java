package io.nql.planner.policy.harness;

import io.nql.planner.policy.harness.HarnessSource.Column;
import io.nql.planner.policy.harness.HarnessSource.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Value expressions and predicates over one table reference, for {@link StatementGenerator}:
 * arithmetic, CASE, CAST, division, string and NQL functions, comparisons with literals that
 * sometimes match, IN lists, {@code ?} parameters and pseudo-columns. Several fail on the hostile
 * values of {@link WorldData} (zero divisors, non-numeric codes, overflow).
 */
final class Expressions {
  /** An expression and an approximate range of its values on visible rows (for literals). */
  record Expr(String sql, Kind kind, long lo, long hi) {}

  /**
   * One way of writing an expression over a column {@code %s}, and its kind and range as functions
   * of the column's range.
   */
  private record Form(String pattern, Kind kind, int weight, Range range) {}

  private interface Range {
    long[] of(long lo, long hi);
  }

  private static final String[] WORDS = {
    "alpha", "Beta", "BETA", "gamma", "DELTA", "épsilon", "ÉPSILON", "zeta", "ETA", "iota", "t1",
    "t3", "d2", "1", "42", "500", "x5", "", "Kappa", "KAPPA"
  };
  private static final String[] PATTERNS = {"a%", "%a%", "B%", "1%", "%5", "t%", "%É%", "_e%"};

  private static final List<Form> INT =
      List.of(
          new Form("%s", Kind.INT, 35, (lo, hi) -> new long[] {lo, hi}),
          new Form("%s + 1", Kind.INT, 10, (lo, hi) -> new long[] {lo + 1, hi + 1}),
          new Form("%s * 3", Kind.INT, 7, (lo, hi) -> new long[] {lo * 3, hi * 3}),
          new Form("100 / %s", Kind.INT, 12, (lo, hi) -> new long[] {100 / Math.max(hi, 1), 100}),
          new Form("MOD(%s, 3)", Kind.INT, 6, (lo, hi) -> new long[] {0, 2}),
          new Form("ABS(%s - 3)", Kind.INT, 6, (lo, hi) -> new long[] {0, 6}),
          new Form("COALESCE(%s, -1)", Kind.INT, 6, (lo, hi) -> new long[] {-1, hi}),
          new Form(
              "CASE WHEN %1$s > 2 THEN %1$s * 10 WHEN %1$s = 0 THEN -1 ELSE 0 END",
              Kind.INT, 10, (lo, hi) -> new long[] {-1, hi * 10}),
          new Form("CAST(%s AS VARCHAR(12))", Kind.STR, 8, (lo, hi) -> new long[] {0, 0}),
          // NQL functions: DATE_ADD is never leak-proof; SHA2 with a bit length from the row fails
          new Form(
              "DATEDIFF('day', DATE '2020-01-01', DATE_ADD('day', %s, DATE '2020-01-01'))",
              Kind.BIG, 3, (lo, hi) -> new long[] {lo, hi}),
          new Form(
              "SHA2('x', CASE WHEN %s > 2 THEN 7 ELSE 256 END)",
              Kind.STR, 2, (lo, hi) -> new long[] {0, 0}));
  private static final List<Form> BIG =
      List.of(
          new Form("%s", Kind.BIG, 45, (lo, hi) -> new long[] {lo, hi}),
          new Form("%s + 1", Kind.BIG, 10, (lo, hi) -> new long[] {lo + 1, hi + 1}),
          new Form("%s * 1000", Kind.BIG, 13, (lo, hi) -> new long[] {lo * 1000, hi * 1000}),
          new Form("%s / 7", Kind.BIG, 8, (lo, hi) -> new long[] {lo / 7, hi / 7}),
          new Form("CAST(%s AS INTEGER)", Kind.INT, 12, (lo, hi) -> new long[] {lo, hi}),
          new Form("MOD(%s, 5)", Kind.BIG, 12, (lo, hi) -> new long[] {0, 4}),
          // overflows (22008) on the hostile values
          new Form(
              "DATEDIFF('second', TIMESTAMP '1970-01-01 00:00:00', FROM_UNIXTIME(%s))",
              Kind.BIG, 4, (lo, hi) -> new long[] {lo, hi}));
  private static final List<Form> DEC =
      List.of(
          new Form("%s", Kind.DEC, 40, (lo, hi) -> new long[] {lo, hi}),
          new Form("%s * 2", Kind.DEC, 12, (lo, hi) -> new long[] {lo * 2, hi * 2}),
          new Form("CAST(%s AS DECIMAL(5, 2))", Kind.DEC, 16, (lo, hi) -> new long[] {lo, hi}),
          new Form("ROUND(%s, 0)", Kind.DEC, 10, (lo, hi) -> new long[] {lo, hi}),
          new Form("%s + 0.5", Kind.DEC, 10, (lo, hi) -> new long[] {lo, hi}),
          new Form(
              "CASE WHEN %1$s > 100 THEN %1$s ELSE 0 END",
              Kind.DEC, 12, (lo, hi) -> new long[] {0, hi}));
  private static final List<Form> STR =
      List.of(
          new Form("%s", Kind.STR, 20, (lo, hi) -> new long[] {0, 0}),
          new Form("UPPER(%s)", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          new Form("CHAR_LENGTH(%s)", Kind.INT, 10, (lo, hi) -> new long[] {0, 12}),
          new Form("SUBSTRING(%s, 1, 3)", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          new Form("%s || '_x'", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          new Form("COALESCE(%s, '?')", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          new Form("LOWER(%s)", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          new Form("POSITION('a' IN %s)", Kind.INT, 10, (lo, hi) -> new long[] {0, 5}),
          new Form("TRIM(%s)", Kind.STR, 10, (lo, hi) -> new long[] {0, 0}),
          // NQL functions that are leak-proof (they move below a rule's barrier)
          new Form("NORMALIZE_PHONE('E164', %s, 'US')", Kind.STR, 3, (lo, hi) -> new long[] {0, 0}),
          new Form("SHA2(%s, 256)", Kind.STR, 3, (lo, hi) -> new long[] {0, 0}),
          new Form("NORMALIZE_EMAIL(%s)", Kind.STR, 2, (lo, hi) -> new long[] {0, 0}));

  /** Only for text that holds a number on every visible row ({@code code}). */
  private static final Form CAST_TEXT =
      new Form("CAST(%s AS INTEGER)", Kind.INT, 0, (lo, hi) -> new long[] {lo, hi});

  private final Random random;
  private final HarnessCatalog catalog;

  Expressions(Random random, HarnessCatalog catalog) {
    this.random = random;
    this.catalog = catalog;
  }

  /** A value expression over one of {@code source}'s columns, as {@code alias.column}. */
  Expr expression(String alias, HarnessSource source) {
    Column col = pick(source.columns());
    String a = alias + "." + col.name();
    Form f;
    if (col.numericText() && random.nextInt(10) < 3) {
      f = CAST_TEXT;
    } else {
      f =
          weighted(
              switch (col.kind()) {
                case INT -> INT;
                case BIG -> BIG;
                case DEC -> DEC;
                case STR -> STR;
              });
    }
    long[] range = f.range().of(col.lo(), col.hi());
    return new Expr(String.format(f.pattern(), a), f.kind(), range[0], range[1]);
  }

  /** A numeric expression over {@code source}'s columns. */
  Expr numeric(String alias, HarnessSource source) {
    for (int i = 0; i < 20; i++) {
      Expr e = expression(alias, source);
      if (e.kind() != Kind.STR) {
        return e;
      }
    }
    return new Expr(alias + ".grp", Kind.INT, 0, 9);
  }

  /**
   * A predicate over {@code source}'s columns.
   *
   * @param pseudo whether a rule's pseudo-columns may be used
   * @param param writes a {@code ?} for a value and returns its token
   */
  String predicate(
      String alias, HarnessSource source, boolean pseudo, Function<Object, String> param) {
    int k = random.nextInt(100);
    if (k < 6 && pseudo && source.isRule()) {
      return pseudo(alias);
    }
    if (k < 14) {
      return inList(alias, source, 1 + random.nextInt(random.nextBoolean() ? 60 : 8));
    }
    if (k < 21) {
      return parameter(alias, source, param);
    }
    if (k < 29) {
      return "(" + comparison(alias, source) + " OR " + comparison(alias, source) + ")";
    }
    if (k < 33) {
      return "NOT (" + comparison(alias, source) + ")";
    }
    return comparison(alias, source);
  }

  /** An expression compared with a literal (or tested for NULL). */
  String comparison(String alias, HarnessSource source) {
    Expr e = expression(alias, source);
    int k = random.nextInt(100);
    if (k < 10 && e.sql().startsWith("COALESCE(")) {
      // never NULL: a planner may prove the predicate false and read nothing at all
      k = 10 + random.nextInt(90);
    }
    if (k < 6) {
      return e.sql() + " IS NULL";
    }
    if (k < 10) {
      return e.sql() + " IS NOT NULL";
    }
    if (e.kind() == Kind.STR) {
      return switch (random.nextInt(5)) {
        case 0 -> e.sql() + " LIKE '" + pick(PATTERNS) + "'";
        case 1 -> e.sql() + " < '" + pick(WORDS) + "'";
        case 2 -> e.sql() + " <> '" + pick(WORDS) + "'";
        default -> e.sql() + " = '" + pick(WORDS) + "'";
      };
    }
    if (k < 20) {
      BigDecimal x = new BigDecimal(literal(e));
      BigDecimal y = new BigDecimal(literal(e));
      return e.sql() + " BETWEEN " + x.min(y).toPlainString() + " AND " + x.max(y).toPlainString();
    }
    return e.sql() + pick(List.of(" < ", " <= ", " = ", " <> ", " > ", " >= ")) + literal(e);
  }

  /** A comparison that is not a NULL test (with a join key, one a planner may prove false). */
  String comparisonWithoutNullTest(String alias, HarnessSource source) {
    for (int i = 0; i < 20; i++) {
      String p = comparison(alias, source);
      if (!p.contains(" IS NULL") && !p.contains(" IS NOT NULL")) {
        return p;
      }
    }
    return alias + ".grp >= 0";
  }

  /** {@code column [NOT] IN (v1, …, vn)}. */
  String inList(String alias, HarnessSource source, int n) {
    Column col = pick(source.columns());
    StringJoiner values = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < n; i++) {
      values.add(
          switch (col.kind()) {
            case STR -> "'" + (col.numericText() ? random.nextInt(1000) : pick(WORDS)) + "'";
            case DEC -> BigDecimal.valueOf(random.nextInt(25_000), 2).toPlainString();
            default ->
                Long.toString(col.lo() + (long) (random.nextDouble() * (col.hi() - col.lo() + 1)));
          });
    }
    return alias + "." + col.name() + (random.nextInt(5) == 0 ? " NOT IN " : " IN ") + values;
  }

  private String parameter(String alias, HarnessSource source, Function<Object, String> param) {
    Column col = pick(source.columns());
    String a = alias + "." + col.name();
    return switch (col.kind()) {
      case INT -> a + pick(List.of(" = ", " < ", " >= ")) + param.apply(random.nextInt(10));
      case BIG -> a + pick(List.of(" < ", " > ")) + param.apply((long) random.nextInt(450));
      case DEC -> a + " > " + param.apply(BigDecimal.valueOf(random.nextInt(25_000), 2));
      case STR ->
          random.nextBoolean()
              ? a + " = " + param.apply(col.numericText() ? "" + random.nextInt(1000) : pick(WORDS))
              : a + " LIKE " + param.apply(pick(PATTERNS));
    };
  }

  private String pseudo(String a) {
    List<Long> ids = new ArrayList<>(catalog.ruleIds().values());
    ids.sort(null);
    return switch (random.nextInt(6)) {
      case 0 -> a + "._price_cpm_usd <= 1.00";
      case 1 -> a + "._price_cpm_usd = 0";
      case 2 -> a + "._price_cpm_usd > 0";
      case 3 -> a + "._source_company_id = " + catalog.providerCompanyId();
      case 4 -> a + "._access_rule_id = " + pick(ids);
      default -> a + "._access_rule_id <> " + pick(ids);
    };
  }

  /** A literal in (or a little beyond) the expression's range. */
  String literal(Expr e) {
    long span = Math.max(e.hi() - e.lo(), 1);
    long v = e.lo() - span / 10 + (long) (random.nextDouble() * (span + span / 5 + 1));
    if (e.kind() == Kind.DEC) {
      return BigDecimal.valueOf(v * 100 + random.nextInt(100), 2).toPlainString();
    }
    return Long.toString(v);
  }

  private Form weighted(List<Form> forms) {
    int total = forms.stream().mapToInt(Form::weight).sum();
    int k = random.nextInt(total);
    for (Form f : forms) {
      k -= f.weight();
      if (k < 0) {
        return f;
      }
    }
    throw new IllegalStateException();
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private <T> T pick(T[] array) {
    return array[random.nextInt(array.length)];
  }
}
