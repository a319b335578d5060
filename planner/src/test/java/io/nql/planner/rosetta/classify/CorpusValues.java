package io.nql.planner.rosetta.classify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Realistic values for the corpus generator: people, contacts, places, devices, text. */
final class CorpusValues {
  private CorpusValues() {}

  static final List<String> FIRST =
      List.of(
          "James",
          "Mary",
          "John",
          "Patricia",
          "Robert",
          "Jennifer",
          "Michael",
          "Linda",
          "David",
          "Elizabeth",
          "William",
          "Barbara",
          "Richard",
          "Susan",
          "Joseph",
          "Jessica",
          "Thomas",
          "Sarah",
          "Carlos",
          "Maria",
          "Wei",
          "Yuki",
          "Aisha",
          "Mohammed",
          "Olga",
          "Pierre",
          "Giulia",
          "Hans",
          "Priya",
          "Arjun",
          "Chloe",
          "Liam",
          "Noah",
          "Emma",
          "Olivia",
          "Ava",
          "Sofia",
          "Mateo",
          "Lucas",
          "Zoe");
  static final List<String> LAST =
      List.of(
          "Smith",
          "Johnson",
          "Williams",
          "Brown",
          "Jones",
          "Garcia",
          "Miller",
          "Davis",
          "Rodriguez",
          "Martinez",
          "Hernandez",
          "Lopez",
          "Gonzalez",
          "Wilson",
          "Anderson",
          "Thomas",
          "Taylor",
          "Moore",
          "Jackson",
          "Martin",
          "Lee",
          "Perez",
          "Thompson",
          "White",
          "Harris",
          "Sanchez",
          "Clark",
          "Ramirez",
          "Lewis",
          "Robinson",
          "O'Brien",
          "Nguyen",
          "Kim",
          "Patel",
          "Müller",
          "Rossi",
          "Dubois",
          "Ivanova",
          "Tanaka",
          "Chen");
  static final List<String> DOMAINS =
      List.of(
          "gmail.com",
          "gmail.com",
          "gmail.com",
          "yahoo.com",
          "hotmail.com",
          "outlook.com",
          "icloud.com",
          "aol.com",
          "comcast.net",
          "protonmail.com",
          "acme-corp.com",
          "example.org",
          "mail.co.uk",
          "web.de",
          "orange.fr");
  static final List<String> AREA_CODES =
      List.of(
          "201", "206", "212", "213", "305", "312", "404", "415", "503", "512", "602", "617", "646",
          "702", "713", "718", "720", "773", "818", "917");
  static final List<String> STATES =
      List.of(
          "CA", "CA", "CA", "TX", "TX", "NY", "NY", "FL", "FL", "IL", "PA", "OH", "GA", "NC", "MI",
          "NJ", "VA", "WA", "AZ", "MA", "TN", "IN", "MO", "MD", "WI", "CO", "MN", "SC", "AL", "LA",
          "KY", "OR", "OK", "CT", "UT", "IA", "NV", "AR", "MS", "KS", "NM", "NE", "ID", "WV", "HI",
          "NH", "ME", "RI", "MT", "DE", "SD", "ND", "AK", "VT", "WY", "DC");

  /** Alpha-2 codes weighted towards the big ad markets. */
  static final List<String> COUNTRIES =
      List.of(
          "US", "US", "US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "CA", "CA", "AU", "JP",
          "BR", "MX", "IN", "ES", "IT", "NL", "SE", "PL", "KR", "CN", "ZA", "AR", "IE", "NZ", "SG",
          "CH", "AT", "BE", "DK", "NO", "FI", "PT", "TR", "AE", "IL");

  /**
   * English names of {@link #COUNTRIES} (written out rather than taken from the JDK's locale data,
   * which changes between releases).
   */
  static final java.util.Map<String, String> COUNTRY_NAMES =
      java.util.Map.ofEntries(
          java.util.Map.entry("US", "United States"),
          java.util.Map.entry("GB", "United Kingdom"),
          java.util.Map.entry("DE", "Germany"),
          java.util.Map.entry("FR", "France"),
          java.util.Map.entry("CA", "Canada"),
          java.util.Map.entry("AU", "Australia"),
          java.util.Map.entry("JP", "Japan"),
          java.util.Map.entry("BR", "Brazil"),
          java.util.Map.entry("MX", "Mexico"),
          java.util.Map.entry("IN", "India"),
          java.util.Map.entry("ES", "Spain"),
          java.util.Map.entry("IT", "Italy"),
          java.util.Map.entry("NL", "Netherlands"),
          java.util.Map.entry("SE", "Sweden"),
          java.util.Map.entry("PL", "Poland"),
          java.util.Map.entry("KR", "South Korea"),
          java.util.Map.entry("CN", "China"),
          java.util.Map.entry("ZA", "South Africa"),
          java.util.Map.entry("AR", "Argentina"),
          java.util.Map.entry("IE", "Ireland"),
          java.util.Map.entry("NZ", "New Zealand"),
          java.util.Map.entry("SG", "Singapore"),
          java.util.Map.entry("CH", "Switzerland"),
          java.util.Map.entry("AT", "Austria"),
          java.util.Map.entry("BE", "Belgium"),
          java.util.Map.entry("DK", "Denmark"),
          java.util.Map.entry("NO", "Norway"),
          java.util.Map.entry("FI", "Finland"),
          java.util.Map.entry("PT", "Portugal"),
          java.util.Map.entry("TR", "Turkey"),
          java.util.Map.entry("AE", "United Arab Emirates"),
          java.util.Map.entry("IL", "Israel"));

  static final List<String> CURRENCIES =
      List.of("USD", "USD", "USD", "EUR", "EUR", "GBP", "CAD", "JPY", "AUD", "CHF", "SEK", "MXN");
  static final List<String> LANGUAGES =
      List.of("en", "en", "en", "es", "fr", "de", "it", "pt", "nl", "ja", "zh", "ru", "ko", "sv");
  static final List<String> CARRIERS =
      List.of(
          "Verizon",
          "AT&T",
          "T-Mobile",
          "Sprint",
          "Vodafone",
          "O2",
          "EE",
          "Orange",
          "Rogers",
          "Bell",
          "Telus",
          "wifi");
  static final List<String> MODELS =
      List.of(
          "iPhone14,2",
          "iPhone13,3",
          "iPhone15,4",
          "iPad13,1",
          "SM-G991B",
          "SM-A525F",
          "Pixel 7",
          "Pixel 6a",
          "moto g(30)",
          "M2101K6G",
          "CPH2211",
          "SM-S911U",
          "iPhone12,1",
          "ONEPLUS A6013");
  static final List<String> WORDS =
      List.of(
          "great",
          "service",
          "delivery",
          "was",
          "late",
          "the",
          "product",
          "quality",
          "price",
          "support",
          "team",
          "helpful",
          "would",
          "recommend",
          "not",
          "happy",
          "with",
          "order",
          "fast",
          "shipping",
          "easy",
          "to",
          "use",
          "app",
          "crashes",
          "sometimes",
          "love",
          "it",
          "too",
          "expensive",
          "call",
          "me",
          "back",
          "about",
          "pricing",
          "interested",
          "in",
          "demo");
  static final List<String> UA =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.1 Safari/605.1.15",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.0 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36",
          "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/121.0");
  static final List<String> SITES =
      List.of("shop.example.com", "www.example.com", "blog.example.com", "m.example.com");
  static final List<String> REFERRERS =
      List.of(
          "google.com",
          "bing.com",
          "facebook.com",
          "t.co",
          "news.ycombinator.com",
          "duckduckgo.com",
          "instagram.com",
          "(direct)");

  static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  static String uuid(Random r) {
    byte[] b = new byte[16];
    r.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    String h = HexFormat.of().formatHex(b);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20);
  }

  static String hex(Random r, int digits) {
    byte[] b = new byte[(digits + 1) / 2];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b).substring(0, digits);
  }

  static String digest(String algorithm, String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A raw address as people type them: case, dots and +tags in Gmail, numbers. */
  static String email(Random r) {
    String first = pick(r, FIRST);
    String last = pick(r, LAST).replace("'", "").replace("ü", "u");
    String local =
        switch (r.nextInt(5)) {
          case 0 -> first + "." + last;
          case 1 -> first.charAt(0) + last + (1950 + r.nextInt(60));
          case 2 -> first + "_" + last.charAt(0) + r.nextInt(100);
          case 3 -> first + "." + last + "+" + pick(r, List.of("news", "shop", "promo"));
          default -> last + first.substring(0, 2) + r.nextInt(1000);
        };
    if (r.nextInt(3) == 0) {
      local = local.toLowerCase(Locale.ROOT);
    }
    return local + "@" + pick(r, DOMAINS);
  }

  /** A normalized address (what hashes are computed from). */
  static String normalizedEmail(Random r) {
    return email(r).toLowerCase(Locale.ROOT).replaceAll("\\+[a-z]+@", "@");
  }

  static String usPhoneDigits(Random r) {
    return pick(r, AREA_CODES)
        + (2 + r.nextInt(8))
        + String.format(Locale.ROOT, "%02d", r.nextInt(100))
        + String.format(Locale.ROOT, "%04d", r.nextInt(10_000));
  }

  /** A US number in one of the ways forms collect them. */
  static String usPhone(Random r) {
    String d = usPhoneDigits(r);
    String a = d.substring(0, 3);
    String b = d.substring(3, 6);
    String c = d.substring(6);
    return switch (r.nextInt(6)) {
      case 0 -> "(" + a + ") " + b + "-" + c;
      case 1 -> a + "-" + b + "-" + c;
      case 2 -> a + "." + b + "." + c;
      case 3 -> "+1 " + a + "-" + b + "-" + c;
      case 4 -> "+1" + d;
      default -> "1 (" + a + ") " + b + " " + c;
    };
  }

  /** A UK or Canadian number, international or national. */
  static String intlPhone(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "+44 7" + (100 + r.nextInt(900)) + " " + (100_000 + r.nextInt(900_000));
      case 1 -> "07" + (100 + r.nextInt(900)) + " " + (100_000 + r.nextInt(900_000));
      case 2 -> "+44 20 " + (7000 + r.nextInt(3000)) + " " + (1000 + r.nextInt(9000));
      default ->
          "("
              + pick(r, List.of("416", "604", "514", "403"))
              + ") "
              + (200 + r.nextInt(800))
              + "-"
              + (1000 + r.nextInt(9000));
    };
  }

  /** A ZIP code, as a number: New England's start with 0. */
  static int zip(Random r) {
    return r.nextInt(5) == 0 ? 1001 + r.nextInt(8_900) : 10_001 + r.nextInt(89_000);
  }

  static String zip5(Random r) {
    return String.format(Locale.ROOT, "%05d", zip(r));
  }

  static String ukPostcode(Random r) {
    String area =
        pick(
            r,
            List.of(
                "SW", "EC", "W", "N", "M", "B", "LS", "G", "EH", "CF", "BS", "NW", "SE", "E", "L"));
    String letters = "ABDEFGHJLNPQRSTUWXYZ";
    return area
        + (1 + r.nextInt(19))
        + " "
        + r.nextInt(10)
        + letters.charAt(r.nextInt(letters.length()))
        + letters.charAt(r.nextInt(letters.length()));
  }

  static String caPostcode(Random r) {
    String first = "ABCEGHJKLMNPRSTVXY";
    String letters = "ABCEGHJKLMNPRSTVWXYZ";
    return ""
        + first.charAt(r.nextInt(first.length()))
        + r.nextInt(10)
        + letters.charAt(r.nextInt(letters.length()))
        + " "
        + r.nextInt(10)
        + letters.charAt(r.nextInt(letters.length()))
        + r.nextInt(10);
  }

  static String ipv4(Random r) {
    int first = pick(r, List.of(24, 50, 66, 73, 98, 104, 142, 172, 185, 203, 212, 81, 92));
    return first + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String ipv6(Random r) {
    StringBuilder b =
        new StringBuilder(pick(r, List.of("2001:db8", "2600:1700", "2a02:c7f", "2607:f8b0")));
    int groups = r.nextInt(3) == 0 ? 2 : 6;
    if (groups == 2) {
      b.append("::");
      b.append(Integer.toHexString(r.nextInt(0x10000)))
          .append(':')
          .append(Integer.toHexString(r.nextInt(0x10000)));
    } else {
      for (int i = 0; i < groups; i++) {
        b.append(':').append(Integer.toHexString(r.nextInt(0x10000)));
      }
    }
    return b.toString();
  }

  static String sentence(Random r, int minWords, int maxWords) {
    int n = minWords + r.nextInt(maxWords - minWords + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(pick(r, WORDS));
    }
    b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
    return b.append(r.nextInt(4) == 0 ? "!" : ".").toString();
  }

  static double decimals(double value, int scale) {
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }

  /** A moment within {@code days} days before 2026-11-30, second precision. */
  static LocalDateTime recent(Random r, int days) {
    return LocalDateTime.of(2026, 11, 30, 0, 0).minusSeconds(r.nextInt(days * 86_400));
  }

  static Instant recentInstant(Random r, int days) {
    return recent(r, days).toInstant(ZoneOffset.UTC);
  }

  static LocalDate birthDate(Random r) {
    return LocalDate.of(1940, 1, 1).plusDays(r.nextInt(65 * 365));
  }

  /** Upper case, lower case or as is, per value. */
  static String mixCase(Random r, String v, double upperShare, double lowerShare) {
    double x = r.nextDouble();
    if (x < upperShare) {
      return v.toUpperCase(Locale.ROOT);
    }
    if (x < upperShare + lowerShare) {
      return v.toLowerCase(Locale.ROOT);
    }
    return v;
  }
}
