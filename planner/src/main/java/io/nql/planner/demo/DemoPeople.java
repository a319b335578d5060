package io.nql.planner.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The demo population: person {@code n}'s device id, e-mail, country and sex are pure functions of
 * {@code n}, so different datasets share join keys for the same people.
 */
final class DemoPeople {
  static final String[] COUNTRIES = {
    "USA", "GBR", "DEU", "FRA", "CAN", "BRA", "IND", "JPN", "ESP", "ITA", "MEX", "AUS", "NLD", "KOR"
  };
  static final int[] COUNTRY_WEIGHTS = {34, 11, 9, 7, 6, 6, 6, 5, 4, 4, 3, 2, 2, 1};
  static final int COUNTRY_TOTAL = 100;
  static final String[] CURRENCIES = {
    "USD", "GBP", "EUR", "EUR", "CAD", "BRL", "INR", "JPY", "EUR", "EUR", "MXN", "AUD", "EUR", "KRW"
  };

  private static final String[] FIRST = {
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "william",
    "barbara",
    "lukas",
    "emma",
    "hugo",
    "chloe",
    "liam",
    "olivia",
    "joao",
    "ana",
    "arjun",
    "priya",
    "haruto",
    "yui",
    "mateo",
    "sofia",
    "noah",
    "mia",
    "lucas",
    "lea"
  };
  private static final String[] LAST = {
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "muller",
    "schmidt",
    "martin",
    "bernard",
    "silva",
    "santos",
    "sharma",
    "patel",
    "sato",
    "suzuki",
    "rossi",
    "lopez",
    "tremblay",
    "wilson",
    "taylor",
    "nguyen",
    "kim",
    "dubois",
    "weber",
    "costa"
  };
  private static final String[] DOMAINS = {
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "gmx.de",
    "orange.fr",
    "proton.me",
    "example.org",
    "mail.co.uk"
  };
  private static final long SEED = 0x5EED_0001L;
  private static final HexFormat HEX = HexFormat.of();

  private final MessageDigest sha256;

  DemoPeople() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** A UUID-shaped mobile advertising id. */
  static String maid(int person) {
    long a = DemoRandom.hash(SEED, 2L * person);
    long b = DemoRandom.hash(SEED, 2L * person + 1);
    String hex = HEX.toHexDigits(a) + HEX.toHexDigits(b);
    return hex.substring(0, 8)
        + '-'
        + hex.substring(8, 12)
        + "-4"
        + hex.substring(13, 16)
        + '-'
        + "89ab".charAt((int) (b >>> 62))
        + hex.substring(17, 20)
        + '-'
        + hex.substring(20, 32);
  }

  /** The raw e-mail as a provider would hold it (mixed case, stray blanks), or null (~20%). */
  static String rawEmail(int person) {
    long h = DemoRandom.hash(SEED ^ 0xE3A1L, person);
    if (Math.floorMod(h, 5) == 0) {
      return null;
    }
    String first = FIRST[(int) Math.floorMod(h >>> 8, FIRST.length)];
    String last = LAST[(int) Math.floorMod(h >>> 16, LAST.length)];
    String domain = DOMAINS[(int) Math.floorMod(h >>> 24, DOMAINS.length)];
    String local;
    switch ((int) Math.floorMod(h >>> 32, 4)) {
      case 0:
        local = first + "." + last;
        break;
      case 1:
        local = first.charAt(0) + last + (person % 100);
        break;
      case 2:
        local = first + "_" + last + (person % 1000);
        break;
      default:
        local = first + last + (1960 + person % 50);
        break;
    }
    String email = local + "+" + person + "@" + domain;
    long style = Math.floorMod(h >>> 40, 10);
    if (style == 0) {
      email = email.toUpperCase(Locale.ROOT);
    } else if (style == 1) {
      email = Character.toUpperCase(email.charAt(0)) + email.substring(1);
    } else if (style == 2) {
      email = "  " + email + " ";
    }
    return email;
  }

  /** Trimmed and lower-cased: the form that is hashed. */
  static String normalizeEmail(String raw) {
    return raw.strip().toLowerCase(Locale.ROOT);
  }

  /** Lower-case hex SHA-256 of the normalized e-mail, or null without an e-mail. */
  String emailSha256(String rawEmail) {
    if (rawEmail == null) {
      return null;
    }
    return HEX.formatHex(sha256.digest(normalizeEmail(rawEmail).getBytes(StandardCharsets.UTF_8)));
  }

  static int countryIndex(int person) {
    int r = (int) Math.floorMod(DemoRandom.hash(SEED ^ 0xC0L, person), COUNTRY_TOTAL);
    for (int i = 0; i < COUNTRY_WEIGHTS.length; i++) {
      r -= COUNTRY_WEIGHTS[i];
      if (r < 0) {
        return i;
      }
    }
    return 0;
  }

  static String sex(int person) {
    int r = (int) Math.floorMod(DemoRandom.hash(SEED ^ 0x5EL, person), 100);
    return r < 48 ? "F" : r < 94 ? "M" : "U";
  }
}
