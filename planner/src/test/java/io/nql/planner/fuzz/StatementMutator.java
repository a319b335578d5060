package io.nql.planner.fuzz;

import io.nql.planner.parser.NqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Grammar-aware mutations of a valid statement: the statement is parsed, and a mutation replaces
 * the text of one node of its parse tree (found by the node's position) — a literal by a hostile
 * literal, an expression by one that fails (a domain error, a cardinality violation, a bad cast, a
 * bad pattern, a wrong argument count or type), a function's arguments by too few, too many or
 * mistyped ones, a sub-query by one of another shape — or changes its clauses, or, rarely, its
 * tokens (which mostly gives syntax errors). The same seed gives the same mutations.
 */
final class StatementMutator {
  /** A node of the parse tree and where its text is. */
  private record Span(SqlNode node, int start, int end) {}

  private static final String[] LITERALS = {
    "0",
    "-1",
    "0.0",
    "1e308",
    "-1e308",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999999999999999999",
    "2147483648",
    "0.000000000000000000000000000001",
    "''",
    "'F'",
    "'abc'",
    "'%'",
    "'_'",
    "'\\'",
    "'1e999'",
    "'NaN'",
    "'2026-02-30'",
    "' 12 '",
    "NULL",
    "TRUE",
    "FALSE",
    "DATE '2026-10-01'",
    "TIMESTAMP '2026-10-01 00:00:00'",
    "TIME '23:59:59'",
    "INTERVAL '1' DAY",
    "INTERVAL '-999999999' YEAR",
    "X'FF'",
    "CAST(NULL AS INTEGER)",
    "?",
    "'é😀'"
  };

  /** Expressions with a {@code $} for a column (or any expression) of the statement. */
  private static final String[] EXPRESSIONS = {
    "$ / 0",
    "1 / 0",
    "$ / ($ - $)",
    "MOD($, 0)",
    "LN(0)",
    "LN($)",
    "LN(-$)",
    "LOG10(0)",
    "LOG10($ - $)",
    "LOG(0, 10)",
    "LOG($, 1)",
    "SQRT(-1)",
    "SQRT(-$ - 1)",
    "POWER(10, 400)",
    "POWER($, 4000)",
    "POWER(0, -1)",
    "POWER(-8, 0.5)",
    "EXP(1000)",
    "EXP($ * 1000)",
    "ACOS(2)",
    "ASIN(-2)",
    "ABS(-9223372036854775807 - 1)",
    "-(-9223372036854775807 - 1)",
    "9223372036854775807 + $",
    "2147483647 + CAST($ AS INTEGER)",
    "CAST($ AS INTEGER)",
    "CAST($ AS TINYINT)",
    "CAST($ AS DECIMAL(2, 1))",
    "CAST($ AS DATE)",
    "CAST($ AS TIMESTAMP)",
    "CAST($ AS BOOLEAN)",
    "CAST('x' AS INTEGER)",
    "CAST('2026-02-30' AS DATE)",
    "CAST(1e300 AS REAL)",
    "CAST(1e20 AS BIGINT)",
    "CAST(-1 AS INTERVAL DAY)",
    "SUBSTRING($ FROM -1 FOR -1)",
    "SUBSTRING(CAST($ AS VARCHAR) FROM 2 FOR -3)",
    "OVERLAY($ PLACING 'x' FROM -1)",
    "REPEAT('x', -1)",
    "REPEAT(CAST($ AS VARCHAR), 3)",
    "LPAD('x', -5)",
    "RIGHT($, -2)",
    "CHR(-1)",
    "CHR(1114112)",
    "TRIM(BOTH 'ab' FROM $)",
    "POSITION($ IN 1)",
    "$ LIKE 'a' ESCAPE 'xy'",
    "$ LIKE 'a\\' ESCAPE '\\'",
    "CAST($ AS VARCHAR) LIKE '%' ESCAPE ''",
    "$ SIMILAR TO '(('",
    "CAST($ AS VARCHAR) SIMILAR TO '[z-a]'",
    "$ NOT SIMILAR TO 'a' ESCAPE 'ab'",
    "REGEXP_REPLACE(CAST($ AS VARCHAR), '((', 'x')",
    "(SELECT 1 UNION SELECT 2)",
    "(SELECT $ UNION ALL SELECT $)",
    "(SELECT 1, 2)",
    "(SELECT * FROM (VALUES (1), (2)) t(x))",
    "(VALUES (1), (2))",
    "COALESCE()",
    "NULLIF($)",
    "ABS()",
    "ABS($, $)",
    "UPPER(1)",
    "CHAR_LENGTH(1)",
    "SUBSTRING(1 FROM 'a')",
    "ROUND($, 'a')",
    "TRUNCATE($, 1, 2)",
    "DATE_TRUNC('fortnight', $)",
    "DATE_TRUNC($, TIMESTAMP '2026-10-01 00:00:00')",
    "TIMESTAMPADD(YEAR, 100000000, TIMESTAMP '2026-10-01 00:00:00')",
    "DATE '2026-10-01' + INTERVAL '999999999' DAY",
    "EXTRACT(EPOCH FROM $)",
    "SHA2($, 7)",
    "SHA2(CAST($ AS VARCHAR), 256)",
    "HMAC_SHA256($)",
    "NORMALIZE_PHONE('E999', $, 'US')",
    "NORMALIZE_PHONE('E164', CAST($ AS VARCHAR), 'ZZ')",
    "COUNTRY_CODE_3_TO_2($)",
    "NORMALIZE_EMAIL($)",
    "FROM_UNIXTIME($ * 1000000000000)",
    "DATEDIFF('x', $, $)",
    "DATE_ADD('x', 1, $)",
    "CASE WHEN 1 THEN $ END",
    "CASE $ WHEN 'a' THEN 1 WHEN 2 THEN 'b' END",
    "$ IN ()",
    "$ IN (1, 'a', DATE '2026-10-01')",
    "$ BETWEEN 'a' AND 1",
    "$ + 'a'",
    "'a' || $",
    "$ || $ || $",
    "NOT $",
    "$ AND 1",
    "$ = (SELECT $)",
    "EXISTS (SELECT $ / 0)",
    "SUM($)",
    "SUM(SUM($))",
    "COUNT(*) OVER ()",
    "ROW_NUMBER() OVER (ORDER BY $)",
    "RANK()",
    "AVG('a')",
    "MIN($, $)",
    "GROUPING($)",
    "ARRAY[1, 2][5]",
    "ARRAY[$][0]",
    "MAP['a', 1]['b']",
    "ELEMENT(ARRAY[1, 2])",
    "CARDINALITY($)",
    "ROW($, $)",
    "CURRENT_TIMESTAMP + $",
    "$ NOT IN (SELECT NULL)",
    "$ = ANY (SELECT 'a')",
    "$ > ALL (VALUES (1), ('b'))",
    "UNNEST($)",
    "$.x",
    "$[1]",
    "CAST($ AS VARCHAR(1))",
    "CAST($ AS CHAR(0))",
    "CAST($ AS DECIMAL(39, 0))",
    "CAST($ AS DECIMAL(1, 5))",
    "CAST($ AS VARBINARY)",
    "$ IS DISTINCT FROM 'x'",
    "TRANSLATE($ USING x)",
    "CONVERT($, x, y)",
    "?",
    "? + ?",
    "CAST(? AS INTEGER)"
  };

  private static final String[] CLAUSES = {
    " WHERE $ > LN(0)",
    " WHERE 1 / 0 = 'F'",
    " WHERE POWER(10, 400) = 'F'",
    " WHERE $ = (SELECT 1 UNION SELECT 2)",
    " GROUP BY COALESCE()",
    " GROUP BY $",
    " GROUP BY 99",
    " GROUP BY ()",
    " HAVING $ > 0",
    " HAVING COUNT(*) / 0 > 1",
    " ORDER BY 99",
    " ORDER BY $ / 0",
    " ORDER BY (SELECT 1 UNION SELECT 2)",
    " LIMIT -1",
    " LIMIT 'a'",
    " LIMIT 1.5",
    " OFFSET -5 ROWS",
    " FETCH FIRST 0 ROWS ONLY",
    " LIMIT 9223372036854775808",
    " LIMIT ?",
    " LIMIT 1 USD",
    " LIMIT -1 USD",
    " BUDGET 1e400 USD",
    " NO LIMIT",
    " UNION SELECT 1",
    " UNION SELECT 1, 2, 3, 4, 5, 6, 7, 8",
    " EXCEPT SELECT NULL",
    " INTERSECT SELECT $",
    " WINDOW w AS (ORDER BY $)",
    " QUALIFY 1",
    ", company_data.nonexistent",
    " NATURAL JOIN company_data.events"
  };

  private static final String[] TOKENS = {
    "(",
    ")",
    ",",
    "SELECT",
    "FROM",
    "WHERE",
    "*",
    "'",
    "\"",
    ";",
    "AS",
    "NULL",
    "ON",
    "USING",
    "GROUP",
    "BY",
    "--",
    "/*",
    "||",
    "::",
    "[",
    "]",
    "?",
    "OVER",
    "DISTINCT",
    "ALL",
    "."
  };

  private final Random random;

  StatementMutator(Random random) {
    this.random = random;
  }

  /** One to three mutations of {@code sql}; the statement itself when it does not parse. */
  String mutate(String sql) {
    String out = sql;
    int n = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
    for (int i = 0; i < n; i++) {
      out = mutateOnce(out);
    }
    return out;
  }

  private String mutateOnce(String sql) {
    List<Span> spans = spans(sql);
    if (spans.isEmpty()) {
      return tokens(sql);
    }
    List<String> columns =
        texts(sql, spans, s -> s.node() instanceof SqlIdentifier id && id.names.size() <= 2);
    int k = random.nextInt(100);
    if (k < 22) {
      return replace(
          sql,
          pick(
              spans,
              s -> s.node() instanceof SqlLiteral l && l.getTypeName() != SqlTypeName.SYMBOL),
          pick(LITERALS));
    }
    if (k < 50) {
      return replace(sql, pick(spans, StatementMutator::isExpression), expression(columns));
    }
    if (k < 65) {
      return arguments(
          sql,
          pick(spans, s -> s.node() instanceof SqlCall c && c.getOperator() instanceof SqlFunction),
          columns);
    }
    if (k < 75) {
      return replace(sql, pick(spans, s -> s.node() instanceof SqlSelect), subquery(columns));
    }
    if (k < 90) {
      return clause(sql, spans, columns);
    }
    return tokens(sql);
  }

  // ------------------------------------------------------------------------------- mutations

  private String expression(List<String> columns) {
    String e = pick(EXPRESSIONS);
    StringBuilder out = new StringBuilder();
    for (char c : e.toCharArray()) {
      if (c == '$') {
        out.append(columns.isEmpty() ? "1" : pick(columns));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Too few, too many or mistyped arguments of a function call. */
  private String arguments(String sql, Span call, List<String> columns) {
    if (call == null) {
      return tokens(sql);
    }
    SqlCall c = (SqlCall) call.node();
    List<String> args = new ArrayList<>();
    for (SqlNode operand : c.getOperandList()) {
      if (operand != null) {
        Span s = span(sql, operand);
        args.add(s == null ? NqlParser.unparse(operand) : sql.substring(s.start(), s.end()));
      }
    }
    switch (random.nextInt(4)) {
      case 0 -> args.clear();
      case 1 -> {
        if (!args.isEmpty()) {
          args.remove(random.nextInt(args.size()));
        }
      }
      case 2 -> args.add(random.nextInt(2) == 0 ? pick(LITERALS) : expression(columns));
      default -> {
        if (!args.isEmpty()) {
          args.set(random.nextInt(args.size()), pick(LITERALS));
        }
      }
    }
    String name = c.getOperator().getName();
    return sql.substring(0, call.start())
        + name
        + "("
        + String.join(", ", args)
        + ")"
        + sql.substring(call.end());
  }

  private String subquery(List<String> columns) {
    String col = columns.isEmpty() ? "1" : pick(columns);
    return switch (random.nextInt(7)) {
      case 0 -> "SELECT 1 UNION SELECT 2";
      case 1 -> "SELECT " + col + ", " + col + " FROM company_data.events";
      case 2 -> "SELECT * FROM company_data.events";
      case 3 -> "SELECT id FROM company_data.events WHERE id / 0 > 1";
      case 4 -> "SELECT " + expression(columns);
      case 5 -> "SELECT 1 FROM company_data.events GROUP BY " + col;
      default -> "VALUES (1, 'a'), (NULL, 2)";
    };
  }

  /** Adds a clause at the end, or removes the text between two clauses' nodes. */
  private String clause(String sql, List<Span> spans, List<String> columns) {
    if (random.nextInt(4) == 0) {
      Span s = pick(spans, x -> x.node() instanceof SqlNodeList || x.node() instanceof SqlSelect);
      if (s != null && s.end() > s.start()) {
        return sql.substring(0, s.start()) + sql.substring(s.end());
      }
    }
    String c = pick(CLAUSES);
    String col = columns.isEmpty() ? "1" : pick(columns);
    return sql + c.replace("$", col);
  }

  /** Deletes, repeats, swaps or inserts a token. */
  private String tokens(String sql) {
    String[] parts = sql.split(" ", -1);
    if (parts.length < 2) {
      return sql + " " + pick(TOKENS);
    }
    int i = random.nextInt(parts.length);
    List<String> list = new ArrayList<>(List.of(parts));
    switch (random.nextInt(4)) {
      case 0 -> list.remove(i);
      case 1 -> list.add(i, list.get(i));
      case 2 -> {
        int j = Math.min(parts.length - 1, i + 1);
        String t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
      }
      default -> list.add(i, pick(TOKENS));
    }
    return String.join(" ", list);
  }

  // ------------------------------------------------------------------------------- parse tree

  private static boolean isExpression(Span s) {
    if (s.node() instanceof SqlIdentifier id) {
      return id.names.size() <= 2;
    }
    if (s.node() instanceof SqlLiteral) {
      return true;
    }
    if (!(s.node() instanceof SqlCall c)) {
      return false;
    }
    SqlKind kind = c.getKind();
    return !(c instanceof SqlSelect)
        && kind != SqlKind.ORDER_BY
        && kind != SqlKind.WITH
        && kind != SqlKind.WITH_ITEM
        && kind != SqlKind.JOIN
        && kind != SqlKind.AS
        && kind != SqlKind.UNION
        && kind != SqlKind.INTERSECT
        && kind != SqlKind.EXCEPT
        && kind != SqlKind.EXPLAIN
        && kind != SqlKind.OTHER_DDL;
  }

  /** Every node of the statement with a position, in a fixed order. */
  private static List<Span> spans(String sql) {
    SqlNode root;
    try {
      root = NqlParser.parse(sql);
    } catch (RuntimeException e) {
      return List.of();
    }
    List<Span> out = new ArrayList<>();
    collect(sql, root, out);
    return out;
  }

  private static void collect(String sql, SqlNode node, List<Span> out) {
    if (node == null) {
      return;
    }
    Span s = span(sql, node);
    if (s != null) {
      out.add(s);
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        collect(sql, n, out);
      }
    } else if (node instanceof SqlCall call) {
      List<SqlNode> operands;
      try {
        operands = call.getOperandList();
      } catch (RuntimeException e) {
        return;
      }
      for (SqlNode n : operands) {
        collect(sql, n, out);
      }
    }
  }

  /** Where a node's text is in {@code sql}, or null when its position is unknown. */
  private static Span span(String sql, SqlNode node) {
    SqlParserPos pos = node.getParserPosition();
    if (pos == null || pos.getLineNum() <= 0 || pos.getEndLineNum() <= 0) {
      return null;
    }
    int start = offset(sql, pos.getLineNum(), pos.getColumnNum());
    int end = offset(sql, pos.getEndLineNum(), pos.getEndColumnNum()) + 1;
    if (start < 0 || end <= start || end > sql.length()) {
      return null;
    }
    return new Span(node, start, end);
  }

  private static int offset(String sql, int line, int column) {
    int at = 0;
    for (int l = 1; l < line; l++) {
      at = sql.indexOf('\n', at);
      if (at < 0) {
        return -1;
      }
      at++;
    }
    return at + column - 1;
  }

  private static List<String> texts(
      String sql, List<Span> spans, java.util.function.Predicate<Span> which) {
    List<String> out = new ArrayList<>();
    for (Span s : spans) {
      if (which.test(s)) {
        out.add(sql.substring(s.start(), s.end()));
      }
    }
    return out;
  }

  private String replace(String sql, Span s, String text) {
    if (s == null) {
      return tokens(sql);
    }
    return sql.substring(0, s.start()) + text + sql.substring(s.end());
  }

  private Span pick(List<Span> spans, java.util.function.Predicate<Span> which) {
    List<Span> fit = spans.stream().filter(which).toList();
    return fit.isEmpty() ? null : fit.get(random.nextInt(fit.size()));
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
