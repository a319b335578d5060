package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * When the event happened: a DATE or TIMESTAMP column, epoch seconds, milliseconds or microseconds
 * ({@code FROM_UNIXTIME}), or ISO 8601 text ({@code CAST(... AS TIMESTAMP)}, with a {@code T}
 * separator and a {@code Z} removed first). Birth dates, expiry dates and the like are not events.
 * Large integers in the epoch range could be identifiers, so without a time word in the name they
 * must span at most a few years. A dataset maps one column to {@code event_timestamp}: {@link
 * Classifier} keeps the most confident.
 */
final class EventTimestamps implements Recognizer {
  static final String EVENT_TIMESTAMP = "event_timestamp";

  /** 2000-01-01 and 2036-01-01 in epoch seconds. */
  private static final long FROM = 946_684_800L;

  private static final long TO = 2_082_758_400L;
  private static final long YEAR = 31_557_600L;

  private static final List<String> EVENT_HINTS =
      List.of(
          "ts",
          "timestamp",
          "event",
          "datetime",
          "occurred",
          "logged",
          "epoch",
          "unix",
          "utc",
          "tstamp",
          "created",
          "received",
          "recorded",
          "collected",
          "observed",
          "at",
          "dt",
          "day",
          "date",
          "when",
          "time",
          "seen");
  private static final List<String> TIME_WORDS =
      List.of("ts", "timestamp", "time", "datetime", "dt", "date", "epoch", "unix", "tstamp", "at");
  private static final List<String> WEAK_HINTS =
      List.of(
          "updated",
          "modified",
          "changed",
          "loaded",
          "ingested",
          "processed",
          "etl",
          "inserted",
          "synced",
          "exported",
          "imported");
  private static final List<String> OTHER_HINTS =
      List.of(
          "birth",
          "dob",
          "born",
          "birthday",
          "expiry",
          "expires",
          "expiration",
          "expire",
          "valid",
          "until",
          "deleted",
          "due",
          "deadline",
          "anniversary");
  private static final List<String> NOT_TIME_HINTS =
      List.of(
          "id",
          "key",
          "number",
          "num",
          "no",
          "code",
          "phone",
          "zip",
          "count",
          "amount",
          "price",
          "size",
          "bytes",
          "seq",
          "sequence",
          "ref",
          "account",
          "msisdn");

  @Override
  public List<String> attributes() {
    return List.of(EVENT_TIMESTAMP);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    String col = Expressions.column(column.sample().name());
    if (column.isTemporal()) {
      Evidence e = new Evidence(0.7, column.evidence(column.present(), "are " + typeWord(column)));
      if (column.kind() == ColumnProfile.Kind.DATE) {
        e.add(-0.05, "days only");
      }
      names(column, e, true);
      String expression =
          column.kind() == ColumnProfile.Kind.DATE ? "CAST(" + col + " AS TIMESTAMP)" : col;
      return List.of(e.suggest(column, EVENT_TIMESTAMP, expression));
    }
    if (column.kind() == ColumnProfile.Kind.INTEGER || column.isText()) {
      List<Suggestion> epoch = epoch(column, col);
      if (!epoch.isEmpty() || !column.isText()) {
        return epoch;
      }
      return text(column, col);
    }
    return List.of();
  }

  private static String typeWord(ColumnProfile column) {
    return switch (column.kind()) {
      case DATE -> "dates";
      default -> "timestamps";
    };
  }

  /** Adjusts for the name; {@code typed}: the column's type already says it is a time. */
  private static void names(ColumnProfile column, Evidence e, boolean typed) {
    ColumnName name = column.name();
    String other = name.mention(OTHER_HINTS);
    String weak = name.mention(WEAK_HINTS);
    String event = name.mention(EVENT_HINTS);
    if (other != null) {
      e.cap(0.2, "but the name mentions \"" + other + "\", not an event");
    } else if (weak != null) {
      e.add(typed ? -0.05 : 0.05, "the name mentions \"" + weak + "\" (a bookkeeping time?)");
    } else if (event != null) {
      e.add(typed ? 0.2 : 0.3, Evidence.nameMentions(event));
    }
  }

  private static List<Suggestion> epoch(ColumnProfile column, String col) {
    List<BigDecimal> numbers = column.numbers();
    if (numbers.isEmpty() || (double) numbers.size() / column.present() < 0.9) {
      return List.of();
    }
    for (long unit : new long[] {1, 1_000, 1_000_000}) {
      List<Long> seconds = new ArrayList<>();
      for (BigDecimal n : numbers) {
        if (n.stripTrailingZeros().scale() <= 0) {
          long v = n.longValue() / unit;
          if (v >= FROM && v < TO && n.longValue() >= FROM * unit) {
            seconds.add(v);
          }
        }
      }
      if ((double) seconds.size() / column.present() < 0.9) {
        continue;
      }
      String unitWord = unit == 1 ? "seconds" : unit == 1_000 ? "milliseconds" : "microseconds";
      Evidence e =
          new Evidence(
              0.45, column.evidence(seconds.size(), "are epoch " + unitWord + " (2000 to 2035)"));
      Collections.sort(seconds);
      long span = seconds.get(seconds.size() * 95 / 100) - seconds.get(seconds.size() * 5 / 100);
      String notTime = column.name().word(NOT_TIME_HINTS);
      if (notTime != null && column.name().mention(TIME_WORDS) == null) {
        e.cap(0.2, "but the name mentions \"" + notTime + "\"");
      }
      if (span <= 3 * YEAR && column.distinctRatio() >= 0.2) {
        e.add(0.17, "within " + Math.max(1, span / 86_400) + " days of each other");
      } else if (span > 20 * YEAR) {
        e.cap(0.3, "spread over more than 20 years, as identifiers are");
      }
      names(column, e, false);
      String number = column.isText() ? "CAST(TRIM(" + col + ") AS BIGINT)" : col;
      String value = "FROM_UNIXTIME(" + (unit == 1 ? number : number + " / " + unit + ".0") + ")";
      if (column.isText() && column.hasStrays(seconds.size())) {
        value = Expressions.guarded("TRIM(" + col + ")", "[0-9]{9,16}", value);
      }
      return List.of(e.suggest(column, EVENT_TIMESTAMP, value));
    }
    return List.of();
  }

  private static List<Suggestion> text(ColumnProfile column, String col) {
    DateTexts.Reading reading = DateTexts.read(column);
    int matched = reading.matched();
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    boolean iso = reading.layout() == DateTexts.Layout.ISO;
    String written =
        (reading.withTime() == 0 ? "dates" : "timestamps")
            + (iso
                ? " in ISO 8601"
                : reading.layout() == DateTexts.Layout.MONTH_FIRST
                    ? " written month/day/year"
                    : " written day/month/year");
    Evidence e = new Evidence(0.62, column.evidence(matched, "are " + written));
    if (reading.offsets() > 0) {
      e.cap(
          0.45,
          ColumnProfile.percent((double) reading.offsets() / column.present())
              + " carry a UTC offset other than Z, which a cast would drop");
    }
    if (reading.ambiguous()) {
      e.cap(0.5, "no day above 12 tells day from month");
    }
    names(column, e, false);
    String value = DateTexts.timestamp(col, column.needsTrim(), reading);
    if (column.hasStrays(matched)) {
      value = Expressions.guarded("TRIM(" + col + ")", DateTexts.shape(reading.layout()), value);
    }
    return List.of(e.suggest(column, EVENT_TIMESTAMP, value));
  }
}
