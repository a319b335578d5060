package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A confidence built from pieces of evidence, each with the words that say why, turned into a
 * {@link Suggestion}. Confidence stays within [0, 0.99]; a sample of fewer than {@value
 * #FULL_SAMPLE} present values scales it down.
 */
final class Evidence {
  /** Present values from which the sample size no longer lowers the confidence. */
  static final int FULL_SAMPLE = 10;

  private double confidence;
  private final List<String> reasons = new ArrayList<>();

  Evidence(double base, String reason) {
    this.confidence = base;
    reasons.add(reason);
  }

  /** Adds (or, negative, takes away) confidence for a piece of evidence. */
  Evidence add(double delta, String reason) {
    confidence += delta;
    reasons.add(reason);
    return this;
  }

  /** Caps the confidence for a piece of counter-evidence. */
  Evidence cap(double max, String reason) {
    confidence = Math.min(confidence, max);
    reasons.add(reason);
    return this;
  }

  double confidence() {
    return confidence;
  }

  Suggestion suggest(ColumnProfile column, String attribute, String expression) {
    double c = Math.max(0, Math.min(0.99, confidence));
    List<String> why = new ArrayList<>(reasons);
    if (column.present() < FULL_SAMPLE) {
      c *= (double) column.present() / FULL_SAMPLE;
      why.add("only " + column.present() + " values to judge");
    }
    return new Suggestion(
        column.sample().name(),
        attribute,
        expression,
        Math.round(c * 100) / 100.0,
        String.join("; ", why));
  }

  /** {@code the name mentions "email"}. */
  static String nameMentions(String hint) {
    return String.format(Locale.ROOT, "the name mentions \"%s\"", hint);
  }
}
