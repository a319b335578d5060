package io.nql.planner.rosetta.classify;

import io.nql.planner.parser.NqlParser;
import java.util.regex.Pattern;

/** NQL text for the expressions the recognizers propose. */
final class Expressions {
  private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_]*");

  private Expressions() {}

  /**
   * A column reference: the name itself when NQL reads it unquoted as that name (a lowercase simple
   * identifier that is not a reserved word), else in double quotes ({@code "EmailSHA256"}, {@code
   * "order"}).
   */
  static String column(String name) {
    if (SIMPLE.matcher(name).matches() && !NqlParser.isReservedWord(name)) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** A string literal. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * {@code CASE WHEN <text> SIMILAR TO '<pattern>' THEN <value> END}: a cast or conversion that
   * would fail on the column's stray text (null markers, outliers) gives NULL for it instead.
   */
  static String guarded(String text, String similarTo, String value) {
    return "CASE WHEN " + text + " SIMILAR TO " + literal(similarTo) + " THEN " + value + " END";
  }
}
