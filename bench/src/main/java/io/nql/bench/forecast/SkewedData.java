package io.nql.bench.forecast;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The skewed dataset the forecasts are measured on, written as CSV and loaded into NQL and
 * PostgreSQL alike. Every row is a pure function of the seed and its id (1..N), so a query can name
 * a value a given row holds without reading the file, and a file written once is reused.
 *
 * <ul>
 *   <li>{@code brand}: Zipf over {@link #BRANDS} values, exponent {@link #BRAND_S} (rank 1 alone is
 *       about 18 % of the rows, rank 1,000 0.01 %), names scattered so that popularity does not
 *       follow the name; 1 % NULL.
 *   <li>{@code user_id}: Zipf over {@code max(1000, N / 4)} users, exponent {@link #USER_S}, ids
 *       scattered over 1..users.
 *   <li>{@code state} (12 values, weighted) and {@code city}: the city is drawn within the state,
 *       so {@code state = X AND city = Y} is not the product of the two selectivities; {@code
 *       Springfield} is a city of three states.
 *   <li>{@code age} (18..90, normal around 42; 2 % NULL) and {@code income} (grows with age, 4 %
 *       NULL): correlated.
 *   <li>{@code event_ts} over the 30 days from {@link #FIRST_DAY}, later days busier (the day's
 *       weight grows linearly).
 *   <li>{@code segment}: 4 values (low cardinality), one of them {@code internal} (10 %, hidden by
 *       the priced rule); {@code channel}: 3 values and 5 % NULL.
 *   <li>{@code amount}: log-normal, DECIMAL(10,2); {@code email}: nearly unique strings {@code
 *       u<user_id>.<tag>@<domain>}.
 * </ul>
 */
final class SkewedData {
  static final int BRANDS = 1_000;
  static final double BRAND_S = 1.1;
  static final double USER_S = 0.8;

  /** First day of the data, midnight; the data spans {@link #DAYS} days. */
  static final LocalDateTime FIRST_DAY = LocalDateTime.of(2026, 10, 1, 0, 0);

  static final int DAYS = 30;

  /** Column names in CSV order. */
  static final String COLUMNS =
      "id, user_id, brand, state, city, age, income, event_ts, segment, channel, amount, email";

  /** Column definitions shared by NQL's CREATE DATASET and PostgreSQL's CREATE TABLE. */
  static final String COLUMN_TYPES =
      "id BIGINT, user_id BIGINT, brand VARCHAR, state VARCHAR, city VARCHAR, age INTEGER,"
          + " income INTEGER, event_ts TIMESTAMP, segment VARCHAR, channel VARCHAR,"
          + " amount DECIMAL(10, 2), email VARCHAR";

  /** The buyer's own CRM table: its columns, in CSV order, and their types. */
  static final String CRM_COLUMNS = "user_id, tier, signup_ts";

  static final String CRM_COLUMN_TYPES = "user_id BIGINT, tier VARCHAR, signup_ts TIMESTAMP";

  static final String[] STATES = {
    "CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "WA", "MA", "AZ", "CO"
  };
  static final int[] STATE_WEIGHTS = {22, 15, 12, 11, 7, 6, 6, 5, 5, 4, 4, 3};
  static final String[][] CITIES = {
    {"Los Angeles", "San Francisco", "San Diego", "Sacramento"},
    {"Houston", "Dallas", "Austin", "El Paso"},
    {"New York", "Buffalo", "Rochester"},
    {"Miami", "Orlando", "Tampa"},
    {"Chicago", "Springfield"},
    {"Philadelphia", "Pittsburgh"},
    {"Columbus", "Cleveland", "Springfield"},
    {"Atlanta", "Savannah"},
    {"Seattle", "Spokane"},
    {"Boston", "Springfield"},
    {"Phoenix", "Tucson"},
    {"Denver", "Boulder"}
  };
  static final int[][] CITY_WEIGHTS = {
    {40, 25, 20, 15},
    {40, 30, 20, 10},
    {75, 15, 10},
    {40, 30, 30},
    {80, 20},
    {60, 40},
    {40, 35, 25},
    {85, 15},
    {70, 30},
    {80, 20},
    {70, 30},
    {75, 25}
  };
  static final String[] SEGMENTS = {"retail", "wholesale", "online", "internal"};
  static final int[] SEGMENT_WEIGHTS = {50, 25, 15, 10};
  static final String[] CHANNELS = {"web", "app", "store"};
  static final int[] CHANNEL_WEIGHTS = {45, 35, 15};
  static final String[] DOMAINS = {
    "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "example.org", "proton.me", "aol.com"
  };
  static final int[] DOMAIN_WEIGHTS = {40, 15, 15, 10, 10, 5, 5};
  static final String[] TIERS = {"gold", "silver", "bronze"};
  static final int[] TIER_WEIGHTS = {10, 30, 60};

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final long rows;
  private final long seed;
  private final int users;
  private final Zipf brandZipf;
  private final Zipf userZipf;

  SkewedData(long rows, long seed) {
    this.rows = rows;
    this.seed = seed;
    int u = (int) Math.max(1_000, rows / 4);
    // Ranks are scattered over the ids by multiplying with a prime; it must not divide the count.
    this.users = u % USER_STRIDE == 0 ? u + 1 : u;
    this.brandZipf = new Zipf(BRANDS, BRAND_S);
    this.userZipf = new Zipf(users, USER_S);
  }

  private static final long USER_STRIDE = 7_919;

  long rows() {
    return rows;
  }

  int users() {
    return users;
  }

  /** The brand of popularity rank {@code rank} (1 = most frequent). */
  static String brand(int rank) {
    return String.format("brand_%04d", (rank - 1) * 389L % BRANDS + 1);
  }

  /** The user id of activity rank {@code rank} (1 = most events). */
  long userId(int rank) {
    return (rank - 1) * USER_STRIDE % users + 1;
  }

  /** Share of the rows with brand rank {@code rank} (before the 1 % NULLs). */
  double brandShare(int rank) {
    return brandZipf.probability(rank);
  }

  /** One row of the events table. */
  record Row(
      long id,
      long userId,
      String brand,
      String state,
      String city,
      Integer age,
      Integer income,
      LocalDateTime eventTs,
      String segment,
      String channel,
      String amount,
      String email) {}

  /** Row {@code id} (1..rows): a function of the seed and the id only. */
  Row row(long id) {
    SplittableRandom r = new SplittableRandom(mix(seed, id));
    long user = userId(userZipf.sample(r.nextDouble()));
    String brand = r.nextInt(100) == 0 ? null : brand(brandZipf.sample(r.nextDouble()));
    int state = weighted(r, STATE_WEIGHTS);
    String city = CITIES[state][weighted(r, CITY_WEIGHTS[state])];
    double g = gaussian(r);
    Integer age =
        r.nextInt(100) < 2 ? null : (int) Math.max(18, Math.min(90, Math.round(42 + 14 * g)));
    int ageForIncome = age == null ? 42 : age;
    Integer income =
        r.nextInt(100) < 4
            ? null
            : (int) (Math.max(8_000, 12_000 + ageForIncome * 1_400 + 15_000 * gaussian(r)) / 100)
                * 100;
    // Day d has weight d + 1: the last day is 30 times as busy as the first.
    int day = (int) Math.floor((Math.sqrt(1 + 4.0 * DAYS * (DAYS + 1) * r.nextDouble()) - 1) / 2);
    day = Math.min(DAYS - 1, day);
    LocalDateTime ts = FIRST_DAY.plusDays(day).plusSeconds(r.nextInt(86_400));
    String segment = SEGMENTS[weighted(r, SEGMENT_WEIGHTS)];
    String channel = r.nextInt(100) < 5 ? null : CHANNELS[weighted(r, CHANNEL_WEIGHTS)];
    long cents = Math.round(Math.min(99_999.0, Math.max(0.5, Math.exp(3 + gaussian(r)))) * 100);
    String amount = cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100;
    String email =
        "u"
            + user
            + "."
            + Long.toString(r.nextLong(1L << 30), 36)
            + "@"
            + DOMAINS[weighted(r, DOMAIN_WEIGHTS)];
    return new Row(
        id, user, brand, STATES[state], city, age, income, ts, segment, channel, amount, email);
  }

  /**
   * The events CSV under {@code dir}, written when absent.
   *
   * @return the file
   */
  Path eventsCsv(Path dir) throws IOException {
    Path file = dir.resolve("events-" + rows + "-" + seed + ".csv");
    if (Files.exists(file)) {
      return file;
    }
    return write(
        dir,
        file,
        w -> {
          w.write(COLUMNS.replace(" ", "") + "\n");
          StringBuilder line = new StringBuilder(160);
          for (long id = 1; id <= rows; id++) {
            Row x = row(id);
            line.setLength(0);
            line.append(x.id).append(',').append(x.userId).append(',');
            line.append(x.brand == null ? "" : x.brand).append(',');
            line.append(x.state).append(',').append(x.city).append(',');
            line.append(x.age == null ? "" : x.age.toString()).append(',');
            line.append(x.income == null ? "" : x.income.toString()).append(',');
            line.append(TS.format(x.eventTs)).append(',');
            line.append(x.segment).append(',');
            line.append(x.channel == null ? "" : x.channel).append(',');
            line.append(x.amount).append(',').append(x.email).append('\n');
            w.append(line);
          }
        });
  }

  /** The tier of a user in the buyer's CRM, or null when the CRM does not know the user (80 %). */
  String crmTier(long userId) {
    SplittableRandom r = new SplittableRandom(mix(seed ^ 0xC0FFEEL, userId));
    if (r.nextInt(5) != 0) {
      return null;
    }
    return TIERS[weighted(r, TIER_WEIGHTS)];
  }

  /**
   * The buyer's CRM CSV under {@code dir} (one row per user it knows, about a fifth of the users,
   * chosen independently of their activity), written when absent.
   */
  Path crmCsv(Path dir) throws IOException {
    Path file = dir.resolve("crm-" + rows + "-" + seed + ".csv");
    if (Files.exists(file)) {
      return file;
    }
    return write(
        dir,
        file,
        w -> {
          w.write(CRM_COLUMNS.replace(" ", "") + "\n");
          for (long u = 1; u <= users; u++) {
            String tier = crmTier(u);
            if (tier != null) {
              LocalDateTime signup = FIRST_DAY.minusDays(1 + u % 700).plusSeconds(u % 86_400);
              w.write(u + "," + tier + "," + TS.format(signup) + "\n");
            }
          }
        });
  }

  private interface Body {
    void write(BufferedWriter w) throws IOException;
  }

  private static Path write(Path dir, Path file, Body body) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "data", ".csv.tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      body.write(w);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  static int weighted(SplittableRandom r, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A well-mixed 64-bit seed of (seed, id) (SplitMix64's finalizer). */
  static long mix(long seed, long id) {
    long z = seed * 0x9E3779B97F4A7C15L + id;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Zipf's law over ranks 1..n with exponent s, sampled by inverting its cumulative sum. */
  static final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int k = 1; k <= n; k++) {
        sum += 1 / Math.pow(k, s);
        cumulative[k - 1] = sum;
      }
      for (int k = 0; k < n; k++) {
        cumulative[k] /= sum;
      }
    }

    /** The rank (1..n) at uniform draw {@code u} in [0, 1). */
    int sample(double u) {
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo + 1;
    }

    double probability(int rank) {
      return cumulative[rank - 1] - (rank == 1 ? 0 : cumulative[rank - 2]);
    }
  }
}
