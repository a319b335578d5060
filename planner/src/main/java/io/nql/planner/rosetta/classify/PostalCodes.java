package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Postal codes: US ZIP codes (five digits, ZIP+4), UK postcodes and Canadian postal codes. UK and
 * Canadian codes and ZIP+4 have shapes few other things have; five digits could be anything, so a
 * ZIP needs a postal word in the name, and so does a number column (which has lost the leading
 * zeros of New England's codes: the expression puts them back).
 */
final class PostalCodes implements Recognizer {
  static final String POSTAL_CODE = "postal_code";

  private static final Pattern ZIP5 = Pattern.compile("[0-9]{5}");
  private static final Pattern ZIP9 = Pattern.compile("[0-9]{5}-[0-9]{4}");
  private static final Pattern SHORT_ZIP = Pattern.compile("[0-9]{3,4}");
  private static final Pattern UK =
      Pattern.compile("[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}");
  private static final Pattern CA = Pattern.compile("[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]");
  private static final List<String> HINTS =
      List.of("zip", "zipcode", "postal", "postcode", "plz", "pincode", "zip5", "zip4");
  private static final List<String> OTHER_HINTS =
      List.of(
          "id",
          "sku",
          "product",
          "order",
          "phone",
          "amount",
          "price",
          "count",
          "year",
          "qty",
          "quantity",
          "number",
          "num",
          "store_number",
          "code_type");

  @Override
  public List<String> attributes() {
    return List.of(POSTAL_CODE);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    if (column.kind() == ColumnProfile.Kind.INTEGER) {
      return numeric(column);
    }
    if (!column.isText()) {
      return List.of();
    }
    int zip5 = column.count(v -> ZIP5.matcher(v).matches());
    int zip9 = column.count(v -> ZIP9.matcher(v).matches());
    int shortZip = column.count(v -> SHORT_ZIP.matcher(v).matches());
    int uk = column.count(v -> UK.matcher(v).matches());
    int ca = column.count(v -> CA.matcher(v).matches());
    int us = zip5 + zip9 + (zip5 > 0 ? shortZip : 0);
    int matched = us + uk + ca;
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    boolean specific = uk + ca + zip9 >= 0.3 * column.present();
    String what =
        uk + ca == 0
            ? "US ZIP codes"
            : us > 0
                ? "postal codes (US, UK, Canadian)"
                : uk > 0 && ca > 0
                    ? "UK and Canadian postcodes"
                    : ca > 0 ? "Canadian postal codes" : "UK postcodes";
    Evidence e =
        new Evidence(specific ? 0.8 : 0.4, column.evidence(matched, "have the shape of " + what));
    if (!specific) {
      e.add(0, "five digits alone could be any code");
    }
    names(column, e);
    return List.of(
        e.suggest(
            column,
            POSTAL_CODE,
            textExpression(column, matched, shortZip > 0 && zip5 > 0, uk + ca > 0, zip9 > 0)));
  }

  private static void names(ColumnProfile column, Evidence e) {
    String hint = column.name().mention(HINTS);
    String other = column.name().word(OTHER_HINTS);
    if (hint != null && other == null) {
      e.add(0.45, Evidence.nameMentions(hint));
    } else if (other != null) {
      e.cap(0.3, "the name mentions \"" + other + "\"");
    }
  }

  private static List<Suggestion> numeric(ColumnProfile column) {
    List<BigDecimal> numbers = column.numbers();
    int matched =
        (int)
            numbers.stream()
                .filter(
                    n ->
                        n.signum() > 0
                            && n.compareTo(BigDecimal.valueOf(99_999)) <= 0
                            && n.compareTo(BigDecimal.valueOf(500)) > 0)
                .count();
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    Evidence e =
        new Evidence(
            0.35,
            column.evidence(
                matched,
                "are numbers from 501 to 99,999 (ZIP codes without their leading zeros?)"));
    names(column, e);
    String col = Expressions.column(column.sample().name());
    return List.of(
        e.suggest(column, POSTAL_CODE, "SUBSTRING(CAST(" + col + " + 100000 AS VARCHAR) FROM 2)"));
  }

  private static String textExpression(
      ColumnProfile column, int matched, boolean pad, boolean letters, boolean zip9) {
    String col = Expressions.column(column.sample().name());
    String trimmed = "TRIM(" + col + ")";
    String value;
    if (pad && !zip9 && !letters) {
      value =
          "CASE WHEN "
              + trimmed
              + " SIMILAR TO '[0-9]{3,4}' THEN SUBSTRING('0000' || "
              + trimmed
              + " FROM CHAR_LENGTH("
              + trimmed
              + ")) ELSE "
              + trimmed
              + " END";
    } else if (letters && column.hasLowerCase()) {
      value = "UPPER(" + trimmed + ")";
    } else {
      value = column.needsTrim() ? trimmed : col;
    }
    if (column.hasStrays(matched)) {
      String shape = "[0-9]{3,5}(-[0-9]{4})?|[A-Za-z0-9]{2,4} ?[0-9A-Za-z]{3}";
      value = Expressions.guarded(trimmed, shape, value);
    }
    return value;
  }
}
