package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.testing.Marketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * NQL.md §8 functions with their documented examples (and the published test vectors of the
 * hashes), in a provider's rule and in a buyer's query, on both executors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NqlFunctionsTest {
  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession provider;
  NqlSession buyer;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    Files.writeString(
        src.resolve("people.csv"),
        "id,email,country\n"
            + "1,John.Doe+test@Gmail.COM,USA\n"
            + "2,  Alice@Example.COM ,deu\n"
            + "3,not an email,XXX\n"
            + "4,,GBR\n");
    engine = Marketplace.open(dir.resolve("wh"), ingest, "acme", "buyer_co");
    provider = engine.trusted("acme_user");
    provider
        .execute("COPY INTO company_data.people FROM '" + src.resolve("people.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"hashed\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, SHA2(NORMALIZE_EMAIL(p.email), 256) AS email_sha256,"
                + " COUNTRY_CODE_3_TO_2(p.country) AS country2 FROM company_data.people p")
        .close();
    Files.writeString(
        src.resolve("contacts.csv"),
        "id,phone,region,format,unit,seen,local_seen,day,epoch\n"
            + "1,(650) 253-0000,US,E164,month,2024-01-31T10:15:30.123Z,2024-01-31 10:15:30.123,"
            + "2024-01-31,1706696130\n"
            + "2,+41 44 668 18 00,CH,NATIONAL,week,2024-05-15T23:59:59+02:00,2024-05-15 23:59:59,"
            + "2024-05-15,0\n"
            + "3,not a phone,US,E.164,fortnight,1969-12-31T23:59:59.999Z,1969-12-31 23:59:59.999,"
            + "1969-12-31,-1\n"
            + "4,,,,,,,,\n");
    provider
        .execute("COPY INTO company_data.contacts FROM '" + src.resolve("contacts.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"dated\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT c.id, NORMALIZE_PHONE('E164', c.phone, 'US') AS phone_e164,"
                + " c.seen, DATE_TRUNC('month', c.seen) AS seen_month,"
                + " DATE_ADD('day', 1, c.day) AS next_day,"
                + " DATEDIFF('day', c.day, DATE '2024-12-31') AS days_left,"
                + " FROM_UNIXTIME(c.epoch) AS epoch_ts FROM company_data.contacts c"
                + " WHERE c.id < 4")
        .close();
    buyer = engine.trusted("buyer_co_user");
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    provider.close();
    engine.close();
  }

  static List<List<Object>> rows(NqlSession s, String sql, Object... parameters) {
    List<List<Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql, Arrays.asList(parameters))) {
      Object[] row;
      while ((row = r.next()) != null) {
        out.add(Arrays.asList(row));
      }
    }
    return out;
  }

  static Object value(NqlSession s, String expression) {
    return rows(s, "SELECT " + expression + " AS v FROM company_data.people WHERE id = 1")
        .get(0)
        .get(0);
  }

  @Test
  void documentedExamples() {
    assertThat(value(provider, "NORMALIZE_EMAIL('John.Doe+test@Gmail.COM')"))
        .isEqualTo("johndoe@gmail.com");
    assertThat(value(provider, "normalize_email('  Alice@Example.COM ')"))
        .isEqualTo("alice@example.com");
    assertThat(value(provider, "NORMALIZE_EMAIL('x.y+z@googlemail.com')"))
        .isEqualTo("xy@gmail.com");
    assertThat(value(provider, "NORMALIZE_EMAIL('not an email')")).isNull();
    assertThat(value(provider, "NORMALIZE_EMAIL(CAST(NULL AS VARCHAR))")).isNull();
    // FIPS 180-2 and RFC 1321 / 3174 test vectors
    assertThat(value(provider, "SHA2('abc', 256)"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(value(provider, "SHA2('abc', 224)"))
        .isEqualTo("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    assertThat(value(provider, "sha2('abc', 0)"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(value(provider, "MD5('abc')")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(value(provider, "SHA1('abc')"))
        .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(value(provider, "HMAC_SHA256('key', 'The quick brown fox jumps over the lazy dog')"))
        .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2('USA')")).isEqualTo("US");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2(' deu ')")).isEqualTo("DE");
    assertThat(value(provider, "COUNTRY_CODE_3_TO_2('XXX')")).isNull();
    assertThat(value(provider, "COUNTRY_CODE_2_TO_3('gb')")).isEqualTo("GBR");
  }

  @Test
  void aBadArgumentIsAClearError() {
    assertThatThrownBy(() -> rows(provider, "SELECT SHA2(email, 7) FROM company_data.people"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("22023"))
        .hasMessageContaining("SHA2")
        .hasMessageNotContaining("java.")
        .hasMessageNotContaining("7");
    assertThatThrownBy(() -> rows(provider, "SELECT SHA2(email) FROM company_data.people"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("SHA2");
  }

  @Test
  void aRuleServesHashesAndABuyerFiltersOnThemOnBothExecutors() {
    String johnHash = (String) value(provider, "SHA2('johndoe@gmail.com', 256)");
    for (String vector : List.of("true", "false")) {
      buyer.setProperty("vector_execution", vector);
      assertThat(rows(buyer, "SELECT id, email_sha256, country2 FROM acme.hashed ORDER BY id"))
          .as(vector)
          .containsExactly(
              List.of(1L, johnHash, "US"),
              Arrays.asList(2L, value(provider, "SHA2('alice@example.com', 256)"), "DE"),
              Arrays.asList(3L, null, null),
              Arrays.asList(4L, null, "GB"));
      assertThat(
              rows(
                  buyer,
                  "SELECT id FROM acme.hashed WHERE email_sha256 = SHA2(NORMALIZE_EMAIL("
                      + "'JOHN.DOE@gmail.com'), 256)"))
          .as(vector)
          .containsExactly(List.of(1L));
    }
  }

  @Test
  void aBuyersFailingCallOverARuleNamesNoValue() {
    // the bit length comes from the rule's rows: the error must not carry it
    assertThatThrownBy(
            () ->
                rows(buyer, "SELECT SHA2(email_sha256, CAST(id AS INTEGER) + 40) FROM acme.hashed"))
        .isInstanceOf(io.nql.planner.error.EvaluationException.class)
        .hasMessage("Invalid bit length for SHA2: expected 224, 256, 384 or 512");
  }

  // ------------------------------------------------------------------------------ NORMALIZE_PHONE

  @Test
  void normalizePhoneDocumentedExamples() {
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '(650) 253-0000', 'US')"))
        .isEqualTo("+16502530000");
    assertThat(value(provider, "NORMALIZE_PHONE('INTERNATIONAL', '(650) 253-0000', 'US')"))
        .isEqualTo("+1 650-253-0000");
    assertThat(value(provider, "NORMALIZE_PHONE('NATIONAL', '650.253.0000', 'US')"))
        .isEqualTo("(650) 253-0000");
    assertThat(value(provider, "normalize_phone('rfc3966', '6502530000', 'us')"))
        .isEqualTo("tel:+1-650-253-0000");
    // libphonenumber's own example: a Swiss number dialled nationally
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '044 668 18 00', 'CH')"))
        .isEqualTo("+41446681800");
    assertThat(value(provider, "NORMALIZE_PHONE('INTERNATIONAL', '044 668 18 00', 'CH')"))
        .isEqualTo("+41 44 668 18 00");
    assertThat(value(provider, "NORMALIZE_PHONE('NATIONAL', '+41446681800', 'US')"))
        .isEqualTo("044 668 18 00");
    // a number written with + ignores the default region; ZZ accepts only those
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '+44 20 7031 3000', 'US')"))
        .isEqualTo("+442070313000");
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '+1 650 253 0000', 'ZZ')"))
        .isEqualTo("+16502530000");
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '650 253 0000', 'ZZ')")).isNull();
    // not a valid number: NULL, never an error
    for (String s : List.of("'123'", "'not a phone'", "''", "'+1 650 253 0000 0000 0000'")) {
      assertThat(value(provider, "NORMALIZE_PHONE('E164', " + s + ", 'US')")).as(s).isNull();
    }
    assertThat(value(provider, "NORMALIZE_PHONE('E164', CAST(NULL AS VARCHAR), 'US')")).isNull();
    assertThat(value(provider, "NORMALIZE_PHONE(CAST(NULL AS VARCHAR), '6502530000', 'US')"))
        .isNull();
    assertThat(value(provider, "NORMALIZE_PHONE('E164', '6502530000', NULL)")).isNull();
  }

  /** The table of docs/reference/nql.md: one number in each format. */
  @Test
  void normalizePhoneFormatsAsDocumented() {
    String[] formats = {"E164", "INTERNATIONAL", "NATIONAL", "RFC3966"};
    String[][] table = {
      {
        "'(650) 253-0000'",
        "'US'",
        "+16502530000",
        "+1 650-253-0000",
        "(650) 253-0000",
        "tel:+1-650-253-0000"
      },
      {
        "'044 668 18 00'",
        "'CH'",
        "+41446681800",
        "+41 44 668 18 00",
        "044 668 18 00",
        "tel:+41-44-668-18-00"
      },
      {
        "'+44 20 7031 3000'",
        "'US'",
        "+442070313000",
        "+44 20 7031 3000",
        "020 7031 3000",
        "tel:+44-20-7031-3000"
      },
    };
    for (String[] row : table) {
      for (int i = 0; i < formats.length; i++) {
        String call = "NORMALIZE_PHONE('" + formats[i] + "', " + row[0] + ", " + row[1] + ")";
        assertThat(value(provider, call)).as(call).isEqualTo(row[2 + i]);
      }
    }
    // a number for the string reads its digits
    assertThat(value(provider, "NORMALIZE_PHONE('E164', 6502530000, 'US')"))
        .isEqualTo("+16502530000");
  }

  @Test
  void normalizePhoneRefusesAnUnknownFormatOrRegion() {
    // a literal option is refused when the statement is validated, even if no row is read
    assertError(
        provider,
        "SELECT NORMALIZE_PHONE('E.164', phone, 'US') FROM company_data.contacts WHERE FALSE",
        "22023",
        "Invalid format for NORMALIZE_PHONE: expected E164, INTERNATIONAL, NATIONAL or RFC3966",
        "E.164");
    assertError(
        provider,
        "SELECT NORMALIZE_PHONE('E164', phone, 'XX') FROM company_data.contacts WHERE FALSE",
        "22023",
        "Invalid region for NORMALIZE_PHONE: expected an ISO 3166-1 alpha-2 code of a region"
            + " with phone numbers, or ZZ",
        "XX");
    // an option read from a row fails where it is evaluated, naming no value
    assertError(
        provider,
        "SELECT NORMALIZE_PHONE(format, phone, 'US') FROM company_data.contacts",
        "22023",
        "Invalid format for NORMALIZE_PHONE: expected E164, INTERNATIONAL, NATIONAL or RFC3966",
        "E.164");
    assertThat(
            rows(
                provider,
                "SELECT id, NORMALIZE_PHONE(format, phone, region) FROM company_data.contacts"
                    + " WHERE id IN (1, 2, 4) ORDER BY id"))
        .containsExactly(
            List.of(1L, "+16502530000"), List.of(2L, "044 668 18 00"), Arrays.asList(4L, null));
  }

  // ------------------------------------------------------------------------------ date functions

  static LocalDateTime ts(String s) {
    return LocalDateTime.parse(s.replace(' ', 'T'));
  }

  @Test
  void dateTruncDocumentedExamples() {
    String t = "TIMESTAMP '2024-05-15 13:45:10.123'";
    assertThat(value(provider, "DATE_TRUNC('year', " + t + ")")).isEqualTo(ts("2024-01-01 00:00"));
    assertThat(value(provider, "DATE_TRUNC('quarter', " + t + ")"))
        .isEqualTo(ts("2024-04-01 00:00"));
    assertThat(value(provider, "DATE_TRUNC('month', " + t + ")")).isEqualTo(ts("2024-05-01 00:00"));
    // weeks start on Monday (ISO 8601): 2024-05-15 is a Wednesday
    assertThat(value(provider, "DATE_TRUNC('week', " + t + ")")).isEqualTo(ts("2024-05-13 00:00"));
    assertThat(value(provider, "DATE_TRUNC('day', " + t + ")")).isEqualTo(ts("2024-05-15 00:00"));
    assertThat(value(provider, "date_trunc('HOUR', " + t + ")")).isEqualTo(ts("2024-05-15 13:00"));
    assertThat(value(provider, "DATE_TRUNC('minute', " + t + ")"))
        .isEqualTo(ts("2024-05-15 13:45"));
    assertThat(value(provider, "DATE_TRUNC('second', " + t + ")"))
        .isEqualTo(ts("2024-05-15 13:45:10"));
    // before 1970, and 1970-01-01 (a Thursday) into the week that began on Monday 1969-12-29
    assertThat(value(provider, "DATE_TRUNC('day', TIMESTAMP '1969-12-31 23:59:59.999')"))
        .isEqualTo(ts("1969-12-31 00:00"));
    assertThat(value(provider, "DATE_TRUNC('week', TIMESTAMP '1970-01-01 00:00:00')"))
        .isEqualTo(ts("1969-12-29 00:00"));
    // a DATE stays a DATE; units of a day or less leave it as it is
    assertThat(value(provider, "DATE_TRUNC('quarter', DATE '2024-12-31')"))
        .isEqualTo(LocalDate.parse("2024-10-01"));
    assertThat(value(provider, "DATE_TRUNC('week', DATE '2024-05-15')"))
        .isEqualTo(LocalDate.parse("2024-05-13"));
    assertThat(value(provider, "DATE_TRUNC('week', DATE '2024-01-01')"))
        .isEqualTo(LocalDate.parse("2024-01-01"));
    assertThat(value(provider, "DATE_TRUNC('hour', DATE '2024-05-15')"))
        .isEqualTo(LocalDate.parse("2024-05-15"));
    // an instant is truncated in UTC, the session time zone
    assertThat(
            value(
                provider,
                "DATE_TRUNC('day', TIMESTAMP WITH LOCAL TIME ZONE '2024-05-15 23:59:59')"))
        .isEqualTo(OffsetDateTime.parse("2024-05-15T00:00:00Z"));
    assertThat(value(provider, "DATE_TRUNC('day', CAST(NULL AS TIMESTAMP))")).isNull();
    assertThat(value(provider, "DATE_TRUNC(CAST(NULL AS VARCHAR), DATE '2024-05-15')")).isNull();
  }

  @Test
  void dateAddDocumentedExamples() {
    assertThat(value(provider, "DATE_ADD('day', 1, TIMESTAMP '2024-02-28 10:00:00')"))
        .isEqualTo(ts("2024-02-29 10:00"));
    assertThat(value(provider, "DATE_ADD('hour', -36, TIMESTAMP '2024-03-01 06:30:00.250')"))
        .isEqualTo(ts("2024-02-28 18:30:00.250"));
    assertThat(value(provider, "DATE_ADD('minute', 90, TIMESTAMP '2024-01-01 23:00:00')"))
        .isEqualTo(ts("2024-01-02 00:30"));
    assertThat(value(provider, "DATE_ADD('second', 1, TIMESTAMP '1969-12-31 23:59:59.500')"))
        .isEqualTo(ts("1970-01-01 00:00:00.500"));
    // a month keeps the day of the month, or takes the month's last day
    assertThat(value(provider, "DATE_ADD('month', 1, TIMESTAMP '2024-01-31 10:00:00')"))
        .isEqualTo(ts("2024-02-29 10:00"));
    assertThat(value(provider, "DATE_ADD('quarter', -1, TIMESTAMP '2024-05-31 00:00:00')"))
        .isEqualTo(ts("2024-02-29 00:00"));
    assertThat(value(provider, "DATE_ADD('year', 1, DATE '2024-02-29')"))
        .isEqualTo(LocalDate.parse("2025-02-28"));
    assertThat(value(provider, "DATE_ADD('week', 2, DATE '2024-12-25')"))
        .isEqualTo(LocalDate.parse("2025-01-08"));
    assertThat(value(provider, "DATE_ADD('day', -1, DATE '2024-03-01')"))
        .isEqualTo(LocalDate.parse("2024-02-29"));
    assertThat(
            value(
                provider,
                "DATE_ADD('hour', 1, TIMESTAMP WITH LOCAL TIME ZONE '2024-05-15 23:30:00')"))
        .isEqualTo(OffsetDateTime.parse("2024-05-16T00:30:00Z"));
    assertThat(value(provider, "DATE_ADD('day', CAST(NULL AS INTEGER), DATE '2024-03-01')"))
        .isNull();
  }

  @Test
  void datediffDocumentedExamples() {
    assertThat(value(provider, "DATEDIFF('day', DATE '2024-01-01', DATE '2024-12-31')"))
        .isEqualTo(365L);
    // whole units: a month has not passed from Jan 31 to Feb 29, one has by Mar 1
    assertThat(value(provider, "DATEDIFF('month', DATE '2024-01-31', DATE '2024-02-29')"))
        .isEqualTo(0L);
    assertThat(value(provider, "DATEDIFF('month', DATE '2024-01-31', DATE '2024-03-01')"))
        .isEqualTo(1L);
    assertThat(value(provider, "DATEDIFF('year', DATE '2020-12-31', DATE '2021-01-01')"))
        .isEqualTo(0L);
    assertThat(value(provider, "DATEDIFF('year', DATE '2020-02-29', DATE '2021-02-28')"))
        .isEqualTo(0L);
    assertThat(value(provider, "DATEDIFF('quarter', DATE '2024-01-15', DATE '2024-12-31')"))
        .isEqualTo(3L);
    assertThat(value(provider, "DATEDIFF('week', DATE '2024-01-01', DATE '2024-01-14')"))
        .isEqualTo(1L);
    // negative when end is earlier, truncated toward zero
    assertThat(
            value(
                provider,
                "DATEDIFF('hour', TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-01 12:30:00')"))
        .isEqualTo(-11L);
    assertThat(
            value(
                provider,
                "DATEDIFF('second', TIMESTAMP '1969-12-31 23:59:59.900',"
                    + " TIMESTAMP '1970-01-01 00:00:00.800')"))
        .isEqualTo(0L);
    // a DATE is its midnight, also beside a TIMESTAMP
    assertThat(
            value(
                provider, "DATEDIFF('minute', DATE '2024-01-01', TIMESTAMP '2024-01-01 12:30:59')"))
        .isEqualTo(750L);
    assertThat(value(provider, "DATEDIFF('day', NULL, DATE '2024-01-01')")).isNull();
  }

  @Test
  void fromUnixtimeDocumentedExamples() {
    assertThat(value(provider, "FROM_UNIXTIME(0)")).isEqualTo(ts("1970-01-01 00:00"));
    assertThat(value(provider, "FROM_UNIXTIME(1706696130)")).isEqualTo(ts("2024-01-31 10:15:30"));
    assertThat(value(provider, "FROM_UNIXTIME(-1)")).isEqualTo(ts("1969-12-31 23:59:59"));
    assertThat(value(provider, "FROM_UNIXTIME(CAST(1706696130 AS BIGINT))"))
        .isEqualTo(ts("2024-01-31 10:15:30"));
    // fractions of a second, to the millisecond
    assertThat(value(provider, "FROM_UNIXTIME(1.5)")).isEqualTo(ts("1970-01-01 00:00:01.500"));
    assertThat(value(provider, "FROM_UNIXTIME(CAST(1.001 AS DOUBLE))"))
        .isEqualTo(ts("1970-01-01 00:00:01.001"));
    assertThat(value(provider, "FROM_UNIXTIME(CAST(NULL AS BIGINT))")).isNull();
  }

  /** Each numeric type, nullable, from a column (each is passed as its own Java type). */
  @Test
  void numbersOfEveryTypeFromColumns() {
    assertThat(
            rows(
                provider,
                "SELECT id, DATE_ADD('day', CAST(id AS TINYINT), day),"
                    + " DATE_ADD('week', CAST(id AS SMALLINT), local_seen),"
                    + " FROM_UNIXTIME(CAST(epoch AS INTEGER)), FROM_UNIXTIME(CAST(epoch AS REAL)),"
                    + " FROM_UNIXTIME(CAST(epoch AS DECIMAL(12, 2)) / 1000)"
                    + " FROM company_data.contacts WHERE id IN (1, 2, 4) ORDER BY id"))
        .containsExactly(
            List.of(
                1L,
                LocalDate.parse("2024-02-01"),
                ts("2024-02-07 10:15:30.123"),
                ts("2024-01-31 10:15:30"),
                // the nearest REAL to 1706696130 is 1706696192
                ts("2024-01-31 10:16:32"),
                ts("1970-01-20 18:04:56.130")),
            List.of(
                2L,
                LocalDate.parse("2024-05-17"),
                ts("2024-05-29 23:59:59"),
                ts("1970-01-01 00:00"),
                ts("1970-01-01 00:00"),
                ts("1970-01-01 00:00")),
            Arrays.asList(4L, null, null, null, null, null));
  }

  @Test
  void aBadUnitIsRefusedAndOverflowIsAnError() {
    for (String sql :
        List.of(
            "SELECT DATE_TRUNC('fortnight', seen) FROM company_data.contacts WHERE FALSE",
            "SELECT DATEDIFF('days', day, day) FROM company_data.contacts WHERE FALSE",
            "SELECT DATE_ADD('Fortnight', 1, seen) FROM company_data.contacts WHERE FALSE")) {
      assertError(provider, sql, "22023", null, "ortnight");
    }
    assertError(
        provider,
        "SELECT DATE_TRUNC('fortnight', seen) FROM company_data.contacts WHERE FALSE",
        "22023",
        "Invalid unit for DATE_TRUNC: expected year, quarter, month, week, day, hour, minute or"
            + " second",
        null);
    assertError(
        provider,
        "SELECT DATE_ADD('hour', 1, day) FROM company_data.contacts WHERE FALSE",
        "22023",
        "Invalid unit for DATE_ADD of a DATE: expected year, quarter, month, week or day",
        null);
    // a unit read from a row fails where it is evaluated, naming no value
    assertError(
        provider,
        "SELECT DATE_TRUNC(unit, seen) FROM company_data.contacts",
        "22023",
        "Invalid unit for DATE_TRUNC: expected year, quarter, month, week, day, hour, minute or"
            + " second",
        "fortnight");
    assertThat(
            rows(
                provider,
                "SELECT id, DATE_TRUNC(unit, local_seen) FROM company_data.contacts"
                    + " WHERE id <> 3 ORDER BY id"))
        .containsExactly(
            List.of(1L, ts("2024-01-01 00:00")),
            List.of(2L, ts("2024-05-13 00:00")),
            Arrays.asList(4L, null));
    // results beyond what a dataset stores (±292,277 years) are out of range, naming no value
    assertError(
        provider,
        "SELECT DATE_ADD('year', 300000, local_seen) FROM company_data.contacts",
        "22008",
        "Datetime value out of range: the result of DATE_ADD does not fit in TIMESTAMP",
        null);
    assertError(
        provider,
        "SELECT FROM_UNIXTIME(epoch * 10000000) FROM company_data.contacts",
        "22008",
        "Datetime value out of range: the result of FROM_UNIXTIME does not fit in TIMESTAMP",
        "17066961300000000");
    assertError(
        provider,
        "SELECT DATE_ADD('day', 9223372036854775807, day) FROM company_data.contacts",
        "22008",
        "Datetime value out of range: the result of DATE_ADD does not fit in DATE",
        null);
    // BigQuery's order is not NQL's: the unit word is a column name
    assertError(
        provider,
        "SELECT DATE_TRUNC(seen, MONTH) FROM company_data.contacts",
        "42703",
        "Column month not found at line 1, column 25",
        null);
    // the wrong types are a wrong call
    assertError(
        provider, "SELECT DATE_TRUNC('day', id) FROM company_data.contacts", "42883", null, null);
    assertError(
        provider,
        "SELECT DATE_ADD('day', 1.5, day) FROM company_data.contacts",
        "42883",
        null,
        null);
  }

  @Test
  void dateTruncIsNqlsEvenOnAColumnNamedLikeAUnit() {
    // DATE_TRUNC is a keyword Calcite parses as BigQuery's DATE_TRUNC(date, unit)
    Path csv = dir.resolve("ingest").resolve("acme").resolve("weeks.csv");
    try {
      Files.writeString(csv, "id,week,day\n1,2024-05-15,2024-05-15 10:00:00\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    provider.execute("COPY INTO company_data.weeks FROM '" + csv + "'").close();
    assertThat(
            rows(
                provider,
                "SELECT DATE_TRUNC('month', week), DATE_TRUNC('week', \"day\")"
                    + " FROM company_data.weeks"))
        .containsExactly(List.of(LocalDate.parse("2024-05-01"), ts("2024-05-13 00:00")));
  }

  @Test
  void aRuleServesDatesAndPhonesAndABuyerUsesThemOnBothExecutors() {
    for (String vector : List.of("true", "false")) {
      buyer.setProperty("vector_execution", vector);
      assertThat(
              rows(
                  buyer,
                  "SELECT id, phone_e164, seen_month, next_day, days_left, epoch_ts"
                      + " FROM acme.dated ORDER BY id"))
          .as(vector)
          .containsExactly(
              List.of(
                  1L,
                  "+16502530000",
                  OffsetDateTime.parse("2024-01-01T00:00:00Z"),
                  LocalDate.parse("2024-02-01"),
                  335L,
                  ts("2024-01-31 10:15:30")),
              List.of(
                  2L,
                  "+41446681800",
                  OffsetDateTime.parse("2024-05-01T00:00:00Z"),
                  LocalDate.parse("2024-05-16"),
                  230L,
                  ts("1970-01-01 00:00")),
              Arrays.asList(
                  3L,
                  null,
                  OffsetDateTime.parse("1969-12-01T00:00:00Z"),
                  LocalDate.parse("1970-01-01"),
                  20_089L,
                  ts("1969-12-31 23:59:59")));
      // the buyer's own calls, in its select list and its filters, on the rule's columns
      assertThat(
              rows(
                  buyer,
                  "SELECT id, NORMALIZE_PHONE('INTERNATIONAL', phone_e164, 'ZZ'),"
                      + " DATEDIFF('hour', seen_month, seen), DATE_TRUNC('year', epoch_ts)"
                      + " FROM acme.dated"
                      + " WHERE DATE_TRUNC('quarter', seen) = TIMESTAMP '2024-04-01 00:00:00'"
                      + " AND NORMALIZE_PHONE('E164', phone_e164, 'US') IS NOT NULL"
                      + " AND DATE_ADD('month', 1, next_day) > DATE '2024-06-01'"
                      + " AND FROM_UNIXTIME(days_left) < TIMESTAMP '1970-01-02 00:00:00'"))
          .as(vector)
          .containsExactly(List.of(2L, "+41 44 668 18 00", 357L, ts("1970-01-01 00:00")));
    }
  }

  @Test
  void parametersTakeTheTypesTheFunctionsGiveThem() {
    assertThat(
            rows(
                provider,
                "SELECT id FROM company_data.people"
                    + " WHERE SHA2(?, 256) = SHA2(NORMALIZE_EMAIL(email), ?)",
                "johndoe@gmail.com",
                256))
        .containsExactly(List.of(1L));
    assertThat(
            rows(
                provider,
                "SELECT id FROM company_data.contacts WHERE DATE_ADD('day', ?, day) = ?",
                1,
                LocalDate.parse("2024-02-01")))
        .containsExactly(List.of(1L));
    assertThat(
            rows(
                provider,
                "SELECT id FROM company_data.contacts"
                    + " WHERE DATE_TRUNC(?, local_seen) = TIMESTAMP '2024-05-13 00:00:00'",
                "week"))
        .containsExactly(List.of(2L));
    assertThat(
            rows(
                provider,
                "SELECT id FROM company_data.contacts"
                    + " WHERE NORMALIZE_PHONE(?, phone, 'US') = '+16502530000'",
                "e164"))
        .containsExactly(List.of(1L));
    assertThatThrownBy(
            () ->
                rows(
                    provider,
                    "SELECT id FROM company_data.contacts WHERE DATE_TRUNC(?, local_seen) IS NULL",
                    "fortnight"))
        .isInstanceOf(NqlException.class)
        .hasMessage(
            "Invalid unit for DATE_TRUNC: expected year, quarter, month, week, day, hour, minute"
                + " or second");
  }

  private static void assertError(
      NqlSession s,
      String sql,
      String sqlState,
      @Nullable String message,
      @Nullable String notContaining) {
    assertThatThrownBy(() -> rows(s, sql))
        .as(sql)
        .isInstanceOf(NqlException.class)
        .satisfies(
            e -> {
              assertThat(((NqlException) e).sqlState()).as(sql).isEqualTo(sqlState);
              if (message != null) {
                assertThat(e.getMessage()).as(sql).isEqualTo(message);
              }
              if (notContaining != null) {
                assertThat(e.getMessage()).as(sql).doesNotContain(notContaining);
              }
              assertThat(e.getMessage()).doesNotContain("java.", "Exception");
            });
  }
}
