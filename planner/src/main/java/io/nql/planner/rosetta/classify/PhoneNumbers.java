package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Phone numbers, mapped through {@code NORMALIZE_PHONE('E164', s, 'US')}. Written numbers ({@code
 * (415) 555-0123}, {@code +44 20 7946 0958}) are recognized by their shape; bare digits (text or an
 * integer column) could be any identifier, so they need a phone word in the name. National numbers
 * are read as US numbers (the default region), except those that start with a trunk {@code 0}
 * (numbers of a country outside North America), read as the dataset's most common country other
 * than the US when a country column says which; bare digits that carry a country code get a {@code
 * +}.
 */
final class PhoneNumbers implements Recognizer {
  static final String PHONE = "phone_e164";

  private static final Pattern WRITTEN = Pattern.compile("\\+?[0-9()\\-. /]{7,24}");
  private static final List<String> HINTS =
      List.of(
          "phone",
          "tel",
          "telephone",
          "mobile",
          "cell",
          "cellphone",
          "msisdn",
          "mob",
          "fax",
          "phonenumber",
          "contact_number",
          "telefon",
          "telefono");
  private static final List<String> OTHER_HINTS =
      List.of("id", "key", "account", "order", "customer", "user", "code", "number_of", "count");

  @Override
  public List<String> attributes() {
    return List.of(PHONE);
  }

  @Override
  public List<Suggestion> recognize(ColumnProfile column, Dataset dataset) {
    if (column.present() == 0) {
      return List.of();
    }
    if (column.kind() == ColumnProfile.Kind.INTEGER) {
      return digitsColumn(column, true);
    }
    if (!column.isText()) {
      return List.of();
    }
    int phones = column.count(PhoneNumbers::isPhone);
    if ((double) phones / column.present() < 0.9) {
      return List.of();
    }
    int written = column.count(v -> isPhone(v) && !isDigits(v));
    if ((double) written / column.present() < 0.3) {
      return digitsColumn(column, false);
    }
    Evidence e =
        new Evidence(0.85, column.evidence(phones, "are phone numbers"))
            .add(0, "most written with separators or a +");
    String hint = column.name().mention(HINTS);
    if (hint != null) {
      e.add(0.12, Evidence.nameMentions(hint));
    }
    String col = Expressions.column(column.sample().name());
    String us = "NORMALIZE_PHONE('E164', " + col + ", 'US')";
    int trunk = column.count(v -> isPhone(v) && v.startsWith("0") && !v.startsWith("00"));
    if (trunk < 0.05 * column.present()) {
      return List.of(e.suggest(column, PHONE, us));
    }
    // Numbers that start with a trunk 0 are national numbers of a country outside North
    // America: read them as the dataset's other country, the rest as US numbers.
    String share = ColumnProfile.percent((double) trunk / column.present());
    String region = Countries.mostCommonOther(dataset, "US");
    if (region == null) {
      e.add(
          -0.1,
          share + " are national numbers starting with 0, which read as US numbers give NULL");
      return List.of(e.suggest(column, PHONE, us));
    }
    e.add(
        0,
        share
            + " start with 0: national numbers of "
            + region
            + ", the dataset's most common other country");
    String expression =
        "CASE WHEN TRIM("
            + col
            + ") LIKE '0%' THEN NORMALIZE_PHONE('E164', "
            + col
            + ", '"
            + region
            + "') ELSE "
            + us
            + " END";
    return List.of(e.suggest(column, PHONE, expression));
  }

  /** Bare digits: national (NANP) or international numbers, only with a phone word in the name. */
  private static List<Suggestion> digitsColumn(ColumnProfile column, boolean integers) {
    List<String> digits =
        integers
            ? column.numbers().stream()
                .filter(n -> n.signum() > 0 && n.stripTrailingZeros().scale() <= 0)
                .map(BigDecimal::toPlainString)
                .toList()
            : column.values().stream()
                .map(v -> v.startsWith("+") ? v.substring(1) : v)
                .filter(PhoneNumbers::isDigits)
                .toList();
    long national = digits.stream().filter(PhoneNumbers::isNanp).count();
    long international = digits.stream().filter(d -> !isNanp(d) && isInternational(d)).count();
    int matched = (int) (national + international);
    if ((double) matched / column.present() < 0.9) {
      return List.of();
    }
    Evidence e = new Evidence(0.45, column.evidence(matched, "are 10- to 15-digit numbers"));
    String hint = column.name().mention(HINTS);
    String other = column.name().word(OTHER_HINTS);
    if (hint != null) {
      e.add(0.45, Evidence.nameMentions(hint));
    } else if (other != null) {
      e.cap(0.2, "the name mentions \"" + other + "\"");
    } else {
      e.add(0, "bare digits need a phone word in the name");
    }
    String col = Expressions.column(column.sample().name());
    String text = integers ? "CAST(" + col + " AS VARCHAR)" : "TRIM(" + col + ")";
    if (international > national) {
      text = "'+' || " + text;
    }
    return List.of(e.suggest(column, PHONE, "NORMALIZE_PHONE('E164', " + text + ", 'US')"));
  }

  /** A written phone number: digits with phone separators, 7 to 15 digits. */
  static boolean isPhone(String v) {
    if (!WRITTEN.matcher(v).matches() || v.indexOf('+', 1) >= 0) {
      return false;
    }
    String digits = v.replaceAll("[^0-9]", "");
    if (digits.length() < 7) {
      return false;
    }
    if (v.startsWith("+")) {
      return digits.length() >= 8 && digits.length() <= 15 && digits.charAt(0) != '0';
    }
    if (digits.startsWith("00")) {
      return isInternational(digits.substring(2));
    }
    if (isDigits(v)) {
      return isNanp(digits) || isInternational(digits);
    }
    if (!separatorsLikePhone(v)) {
      return false;
    }
    // a national number with a trunk prefix (UK 020 7946 0958, DE 030 1234567)
    boolean trunk = digits.charAt(0) == '0' && digits.length() >= 9 && digits.length() <= 11;
    return isNanp(digits) || trunk;
  }

  /**
   * Other things written with a phone's characters: dates, decimals, dotted quads, ZIP+4 codes,
   * social security numbers.
   */
  private static boolean separatorsLikePhone(String v) {
    return !v.matches("[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}")
        && !v.matches("[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}")
        && !v.matches("[0-9]+\\.[0-9]+")
        && !v.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
        && !v.matches("[0-9]{5}-[0-9]{4}")
        && !v.matches("[0-9]{3}-[0-9]{2}-[0-9]{4}");
  }

  /** A North American number: 10 digits (or 11 with the leading 1), area and exchange 2-9. */
  static boolean isNanp(String digits) {
    String d = digits.length() == 11 && digits.charAt(0) == '1' ? digits.substring(1) : digits;
    return d.length() == 10 && isDigits(d) && d.charAt(0) >= '2' && d.charAt(3) >= '2';
  }

  /** A number with a country code and no {@code +}: 11 to 15 digits, not starting with 0. */
  private static boolean isInternational(String digits) {
    return digits.length() >= 11
        && digits.length() <= 15
        && isDigits(digits)
        && digits.charAt(0) != '0';
  }

  static boolean isDigits(String v) {
    return !v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
