package io.nql.planner.demo;

import io.nql.planner.ingest.RecordWriter;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;

/**
 * The demo marketplace's datasets: acme's {@code mobile_events} and globex's {@code purchases} and
 * {@code web_visits}. Rows are a pure function of a fixed seed and the row number, so every run
 * writes the same rows. Every dataset is partitioned by day over {@link #DAYS} days starting {@link
 * #FIRST_DAY} (UTC). The people behind the rows are shared: purchases carry the {@code maid} and
 * {@code email_sha256} of acme's people for about 60% of orders.
 *
 * <p>The caller creates each table with the dataset's schema and spec, then calls its {@code
 * write…} method once; the rows are appended as one snapshot.
 */
public final class DemoData {
  /** First day of the demo period, UTC midnight. */
  public static final OffsetDateTime FIRST_DAY =
      OffsetDateTime.of(2026, 10, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  /** Days in the demo period: 2026-10-01 .. 2026-10-30. */
  public static final int DAYS = 30;

  /** Default row counts. */
  public static final int MOBILE_EVENTS_ROWS = 700_000;

  public static final int PURCHASES_ROWS = 250_000;
  public static final int WEB_VISITS_ROWS = 100_000;

  /** People seen by acme; purchases draw from 1.6 times as many, so most buyers overlap. */
  static final int ACME_PEOPLE = 150_000;

  private static final int SECONDS_PER_DAY = 86_400;

  /** acme {@code mobile_events}. */
  public static final Schema MOBILE_EVENTS_SCHEMA =
      new Schema(
          Types.NestedField.required(1, "maid", Types.StringType.get()),
          Types.NestedField.optional(2, "email", Types.StringType.get()),
          Types.NestedField.optional(3, "email_sha256", Types.StringType.get()),
          Types.NestedField.optional(4, "country", Types.StringType.get()),
          Types.NestedField.optional(5, "sex", Types.StringType.get()),
          Types.NestedField.required(6, "event_ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(7, "app_category", Types.StringType.get()));

  /** Partitioned by {@code day(event_ts)}. */
  public static final PartitionSpec MOBILE_EVENTS_SPEC =
      PartitionSpec.builderFor(MOBILE_EVENTS_SCHEMA).day("event_ts").build();

  /** globex {@code purchases}. */
  public static final Schema PURCHASES_SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "maid", Types.StringType.get()),
          Types.NestedField.optional(3, "email_sha256", Types.StringType.get()),
          Types.NestedField.optional(4, "amount", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(5, "currency", Types.StringType.get()),
          Types.NestedField.optional(6, "product_category", Types.StringType.get()),
          Types.NestedField.required(7, "purchased_at", Types.TimestampType.withZone()),
          Types.NestedField.optional(8, "country", Types.StringType.get()));

  /** Partitioned by {@code day(purchased_at)}. */
  public static final PartitionSpec PURCHASES_SPEC =
      PartitionSpec.builderFor(PURCHASES_SCHEMA).day("purchased_at").build();

  /** globex {@code web_visits}. */
  public static final Schema WEB_VISITS_SCHEMA =
      new Schema(
          Types.NestedField.required(1, "visitor_id", Types.StringType.get()),
          Types.NestedField.optional(2, "url", Types.StringType.get()),
          Types.NestedField.optional(3, "referrer", Types.StringType.get()),
          Types.NestedField.optional(4, "country", Types.StringType.get()),
          Types.NestedField.required(5, "visited_at", Types.TimestampType.withZone()),
          Types.NestedField.optional(6, "duration_ms", Types.IntegerType.get()),
          Types.NestedField.optional(7, "page_title", Types.StringType.get()));

  /** Partitioned by {@code day(visited_at)}. */
  public static final PartitionSpec WEB_VISITS_SPEC =
      PartitionSpec.builderFor(WEB_VISITS_SCHEMA).day("visited_at").build();

  private static final String[] APP_CATEGORIES = {
    "games",
    "social",
    "news",
    "fitness",
    "shopping",
    "music",
    "travel",
    "finance",
    "food",
    "weather"
  };
  private static final int[] APP_WEIGHTS = {24, 20, 12, 9, 9, 8, 5, 5, 5, 3};
  private static final String[] PRODUCT_CATEGORIES = {
    "electronics", "apparel", "groceries", "home", "beauty", "sports", "books", "toys", "garden"
  };
  private static final int[] PRODUCT_WEIGHTS = {18, 17, 16, 12, 10, 9, 8, 6, 4};
  private static final String[][] PAGES = {
    {"/", "Globex — Startseite"},
    {"/cafe", "Café & Bäckerei"},
    {"/city/munchen", "München: Angebote"},
    {"/city/tokyo", "東京のおすすめ"},
    {"/city/sao-paulo", "Ofertas em São Paulo"},
    {"/city/zurich", "Zürich Deals"},
    {"/city/krakow", "Kraków — promocje"},
    {"/city/moscow", "Москва: скидки"},
    {"/recipes/creme-brulee", "Crème brûlée recipe"},
    {"/products/phones", "Smartphones"},
    {"/products/shoes", "Running shoes"},
    {"/checkout", "Checkout"},
    {"/help", "Help & FAQ"},
  };
  private static final String[] REFERRERS = {
    "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
    "https://www.facebook.com/", "https://t.co/", "https://news.ycombinator.com/",
    "https://www.reddit.com/", "https://mail.example.org/"
  };

  private DemoData() {}

  /**
   * Writes {@code rows} rows of acme's mobile events into {@code table} (schema {@link
   * #MOBILE_EVENTS_SCHEMA}, spec {@link #MOBILE_EVENTS_SPEC}) as one snapshot.
   */
  public static RecordWriter.AppendResult writeMobileEvents(Table table, int rows) {
    DemoRandom random = new DemoRandom(0xAC3EL);
    DemoPeople people = new DemoPeople();
    int appTotal = sum(APP_WEIGHTS);
    // Each person's identifiers are computed once: people repeat across events.
    String[] maids = new String[ACME_PEOPLE];
    String[] emails = new String[ACME_PEOPLE];
    String[] hashes = new String[ACME_PEOPLE];
    try (RecordWriter writer = RecordWriter.open(table)) {
      GenericRecord template = GenericRecord.create(table.schema());
      for (int i = 0; i < rows; i++) {
        // Squaring a uniform draw makes a few people much more active than most.
        double u = random.nextDouble();
        int person = (int) (ACME_PEOPLE * u * u);
        if (maids[person] == null) {
          maids[person] = DemoPeople.maid(person);
          emails[person] = DemoPeople.rawEmail(person);
          hashes[person] = people.emailSha256(emails[person]);
        }
        GenericRecord r = template.copy();
        r.setField("maid", maids[person]);
        r.setField("email", emails[person]);
        r.setField("email_sha256", hashes[person]);
        r.setField("country", DemoPeople.COUNTRIES[DemoPeople.countryIndex(person)]);
        r.setField("sex", DemoPeople.sex(person));
        r.setField("event_ts", timestamp(random));
        r.setField("app_category", APP_CATEGORIES[random.weighted(APP_WEIGHTS, appTotal)]);
        writer.write(r);
      }
      return writer.commit(Map.of("nql.demo", "mobile_events"));
    }
  }

  /**
   * Writes {@code rows} globex purchases into {@code table} (schema {@link #PURCHASES_SCHEMA}, spec
   * {@link #PURCHASES_SPEC}) as one snapshot.
   */
  public static RecordWriter.AppendResult writePurchases(Table table, int rows) {
    DemoRandom random = new DemoRandom(0x6105EL);
    DemoPeople people = new DemoPeople();
    int productTotal = sum(PRODUCT_WEIGHTS);
    int population = ACME_PEOPLE * 8 / 5;
    try (RecordWriter writer = RecordWriter.open(table)) {
      GenericRecord template = GenericRecord.create(table.schema());
      for (int i = 0; i < rows; i++) {
        int person = random.nextInt(population);
        int country = DemoPeople.countryIndex(person);
        // Log-normal-ish amounts: mostly small baskets, a long tail up to a few thousand.
        double amount = Math.exp(2.5 + 1.1 * gaussian(random));
        GenericRecord r = template.copy();
        r.setField("order_id", 100_000_000L + i);
        r.setField("maid", random.nextInt(10) < 8 ? DemoPeople.maid(person) : null);
        r.setField("email_sha256", people.emailSha256(DemoPeople.rawEmail(person)));
        r.setField(
            "amount",
            BigDecimal.valueOf(Math.min(99_999.0, amount + 0.99))
                .setScale(2, java.math.RoundingMode.HALF_UP));
        r.setField("currency", DemoPeople.CURRENCIES[country]);
        r.setField(
            "product_category", PRODUCT_CATEGORIES[random.weighted(PRODUCT_WEIGHTS, productTotal)]);
        r.setField("purchased_at", timestamp(random));
        r.setField("country", DemoPeople.COUNTRIES[country]);
        writer.write(r);
      }
      return writer.commit(Map.of("nql.demo", "purchases"));
    }
  }

  /**
   * Writes {@code rows} globex web visits into {@code table} (schema {@link #WEB_VISITS_SCHEMA},
   * spec {@link #WEB_VISITS_SPEC}) as one snapshot. Page titles include non-ASCII text.
   */
  public static RecordWriter.AppendResult writeWebVisits(Table table, int rows) {
    DemoRandom random = new DemoRandom(0x3EB5L);
    try (RecordWriter writer = RecordWriter.open(table)) {
      GenericRecord template = GenericRecord.create(table.schema());
      for (int i = 0; i < rows; i++) {
        int visitor = random.nextInt(40_000);
        String[] page = PAGES[random.nextInt(PAGES.length)];
        GenericRecord r = template.copy();
        r.setField("visitor_id", "v-" + Long.toHexString(DemoRandom.hash(0x3EB5L, visitor) >>> 16));
        r.setField("url", "https://shop.globex.example" + page[0]);
        r.setField(
            "referrer",
            random.nextInt(100) < 35 ? null : REFERRERS[random.nextInt(REFERRERS.length)]);
        r.setField("country", DemoPeople.COUNTRIES[DemoPeople.countryIndex(visitor)]);
        r.setField("visited_at", timestamp(random));
        r.setField("duration_ms", 500 + (int) (Math.abs(gaussian(random)) * 45_000));
        r.setField("page_title", page[1]);
        writer.write(r);
      }
      return writer.commit(Map.of("nql.demo", "web_visits"));
    }
  }

  private static OffsetDateTime timestamp(DemoRandom random) {
    int day = random.nextInt(DAYS);
    int second = random.nextInt(SECONDS_PER_DAY);
    return FIRST_DAY.plusDays(day).plusSeconds(second);
  }

  /** A standard normal draw (Box-Muller), from the deterministic generator. */
  private static double gaussian(DemoRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static int sum(int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    return total;
  }
}
