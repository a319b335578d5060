package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gender codes, mapped by a {@code CASE} to HL7 FHIR's {@code male}, {@code female}, {@code other},
 * {@code unknown}: letters ({@code M}/{@code F}/{@code U}), words ({@code Male}, {@code female}) or
 * ISO/IEC 5218 numbers (1 male, 2 female, 0 and 9 unknown). Numbers are only gender codes when the
 * name says so; letters and words need both a male and a female value.
 */
final class Genders implements Recognizer {
  static final String GENDER = "hl7_gender";

  private static final Map<String, String> WORDS = words();
  private static final Map<String, String> NUMBERS =
      Map.of("1", "male", "2", "female", "0", "unknown", "9", "unknown");
  private static final List<String> HINTS = List.of("gender", "sex", "gndr", "genre", "geschlecht");
  private static final List<String> OTHER_HINTS =
      List.of(
          "size",
          "shirt",
          "grade",
          "class",
          "rating",
          "tier",
          "status",
          "type",
          "marital",
          "level",
          "flag",
          "category");

  @Override
  public List<String> attributes() {
    return List.of(GENDER);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    String hint = column.name().mention(HINTS);
    String col = Expressions.column(column.sample().name());
    if (column.kind() == ColumnProfile.Kind.INTEGER
        || (column.isText() && column.share(NUMBERS::containsKey) >= 0.9)) {
      return numeric(column, hint, col);
    }
    if (!column.isText()) {
      return List.of();
    }
    int matched = column.count(v -> WORDS.containsKey(v.toLowerCase(Locale.ROOT)));
    if ((double) matched / column.present() < 0.9 || column.distinct() > 12) {
      return List.of();
    }
    boolean male =
        column.counts().keySet().stream()
            .anyMatch(v -> "male".equals(WORDS.get(v.toLowerCase(Locale.ROOT))));
    boolean female =
        column.counts().keySet().stream()
            .anyMatch(v -> "female".equals(WORDS.get(v.toLowerCase(Locale.ROOT))));
    if (!male || !female) {
      return List.of();
    }
    boolean letters = column.counts().keySet().stream().allMatch(v -> v.length() == 1);
    Evidence e =
        new Evidence(
            letters ? 0.75 : 0.85,
            column.evidence(matched, letters ? "are gender letters (M/F)" : "are gender words"));
    String other = column.name().mention(OTHER_HINTS);
    if (hint != null) {
      e.add(0.12, Evidence.nameMentions(hint));
    } else if (other != null) {
      e.cap(0.3, "but the name mentions \"" + other + "\"");
    }
    boolean canonical =
        column.counts().keySet().stream().allMatch(v -> v.equals(WORDS.get(v)))
            && !column.needsTrim()
            && !column.hasStrays(matched);
    String expression = canonical ? col : wordsCase(column, col);
    return List.of(e.suggest(column, GENDER, expression));
  }

  private List<Suggestion> numeric(ColumnProfile column, String hint, String col) {
    int matched = column.count(NUMBERS::containsKey);
    if ((double) matched / column.present() < 0.9
        || !column.counts().containsKey("1")
        || !column.counts().containsKey("2")) {
      return List.of();
    }
    Evidence e =
        new Evidence(0.2, column.evidence(matched, "are 0, 1, 2 or 9 (ISO/IEC 5218 codes)"));
    if (hint != null) {
      e.add(0.65, Evidence.nameMentions(hint));
    } else {
      e.add(0, "numbers need a gender word in the name");
    }
    String expression;
    if (column.isText()) {
      expression =
          "CASE TRIM(" + col + ") WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'unknown' END";
    } else {
      expression = "CASE " + col + " WHEN 1 THEN 'male' WHEN 2 THEN 'female' ELSE 'unknown' END";
    }
    return List.of(e.suggest(column, GENDER, expression));
  }

  /**
   * {@code CASE LOWER(TRIM(col)) WHEN 'm', 'male' THEN 'male' ... ELSE 'unknown' END}: the values
   * seen and the usual spellings of each value seen.
   */
  private static String wordsCase(ColumnProfile column, String col) {
    Map<String, List<String>> byValue = new LinkedHashMap<>();
    for (String target : List.of("male", "female", "other")) {
      byValue.put(target, new ArrayList<>());
    }
    List<String> spellings = new ArrayList<>();
    for (String v : column.counts().keySet()) {
      spellings.add(v.toLowerCase(Locale.ROOT));
    }
    for (String usual : List.of("m", "male", "f", "female")) {
      spellings.add(usual);
    }
    for (String s : spellings) {
      String target = WORDS.get(s);
      if (target != null && byValue.containsKey(target) && !byValue.get(target).contains(s)) {
        byValue.get(target).add(s);
      }
    }
    StringBuilder b = new StringBuilder("CASE LOWER(TRIM(").append(col).append("))");
    for (Map.Entry<String, List<String>> e : byValue.entrySet()) {
      if (!e.getValue().isEmpty()) {
        b.append(" WHEN ")
            .append(String.join(", ", e.getValue().stream().map(Expressions::literal).toList()))
            .append(" THEN ")
            .append(Expressions.literal(e.getKey()));
      }
    }
    return b.append(" ELSE 'unknown' END").toString();
  }

  private static Map<String, String> words() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : List.of("m", "male", "man", "men", "masculine", "h", "hombre", "homme")) {
      m.put(s, "male");
    }
    for (String s :
        List.of("f", "female", "woman", "women", "feminine", "fem", "w", "mujer", "femme")) {
      m.put(s, "female");
    }
    for (String s : List.of("o", "other", "x", "nb", "non-binary", "nonbinary", "diverse")) {
      m.put(s, "other");
    }
    for (String s :
        List.of(
            "u",
            "unknown",
            "unk",
            "not specified",
            "unspecified",
            "prefer not to say",
            "undisclosed",
            "n")) {
      m.put(s, "unknown");
    }
    return Map.copyOf(m);
  }
}
