package io.nql.planner.rosetta.classify;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Raw e-mail addresses, mapped through {@code NORMALIZE_EMAIL} (which also gives NULL for text that
 * is not an address). Their SHA-256 is derivable, but the address itself is the attribute proposed:
 * the provider chooses whether to share it.
 */
final class Emails implements Recognizer {
  static final String EMAIL = "email";

  private static final Pattern ADDRESS =
      Pattern.compile("[^\\s@,;<>()\\[\\]\"]+@[^\\s@,;<>()\\[\\]\"]+\\.[A-Za-z]{2,}");
  private static final List<String> HINTS = List.of("email", "mail", "e_mail", "em");

  @Override
  public List<String> attributes() {
    return List.of(EMAIL);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0) {
      return List.of();
    }
    int matched = column.count(v -> ADDRESS.matcher(v).matches());
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    Evidence e = new Evidence(0.9, column.evidence(matched, "are e-mail addresses"));
    String hint = column.name().mention(HINTS);
    if (hint != null) {
      e.add(0.07, Evidence.nameMentions(hint));
    }
    String expression = "NORMALIZE_EMAIL(" + Expressions.column(column.sample().name()) + ")";
    return List.of(e.suggest(column, EMAIL, expression));
  }
}
