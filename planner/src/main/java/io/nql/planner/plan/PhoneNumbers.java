package io.nql.planner.plan;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code NORMALIZE_PHONE(format, s, default_region)} on Google's libphonenumber: a phone number in
 * one of its formats, or NULL when {@code s} is not a valid number. A data value never makes it
 * fail (the value may be a rule row's the buyer has not paid for); only a format or region that is
 * not one fails, naming the argument and not its value.
 */
public final class PhoneNumbers {
  private PhoneNumbers() {}

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  /** libphonenumber's region for "no default": only numbers written with {@code +} parse. */
  static final String NO_REGION = "ZZ";

  /**
   * {@code s} as a phone number in {@code format} ({@code E164}, {@code INTERNATIONAL}, {@code
   * NATIONAL} or {@code RFC3966}, any case), read as dialled in {@code region} (an ISO 3166-1
   * alpha-2 code, any case, or {@code ZZ}) unless it starts with {@code +}; NULL when it does not
   * parse or is not a valid number, or when an argument is NULL. {@code NORMALIZE_PHONE('E164',
   * '(650) 253-0000', 'US')} is {@code '+16502530000'}.
   *
   * @throws EvaluationException {@code 22023} for a format or region that is not one
   */
  public static @Nullable String normalizePhone(
      @Nullable String format, @Nullable String s, @Nullable String region) {
    if (format == null || s == null || region == null) {
      return null;
    }
    PhoneNumberFormat f = checkedFormat(format);
    String r = checkedRegion(region);
    try {
      PhoneNumber n = UTIL.parse(s, r);
      return UTIL.isValidNumber(n) ? UTIL.format(n, f) : null;
    } catch (NumberParseException | RuntimeException e) {
      // Any failure on a value is "not a number": an error here would depend on a row's value,
      // and NORMALIZE_PHONE is leak-proof (see policy.LeakProof).
      return null;
    }
  }

  /**
   * The format of that name (any case).
   *
   * @throws EvaluationException {@code 22023} when there is none (naming the argument only)
   */
  static PhoneNumberFormat checkedFormat(String name) {
    PhoneNumberFormat f = format(name);
    if (f == null) {
      throw new EvaluationException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Invalid format for NORMALIZE_PHONE: expected E164, INTERNATIONAL, NATIONAL or RFC3966");
    }
    return f;
  }

  /**
   * The region code of that name (any case).
   *
   * @throws EvaluationException {@code 22023} when libphonenumber knows no such region
   */
  static String checkedRegion(String name) {
    String r = region(name);
    if (r == null) {
      throw new EvaluationException(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Invalid region for NORMALIZE_PHONE: expected an ISO 3166-1 alpha-2 code of a region"
              + " with phone numbers, or ZZ");
    }
    return r;
  }

  private static @Nullable PhoneNumberFormat format(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "E164" -> PhoneNumberFormat.E164;
      case "INTERNATIONAL" -> PhoneNumberFormat.INTERNATIONAL;
      case "NATIONAL" -> PhoneNumberFormat.NATIONAL;
      case "RFC3966" -> PhoneNumberFormat.RFC3966;
      default -> null;
    };
  }

  private static @Nullable String region(String name) {
    String r = name.toUpperCase(Locale.ROOT);
    return r.equals(NO_REGION) || UTIL.getSupportedRegions().contains(r) ? r : null;
  }

  /** Whether {@code name} is a format (then no value of {@code s} can make the call fail). */
  public static boolean isFormat(String name) {
    return format(name) != null;
  }

  /** Whether {@code name} is a region (then no value of {@code s} can make the call fail). */
  public static boolean isRegion(String name) {
    return region(name) != null;
  }
}
