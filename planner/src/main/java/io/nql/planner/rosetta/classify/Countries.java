package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Countries as ISO 3166-1 alpha-2 codes ({@code UPPER(TRIM(col))}), alpha-3 codes ({@code
 * COUNTRY_CODE_3_TO_2(col)}) or English names (a {@code CASE} over the names seen). Two- and
 * three-letter codes of other things share the shape: US states ({@code CA}, {@code GA}, {@code IN}
 * are also countries), languages, currencies; their share of the values and the name decide.
 */
final class Countries implements Recognizer {
  static final String COUNTRY = "iso_3166_1_country";

  /** Most distinct names a {@code CASE} of names lists. */
  static final int MAX_NAMES = 80;

  private static final Set<String> ALPHA2 = Set.of(Locale.getISOCountries());
  private static final Set<String> ALPHA3 =
      Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
  private static final Set<String> US_STATES =
      Set.of(
          "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
          "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
          "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
          "VA", "WA", "WV", "WI", "WY", "DC", "PR");
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
  private static final Set<String> CURRENCIES = currencies();
  private static final Map<String, String> NAMES = names();
  private static final Map<String, String> ALPHA3_TO_2 = alpha3To2();

  private static final List<String> HINTS =
      List.of(
          "country", "cntry", "ctry", "nation", "nationality", "cc", "iso2", "iso3", "geo", "pais");
  private static final List<String> OTHER_HINTS =
      List.of(
          "state",
          "province",
          "region",
          "prov",
          "lang",
          "language",
          "locale",
          "currency",
          "ccy",
          "curr",
          "unit",
          "units",
          "code_type",
          "airport",
          "iata",
          "city",
          "county",
          "size",
          "grade",
          "rating",
          "status",
          "initials");

  @Override
  public List<String> attributes() {
    return List.of(COUNTRY);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (!column.isText() || column.present() == 0) {
      return List.of();
    }
    List<Suggestion> out = new ArrayList<>();
    String col = Expressions.column(column.sample().name());
    int uk = column.count(v -> upper(v).equals("UK"));
    int alpha2 = column.count(v -> ALPHA2.contains(upper(v))) + uk;
    if ((double) alpha2 / column.present() >= 0.9) {
      Evidence e = evidence(column, alpha2, "are ISO 3166-1 alpha-2 codes");
      if (uk > 0) {
        e.add(0, "UK stands for GB");
      }
      int states = column.count(v -> US_STATES.contains(upper(v)));
      if (states >= alpha2 * 0.9 && column.distinct() >= 3) {
        e.cap(
            0.3,
            "but "
                + ColumnProfile.percent((double) states / column.present())
                + " are US state codes too");
      }
      int languages = column.count(v -> LANGUAGES.contains(v.toLowerCase(Locale.ROOT)));
      if (!column.hasUpperCase()
          && languages == column.present()
          && !column.name().mentions(HINTS)) {
        e.add(-0.2, "all lower case and all also language codes");
      }
      boolean strays = column.hasStrays(alpha2);
      String expression;
      if (!column.hasLowerCase() && !column.needsTrim() && !strays && uk == 0) {
        expression = col;
      } else {
        String upper = "UPPER(TRIM(" + col + "))";
        String rest = strays ? " WHEN " + upper + " SIMILAR TO '[A-Z]{2}' THEN " : " ELSE ";
        if (uk > 0) {
          expression = "CASE WHEN " + upper + " = 'UK' THEN 'GB'" + rest + upper + " END";
        } else {
          expression = strays ? Expressions.guarded(upper, "[A-Z]{2}", upper) : upper;
        }
      }
      out.add(e.suggest(column, COUNTRY, expression));
    }
    int alpha3 = column.count(v -> ALPHA3.contains(upper(v)));
    if ((double) alpha3 / column.present() >= 0.9) {
      Evidence e = evidence(column, alpha3, "are ISO 3166-1 alpha-3 codes");
      int currencies = column.count(v -> CURRENCIES.contains(upper(v)));
      if (currencies >= alpha3 * 0.9) {
        e.cap(0.3, "but they are currency codes too");
      }
      out.add(e.suggest(column, COUNTRY, "COUNTRY_CODE_3_TO_2(" + col + ")"));
    }
    int named = column.count(v -> NAMES.containsKey(v.toLowerCase(Locale.ROOT)));
    long names =
        column.counts().keySet().stream().map(v -> v.toLowerCase(Locale.ROOT)).distinct().count();
    if (named > 0 && (double) named / column.present() >= 0.9 && names <= MAX_NAMES) {
      Evidence e = evidence(column, named, "are country names");
      out.add(e.suggest(column, COUNTRY, namesCase(column, col)));
    }
    return out;
  }

  /**
   * The alpha-2 code of a country written as an alpha-2 code ({@code UK} for GB), an alpha-3 code
   * or an English name, or null.
   */
  static String code(String value) {
    String upper = upper(value);
    if (ALPHA2.contains(upper)) {
      return upper;
    }
    if (upper.equals("UK")) {
      return "GB";
    }
    if (ALPHA3.contains(upper)) {
      return ALPHA3_TO_2.get(upper);
    }
    return NAMES.get(value.toLowerCase(Locale.ROOT));
  }

  /**
   * The most common country other than {@code except} in the dataset's country column (a column
   * whose name says country and whose values are countries), or null.
   */
  static String mostCommonOther(Dataset dataset, String except) {
    for (ColumnProfile c : dataset.columns()) {
      if (!c.isText() || !c.name().mentions(HINTS) || c.name().mentions(OTHER_HINTS)) {
        continue;
      }
      Map<String, Integer> byCode = new TreeMap<>();
      int countries = 0;
      for (Map.Entry<String, Integer> e : c.counts().entrySet()) {
        String code = code(e.getKey());
        if (code != null) {
          countries += e.getValue();
          if (!code.equals(except)) {
            byCode.merge(code, e.getValue(), Integer::sum);
          }
        }
      }
      if (countries >= 0.9 * c.present() && !byCode.isEmpty()) {
        return byCode.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
      }
    }
    return null;
  }

  private Evidence evidence(ColumnProfile column, int matched, String what) {
    Evidence e = new Evidence(0.8, column.evidence(matched, what));
    String other = column.name().mention(OTHER_HINTS);
    String hint = column.name().mention(HINTS);
    if (other != null && hint == null) {
      e.cap(0.2, "but the name mentions \"" + other + "\"");
    } else if (hint != null) {
      e.add(0.15, Evidence.nameMentions(hint));
    }
    if (column.present() >= 50 && column.distinct() == 1 && hint == null) {
      e.add(-0.15, "a single value");
    }
    return e;
  }

  /** {@code CASE LOWER(TRIM(col)) WHEN 'germany' THEN 'DE' ... END} over the names seen. */
  private static String namesCase(ColumnProfile column, String col) {
    Map<String, List<String>> byCode = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (String v : column.counts().keySet()) {
      String name = v.toLowerCase(Locale.ROOT);
      String code = NAMES.get(name);
      if (code != null && seen.add(name)) {
        byCode.computeIfAbsent(code, k -> new ArrayList<>()).add(name);
      }
    }
    StringBuilder b = new StringBuilder("CASE LOWER(TRIM(").append(col).append("))");
    for (Map.Entry<String, List<String>> e : byCode.entrySet()) {
      b.append(" WHEN ");
      b.append(
          String.join(", ", e.getValue().stream().sorted().map(Expressions::literal).toList()));
      b.append(" THEN ").append(Expressions.literal(e.getKey()));
    }
    return b.append(" END").toString();
  }

  private static String upper(String v) {
    return v.toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> alpha3To2() {
    Map<String, String> out = new HashMap<>();
    for (String a2 : Locale.getISOCountries()) {
      out.put(new Locale("", a2).getISO3Country(), a2);
    }
    return Map.copyOf(out);
  }

  private static Set<String> currencies() {
    Set<String> out = new HashSet<>();
    for (java.util.Currency c : java.util.Currency.getAvailableCurrencies()) {
      out.add(c.getCurrencyCode());
    }
    return Set.copyOf(out);
  }

  /** English names (and common other spellings) in lower case → alpha-2. */
  private static Map<String, String> names() {
    Map<String, String> out = new HashMap<>();
    for (String a2 : Locale.getISOCountries()) {
      out.put(new Locale("", a2).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), a2);
    }
    String[][] aliases = {
      {"usa", "US"},
      {"united states of america", "US"},
      {"america", "US"},
      {"u.s.", "US"},
      {"u.s.a.", "US"},
      {"uk", "GB"},
      {"great britain", "GB"},
      {"britain", "GB"},
      {"england", "GB"},
      {"scotland", "GB"},
      {"wales", "GB"},
      {"u.k.", "GB"},
      {"russia", "RU"},
      {"russian federation", "RU"},
      {"south korea", "KR"},
      {"korea", "KR"},
      {"republic of korea", "KR"},
      {"north korea", "KP"},
      {"czech republic", "CZ"},
      {"czechia", "CZ"},
      {"vietnam", "VN"},
      {"viet nam", "VN"},
      {"ivory coast", "CI"},
      {"holland", "NL"},
      {"the netherlands", "NL"},
      {"uae", "AE"},
      {"turkey", "TR"},
      {"türkiye", "TR"},
      {"macau", "MO"},
      {"hong kong", "HK"},
      {"taiwan", "TW"},
      {"iran", "IR"},
      {"syria", "SY"},
      {"laos", "LA"},
      {"bolivia", "BO"},
      {"venezuela", "VE"},
      {"tanzania", "TZ"},
      {"moldova", "MD"},
      {"brunei", "BN"},
      {"cape verde", "CV"},
      {"swaziland", "SZ"},
      {"burma", "MM"},
      {"palestine", "PS"},
      {"vatican", "VA"}
    };
    for (String[] a : aliases) {
      out.putIfAbsent(a[0], a[1]);
    }
    return Map.copyOf(out);
  }
}
