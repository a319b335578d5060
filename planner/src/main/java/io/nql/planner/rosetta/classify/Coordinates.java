package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * WGS 84 latitude and longitude in degrees. Prices, scores and ratios also fall within ±90, so a
 * coordinate needs its word in the name ({@code lat}, {@code lng}...) and the precision of a
 * position (three decimals or more in most values).
 */
final class Coordinates implements Recognizer {
  static final String LATITUDE = "latitude";
  static final String LONGITUDE = "longitude";

  private static final List<String> LAT_HINTS = List.of("lat", "latitude", "latitud", "breite");
  private static final List<String> LON_HINTS =
      List.of("lon", "lng", "long", "longitude", "longitud", "laenge");
  private static final List<String> NOT_HINTS =
      List.of(
          "price",
          "amount",
          "score",
          "rate",
          "ratio",
          "pct",
          "percent",
          "delta",
          "error",
          "accuracy",
          "term",
          "description",
          "distance");

  @Override
  public List<String> attributes() {
    return List.of(LATITUDE, LONGITUDE);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0 || !(column.isNumeric() || column.isText())) {
      return List.of();
    }
    List<BigDecimal> numbers = column.numbers();
    if ((double) numbers.size() / column.present() < 0.9) {
      return List.of();
    }
    int lat = 0;
    int lon = 0;
    int precise = 0;
    int beyond90 = 0;
    for (BigDecimal n : numbers) {
      double d = n.doubleValue();
      if (Math.abs(d) <= 90) {
        lat++;
      }
      if (Math.abs(d) <= 180) {
        lon++;
      }
      if (Math.abs(d) > 90 && Math.abs(d) <= 180) {
        beyond90++;
      }
      if (n.stripTrailingZeros().scale() >= 3) {
        precise++;
      }
    }
    if ((double) precise / column.present() < 0.5) {
      return List.of();
    }
    ColumnName name = column.name();
    String latHint = name.word(LAT_HINTS);
    String lonHint = name.word(LON_HINTS);
    String not = name.mention(NOT_HINTS);
    List<Suggestion> out = new ArrayList<>();
    if ((double) lat / column.present() >= 0.9) {
      Evidence e =
          new Evidence(0.3, column.evidence(lat, "are within ±90 with three decimals or more"));
      hints(e, latHint, lonHint, not);
      out.add(e.suggest(column, LATITUDE, expression(column, lat)));
    }
    if ((double) lon / column.present() >= 0.9) {
      Evidence e =
          new Evidence(0.3, column.evidence(lon, "are within ±180 with three decimals or more"));
      if (beyond90 >= 0.05 * column.present()) {
        e.add(0.1, "some beyond ±90");
      }
      hints(e, lonHint, latHint, not);
      out.add(e.suggest(column, LONGITUDE, expression(column, lon)));
    }
    return out;
  }

  private static void hints(Evidence e, String mine, String theirs, String not) {
    if (not != null) {
      e.cap(0.2, "the name mentions \"" + not + "\"");
    } else if (mine != null) {
      e.add(0.6, Evidence.nameMentions(mine));
    } else if (theirs != null) {
      e.cap(0.1, "the name mentions \"" + theirs + "\"");
    } else {
      e.add(0, "a coordinate needs its word in the name");
    }
  }

  private static String expression(ColumnProfile column, int matched) {
    String col = Expressions.column(column.sample().name());
    String type = column.sample().sqlType().toUpperCase(java.util.Locale.ROOT);
    if (type.startsWith("DOUBLE")) {
      return col;
    }
    if (column.isNumeric()) {
      return "CAST(" + col + " AS DOUBLE)";
    }
    String cast = "CAST(TRIM(" + col + ") AS DOUBLE)";
    return column.hasStrays(matched)
        ? Expressions.guarded("TRIM(" + col + ")", "-?[0-9]{1,3}(.[0-9]+)?", cast)
        : cast;
  }
}
