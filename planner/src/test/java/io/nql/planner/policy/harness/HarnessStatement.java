package io.nql.planner.policy.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generated buyer statement: its text with table tokens ({@code {US}}) and parameter tokens
 * ({@code ?{3}}), the parameter values, the budget, whether its rows are totally ordered, and what
 * it must be charged (differential mode only).
 *
 * @param seed the generator's seed; with {@code index} it reproduces the statement
 * @param index the statement's position in its run
 * @param shape the generator's name for the statement's shape
 * @param ordered the statement ends in an ORDER BY of every output column
 * @param charges per rule read, how to count the rows it must be charged
 * @param chargeUndefined why the expected charge is not defined for this statement, or null
 * @param scanCounts per table reference, a count of the rows its filters keep (differential mode)
 * @param unlimitedTemplate the statement without its row limit when that limit has no ORDER BY
 *     (which rows it keeps is then not defined), else null
 */
public record HarnessStatement(
    long seed,
    int index,
    StatementGenerator.Mode mode,
    String shape,
    String template,
    Map<Integer, Object> params,
    Budget budget,
    boolean ordered,
    List<ExpectedCharge> charges,
    String chargeUndefined,
    List<String> scanCounts,
    String unlimitedTemplate) {

  private static final Pattern PARAM = Pattern.compile("\\?\\{(\\d+)}");

  /**
   * The rows a rule must be charged: {@code countTemplate} counts, over the rule's rows as a plain
   * table, the distinct rows that pass the filters of at least one of its scans; a top-level row
   * limit over the rule's only scan caps it at {@code cap}.
   */
  public record ExpectedCharge(HarnessSource rule, String countTemplate, long cap) {}

  /** A statement ready to run: SQL with {@code ?} and the values in order. */
  public record Rendered(String sql, List<Object> params) {}

  /** This statement, whose row limit without ORDER BY applies to {@code unlimited}. */
  HarnessStatement withUnlimited(String unlimited) {
    return new HarnessStatement(
        seed,
        index,
        mode,
        shape,
        template,
        params,
        budget,
        ordered,
        charges,
        chargeUndefined,
        scanCounts,
        unlimited);
  }

  /** The statement with each table token replaced by {@code tables}' name for it. */
  public Rendered render(Map<String, String> tables) {
    Rendered r = renderTemplate(template, tables);
    String sql = budget.clause().isEmpty() ? r.sql() : r.sql() + " " + budget.clause();
    return new Rendered(sql, r.params());
  }

  /** Any template of this statement (e.g. a charge count) rendered with its parameter values. */
  public Rendered renderTemplate(String text, Map<String, String> tables) {
    String sql = text;
    for (Map.Entry<String, String> e : tables.entrySet()) {
      sql = sql.replace(e.getKey(), e.getValue());
    }
    List<Object> values = new ArrayList<>();
    Matcher m = PARAM.matcher(sql);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      values.add(params.get(Integer.parseInt(m.group(1))));
      m.appendReplacement(sb, "?");
    }
    m.appendTail(sb);
    return new Rendered(sb.toString(), values);
  }

  /** The statement as a report shows it: how to reproduce it, its text, parameters and budget. */
  public String describe(Map<String, String> tables) {
    Rendered r = render(tables);
    return "#"
        + index
        + " (seed "
        + seed
        + ", "
        + mode
        + ", "
        + shape
        + ", "
        + budget
        + ")\n    "
        + r.sql()
        + (r.params().isEmpty() ? "" : "\n    parameters " + r.params());
  }
}
