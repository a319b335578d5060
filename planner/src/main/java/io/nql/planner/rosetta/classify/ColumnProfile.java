package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A column's sample reduced to what recognizers test: the present values as trimmed text (SQL nulls
 * and null markers such as {@code N/A} removed), their counts, and how much cleaning they needed.
 */
final class ColumnProfile {
  /** The family of the column's SQL type. */
  enum Kind {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMP_TZ,
    OTHER
  }

  /** Text that stands for a missing value (compared trimmed, in lower case). */
  static final Set<String> NULL_MARKERS =
      Set.of(
          "",
          "null",
          "n/a",
          "\\n",
          "-",
          "--",
          "none",
          "nil",
          "nan",
          "#n/a",
          "(null)",
          "undefined",
          "?");

  private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?");

  private final ColumnSample sample;
  private final ColumnName name;
  private final Kind kind;
  private final int nulls;
  private final int markers;
  private final int untrimmed;
  private final List<String> values;
  private final List<Object> objects;
  private final Map<String, Integer> counts;
  private List<BigDecimal> numbers;

  private ColumnProfile(ColumnSample sample) {
    this.sample = sample;
    this.name = ColumnName.of(sample.name());
    this.kind = kind(sample.sqlType());
    int nullCount = 0;
    int markerCount = 0;
    int untrimmedCount = 0;
    List<String> texts = new ArrayList<>();
    List<Object> present = new ArrayList<>();
    Map<String, Integer> byValue = new LinkedHashMap<>();
    for (Object v : sample.values()) {
      if (v == null) {
        nullCount++;
        continue;
      }
      String raw = text(v);
      String trimmed = raw.strip();
      if (NULL_MARKERS.contains(trimmed.toLowerCase(Locale.ROOT))) {
        markerCount++;
        continue;
      }
      if (trimmed.length() != raw.length()) {
        untrimmedCount++;
      }
      texts.add(trimmed);
      present.add(v);
      byValue.merge(trimmed, 1, Integer::sum);
    }
    this.nulls = nullCount;
    this.markers = markerCount;
    this.untrimmed = untrimmedCount;
    this.values = Collections.unmodifiableList(texts);
    this.objects = Collections.unmodifiableList(present);
    this.counts = Collections.unmodifiableMap(byValue);
  }

  static ColumnProfile of(ColumnSample sample) {
    return new ColumnProfile(sample);
  }

  ColumnSample sample() {
    return sample;
  }

  ColumnName name() {
    return name;
  }

  Kind kind() {
    return kind;
  }

  boolean isText() {
    return kind == Kind.STRING;
  }

  boolean isNumeric() {
    return kind == Kind.INTEGER || kind == Kind.DECIMAL;
  }

  boolean isTemporal() {
    return kind == Kind.DATE || kind == Kind.TIMESTAMP || kind == Kind.TIMESTAMP_TZ;
  }

  /** Values in the sample, nulls and markers included. */
  int sampled() {
    return sample.values().size();
  }

  /** Values that are neither SQL null nor a null marker. */
  int present() {
    return values.size();
  }

  /** The present values as trimmed text, in sample order. */
  List<String> values() {
    return values;
  }

  /** The present values as given (same order as {@link #values()}). */
  List<Object> objects() {
    return objects;
  }

  /** Distinct present values (as trimmed text) → how often each occurs. */
  Map<String, Integer> counts() {
    return counts;
  }

  int distinct() {
    return counts.size();
  }

  /** Distinct present values over present values (1 when every value is unique). */
  double distinctRatio() {
    return present() == 0 ? 0 : (double) distinct() / present();
  }

  /** Null markers seen ({@code ""}, {@code N/A}, {@code \N}...). */
  int markers() {
    return markers;
  }

  /** Whether some text values carry surrounding whitespace. */
  boolean needsTrim() {
    return untrimmed > 0;
  }

  /**
   * Whether the real column holds text that is not a value: null markers, or present values that
   * failed the recognizer's test ({@code matched} of them passed). An expression that casts text
   * must then guard the cast.
   */
  boolean hasStrays(int matched) {
    return markers > 0 || matched < present();
  }

  /** Present values that pass {@code test}, counting each occurrence. */
  int count(Predicate<String> test) {
    int n = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (test.test(e.getKey())) {
        n += e.getValue();
      }
    }
    return n;
  }

  /** The share of present values that pass {@code test} (0 when none is present). */
  double share(Predicate<String> test) {
    return present() == 0 ? 0 : (double) count(test) / present();
  }

  /** Whether some present value has an upper-case letter. */
  boolean hasUpperCase() {
    return counts.keySet().stream().anyMatch(v -> !v.equals(v.toLowerCase(Locale.ROOT)));
  }

  /** Whether some present value has a lower-case letter. */
  boolean hasLowerCase() {
    return counts.keySet().stream().anyMatch(v -> !v.equals(v.toUpperCase(Locale.ROOT)));
  }

  /**
   * The present values that are numbers: all of them in a numeric column, those written as plain
   * decimals ({@code 42}, {@code -7.25}) in a text column.
   */
  List<BigDecimal> numbers() {
    if (numbers == null) {
      List<BigDecimal> out = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        BigDecimal n = number(objects.get(i), values.get(i));
        if (n != null) {
          out.add(n);
        }
      }
      numbers = Collections.unmodifiableList(out);
    }
    return numbers;
  }

  /** The share of present values that are numbers. */
  double numericShare() {
    return present() == 0 ? 0 : (double) numbers().size() / present();
  }

  /**
   * Evidence as the reason states it: {@code 98 % of 1,000 sampled values are <what>}, counting the
   * present values.
   */
  String evidence(int matched, String what) {
    return String.format(
        Locale.ROOT,
        "%s of %,d sampled values %s",
        percent(present() == 0 ? 0 : (double) matched / present()),
        present(),
        what);
  }

  /** {@code 98 %}; {@code 99.6 %} rounds down to {@code 99 %} unless all match. */
  static String percent(double share) {
    int p = (int) Math.floor(share * 100 + 1e-9);
    return p + " %";
  }

  private static BigDecimal number(Object v, String text) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
    if (v instanceof BigDecimal b) {
      return b;
    }
    if (v instanceof String && PLAIN_NUMBER.matcher(text).matches()) {
      return new BigDecimal(text);
    }
    return null;
  }

  private static String text(Object v) {
    if (v instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d).toPlainString() : String.valueOf(d);
    }
    if (v instanceof Temporal || v instanceof java.util.Date) {
      return v.toString();
    }
    return String.valueOf(v);
  }

  private static Kind kind(String sqlType) {
    String t =
        sqlType
            .strip()
            .toUpperCase(Locale.ROOT)
            .replaceFirst("\\(.*\\)", "")
            .strip()
            .replace(' ', '_');
    return switch (t) {
      case "VARCHAR", "CHAR", "CHARACTER", "CHARACTER_VARYING", "STRING", "TEXT" -> Kind.STRING;
      case "BIGINT", "INTEGER", "INT", "SMALLINT", "TINYINT" -> Kind.INTEGER;
      case "DOUBLE", "DECIMAL", "NUMERIC", "REAL", "FLOAT", "DOUBLE_PRECISION" -> Kind.DECIMAL;
      case "BOOLEAN" -> Kind.BOOLEAN;
      case "DATE" -> Kind.DATE;
      case "TIMESTAMP", "TIMESTAMP_WITHOUT_TIME_ZONE" -> Kind.TIMESTAMP;
      case "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "TIMESTAMP_WITH_TIME_ZONE", "TIMESTAMPTZ" ->
          Kind.TIMESTAMP_TZ;
      default -> Kind.OTHER;
    };
  }
}
