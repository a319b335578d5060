package io.nql.planner.rosetta.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier behind {@code SUGGEST MAPPINGS}: each recognizer on its positives and on the
 * look-alikes it must refuse, the expressions it proposes, and precision and recall on the labelled
 * corpus ({@code src/test/resources/rosetta/corpus}, written by {@link CorpusGenerator}).
 */
class ClassifierTest {
  static final Path CORPUS = Path.of("src/test/resources/rosetta/corpus");
  private static final Classifier CLASSIFIER = new Classifier();

  /** 200 values from {@code f}, a fixed seed. */
  static List<Object> values(Function<Random, Object> f) {
    Random r = new Random(42);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(f.apply(r));
    }
    return out;
  }

  static ColumnSample column(String name, String type, Function<Random, Object> f) {
    return new ColumnSample(name, type, values(f));
  }

  /** The suggestion for a dataset of this one column, or null. */
  static Suggestion suggest(ColumnSample c) {
    List<Suggestion> s = CLASSIFIER.suggest(List.of(c));
    return s.isEmpty() ? null : s.get(0);
  }

  static String attribute(ColumnSample c) {
    Suggestion s = suggest(c);
    return s == null ? "none" : s.attribute();
  }

  static Object pick(Random r, Object... choices) {
    return choices[r.nextInt(choices.length)];
  }

  @Nested
  class HashedEmails {
    @Test
    void hexLengthDecidesTheHash() {
      ColumnSample sha256 =
          column("hem", "VARCHAR", r -> CorpusValues.digest("SHA-256", "u" + r.nextInt()));
      ColumnSample sha1 =
          column("hem", "VARCHAR", r -> CorpusValues.digest("SHA-1", "u" + r.nextInt()));
      ColumnSample md5 =
          column("hem", "VARCHAR", r -> CorpusValues.digest("MD5", "u" + r.nextInt()));
      assertThat(suggest(sha256))
          .extracting(Suggestion::attribute, Suggestion::expression)
          .containsExactly("sha256_hashed_email", "hem");
      assertThat(attribute(sha1)).isEqualTo("sha1_hashed_email");
      assertThat(attribute(md5)).isEqualTo("md5_hashed_email");
      assertThat(suggest(sha256).reason())
          .isEqualTo(
              "100 % of 200 sampled values are 64-digit hex (SHA-256); the name mentions \"hem\"");
    }

    @Test
    void mixedCaseAndWhitespaceAreNormalized() {
      ColumnSample c =
          column(
              "EmailSHA256",
              "VARCHAR",
              r -> {
                String h = CorpusValues.digest("SHA-256", "u" + r.nextInt());
                return r.nextBoolean() ? " " + h.toUpperCase(Locale.ROOT) : h;
              });
      assertThat(suggest(c).expression()).isEqualTo("LOWER(TRIM(\"EmailSHA256\"))");
    }

    @Test
    void nullMarkersAndOutliersGetAGuard() {
      ColumnSample c =
          column(
              "email_sha256",
              "VARCHAR",
              r ->
                  r.nextInt(20) == 0
                      ? pick(r, "N/A", "\\N", "", "-", "null", "not hashed")
                      : CorpusValues.digest("SHA-256", "u" + r.nextInt()));
      Suggestion s = suggest(c);
      assertThat(s.attribute()).isEqualTo("sha256_hashed_email");
      assertThat(s.expression())
          .isEqualTo(
              "CASE WHEN LOWER(TRIM(email_sha256)) SIMILAR TO '[0-9a-f]{64}'"
                  + " THEN LOWER(TRIM(email_sha256)) END");
    }

    @Test
    void aNameThatSaysSomethingElseRulesItOut() {
      for (String name : List.of("tx_hash", "file_sha256", "phone_sha256", "session_token")) {
        assertThat(attribute(column(name, "VARCHAR", r -> CorpusValues.hex(r, 64))))
            .as(name)
            .isEqualTo("none");
      }
    }

    @Test
    void undashedUuidsAreNotMd5() {
      ColumnSample c = column("email_md5", "VARCHAR", r -> CorpusValues.uuid(r).replace("-", ""));
      assertThat(attribute(c)).isEqualTo("none");
    }

    @Test
    void thirtyTwoHexDigitsWithoutAHintAreTooCommonToCall() {
      assertThat(attribute(column("value", "VARCHAR", r -> CorpusValues.hex(r, 32))))
          .isEqualTo("none");
      assertThat(attribute(column("value", "VARCHAR", r -> CorpusValues.hex(r, 64))))
          .isEqualTo("sha256_hashed_email");
    }
  }

  @Nested
  class Emails {
    @Test
    void rawAddressesAreNormalized() {
      Suggestion s = suggest(column("Contact Email", "VARCHAR", r -> CorpusValues.email(r)));
      assertThat(s.attribute()).isEqualTo("email");
      assertThat(s.expression()).isEqualTo("NORMALIZE_EMAIL(\"Contact Email\")");
      assertThat(s.confidence()).isGreaterThan(0.9);
    }

    @Test
    void aColumnNamedEmailOfPhoneNumbersIsAPhoneColumn() {
      assertThat(attribute(column("email", "VARCHAR", r -> CorpusValues.usPhone(r))))
          .isEqualTo("phone_e164");
    }

    @Test
    void outliersUpToATenthAreTolerated() {
      ColumnSample c =
          column("e", "VARCHAR", r -> r.nextInt(100) < 7 ? "unknown" : CorpusValues.email(r));
      assertThat(attribute(c)).isEqualTo("email");
      ColumnSample half =
          column("e", "VARCHAR", r -> r.nextBoolean() ? "unknown" : CorpusValues.email(r));
      assertThat(attribute(half)).isEqualTo("none");
    }
  }

  @Nested
  class MobileAdIds {
    @Test
    void anAdIdNameProposesMaid() {
      Suggestion s =
          suggest(column("idfa", "VARCHAR", r -> CorpusValues.uuid(r).toUpperCase(Locale.ROOT)));
      assertThat(s.attribute()).isEqualTo("maid");
      assertThat(s.expression()).isEqualTo("LOWER(TRIM(idfa))");
      assertThat(suggest(column("device_id", "VARCHAR", r -> CorpusValues.uuid(r))).expression())
          .isEqualTo("device_id");
    }

    @Test
    void uuidsNamedAsAnotherIdAreNotAdIds() {
      for (String name : List.of("order_id", "session_id", "user_uuid", "request_id", "idfv")) {
        assertThat(attribute(column(name, "VARCHAR", r -> CorpusValues.uuid(r))))
            .as(name)
            .isEqualTo("none");
      }
    }

    @Test
    void aNeutralNameNeedsTwoSignsOfDevices() {
      ColumnSample uuids = column("id", "VARCHAR", r -> CorpusValues.uuid(r));
      ColumnSample os = column("os", "VARCHAR", r -> pick(r, "ios", "android"));
      ColumnSample mixed =
          column(
              "id",
              "VARCHAR",
              r ->
                  r.nextBoolean()
                      ? CorpusValues.uuid(r)
                      : CorpusValues.uuid(r).toUpperCase(Locale.ROOT));
      assertThat(attribute(uuids)).isEqualTo("none");
      assertThat(attribute(mixed)).as("mixed case alone").isEqualTo("none");
      assertThat(CLASSIFIER.suggest(List.of(uuids, os)))
          .extracting(Suggestion::attribute)
          .containsExactly("device_os");
      assertThat(CLASSIFIER.suggest(List.of(mixed, os)))
          .extracting(Suggestion::attribute)
          .containsExactly("maid", "device_os");
    }

    @Test
    void timeBasedUuidsAreNotAdIds() {
      ColumnSample v1 =
          column(
              "maid",
              "VARCHAR",
              r -> {
                String u = CorpusValues.uuid(r);
                return u.substring(0, 14) + "1" + u.substring(15);
              });
      assertThat(attribute(v1)).isEqualTo("none");
    }
  }

  @Nested
  class IpAddresses {
    @Test
    void ipv4AndIpv6() {
      assertThat(suggest(column("client_ip", "VARCHAR", r -> CorpusValues.ipv4(r))).expression())
          .isEqualTo("client_ip");
      Suggestion v6 =
          suggest(column("addr", "VARCHAR", r -> CorpusValues.ipv6(r).toUpperCase(Locale.ROOT)));
      assertThat(v6.attribute()).isEqualTo("ip_address");
      assertThat(v6.expression()).isEqualTo("LOWER(TRIM(addr))");
    }

    @Test
    void ipv6Forms() {
      for (String ok :
          List.of(
              "::1",
              "2001:db8::8a2e:370:7334",
              "fe80::1ff:fe23:4567:890a",
              "::ffff:192.0.2.128",
              "2001:0db8:0000:0000:0000:ff00:0042:8329")) {
        assertThat(io.nql.planner.rosetta.classify.IpAddresses.isIpv6(ok)).as(ok).isTrue();
      }
      for (String bad :
          List.of("1::2::3", "12:34", "2001:db8:0:0:0:0:0:0:1", "abcd:efgh::1", "10:30")) {
        assertThat(io.nql.planner.rosetta.classify.IpAddresses.isIpv6(bad)).as(bad).isFalse();
      }
    }

    @Test
    void versionNumbersAreNotAddresses() {
      Function<Random, Object> versions =
          r -> r.nextInt(12) + "." + r.nextInt(20) + "." + r.nextInt(10) + "." + r.nextInt(30);
      assertThat(attribute(column("app_version", "VARCHAR", versions))).isEqualTo("none");
      assertThat(attribute(column("v", "VARCHAR", versions))).as("small parts").isEqualTo("none");
    }
  }

  @Nested
  class PhoneNumbers {
    @Test
    void writtenNumbersNeedNoName() {
      Suggestion s = suggest(column("contact", "VARCHAR", r -> CorpusValues.usPhone(r)));
      assertThat(s.attribute()).isEqualTo("phone_e164");
      assertThat(s.expression()).isEqualTo("NORMALIZE_PHONE('E164', contact, 'US')");
    }

    @Test
    void bareDigitsNeedAPhoneName() {
      Function<Random, Object> digits = r -> Long.parseLong(CorpusValues.usPhoneDigits(r));
      assertThat(attribute(column("account_number", "BIGINT", digits))).isEqualTo("none");
      assertThat(attribute(column("ref", "BIGINT", digits))).isEqualTo("none");
      Suggestion s = suggest(column("mobile", "BIGINT", digits));
      assertThat(s.attribute()).isEqualTo("phone_e164");
      assertThat(s.expression())
          .isEqualTo("NORMALIZE_PHONE('E164', CAST(mobile AS VARCHAR), 'US')");
    }

    @Test
    void digitsWithACountryCodeGetAPlus() {
      Suggestion s =
          suggest(
              column("msisdn", "VARCHAR", r -> "44" + (7_000_000_000L + r.nextInt(999_999_999))));
      assertThat(s.expression()).isEqualTo("NORMALIZE_PHONE('E164', '+' || TRIM(msisdn), 'US')");
    }

    @Test
    void nationalNumbersWithATrunkZeroAreReadAsTheDatasetsOtherCountry() {
      ColumnSample phones =
          column(
              "phone",
              "VARCHAR",
              r ->
                  r.nextBoolean()
                      ? CorpusValues.usPhone(r)
                      : "07" + (100 + r.nextInt(900)) + " 123456");
      ColumnSample country = column("country", "VARCHAR", r -> pick(r, "US", "GB", "GB"));
      assertThat(CLASSIFIER.suggest(List.of(phones, country)).get(0).expression())
          .isEqualTo(
              "CASE WHEN TRIM(phone) LIKE '0%' THEN NORMALIZE_PHONE('E164', phone, 'GB')"
                  + " ELSE NORMALIZE_PHONE('E164', phone, 'US') END");
      Suggestion alone = suggest(phones);
      assertThat(alone.expression()).isEqualTo("NORMALIZE_PHONE('E164', phone, 'US')");
      assertThat(alone.reason())
          .contains("national numbers starting with 0, which read as US numbers give NULL");
    }

    @Test
    void zipPlusFourDatesAndAddressesAreNotPhones() {
      for (String v :
          List.of("02139-1234", "2024-01-05", "192.168.1.12", "123-45-6789", "3.14159")) {
        assertThat(io.nql.planner.rosetta.classify.PhoneNumbers.isPhone(v)).as(v).isFalse();
      }
      for (String v :
          List.of(
              "(415) 555-0123",
              "+44 20 7946 0958",
              "020 7946 0958",
              "415.555.0123",
              "+14155550123")) {
        assertThat(io.nql.planner.rosetta.classify.PhoneNumbers.isPhone(v)).as(v).isTrue();
      }
    }
  }

  @Nested
  class Countries {
    @Test
    void alpha2IsUpperCasedAndUkIsGb() {
      Suggestion s =
          suggest(column("cntry", "VARCHAR", r -> pick(r, "us", "US", " de", "fr", "UK")));
      assertThat(s.attribute()).isEqualTo("iso_3166_1_country");
      assertThat(s.expression())
          .isEqualTo("CASE WHEN UPPER(TRIM(cntry)) = 'UK' THEN 'GB' ELSE UPPER(TRIM(cntry)) END");
      assertThat(suggest(column("country", "VARCHAR", r -> pick(r, "US", "DE"))).expression())
          .isEqualTo("country");
    }

    @Test
    void alpha3GoesThroughCountryCode3To2() {
      Suggestion s =
          suggest(column("country_iso3", "VARCHAR", r -> pick(r, "USA", "deu", "FRA", "GBR")));
      assertThat(s.expression()).isEqualTo("COUNTRY_CODE_3_TO_2(country_iso3)");
    }

    @Test
    void namesBecomeACase() {
      Suggestion s =
          suggest(
              column(
                  "country_name",
                  "VARCHAR",
                  r -> pick(r, "Germany", "GERMANY", "United States", "USA")));
      assertThat(s.expression())
          .isEqualTo(
              "CASE LOWER(TRIM(country_name)) WHEN 'germany' THEN 'DE'"
                  + " WHEN 'united states', 'usa' THEN 'US' END");
    }

    @Test
    void statesLanguagesAndCurrenciesAreNotCountries() {
      assertThat(attribute(column("st", "VARCHAR", r -> pick(r, CorpusValues.STATES.toArray()))))
          .isEqualTo("none");
      assertThat(attribute(column("lang", "VARCHAR", r -> pick(r, "de", "fr", "es", "it"))))
          .isEqualTo("none");
      assertThat(attribute(column("code", "VARCHAR", r -> pick(r, "USD", "EUR", "GBP", "CAD"))))
          .isEqualTo("none");
    }
  }

  @Nested
  class Genders {
    @Test
    void lettersBecomeACaseToHl7() {
      Suggestion s = suggest(column("sex", "VARCHAR", r -> pick(r, "M", "F", "m", " f", "U")));
      assertThat(s.attribute()).isEqualTo("hl7_gender");
      assertThat(s.expression())
          .isEqualTo(
              "CASE LOWER(TRIM(sex)) WHEN 'm', 'male' THEN 'male' WHEN 'f', 'female' THEN 'female'"
                  + " ELSE 'unknown' END");
    }

    @Test
    void wordsWithOther() {
      Suggestion s =
          suggest(column("gender", "VARCHAR", r -> pick(r, "Male", "Female", "Unknown", "Other")));
      assertThat(s.expression())
          .isEqualTo(
              "CASE LOWER(TRIM(gender)) WHEN 'male', 'm' THEN 'male' WHEN 'female', 'f' THEN 'female'"
                  + " WHEN 'other' THEN 'other' ELSE 'unknown' END");
      assertThat(suggest(column("gender", "VARCHAR", r -> pick(r, "male", "female"))).expression())
          .isEqualTo("gender");
    }

    @Test
    void numericCodesOnlyWithAGenderName() {
      Function<Random, Object> codes = r -> pick(r, 1, 2, 2, 0);
      assertThat(attribute(column("segment", "INTEGER", codes))).isEqualTo("none");
      assertThat(suggest(column("gender", "INTEGER", codes)).expression())
          .isEqualTo("CASE gender WHEN 1 THEN 'male' WHEN 2 THEN 'female' ELSE 'unknown' END");
    }

    @Test
    void sizesAreNotGenders() {
      assertThat(attribute(column("size", "VARCHAR", r -> pick(r, "S", "M", "L", "XL"))))
          .isEqualTo("none");
    }
  }

  @Nested
  class EventTimestamps {
    @Test
    void typedTimestampsAndDates() {
      assertThat(
              suggest(column("event_ts", "TIMESTAMP", r -> CorpusValues.recent(r, 10)))
                  .expression())
          .isEqualTo("event_ts");
      assertThat(
              suggest(column("day", "DATE", r -> LocalDate.of(2026, 1, 1).plusDays(r.nextInt(300))))
                  .expression())
          .isEqualTo("CAST(day AS TIMESTAMP)");
    }

    @Test
    void epochSecondsAndMilliseconds() {
      assertThat(
              suggest(column("ts", "BIGINT", r -> 1_790_000_000L + r.nextInt(1_000_000)))
                  .expression())
          .isEqualTo("FROM_UNIXTIME(ts)");
      assertThat(
              suggest(
                      column(
                          "created", "BIGINT", r -> 1_790_000_000_000L + r.nextInt(1_000_000_000)))
                  .expression())
          .isEqualTo("FROM_UNIXTIME(created / 1000.0)");
      assertThat(
              attribute(
                  column("customer_id", "BIGINT", r -> 1_000_000_000L + r.nextInt(1_000_000_000))))
          .isEqualTo("none");
    }

    @Test
    void isoAndSlashedText() {
      Suggestion iso =
          suggest(
              column(
                  "purchased_at",
                  "VARCHAR",
                  r -> CorpusValues.recent(r, 30).toInstant(java.time.ZoneOffset.UTC).toString()));
      assertThat(iso.expression())
          .isEqualTo("CAST(REPLACE(REPLACE(purchased_at, 'T', ' '), 'Z', '') AS TIMESTAMP)");
      Suggestion slashed =
          suggest(
              column(
                  "date",
                  "VARCHAR",
                  r ->
                      String.format(
                          Locale.ROOT,
                          "%1$td/%1$tm/%1$tY %1$tH:%1$tM",
                          CorpusValues.recent(r, 90))));
      assertThat(slashed.expression())
          .isEqualTo(
              "CAST(SUBSTRING(TRIM(date) FROM 7 FOR 4) || '-' || SUBSTRING(TRIM(date) FROM 4 FOR 2)"
                  + " || '-' || SUBSTRING(TRIM(date) FROM 1 FOR 2) || SUBSTRING(TRIM(date) FROM 11)"
                  + " || ':00' AS TIMESTAMP)");
      assertThat(slashed.reason()).contains("day/month/year");
    }

    @Test
    void oneEventTimestampPerDataset() {
      ColumnSample created = column("created_at", "TIMESTAMP", r -> CorpusValues.recent(r, 100));
      ColumnSample updated = column("updated_at", "TIMESTAMP", r -> CorpusValues.recent(r, 10));
      assertThat(CLASSIFIER.suggest(List.of(updated, created)))
          .extracting(Suggestion::column)
          .containsExactly("created_at");
      assertThat(CLASSIFIER.candidates(List.of(updated, created)))
          .extracting(Suggestion::column)
          .containsExactly("updated_at", "created_at");
    }

    @Test
    void birthDatesAreNotEvents() {
      Suggestion s = suggest(column("dob", "DATE", r -> CorpusValues.birthDate(r)));
      assertThat(s.attribute()).isEqualTo("birth_year");
      assertThat(s.expression()).isEqualTo("EXTRACT(YEAR FROM dob)");
    }
  }

  @Nested
  class PostalCodes {
    @Test
    void zipsNeedAName() {
      Function<Random, Object> zips = r -> CorpusValues.zip5(r);
      assertThat(attribute(column("code", "VARCHAR", zips))).isEqualTo("none");
      assertThat(suggest(column("zip", "VARCHAR", zips)).expression()).isEqualTo("zip");
    }

    @Test
    void numericZipsGetTheirLeadingZerosBack() {
      Suggestion s = suggest(column("store_zip", "BIGINT", r -> (long) CorpusValues.zip(r)));
      assertThat(s.expression()).isEqualTo("SUBSTRING(CAST(store_zip + 100000 AS VARCHAR) FROM 2)");
    }

    @Test
    void randomSevenDigitNumbersNamedZipAreNotPostalCodes() {
      assertThat(
              attribute(
                  column("zip", "VARCHAR", r -> String.valueOf(1_000_000 + r.nextInt(9_000_000)))))
          .isEqualTo("none");
    }

    @Test
    void ukAndCanadianCodesNeedNoName() {
      Suggestion s =
          suggest(
              column(
                  "pc",
                  "VARCHAR",
                  r ->
                      r.nextBoolean()
                          ? CorpusValues.ukPostcode(r)
                          : CorpusValues.caPostcode(r).toLowerCase(Locale.ROOT)));
      assertThat(s.attribute()).isEqualTo("postal_code");
      assertThat(s.expression()).isEqualTo("UPPER(TRIM(pc))");
    }
  }

  @Nested
  class Ages {
    @Test
    void smallIntegersAreAnAgeOnlyWithAnAgeName() {
      Function<Random, Object> ages = r -> 18 + r.nextInt(60);
      assertThat(suggest(column("age", "BIGINT", ages)).expression()).isEqualTo("age");
      assertThat(suggest(column("customer_age", "INTEGER", ages)).expression())
          .isEqualTo("CAST(customer_age AS BIGINT)");
      for (String name :
          List.of("count", "id", "quantity", "page_views", "age_band", "account_age_days")) {
        assertThat(attribute(column(name, "INTEGER", ages))).as(name).isEqualTo("none");
      }
    }

    @Test
    void agesAsTextAreCastBehindAGuard() {
      ColumnSample c =
          column(
              "Age",
              "VARCHAR",
              r -> r.nextInt(20) == 0 ? "N/A" : String.valueOf(18 + r.nextInt(60)));
      assertThat(suggest(c).expression())
          .isEqualTo(
              "CASE WHEN TRIM(\"Age\") SIMILAR TO '[0-9]{1,3}' THEN CAST(TRIM(\"Age\") AS BIGINT) END");
    }

    @Test
    void birthYears() {
      Function<Random, Object> years = r -> 1940 + r.nextInt(65);
      assertThat(attribute(column("yob", "INTEGER", years))).isEqualTo("birth_year");
      assertThat(attribute(column("model_year", "INTEGER", years))).isEqualTo("none");
      assertThat(attribute(column("year", "INTEGER", years))).isEqualTo("none");
    }
  }

  @Nested
  class Coordinates {
    @Test
    void latitudeAndLongitudeByName() {
      ColumnSample lat =
          column("lat", "DOUBLE", r -> CorpusValues.decimals(40 + r.nextDouble(), 6));
      ColumnSample lng =
          column(
              "lng",
              "DECIMAL",
              r ->
                  BigDecimal.valueOf(-74 + r.nextDouble())
                      .setScale(6, java.math.RoundingMode.HALF_UP));
      assertThat(CLASSIFIER.suggest(List.of(lat, lng)))
          .extracting(Suggestion::attribute, Suggestion::expression)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("latitude", "lat"),
              org.assertj.core.groups.Tuple.tuple("longitude", "CAST(lng AS DOUBLE)"));
    }

    @Test
    void pricesAndScoresAreNotCoordinates() {
      assertThat(
              attribute(
                  column("price", "DOUBLE", r -> CorpusValues.decimals(r.nextDouble() * 80, 2))))
          .isEqualTo("none");
      assertThat(
              attribute(column("score", "DOUBLE", r -> CorpusValues.decimals(r.nextDouble(), 4))))
          .isEqualTo("none");
      assertThat(
              attribute(
                  column("long_price", "DOUBLE", r -> CorpusValues.decimals(r.nextDouble(), 2))))
          .isEqualTo("none");
    }
  }

  @Nested
  class DeviceOs {
    @Test
    void namesWithVersionsBecomeACaseOfPrefixes() {
      Suggestion s =
          suggest(column("os", "VARCHAR", r -> pick(r, "iOS 17.2", "Android 14", "android")));
      assertThat(s.expression())
          .isEqualTo(
              "CASE WHEN LOWER(TRIM(os)) LIKE 'ios%' OR LOWER(TRIM(os)) LIKE 'iphone%'"
                  + " OR LOWER(TRIM(os)) LIKE 'ipad%' THEN 'ios'"
                  + " WHEN LOWER(TRIM(os)) LIKE 'android%' THEN 'android' END");
      assertThat(
              suggest(column("platform", "VARCHAR", r -> pick(r, "ios", "android"))).expression())
          .isEqualTo("platform");
    }

    @Test
    void browsersAreNotOperatingSystems() {
      assertThat(
              attribute(column("browser", "VARCHAR", r -> pick(r, "Chrome", "Safari", "Firefox"))))
          .isEqualTo("none");
    }
  }

  @Nested
  class Profiles {
    @Test
    void nullMarkersAndWhitespaceAreNotValues() {
      ColumnProfile p =
          ColumnProfile.of(
              new ColumnSample(
                  "c",
                  "VARCHAR",
                  java.util.Arrays.asList(
                      " a ", "", "NULL", "null", "N/A", "\\N", "-", "none", null, "b")));
      assertThat(p.values()).containsExactly("a", "b");
      assertThat(p.markers()).isEqualTo(7);
      assertThat(p.needsTrim()).isTrue();
    }

    @Test
    void namesSplitIntoWords() {
      assertThat(ColumnName.of("EmailSHA256").words()).containsExactly("email", "sha256");
      assertThat(ColumnName.of("ip_address2").words()).containsExactly("ip", "address2", "address");
      assertThat(ColumnName.of("page_views").mentions(List.of("age"))).isFalse();
      assertThat(ColumnName.of("useremail").mentions(List.of("email"))).isTrue();
    }

    @Test
    void identifiersAreQuotedWhenTheyMustBe() {
      assertThat(Expressions.column("email")).isEqualTo("email");
      assertThat(Expressions.column("year")).isEqualTo("year");
      assertThat(Expressions.column("order")).isEqualTo("\"order\"");
      assertThat(Expressions.column("user")).isEqualTo("\"user\"");
      assertThat(Expressions.column("Email")).isEqualTo("\"Email\"");
      assertThat(Expressions.column("e-mail")).isEqualTo("\"e-mail\"");
      assertThat(Expressions.column("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
      assertThat(Expressions.column("1st")).isEqualTo("\"1st\"");
    }

    @Test
    void aTinySampleLowersTheConfidence() {
      ColumnSample few =
          new ColumnSample("email", "VARCHAR", List.of("a@b.com", "c@d.org", "e@f.net"));
      assertThat(CLASSIFIER.candidates(List.of(few)).get(0).confidence()).isLessThan(0.3);
      assertThat(CLASSIFIER.suggest(List.of(few))).isEmpty();
    }
  }

  @Test
  void aColumnNamedIdOfSmallIntegersIsNothing() {
    assertThat(CLASSIFIER.candidates(List.of(column("id", "INTEGER", r -> r.nextInt(50)))))
        .allSatisfy(s -> assertThat(s.confidence()).isLessThan(Classifier.DEFAULT_THRESHOLD));
  }

  @Test
  void thresholdIsChecked() {
    assertThat(new Classifier().threshold()).isEqualTo(0.6);
    assertThatThrownBy(() -> new Classifier(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create a classifier: threshold 1.5 is not in [0, 1]");
  }

  @Test
  void everyProposedAttributeIsACoreAttribute() throws Exception {
    Set<String> core = new HashSet<>();
    try (InputStream in =
        getClass().getResourceAsStream("/io/nql/planner/rosetta/core-attributes.json")) {
      for (JsonNode a : new ObjectMapper().readTree(in).get("attributes")) {
        core.add(a.get("name").asText());
      }
    }
    assertThat(core).containsAll(Classifier.attributes());
    assertThat(Classifier.attributes()).hasSize(17).doesNotContain("unique_id");
  }

  @Nested
  class OnTheCorpus {
    @Test
    void theCorpusIsLargeAndHasNegatives() throws Exception {
      Corpus corpus = Corpus.read(CORPUS);
      List<Corpus.Column> columns = corpus.columns();
      assertThat(columns.size()).isGreaterThanOrEqualTo(60);
      assertThat(columns.stream().filter(c -> !c.positive()).count()).isGreaterThanOrEqualTo(20);
      assertThat(corpus.datasets())
          .allSatisfy(d -> assertThat(d.columns().get(0).values().size()).isBetween(500, 2_000));
      assertThat(Classifier.attributes())
          .containsAll(
              columns.stream()
                  .filter(Corpus.Column::positive)
                  .map(Corpus.Column::label)
                  .collect(Collectors.toSet()));
    }

    @Test
    void precisionAndRecallReachTheGoals() throws Exception {
      Scores scores = Scores.of(Corpus.read(CORPUS), CLASSIFIER::suggest);
      assertThat(scores.precision()).as("precision").isGreaterThanOrEqualTo(Scores.PRECISION_GOAL);
      assertThat(scores.recall()).as("recall").isGreaterThanOrEqualTo(Scores.RECALL_GOAL);
    }

    @Test
    void theCheckedInCorpusIsTheGeneratorsOutput(@TempDir Path tmp) throws Exception {
      CorpusGenerator.generate(CorpusGenerator.DEFAULT_SEED).write(tmp);
      try (var files = Files.list(CORPUS)) {
        List<Path> checkedIn = files.sorted().toList();
        assertThat(checkedIn).hasSize(10);
        for (Path f : checkedIn) {
          assertThat(Files.readString(tmp.resolve(f.getFileName().toString())))
              .as(f.getFileName().toString() + " (regenerate: see CorpusGenerator)")
              .isEqualTo(Files.readString(f));
        }
      }
    }

    @Test
    void readingGivesBackTheValuesWritten(@TempDir Path tmp) throws Exception {
      Corpus generated = CorpusGenerator.generate(7);
      generated.write(tmp);
      Corpus read = Corpus.read(tmp);
      assertThat(read.columns()).hasSameSizeAs(generated.columns());
      for (int i = 0; i < read.columns().size(); i++) {
        assertThat(read.columns().get(i).values()).isEqualTo(generated.columns().get(i).values());
      }
    }
  }
}
