package io.nql.planner.policy.harness;

import io.nql.planner.policy.harness.Observation.Aspect;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link KnownIssue} explains a failure, or null for a failure no known issue explains. Each
 * test is narrow: it looks at the kind of worlds compared (by the statement's mode), the
 * observables that differ and how, and the statement's text.
 */
public final class Triage {
  private static final Pattern ROW_LIMIT =
      Pattern.compile("\\b(LIMIT|OFFSET|FIRST|NEXT) (\\d+|\\?\\{\\d+})");
  private static final Pattern LONG_IN_LIST = Pattern.compile("IN \\((?:[^()?]*?,){19,}[^()]*\\)");

  /** Joins, set operations and subqueries: where a plan decides the order of rows. */
  private static final Pattern PLANNED =
      Pattern.compile(" JOIN | UNION | INTERSECT | EXCEPT |\\(SELECT ");

  private static final Pattern BUDGET_CUT = Pattern.compile("budgetCut=(true|false)");

  /** The check that a statement's ledger entries are final once it ended. */
  public static final String LEDGER_NOT_FINAL = "ledger entry not final after the statement";

  private Triage() {}

  /** The message of a {@link #LEDGER_NOT_FINAL} failure: the statement's error and its ledger. */
  public static String ledgerNotFinal(Observation o) {
    return (o.error() == null ? "no error" : o.error()) + "; ledger " + o.ledger();
  }

  /** The issue explaining that two worlds gave {@code left} and {@code right}, or null. */
  public static KnownIssue difference(
      HarnessStatement s, Set<Aspect> differ, Observation left, Observation right) {
    boolean unboughtDiffer =
        s.mode() == StatementGenerator.Mode.ZERO_BUDGET
            || s.mode() == StatementGenerator.Mode.CAPPED_BUDGET;
    boolean bothSucceed = left.error() == null && right.error() == null;
    if (s.mode() == StatementGenerator.Mode.ANY_BUDGET && bothSucceed) {
      if (s.template().startsWith("EXPLAIN PLAN FOR ") && differ.equals(Set.of(Aspect.ROWS))) {
        return KnownIssue.PLAN_DEPENDS_ON_HIDDEN_ROWS;
      }
      if (s.unlimitedTemplate() != null && PLANNED.matcher(s.unlimitedTemplate()).find()) {
        return KnownIssue.PLAN_DEPENDS_ON_HIDDEN_ROWS; // which rows the limit keeps
      }
      if (!differ.contains(Aspect.ROWS)
          && differ.contains(Aspect.LEDGER)
          && s.template().contains(" JOIN ")
          && oneSideSkipsARule(left.ledger(), right.ledger())) {
        return KnownIssue.PLAN_DEPENDS_ON_HIDDEN_ROWS; // a join read a side in one plan only
      }
    }
    if (s.mode() == StatementGenerator.Mode.DIFFERENTIAL
        && differ.equals(Set.of(Aspect.ROWS))
        && limitOverWindow(s)) {
      return KnownIssue.ROW_LIMIT_BELOW_WINDOW;
    }
    if (!unboughtDiffer) {
      return null;
    }
    if (differ.contains(Aspect.ERROR) && (dataError(left) || dataError(right))) {
      return KnownIssue.ERRORS_ON_UNPAID_ROWS;
    }
    boolean sameError = left.error() != null && left.error().equals(right.error());
    if (sameError
        && Set.of(Aspect.COLUMNS, Aspect.ROWS, Aspect.WARNINGS, Aspect.CHARGE)
            .containsAll(differ)) {
      return KnownIssue.BUDGET_WARNING_REVEALS_UNBOUGHT_ROWS; // the error surfaced elsewhere
    }
    if (Set.of(Aspect.WARNINGS, Aspect.CHARGE).containsAll(differ)
        && withoutBudgetCut(left.warnings()).equals(withoutBudgetCut(right.warnings()))
        && hasBudgetCut(left.warnings()) != hasBudgetCut(right.warnings())
        && sameButCut(left.charge(), right.charge())) {
      return KnownIssue.BUDGET_WARNING_REVEALS_UNBOUGHT_ROWS;
    }
    return null;
  }

  /** The issue explaining a failed expectation ({@code check}: its name in the report), or null. */
  public static KnownIssue expectation(String check, HarnessStatement s, String message) {
    if (check.equals("data value in an error")) {
      return KnownIssue.DATA_VALUES_IN_ERRORS;
    }
    if ((check.equals("internal error") || check.equals("hang")) && overflowingLimit(s)) {
      return KnownIssue.ROW_LIMIT_OVERFLOW;
    }
    if (check.equals(LEDGER_NOT_FINAL) && !message.startsWith("no error")) {
      return KnownIssue.LEDGER_LEFT_OPEN_BY_FAILED_STATEMENT;
    }
    if (check.equals("internal error") && longInListInSubquery(s.template())) {
      return KnownIssue.LONG_IN_LIST_IN_SCALAR_SUBQUERY;
    }
    return null;
  }

  /** The issue explaining that {@code rule} was charged {@code charged} rows, not {@code rows}. */
  public static KnownIssue charge(HarnessStatement s, HarnessSource rule, long charged, long rows) {
    if (charged < rows && limitOverWindow(s)) {
      return KnownIssue.ROW_LIMIT_BELOW_WINDOW;
    }
    if (charged <= rows) {
      return null;
    }
    String t = s.template();
    if (readMoreThanOnce(t, rule) || (rows > 0 && charged % rows == 0)) {
      return KnownIssue.RULE_ROWS_CHARGED_PER_READ; // written twice, or re-scanned
    }
    if (LONG_IN_LIST.matcher(t).find()) {
      return KnownIssue.LONG_IN_LIST_CHARGED_BEFORE_FILTER;
    }
    if (charged == rows + 1 && t.contains("LIMIT ?{")) {
      return KnownIssue.PARAMETER_LIMIT_CHARGES_ONE_MORE;
    }
    return null;
  }

  private static boolean limitOverWindow(HarnessStatement s) {
    return s.unlimitedTemplate() != null && s.unlimitedTemplate().contains(") OVER (");
  }

  private static boolean longInListInSubquery(String t) {
    int sub = t.indexOf("(SELECT ");
    Matcher m = LONG_IN_LIST.matcher(t);
    return sub >= 0 && m.find(sub);
  }

  private static boolean readMoreThanOnce(String t, HarnessSource rule) {
    int first = t.indexOf(rule.token());
    if (first < 0) {
      return false;
    }
    boolean twice = t.indexOf(rule.token(), first + 1) >= 0;
    boolean cteTwice = t.startsWith("WITH x AS") && t.contains("FROM x x1 JOIN x x2");
    boolean notInSubquery =
        t.contains("NOT IN (SELECT") && t.indexOf(rule.token()) > t.indexOf("NOT IN (SELECT");
    return twice || (cteTwice && t.indexOf(rule.token()) < t.indexOf(") SELECT")) || notInSubquery;
  }

  /** Whether every rule the two ledgers charge differently is charged by one of them only. */
  private static boolean oneSideSkipsARule(List<String> left, List<String> right) {
    java.util.Map<String, String> l = byRule(left);
    java.util.Map<String, String> r = byRule(right);
    java.util.Set<String> rules = new java.util.TreeSet<>(l.keySet());
    rules.addAll(r.keySet());
    boolean any = false;
    for (String rule : rules) {
      if (!java.util.Objects.equals(l.get(rule), r.get(rule))) {
        if (l.containsKey(rule) && r.containsKey(rule)) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  private static java.util.Map<String, String> byRule(List<String> ledger) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String line : ledger) {
      String[] f = line.split(" ");
      out.merge(f.length > 3 ? f[3] : line, line, (a, b) -> a + "; " + b);
    }
    return out;
  }

  private static boolean dataError(Observation o) {
    return o.error() != null && o.error().startsWith("22");
  }

  private static boolean hasBudgetCut(List<String> warnings) {
    return warnings.stream().anyMatch(w -> w.startsWith("01N01 "));
  }

  private static List<String> withoutBudgetCut(List<String> warnings) {
    List<String> out = new ArrayList<>(warnings);
    out.removeIf(w -> w.startsWith("01N01 "));
    return out;
  }

  private static boolean sameButCut(String a, String b) {
    if (a == null || b == null) {
      return true;
    }
    return BUDGET_CUT.matcher(a).replaceAll("").equals(BUDGET_CUT.matcher(b).replaceAll(""));
  }

  /** Whether a row limit or offset, or their sum, is beyond {@code Integer.MAX_VALUE}. */
  static boolean overflowingLimit(HarnessStatement s) {
    Matcher m = ROW_LIMIT.matcher(s.template());
    long sum = 0;
    while (m.find()) {
      String v = m.group(2);
      long n;
      if (v.startsWith("?")) {
        Object p = s.params().get(Integer.parseInt(v.substring(2, v.length() - 1)));
        n = p instanceof Number x ? x.longValue() : 0;
      } else {
        n = v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
      }
      if (n > Integer.MAX_VALUE) {
        return true;
      }
      sum += n;
    }
    return sum > Integer.MAX_VALUE;
  }
}
