package io.nql.planner.rosetta.classify;

import static io.nql.planner.rosetta.classify.CorpusValues.pick;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generates the labelled corpus of {@code src/test/resources/rosetta/corpus/}: nine provider
 * datasets as such data arrives (mixed case, whitespace, null markers, outliers of another shape,
 * misleading names), each column labelled with the attribute it holds or {@code none}. A seed
 * decides everything, including which of several realistic names each column gets and how dirty it
 * is, so that another seed gives a corpus the classifier was never looked at against.
 *
 * <p>Regenerate the checked-in corpus with {@code bench/classify --write-corpus
 * planner/src/test/resources/rosetta/corpus} (seed {@value #DEFAULT_SEED}).
 */
final class CorpusGenerator {
  static final long DEFAULT_SEED = 20261206L;

  private static final List<String> MARKERS =
      List.of("", "NULL", "null", "N/A", "\\N", "-", "none", "n/a");

  /** One value per call, from the column's own random stream. */
  interface Source {
    Object next(Random r);
  }

  /**
   * The most dirt a column gets; each generated column draws its own rates between 30 % and 100 %
   * of these. Markers, whitespace and outliers apply to text columns only.
   */
  record Noise(double nulls, double markers, double spaces, double outliers) {
    static final Noise NONE = new Noise(0, 0, 0, 0);
    static final Noise NULLS = new Noise(0.08, 0, 0, 0);
    static final Noise LIGHT = new Noise(0.05, 0.02, 0.03, 0.01);
    static final Noise DIRTY = new Noise(0.12, 0.05, 0.10, 0.04);
  }

  private record Spec(
      String label,
      String sqlType,
      String note,
      List<String> names,
      Source source,
      Noise noise,
      Source outlier) {}

  private final long seed;

  private CorpusGenerator(long seed) {
    this.seed = seed;
  }

  static Corpus generate(long seed) {
    return new CorpusGenerator(seed).corpus();
  }

  private Corpus corpus() {
    return new Corpus(
        List.of(
            mobileEvents(),
            crmCustomers(),
            hashedAudience(),
            transactions(),
            webVisits(),
            leadsIntl(),
            deviceGraph(),
            surveyResponses(),
            retailLoyalty()));
  }

  // ---------------------------------------------------------------- datasets

  private Corpus.Dataset mobileEvents() {
    Random pools = random("mobile_events", -1);
    List<String> devices = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String id = i % 50 == 0 ? "00000000-0000-0000-0000-000000000000" : CorpusValues.uuid(pools);
      devices.add(i % 9 < 5 ? id.toUpperCase(Locale.ROOT) : id);
    }
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      sessions.add(CorpusValues.uuid(pools));
    }
    long end = 1_796_083_200_000L; // 2026-12-01
    return dataset(
        "mobile_events",
        2_000,
        List.of(
            spec(
                "none",
                "VARCHAR",
                "order-like UUIDs (one per event) under an id name",
                names("event_id", "eventId", "evt_id", "event_uuid"),
                CorpusValues::uuid,
                Noise.NONE,
                null),
            spec(
                "maid",
                "VARCHAR",
                "IDFA (upper case) and GAID (lower case) mixed, zero ids, repeats",
                names("maid", "device_id", "ad_id", "advertising_id", "ifa", "idfa_gaid"),
                r -> pick(r, devices),
                Noise.LIGHT,
                r -> "unknown"),
            spec(
                "event_timestamp",
                "BIGINT",
                "epoch milliseconds over 14 days",
                names("event_ts", "ts", "event_time", "timestamp_ms", "client_ts"),
                r -> end - (long) (r.nextDouble() * 14 * 86_400_000L),
                Noise.NONE,
                null),
            spec(
                "device_os",
                "VARCHAR",
                "OS names with versions, mixed case",
                names("os", "platform", "device_os", "os_name"),
                r ->
                    pick(
                        r,
                        List.of(
                            "iOS",
                            "iOS",
                            "iOS 17.2",
                            "ios",
                            "Android",
                            "android",
                            "Android 14",
                            "ANDROID",
                            "iPadOS")),
                Noise.LIGHT,
                r -> "unknown"),
            spec(
                "latitude",
                "DOUBLE",
                "US latitudes, six decimals",
                names("lat", "latitude", "geo_lat", "loc_lat"),
                r -> CorpusValues.decimals(25 + r.nextDouble() * 23, 6),
                Noise.NULLS,
                null),
            spec(
                "longitude",
                "DOUBLE",
                "US longitudes, six decimals",
                names("lon", "lng", "longitude", "geo_lon"),
                r -> CorpusValues.decimals(-124 + r.nextDouble() * 57, 6),
                Noise.NULLS,
                null),
            spec(
                "ip_address",
                "VARCHAR",
                "IPv4 with whitespace and markers",
                names("ip", "ip_address", "client_ip", "ipv4"),
                CorpusValues::ipv4,
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "version numbers, some of four parts (the IPv4 shape)",
                names("app_version", "sdk_version", "app_ver", "build"),
                r ->
                    r.nextBoolean()
                        ? (1 + r.nextInt(12)) + "." + r.nextInt(20) + "." + r.nextInt(10)
                        : (1 + r.nextInt(12))
                            + "."
                            + r.nextInt(10)
                            + "."
                            + r.nextInt(10)
                            + "."
                            + r.nextInt(30),
                Noise.NONE,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "alpha-2, some lower case, whitespace",
                names("country", "country_code", "geo_country", "cntry"),
                r -> CorpusValues.mixCase(r, pick(r, CorpusValues.COUNTRIES), 0, 0.3),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "session UUIDs, repeated across events",
                names("session_id", "sessionId", "sess_id"),
                r -> pick(r, sessions),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "battery percentage 0..100 (age-shaped, no age name)",
                names("battery_level", "battery_pct", "charge"),
                r -> r.nextInt(101),
                Noise.NULLS,
                null),
            spec(
                "none",
                "BOOLEAN",
                "a flag",
                names("is_wifi", "on_wifi", "wifi"),
                Random::nextBoolean,
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "app bundle ids",
                names("app_bundle", "bundle_id", "app_id"),
                r ->
                    pick(
                        r,
                        List.of(
                            "com.king.candycrush",
                            "com.example.news",
                            "com.spotify.music",
                            "com.acme.weather",
                            "net.game.puzzle")),
                Noise.NONE,
                null)));
  }

  private Corpus.Dataset crmCustomers() {
    int[] next = {100_000};
    return dataset(
        "crm_customers",
        1_000,
        List.of(
            spec(
                "none",
                "BIGINT",
                "sequential ids",
                names("customer_id", "cust_id", "id", "customer_no"),
                r -> (long) next[0]++,
                Noise.NONE,
                null),
            spec(
                "email",
                "VARCHAR",
                "raw addresses: case, Gmail dots and +tags, markers, junk",
                names("email", "email_address", "contact_email", "EmailAddress", "e_mail"),
                CorpusValues::email,
                Noise.DIRTY,
                r -> pick(r, List.of("unknown", "no email", "refused"))),
            spec(
                "phone_e164",
                "VARCHAR",
                "US numbers in six written forms",
                names("phone", "phone_number", "mobile", "tel", "contact_phone"),
                CorpusValues::usPhone,
                Noise.DIRTY,
                r -> "ask at desk"),
            spec(
                "none",
                "VARCHAR",
                "first names",
                names("first_name", "firstName", "fname", "given_name"),
                r -> pick(r, CorpusValues.FIRST),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "last names",
                names("last_name", "surname", "lname"),
                r -> pick(r, CorpusValues.LAST),
                Noise.LIGHT,
                null),
            spec(
                "hl7_gender",
                "VARCHAR",
                "M/F/U in mixed case",
                names("gender", "sex", "gender_code"),
                r -> CorpusValues.mixCase(r, pick(r, List.of("M", "M", "F", "F", "U")), 0, 0.2),
                Noise.DIRTY,
                null),
            spec(
                "age",
                "INTEGER",
                "ages 18..90",
                names("age", "customer_age", "age_years", "Age"),
                r -> 18 + (int) Math.min(72, Math.abs(r.nextGaussian() * 15 + 24)),
                Noise.NULLS,
                null),
            spec(
                "postal_code",
                "VARCHAR",
                "ZIP codes, some ZIP+4",
                names("zip", "zip_code", "postal_code", "zipcode"),
                r ->
                    r.nextInt(10) == 0
                        ? CorpusValues.zip5(r)
                            + "-"
                            + String.format(Locale.ROOT, "%04d", r.nextInt(10_000))
                        : CorpusValues.zip5(r),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "US state codes (many are also country codes)",
                names("state", "state_code", "region", "st"),
                r -> pick(r, CorpusValues.STATES),
                Noise.LIGHT,
                null),
            spec(
                "event_timestamp",
                "TIMESTAMP",
                "sign-up time",
                names("created_at", "signup_ts", "created", "signup_time"),
                r -> CorpusValues.recent(r, 900),
                Noise.NONE,
                null),
            spec(
                "birth_year",
                "DATE",
                "dates of birth",
                names("birth_date", "dob", "date_of_birth", "birthdate"),
                r -> CorpusValues.birthDate(r),
                Noise.NULLS,
                null),
            spec(
                "none",
                "INTEGER",
                "loyalty points",
                names("loyalty_points", "points", "reward_points"),
                r -> r.nextInt(20_000),
                Noise.NONE,
                null),
            spec(
                "opted_in",
                "BOOLEAN",
                "marketing consent",
                names("email_opt_in", "marketing_consent", "opted_in", "newsletter_optin"),
                Random::nextBoolean,
                Noise.NULLS,
                null),
            spec(
                "none",
                "TIMESTAMP",
                "bookkeeping time (the event is the sign-up)",
                names("updated_at", "last_modified", "modified_at"),
                r -> CorpusValues.recent(r, 30),
                Noise.NONE,
                null)));
  }

  private Corpus.Dataset hashedAudience() {
    return dataset(
        "hashed_audience",
        1_500,
        List.of(
            spec(
                "sha256_hashed_email",
                "VARCHAR",
                "SHA-256 of normalized addresses",
                names(
                    "email_sha256",
                    "sha256_email",
                    "hem_sha256",
                    "em_sha256",
                    "EmailSHA256",
                    "hashed_email"),
                r -> CorpusValues.digest("SHA-256", CorpusValues.normalizedEmail(r)),
                Noise.LIGHT,
                null),
            spec(
                "md5_hashed_email",
                "VARCHAR",
                "MD5 in upper case with whitespace",
                names("email_md5", "md5_email", "hem_md5", "em_md5"),
                r ->
                    CorpusValues.digest("MD5", CorpusValues.normalizedEmail(r))
                        .toUpperCase(Locale.ROOT),
                Noise.LIGHT,
                null),
            spec(
                "sha1_hashed_email",
                "VARCHAR",
                "SHA-1, mixed case",
                names("email_sha1", "sha1_email", "hem_sha1"),
                r ->
                    CorpusValues.mixCase(
                        r, CorpusValues.digest("SHA-1", CorpusValues.normalizedEmail(r)), 0.4, 0),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "INTEGER",
                "segment ids",
                names("segment_id", "seg_id", "audience_segment"),
                r -> 1_000 + r.nextInt(200),
                Noise.NONE,
                null),
            spec(
                "none",
                "DOUBLE",
                "scores 0..1 with four decimals (coordinate-shaped)",
                names("score", "propensity", "affinity_score"),
                r -> CorpusValues.decimals(r.nextDouble(), 4),
                Noise.NONE,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "alpha-3 codes, some lower case",
                names("country_iso3", "country3", "cntry_code", "country"),
                r ->
                    CorpusValues.mixCase(
                        r,
                        new Locale("", pick(r, CorpusValues.COUNTRIES)).getISO3Country(),
                        0,
                        0.2),
                Noise.LIGHT,
                null),
            spec(
                "birth_year",
                "INTEGER",
                "years of birth",
                names("yob", "birth_year", "year_of_birth", "byear"),
                r -> 1940 + r.nextInt(66),
                Noise.NULLS,
                null),
            spec(
                "hl7_gender",
                "INTEGER",
                "ISO/IEC 5218 codes 1/2/0",
                names("sex", "gender", "gndr"),
                r -> pick(r, List.of(1, 1, 2, 2, 0)),
                Noise.NULLS,
                null),
            spec(
                "event_timestamp",
                "TIMESTAMP_WITH_LOCAL_TIME_ZONE",
                "last seen",
                names("last_seen", "last_seen_at", "seen_at", "observed_at"),
                r -> CorpusValues.recentInstant(r, 60),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "cookie ids: 32 random hex digits (the MD5 shape)",
                names("cookie_id", "cookie", "visitor_cookie", "uid_cookie"),
                r -> CorpusValues.hex(r, 32),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "household keys, 16 hex digits",
                names("household_id", "hh_id", "household_key"),
                r -> CorpusValues.hex(r, 16),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "content digests: 64 hex digits (the SHA-256 shape)",
                names("content_hash", "file_sha256", "payload_checksum"),
                r -> CorpusValues.hex(r, 64),
                Noise.NONE,
                null)));
  }

  private Corpus.Dataset transactions() {
    return dataset(
        "transactions",
        1_200,
        List.of(
            spec(
                "none",
                "VARCHAR",
                "order UUIDs",
                names("order_id", "orderId", "order_uuid", "transaction_id"),
                CorpusValues::uuid,
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "product SKUs",
                names("sku", "product_sku", "item_code"),
                r ->
                    "SKU-"
                        + (10_000 + r.nextInt(90_000))
                        + "-"
                        + pick(r, List.of("BL", "RD", "GR", "XL", "S")),
                Noise.NONE,
                null),
            spec(
                "none",
                "DECIMAL",
                "prices, two decimals",
                names("price", "unit_price", "amount"),
                r -> BigDecimal.valueOf(99 + r.nextInt(50_000), 2),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "quantities 1..12",
                names("quantity", "qty", "units"),
                r -> 1 + r.nextInt(12),
                Noise.NONE,
                null),
            spec(
                "event_timestamp",
                "VARCHAR",
                "ISO 8601 text with T and Z",
                names("purchase_ts", "purchased_at", "order_time", "txn_time"),
                r -> CorpusValues.recent(r, 120).toInstant(ZoneOffset.UTC).toString(),
                Noise.LIGHT,
                null),
            spec(
                "postal_code",
                "BIGINT",
                "ZIP codes as numbers (leading zeros lost)",
                names("store_zip", "zip", "zip_code", "shop_postal"),
                r -> (long) CorpusValues.zip(r),
                Noise.NONE,
                null),
            spec(
                "email",
                "VARCHAR",
                "clean lower-case addresses",
                names("customer_email", "buyer_email", "email"),
                r -> CorpusValues.normalizedEmail(r),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "payment methods",
                names("payment_method", "pay_type", "tender"),
                r -> pick(r, List.of("visa", "mastercard", "amex", "paypal", "apple_pay")),
                Noise.NONE,
                null),
            spec(
                "none",
                "BOOLEAN",
                "a flag",
                names("is_refund", "refunded", "returned"),
                r -> r.nextInt(20) == 0,
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "ISO 4217 currency codes (the alpha-3 shape)",
                names("currency", "currency_code", "ccy"),
                r -> pick(r, CorpusValues.CURRENCIES),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "promo codes, mostly empty",
                names("promo_code", "coupon", "voucher"),
                r ->
                    r.nextInt(4) == 0
                        ? pick(r, List.of("SAVE10", "WELCOME", "BF2026", "FREESHIP"))
                        : "",
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "store ids 1..400",
                names("store_id", "shop_id", "location_id"),
                r -> 1 + r.nextInt(400),
                Noise.NONE,
                null)));
  }

  private Corpus.Dataset webVisits() {
    return dataset(
        "web_visits",
        1_000,
        List.of(
            spec(
                "ip_address",
                "VARCHAR",
                "IPv4 and IPv6 (some upper case)",
                names("visitor_ip", "ip", "remote_addr", "client_ip"),
                r ->
                    r.nextInt(5) == 0
                        ? CorpusValues.mixCase(r, CorpusValues.ipv6(r), 0.3, 0)
                        : CorpusValues.ipv4(r),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "user agents",
                names("user_agent", "ua", "browser_ua"),
                r -> String.format(Locale.ROOT, pick(r, CorpusValues.UA), 100 + r.nextInt(30)),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "URLs",
                names("url", "page_url", "landing_page"),
                r ->
                    "https://"
                        + pick(r, CorpusValues.SITES)
                        + "/"
                        + pick(r, List.of("p", "c", "blog", "search"))
                        + "/"
                        + r.nextInt(5_000),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "referrer domains",
                names("referrer", "ref_domain", "referer"),
                r -> pick(r, CorpusValues.REFERRERS),
                Noise.LIGHT,
                null),
            spec(
                "event_timestamp",
                "TIMESTAMP",
                "visit time",
                names("visit_time", "visited_at", "hit_ts", "ts"),
                r -> CorpusValues.recent(r, 30),
                Noise.NONE,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "English country names, mixed case",
                names("country_name", "country", "visitor_country"),
                r ->
                    CorpusValues.mixCase(
                        r,
                        CorpusValues.COUNTRY_NAMES.get(pick(r, CorpusValues.COUNTRIES)),
                        0.1,
                        0.1),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "INTEGER",
                "page views 1..40",
                names("page_views", "pageviews", "pages_viewed"),
                r -> 1 + (int) Math.abs(r.nextGaussian() * 8),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "durations in seconds",
                names("duration_s", "time_on_site", "session_seconds"),
                r -> r.nextInt(3_600),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "random 7-digit numbers under a ZIP name",
                names("zip", "zip_code"),
                r -> String.valueOf(1_000_000 + r.nextInt(9_000_000)),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "ISO 639-1 language codes (two letters, like countries)",
                names("language", "lang", "browser_language", "locale"),
                r -> pick(r, CorpusValues.LANGUAGES),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "visitor UUIDs",
                names("visitor_id", "vid", "visitor_uuid"),
                CorpusValues::uuid,
                Noise.NONE,
                null),
            spec(
                "none",
                "BOOLEAN",
                "a flag",
                names("bounced", "is_bounce"),
                Random::nextBoolean,
                Noise.NONE,
                null)));
  }

  private Corpus.Dataset leadsIntl() {
    int[] next = {1};
    return dataset(
        "leads_intl",
        600,
        List.of(
            spec(
                "none",
                "INTEGER",
                "sequential ids",
                names("lead_id", "id"),
                r -> next[0]++,
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "full names",
                names("full_name", "name", "contact_name"),
                r -> pick(r, CorpusValues.FIRST) + " " + pick(r, CorpusValues.LAST),
                Noise.LIGHT,
                null),
            spec(
                "phone_e164",
                "VARCHAR",
                "phone numbers under an e-mail name",
                names("email", "contact_email", "email_or_phone"),
                CorpusValues::intlPhone,
                Noise.LIGHT,
                null),
            spec(
                "postal_code",
                "VARCHAR",
                "UK and Canadian postcodes, mixed case",
                names("postcode", "postal_code", "post_code", "zip"),
                r ->
                    CorpusValues.mixCase(
                        r,
                        r.nextBoolean() ? CorpusValues.ukPostcode(r) : CorpusValues.caPostcode(r),
                        0,
                        0.15),
                Noise.LIGHT,
                null),
            spec(
                "hl7_gender",
                "VARCHAR",
                "Male/Female/Unknown/Other words",
                names("gender", "sex"),
                r ->
                    CorpusValues.mixCase(
                        r,
                        pick(r, List.of("Male", "Male", "Female", "Female", "Unknown", "Other")),
                        0.1,
                        0.2),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "age bands",
                names("age_band", "age_group", "age_range"),
                r -> pick(r, List.of("18-24", "25-34", "35-44", "45-54", "55-64", "65+")),
                Noise.LIGHT,
                null),
            spec(
                "birth_year",
                "VARCHAR",
                "dates of birth as ISO text, markers",
                names("dob", "date_of_birth", "birth_date"),
                r -> CorpusValues.birthDate(r).toString(),
                Noise.DIRTY,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "country names",
                names("country", "country_name"),
                r ->
                    pick(
                        r,
                        List.of(
                            "United Kingdom",
                            "United Kingdom",
                            "Canada",
                            "Canada",
                            "UK",
                            "Ireland",
                            "United States")),
                Noise.LIGHT,
                null),
            spec(
                "event_timestamp",
                "VARCHAR",
                "submission time as text",
                names("submitted_at", "created", "lead_ts", "form_ts"),
                r -> CorpusValues.recent(r, 60).toString().replace('T', ' '),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "DOUBLE",
                "budgets",
                names("budget", "budget_gbp", "est_budget"),
                r -> CorpusValues.decimals(500 + r.nextDouble() * 20_000, 2),
                Noise.NULLS,
                null),
            spec(
                "opted_in",
                "VARCHAR",
                "Y/N consent",
                names("marketing_consent", "gdpr_consent", "consent"),
                r -> pick(r, List.of("Y", "N", "N", "y")),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "free text notes",
                names("notes", "comments"),
                r -> CorpusValues.sentence(r, 3, 14),
                Noise.LIGHT,
                null)));
  }

  private Corpus.Dataset deviceGraph() {
    return dataset(
        "device_graph",
        800,
        List.of(
            spec(
                "maid",
                "VARCHAR",
                "IDFAs in upper case, a few zero ids",
                names("idfa", "ios_ifa", "apple_ifa"),
                r ->
                    r.nextInt(30) == 0
                        ? "00000000-0000-0000-0000-000000000000"
                        : CorpusValues.uuid(r).toUpperCase(Locale.ROOT),
                Noise.NULLS,
                null),
            spec(
                "maid",
                "VARCHAR",
                "GAIDs in lower case",
                names("gaid", "aaid", "google_ad_id"),
                CorpusValues::uuid,
                Noise.NULLS,
                null),
            spec(
                "maid",
                "VARCHAR",
                "ad ids under a neutral name, cases mixed, beside device columns",
                names("uid", "uuid", "guid", "id"),
                r ->
                    r.nextInt(40) == 0
                        ? "00000000-0000-0000-0000-000000000000"
                        : CorpusValues.mixCase(r, CorpusValues.uuid(r), 0.5, 0),
                Noise.NONE,
                null),
            spec(
                "ip_address",
                "VARCHAR",
                "IPv6",
                names("ipv6", "ip6", "last_ip"),
                CorpusValues::ipv6,
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "household keys, 16 hex digits",
                names("hh_id", "household_id"),
                r -> CorpusValues.hex(r, 16),
                Noise.NONE,
                null),
            spec(
                "device_os",
                "VARCHAR",
                "canonical lower-case platforms",
                names("platform", "os", "device_platform"),
                r ->
                    pick(
                        r,
                        List.of("ios", "ios", "android", "android", "android", "windows", "macos")),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "device models",
                names("device_model", "model", "hw_model"),
                r -> pick(r, CorpusValues.MODELS),
                Noise.NONE,
                null),
            spec(
                "event_timestamp",
                "BIGINT",
                "epoch seconds",
                names("first_seen", "first_seen_ts", "created_ts"),
                r -> 1_780_000_000L + r.nextInt(20_000_000),
                Noise.NONE,
                null),
            spec(
                "latitude",
                "VARCHAR",
                "latitudes as text, five decimals",
                names("home_lat", "lat", "latitude"),
                r -> String.format(Locale.ROOT, "%.5f", 35 + r.nextDouble() * 20),
                Noise.LIGHT,
                null),
            spec(
                "longitude",
                "VARCHAR",
                "longitudes as text, five decimals",
                names("home_lon", "lng", "longitude"),
                r -> String.format(Locale.ROOT, "%.5f", -10 + r.nextDouble() * 40),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "DOUBLE",
                "link scores with three decimals",
                names("match_confidence", "link_score"),
                r -> CorpusValues.decimals(0.5 + r.nextDouble() / 2, 3),
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "carriers",
                names("carrier", "isp", "network"),
                r -> pick(r, CorpusValues.CARRIERS),
                Noise.LIGHT,
                null)));
  }

  private Corpus.Dataset surveyResponses() {
    int[] next = {5_000};
    return dataset(
        "survey_responses",
        500,
        List.of(
            spec(
                "none",
                "INTEGER",
                "sequential ids",
                names("respondent_id", "resp_id", "id"),
                r -> next[0]++,
                Noise.NONE,
                null),
            spec(
                "age",
                "VARCHAR",
                "ages as text with refusals",
                names("age", "respondent_age", "age_yrs"),
                r -> String.valueOf(18 + r.nextInt(70)),
                Noise.DIRTY,
                r -> pick(r, List.of("prefer not to say", "refused"))),
            spec(
                "none",
                "INTEGER",
                "household income",
                names("income", "household_income", "hh_income"),
                r -> 15_000 + r.nextInt(235_000),
                Noise.NULLS,
                null),
            spec(
                "none",
                "INTEGER",
                "children 0..6",
                names("num_children", "kids", "children"),
                r -> Math.min(6, (int) Math.abs(r.nextGaussian() * 1.5)),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "years at address 0..40 (age-shaped)",
                names("years_at_address", "tenure_years", "years_resident"),
                r -> r.nextInt(41),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "ratings 0..10",
                names("rating", "satisfaction", "nps"),
                r -> r.nextInt(11),
                Noise.NONE,
                null),
            spec(
                "hl7_gender",
                "VARCHAR",
                "ISO/IEC 5218 codes as text",
                names("gender_code", "sex_code"),
                r -> pick(r, List.of("1", "1", "2", "2", "9")),
                Noise.LIGHT,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "country names",
                names("country", "country_of_residence"),
                r -> CorpusValues.COUNTRY_NAMES.get(pick(r, CorpusValues.COUNTRIES)),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "free text comments",
                names("comments", "feedback"),
                r -> CorpusValues.sentence(r, 4, 20),
                Noise.LIGHT,
                null),
            spec(
                "postal_code",
                "VARCHAR",
                "ZIP+4 codes",
                names("zip_plus4", "zip9", "postal"),
                r ->
                    CorpusValues.zip5(r)
                        + "-"
                        + String.format(Locale.ROOT, "%04d", r.nextInt(10_000)),
                Noise.LIGHT,
                null),
            spec(
                "phone_e164",
                "BIGINT",
                "10-digit US numbers as integers",
                names("phone", "phone_number", "cell"),
                r -> Long.parseLong(CorpusValues.usPhoneDigits(r)),
                Noise.NULLS,
                null),
            spec(
                "event_timestamp",
                "VARCHAR",
                "epoch seconds as text, markers",
                names("submitted_epoch", "response_time", "completed_at"),
                r -> String.valueOf(1_790_000_000L + r.nextInt(5_000_000)),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "INTEGER",
                "vehicle model years",
                names("car_model_year", "vehicle_year"),
                r -> 1995 + r.nextInt(30),
                Noise.NULLS,
                null),
            spec(
                "none",
                "DOUBLE",
                "weights in kg, one decimal",
                names("weight_kg", "weight"),
                r -> CorpusValues.decimals(45 + r.nextDouble() * 75, 1),
                Noise.NULLS,
                null)));
  }

  private Corpus.Dataset retailLoyalty() {
    int[] next = {70_000_000};
    return dataset(
        "retail_loyalty",
        700,
        List.of(
            spec(
                "none",
                "BIGINT",
                "member numbers",
                names("member_id", "member_no", "card_number"),
                r -> (long) next[0]++ * 7,
                Noise.NONE,
                null),
            spec(
                "none",
                "VARCHAR",
                "member UUIDs",
                names("member_uuid", "customer_uuid", "user_uuid"),
                CorpusValues::uuid,
                Noise.NONE,
                null),
            spec(
                "email",
                "VARCHAR",
                "addresses under a name that says nothing",
                names("c7", "field_07", "attr_3", "col_e"),
                CorpusValues::email,
                Noise.LIGHT,
                null),
            spec(
                "sha256_hashed_email",
                "VARCHAR",
                "SHA-256 under a hash name",
                names("email_hash", "hashed_em", "em_hash"),
                r -> CorpusValues.digest("SHA-256", CorpusValues.normalizedEmail(r)),
                Noise.NULLS,
                null),
            spec(
                "none",
                "VARCHAR",
                "SHA-256 of phone numbers (the hashed e-mail shape)",
                names("phone_sha256", "hashed_phone", "ph_hash"),
                r -> CorpusValues.digest("SHA-256", "+1" + CorpusValues.usPhoneDigits(r)),
                Noise.NULLS,
                null),
            spec(
                "event_timestamp",
                "VARCHAR",
                "month/day/year text without seconds",
                names("txn_date", "transaction_date", "purchase_date", "date"),
                r ->
                    String.format(
                        Locale.ROOT, "%1$tm/%1$td/%1$tY %1$tH:%1$tM", CorpusValues.recent(r, 200)),
                Noise.LIGHT,
                null),
            spec(
                "iso_3166_1_country",
                "VARCHAR",
                "alpha-2 with UK for GB",
                names("country", "ctry", "country_cd"),
                r -> pick(r, List.of("US", "US", "US", "UK", "UK", "CA", "IE", "AU", "NZ")),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "VARCHAR",
                "loyalty tiers",
                names("tier", "loyalty_tier", "status"),
                r -> pick(r, List.of("bronze", "bronze", "silver", "gold", "platinum")),
                Noise.NONE,
                null),
            spec(
                "latitude",
                "DECIMAL",
                "store latitudes, DECIMAL(9,6)",
                names("store_lat", "latitude", "lat"),
                r ->
                    BigDecimal.valueOf(30 + r.nextDouble() * 15)
                        .setScale(6, java.math.RoundingMode.HALF_UP),
                Noise.NONE,
                null),
            spec(
                "longitude",
                "DECIMAL",
                "store longitudes, DECIMAL(9,6)",
                names("store_lng", "store_lon", "longitude"),
                r ->
                    BigDecimal.valueOf(-120 + r.nextDouble() * 45)
                        .setScale(6, java.math.RoundingMode.HALF_UP),
                Noise.NONE,
                null),
            spec(
                "none",
                "INTEGER",
                "points balances",
                names("points_balance", "balance", "pts"),
                r -> r.nextInt(50_000),
                Noise.NONE,
                null),
            spec(
                "birth_year",
                "VARCHAR",
                "years of birth as text, markers",
                names("birth_yr", "yob", "year_born"),
                r -> String.valueOf(1945 + r.nextInt(60)),
                Noise.DIRTY,
                null),
            spec(
                "hl7_gender",
                "VARCHAR",
                "lower-case words with refusals",
                names("gender", "sex"),
                r -> pick(r, List.of("female", "female", "male", "male", "prefer not to say")),
                Noise.LIGHT,
                null),
            spec(
                "device_os",
                "VARCHAR",
                "device types that name the OS",
                names("device", "device_type", "signup_device"),
                r ->
                    pick(
                        r,
                        List.of(
                            "iPhone", "iPhone", "Android", "Android", "Windows PC", "Mac", "iPad")),
                Noise.LIGHT,
                null),
            spec(
                "none",
                "DECIMAL",
                "amounts",
                names("last_purchase_amount", "last_amount", "spend"),
                r -> BigDecimal.valueOf(100 + r.nextInt(30_000), 2),
                Noise.NONE,
                null),
            spec(
                "postal_code",
                "INTEGER",
                "ZIP codes as integers",
                names("postal", "zip", "home_zip"),
                r -> CorpusValues.zip(r),
                Noise.NONE,
                null)));
  }

  // ---------------------------------------------------------------- machinery

  private static List<String> names(String... names) {
    return List.of(names);
  }

  private static Spec spec(
      String label,
      String sqlType,
      String note,
      List<String> names,
      Source source,
      Noise noise,
      Source outlier) {
    return new Spec(label, sqlType, note, names, source, noise, outlier);
  }

  private Random random(String dataset, int column) {
    return new Random(seed * 31 + dataset.hashCode() * 1_000L + column);
  }

  private Corpus.Dataset dataset(String name, int rows, List<Spec> specs) {
    Random naming = random(name, -2);
    Set<String> used = new HashSet<>();
    List<Corpus.Column> columns = new ArrayList<>();
    for (int c = 0; c < specs.size(); c++) {
      Spec s = specs.get(c);
      String columnName = chooseName(naming, s.names(), used);
      Random r = random(name, c);
      double scale = 0.3 + 0.7 * r.nextDouble();
      Noise n = s.noise();
      boolean text = s.sqlType().equals("VARCHAR");
      List<Object> values = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        Object v = s.source().next(r);
        double x = r.nextDouble();
        if (x < n.nulls() * scale) {
          v = null;
        } else if (text && x < (n.nulls() + n.markers()) * scale) {
          v = pick(r, MARKERS);
        } else if (text
            && s.outlier() != null
            && x < (n.nulls() + n.markers() + n.outliers()) * scale) {
          v = s.outlier().next(r);
        } else if (text && r.nextDouble() < n.spaces() * scale) {
          v = pick(r, List.of(" ", "  ", "\t")) + v + pick(r, List.of("", " ", "   "));
        }
        values.add(v);
      }
      columns.add(new Corpus.Column(columnName, s.sqlType(), s.label(), s.note(), values));
    }
    return new Corpus.Dataset(name, columns);
  }

  private static String chooseName(Random r, List<String> names, Set<String> used) {
    int start = r.nextInt(names.size());
    for (int i = 0; i < names.size(); i++) {
      String n = names.get((start + i) % names.size());
      if (used.add(n)) {
        return n;
      }
    }
    throw new IllegalStateException("no unused name among " + names);
  }
}
