package io.nql.planner.rosetta.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and timestamps written as text, and the NQL that reads them: ISO 8601 ({@code 2026-11-28},
 * {@code 2026-11-28T09:14:05Z}, {@code 2026-11-28 09:14}) or zero-padded month/day/year and
 * day/month/year ({@code 11/28/2026 09:14}). NQL's cast reads {@code yyyy-MM-dd[ HH:mm:ss[.f]]}
 * only, so the expression rewrites the text into that form first.
 */
final class DateTexts {
  /** The layout of a column's date text. */
  enum Layout {
    ISO,
    MONTH_FIRST,
    DAY_FIRST
  }

  static final Pattern ISO =
      Pattern.compile(
          "([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
              + "([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?"
              + "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?");
  static final Pattern SLASHED =
      Pattern.compile(
          "([0-9]{2})[/.]([0-9]{2})[/.]([0-9]{4})( ([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?");
  private static final Pattern WITHOUT_SECONDS =
      Pattern.compile(".*[ T][0-9]{2}:[0-9]{2}(Z|[+-].*)?");

  /** What a column's values say about their layout. */
  record Reading(
      Layout layout,
      int matched,
      int withTime,
      int withoutSeconds,
      int offsets,
      boolean ambiguous) {}

  private DateTexts() {}

  /** How the present values of a text column are written; {@code matched} counts the readable. */
  static Reading read(ColumnProfile column) {
    int iso = column.count(v -> ISO.matcher(v).matches());
    int slashed = column.count(DateTexts::isSlashed);
    if (iso >= slashed) {
      int offsets = column.count(v -> ISO.matcher(v).matches() && hasOffset(v));
      int time = column.count(v -> ISO.matcher(v).matches() && v.length() > 10);
      int noSeconds =
          column.count(v -> ISO.matcher(v).matches() && WITHOUT_SECONDS.matcher(v).matches());
      return new Reading(Layout.ISO, iso, time, noSeconds, offsets, false);
    }
    boolean firstAbove12 = column.count(v -> isSlashed(v) && field(v, 1) > 12) > 0;
    boolean secondAbove12 = column.count(v -> isSlashed(v) && field(v, 2) > 12) > 0;
    Layout layout = firstAbove12 && !secondAbove12 ? Layout.DAY_FIRST : Layout.MONTH_FIRST;
    int valid =
        column.count(
            v ->
                isSlashed(v)
                    && field(v, layout == Layout.DAY_FIRST ? 2 : 1) <= 12
                    && field(v, layout == Layout.DAY_FIRST ? 1 : 2) <= 31);
    int time = column.count(v -> isSlashed(v) && v.length() > 10);
    int noSeconds = column.count(v -> isSlashed(v) && v.length() == 16);
    return new Reading(layout, valid, time, noSeconds, 0, !firstAbove12 && !secondAbove12);
  }

  /**
   * NQL giving a TIMESTAMP from the column's text as {@code reading} found it written: {@code T}
   * and {@code Z} removed, {@code :00} added where seconds are missing, a slashed date rewritten as
   * ISO.
   */
  static String timestamp(String col, boolean trim, Reading reading) {
    String t = trim || reading.layout() != Layout.ISO ? "TRIM(" + col + ")" : col;
    String iso;
    if (reading.layout() == Layout.ISO) {
      iso = t;
      if (reading.withTime() > 0) {
        iso = "REPLACE(REPLACE(" + iso + ", 'T', ' '), 'Z', '')";
      }
    } else {
      String month = reading.layout() == Layout.MONTH_FIRST ? "1" : "4";
      String day = reading.layout() == Layout.MONTH_FIRST ? "4" : "1";
      iso =
          "SUBSTRING("
              + t
              + " FROM 7 FOR 4) || '-' || SUBSTRING("
              + t
              + " FROM "
              + month
              + " FOR 2) || '-' || SUBSTRING("
              + t
              + " FROM "
              + day
              + " FOR 2) || SUBSTRING("
              + t
              + " FROM 11)";
    }
    if (reading.withoutSeconds() > 0) {
      iso =
          reading.withoutSeconds() == reading.withTime()
              ? iso + " || ':00'"
              : "CASE WHEN CHAR_LENGTH("
                  + iso
                  + ") = 16 THEN "
                  + iso
                  + " || ':00' ELSE "
                  + iso
                  + " END";
    }
    return "CAST(" + iso + " AS TIMESTAMP)";
  }

  /** The SIMILAR TO shape of readable values of the layout (for guarding casts). */
  static String shape(Layout layout) {
    return layout == Layout.ISO
        ? "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(.[0-9]{1,9})?)?)?Z?"
        : "[0-9]{2}[/.][0-9]{2}[/.][0-9]{4}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?";
  }

  private static boolean isSlashed(String v) {
    return SLASHED.matcher(v).matches();
  }

  private static int field(String v, int group) {
    Matcher m = SLASHED.matcher(v);
    return m.matches() ? Integer.parseInt(m.group(group)) : 0;
  }

  private static boolean hasOffset(String v) {
    return v.length() > 10 && (v.lastIndexOf('+') > 10 || v.lastIndexOf('-') > 10);
  }
}
