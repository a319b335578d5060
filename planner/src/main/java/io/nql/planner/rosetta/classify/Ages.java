package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.util.List;

/**
 * Ages in years and years of birth, from whole numbers or from birth dates. Small integers are also
 * counts, ratings, quantities and percentages, so an age needs an age word in the name (policy:
 * values alone never make an age); a year of birth needs a birth word, or years of a plausible
 * birth range with a year word.
 */
final class Ages implements Recognizer {
  static final String AGE = "age";
  static final String BIRTH_YEAR = "birth_year";

  private static final List<String> AGE_HINTS =
      List.of("age", "edad", "alter", "ageyears", "ageyrs");
  private static final List<String> NOT_AGE_HINTS =
      List.of(
          "band",
          "group",
          "bucket",
          "range",
          "bracket",
          "cohort",
          "days",
          "day",
          "months",
          "month",
          "hours",
          "hour",
          "minutes",
          "seconds",
          "weeks",
          "account",
          "device",
          "domain",
          "car",
          "vehicle",
          "home",
          "house",
          "building",
          "cookie",
          "data",
          "item",
          "record",
          "file",
          "session",
          "tenure",
          "page",
          "avg",
          "mean",
          "stage",
          "min",
          "max");
  private static final List<String> BIRTH_HINTS =
      List.of(
          "birth", "born", "yob", "byear", "dob", "birthyear", "birthdate", "geburt", "nacimiento");
  private static final List<String> YEAR_HINTS = List.of("year", "yr", "yyyy");
  private static final List<String> NOT_BIRTH_HINTS =
      List.of(
          "model",
          "make",
          "vehicle",
          "car",
          "built",
          "construction",
          "founded",
          "established",
          "fiscal",
          "season",
          "vintage",
          "graduation",
          "school",
          "release",
          "publication",
          "tax");

  @Override
  public List<String> attributes() {
    return List.of(AGE, BIRTH_YEAR);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    if (column.isTemporal()
        || column.isText() && (double) DateTexts.read(column).matched() / column.present() >= 0.9) {
      return birthDate(column);
    }
    if (!column.isNumeric() && !column.isText()) {
      return List.of();
    }
    List<BigDecimal> numbers = column.numbers();
    if ((double) numbers.size() / column.present() < 0.9) {
      return List.of();
    }
    int whole = 0;
    int ages = 0;
    int years = 0;
    for (BigDecimal n : numbers) {
      if (n.stripTrailingZeros().scale() > 0) {
        continue;
      }
      whole++;
      long v = n.longValue();
      if (v >= 0 && v <= 120) {
        ages++;
      }
      if (v >= 1900 && v <= 2020) {
        years++;
      }
    }
    if ((double) whole / column.present() < 0.9) {
      return List.of();
    }
    if ((double) ages / column.present() >= 0.9) {
      return age(column, ages);
    }
    if ((double) years / column.present() >= 0.9) {
      return birthYear(column, years);
    }
    return List.of();
  }

  private static List<Suggestion> age(ColumnProfile column, int matched) {
    Evidence e = new Evidence(0.2, column.evidence(matched, "are whole numbers from 0 to 120"));
    String hint = column.name().word(AGE_HINTS);
    String not = column.name().word(NOT_AGE_HINTS);
    if (hint != null && not == null) {
      e.add(0.7, Evidence.nameMentions(hint));
    } else if (not != null) {
      e.add(0, "the name mentions \"" + not + "\", not a person's age");
    } else {
      e.add(0, "small numbers need an age word in the name");
    }
    double median = median(column);
    if (median < 5 || median > 90) {
      e.add(-0.3, "the median (" + (long) median + ") is not a typical age");
    }
    return List.of(e.suggest(column, AGE, integer(column, matched, "[0-9]{1,3}")));
  }

  private static List<Suggestion> birthYear(ColumnProfile column, int matched) {
    Evidence e = new Evidence(0.35, column.evidence(matched, "are years from 1900 to 2020"));
    String birth = column.name().mention(BIRTH_HINTS);
    String year = column.name().mention(YEAR_HINTS);
    String not = column.name().mention(NOT_BIRTH_HINTS);
    if (not != null) {
      e.cap(0.2, "but the name mentions \"" + not + "\"");
    } else if (birth != null) {
      e.add(0.55, Evidence.nameMentions(birth));
    } else if (year != null) {
      e.add(0.1, Evidence.nameMentions(year) + " but not birth");
    }
    return List.of(e.suggest(column, BIRTH_YEAR, integer(column, matched, "[0-9]{4}")));
  }

  /** A date of birth gives the year of birth; other dates are not this recognizer's. */
  private static List<Suggestion> birthDate(ColumnProfile column) {
    String birth = column.name().mention(BIRTH_HINTS);
    if (birth == null) {
      return List.of();
    }
    String col = Expressions.column(column.sample().name());
    if (column.isTemporal()) {
      return List.of(
          new Evidence(0.6, column.evidence(column.present(), "are dates"))
              .add(0.25, Evidence.nameMentions(birth))
              .suggest(column, BIRTH_YEAR, "EXTRACT(YEAR FROM " + col + ")"));
    }
    DateTexts.Reading reading = DateTexts.read(column);
    Evidence e =
        new Evidence(0.6, column.evidence(reading.matched(), "are dates written as text"))
            .add(0.25, Evidence.nameMentions(birth));
    // the year alone: ISO text starts with it, slashed text ends its date with it
    String from = reading.layout() == DateTexts.Layout.ISO ? "1" : "7";
    String expression = "CAST(SUBSTRING(TRIM(" + col + ") FROM " + from + " FOR 4) AS BIGINT)";
    if (column.hasStrays(reading.matched())) {
      expression =
          Expressions.guarded("TRIM(" + col + ")", DateTexts.shape(reading.layout()), expression);
    }
    return List.of(e.suggest(column, BIRTH_YEAR, expression));
  }

  /** The column as a BIGINT: itself, a cast of a decimal, or a guarded cast of text. */
  private static String integer(ColumnProfile column, int matched, String digits) {
    String col = Expressions.column(column.sample().name());
    String type = column.sample().sqlType().toUpperCase(java.util.Locale.ROOT);
    if (column.kind() == ColumnProfile.Kind.INTEGER) {
      return type.startsWith("BIGINT") ? col : "CAST(" + col + " AS BIGINT)";
    }
    if (column.isNumeric()) {
      return "CAST(" + col + " AS BIGINT)";
    }
    String cast = "CAST(TRIM(" + col + ") AS BIGINT)";
    return column.hasStrays(matched)
        ? Expressions.guarded("TRIM(" + col + ")", digits, cast)
        : cast;
  }

  private static double median(ColumnProfile column) {
    List<BigDecimal> sorted = column.numbers().stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2).doubleValue();
  }
}
