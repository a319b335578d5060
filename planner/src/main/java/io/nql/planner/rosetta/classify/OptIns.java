package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Marketing consent: a BOOLEAN (or yes/no text) whose name says consent. Booleans are flags of
 * anything, so the name is required; a name that says the opposite ({@code opt_out}, {@code
 * unsubscribed}) maps the negation.
 */
final class OptIns implements Recognizer {
  static final String OPTED_IN = "opted_in";

  private static final Map<String, Boolean> WORDS =
      Map.ofEntries(
          Map.entry("true", true),
          Map.entry("false", false),
          Map.entry("t", true),
          Map.entry("f", false),
          Map.entry("yes", true),
          Map.entry("no", false),
          Map.entry("y", true),
          Map.entry("n", false),
          Map.entry("1", true),
          Map.entry("0", false));
  private static final List<String> HINTS =
      List.of("optin", "opted", "opt", "consent", "consented", "subscribed", "newsletter");
  private static final List<String> NEGATED = List.of("optout", "unsubscribed", "unsubscribe");

  @Override
  public List<String> attributes() {
    return List.of(OPTED_IN);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    boolean bool = column.kind() == ColumnProfile.Kind.BOOLEAN;
    int matched =
        bool ? column.present() : column.count(v -> WORDS.containsKey(v.toLowerCase(Locale.ROOT)));
    if (!bool && !(column.isText() || column.kind() == ColumnProfile.Kind.INTEGER)
        || (double) matched / column.present() < 0.95
        || column.distinct() > (bool ? 2 : 4)) {
      return List.of();
    }
    Evidence e = new Evidence(0.2, column.evidence(matched, "are true/false values"));
    String hint = column.name().mention(HINTS);
    String negated = column.name().mention(NEGATED);
    if (negated == null && hint != null && column.name().words().contains("out")) {
      negated = "out";
    }
    if (hint == null && negated == null) {
      return List.of(
          e.add(0, "a flag needs a consent word in the name")
              .suggest(column, OPTED_IN, Expressions.column(column.sample().name())));
    }
    e.add(0.65, Evidence.nameMentions(negated != null ? negated : hint));
    String col = Expressions.column(column.sample().name());
    String value;
    if (bool) {
      value = col;
    } else if (column.kind() == ColumnProfile.Kind.INTEGER) {
      value = "CASE " + col + " WHEN 1 THEN TRUE WHEN 0 THEN FALSE END";
    } else {
      value =
          "CASE WHEN LOWER(TRIM("
              + col
              + ")) IN ('true', 't', 'yes', 'y', '1') THEN TRUE"
              + " WHEN LOWER(TRIM("
              + col
              + ")) IN ('false', 'f', 'no', 'n', '0') THEN FALSE END";
    }
    if (negated != null) {
      value = "NOT (" + value + ")";
    }
    return List.of(e.suggest(column, OPTED_IN, value));
  }
}
