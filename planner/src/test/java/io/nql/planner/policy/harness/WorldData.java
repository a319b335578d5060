package io.nql.planner.policy.harness;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * What one world holds: the provider's rows (in file order), the buyer's own rows, and what the
 * third company and the provider own besides. Every world is built from {@link #base()} by one
 * {@link Difference}; all worlds run the same setup statements (see {@link HarnessWorld}).
 *
 * <p>The base provider dataset has {@link #US_ROWS} rows with {@code country = 'USA'} (rule {@code
 * us_events}, 2.00 CPM), 60 {@code GBR} rows ({@code gbr_events}, 1.00 CPM), 60 {@code DEU} rows
 * ({@code free_events}, free) and 120 rows no rule shared with the buyer shows ({@code FRA}, {@code
 * usa}, {@code 'USA '}, NULL, {@code ZZZ}). Values a rule shows are safe for every buyer expression
 * the generator writes except {@code grp = 0} (a visible zero divisor), one {@code code = '7x'} and
 * one {@code amount = 1234.56} (too large for {@code DECIMAL(5, 2)}); hidden values are benign in
 * the base world and hostile in the variants (zero divisors, non-numeric codes, values that
 * overflow, long labels).
 */
public record WorldData(
    String name,
    List<ProviderRow> providerEvents,
    List<OwnRow> buyerEvents,
    List<OwnRow> buyerDigitRows,
    List<OwnRow> globexEvents,
    int globexPadding,
    boolean otherCompanyExtras) {

  /** Rows of {@code us_events} in the base world; the unaffordable pair's budget buys them all. */
  public static final int US_ROWS = 60;

  /** Rows the unaffordable-rows world adds after the base world's rows, in file order. */
  public static final int EXTRA_US_ROWS = 50;

  /** Price of one {@code us_events} row in micro-USD (2.00 USD per 1,000 rows). */
  public static final long US_MICROS_PER_ROW = 2_000;

  /**
   * The buyer's datasets named like the provider's rules (read as {@link HarnessSource#D1}, D2).
   */
  static final String D1_NAME = "us_events";

  static final String D2_NAME = "private_events";

  /** Datasets the buyer creates before anyone else: events, {@link #D1_NAME}, {@link #D2_NAME}. */
  static final int BUYER_DATASETS = 3;

  /** Datasets the third company creates before the provider's in the other-companies world. */
  static final int OTHER_COMPANY_PADDING = 3;

  static final long HOSTILE_BIG = 9_000_000_000_000_000_000L;
  static final BigDecimal HOSTILE_AMOUNT = new BigDecimal("9999999.99");

  private static final long DATA_SEED = 20261205L;
  private static final String[] LABELS = {
    "alpha", "Beta", "gamma", "DELTA", "épsilon", "zeta", "Eta", "theta", "iota", "Kappa"
  };

  /**
   * The id of the provider's dataset {@code events} in the world with {@code padding} third-company
   * datasets (the buyer's datasets are created first).
   */
  public static long providerDatasetId(int padding) {
    return BUYER_DATASETS + padding + 1L;
  }

  /** The base world. */
  public static WorldData base() {
    Random r = new Random(DATA_SEED);
    List<String> countries = new ArrayList<>();
    add(countries, "USA", US_ROWS);
    add(countries, "GBR", 60);
    add(countries, "DEU", 60);
    add(countries, "FRA", 50);
    add(countries, "usa", 20);
    add(countries, "USA ", 15);
    add(countries, null, 20);
    add(countries, "ZZZ", 15);
    Collections.shuffle(countries, r);
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < 400; i++) {
      ids.add(i);
    }
    Collections.shuffle(ids, r);
    List<ProviderRow> rows = new ArrayList<>();
    int us = 0;
    for (int i = 0; i < countries.size(); i++) {
      ProviderRow row = benign(ids.get(i), countries.get(i), r);
      if ("USA".equals(row.country()) && us++ < 2) {
        // two visible rows that fail a buyer's expression: a code that is not a number, an
        // amount too large for DECIMAL(5, 2); an error about them must not quote them either
        row =
            us == 1
                ? row.withHidden(row.qty(), "7x", row.big(), row.secret(), row.hiddenNum())
                : row.withAmount(new BigDecimal("1234.56"));
      }
      rows.add(row);
    }
    List<OwnRow> buyer = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      long id = i < 70 ? 3L * i : 1000L + i;
      buyer.add(
          new OwnRow(
              id,
              r.nextInt(12) == 0 ? null : r.nextInt(10),
              r.nextInt(10) == 0 ? null : "t" + r.nextInt(7),
              1 + r.nextInt(7)));
    }
    List<OwnRow> digits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      digits.add(new OwnRow(6L * i, r.nextInt(10), "d" + i, 1 + r.nextInt(7)));
    }
    return new WorldData("base", rows, buyer, digits, globexRows(r, 30, "g"), 0, false);
  }

  static ProviderRow benign(long id, String country, Random r) {
    return new ProviderRow(
        id,
        r.nextInt(10),
        country,
        r.nextInt(10) == 0 ? null : 1 + r.nextInt(5),
        r.nextInt(10) == 0 ? null : Integer.toString(r.nextInt(1000)),
        r.nextInt(20) == 0 ? null : (long) r.nextInt(500_000),
        r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextInt(25_000), 2),
        r.nextInt(10) == 0 ? null : LABELS[r.nextInt(LABELS.length)],
        "s" + id,
        id * 11);
  }

  static ProviderRow hostile(long id, Integer grp, String country) {
    return new ProviderRow(
        id,
        grp,
        country,
        0,
        "x" + id,
        HOSTILE_BIG + id,
        HOSTILE_AMOUNT,
        "HIDDEN-" + id + "-zzzzzzzzzzzzzzzzzzzz",
        "leak-" + id,
        -id);
  }

  private static List<OwnRow> globexRows(Random r, int n, String tag) {
    List<OwnRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new OwnRow(2L * i + r.nextInt(2), r.nextInt(10), tag + i, 1 + r.nextInt(7)));
    }
    return rows;
  }

  private static void add(List<String> list, String value, int n) {
    for (int i = 0; i < n; i++) {
      list.add(value);
    }
  }

  /** Whether a rule shared with the buyer shows the row. */
  public static boolean visible(ProviderRow row) {
    return "USA".equals(row.country())
        || "GBR".equals(row.country())
        || "DEU".equals(row.country());
  }

  WorldData named(String n) {
    return new WorldData(
        n,
        providerEvents,
        buyerEvents,
        buyerDigitRows,
        globexEvents,
        globexPadding,
        otherCompanyExtras);
  }

  WorldData withProviderEvents(List<ProviderRow> rows) {
    return new WorldData(
        name, rows, buyerEvents, buyerDigitRows, globexEvents, globexPadding, otherCompanyExtras);
  }

  /**
   * Rows outside every rule the buyer can query: other values (hostile), another count, ids that
   * collide with visible and with the buyer's ids, at other positions in the file (the visible rows
   * keep their relative order).
   */
  WorldData withOtherHiddenRows() {
    Random r = new Random(DATA_SEED + 1);
    List<ProviderRow> visible = providerEvents.stream().filter(WorldData::visible).toList();
    String[] countries = {"FRA", "usa", "USA ", null, "ZZZ", "Usa"};
    List<ProviderRow> hidden = new ArrayList<>();
    for (int i = 0; i < 170; i++) {
      long id =
          switch (i % 3) {
            case 0 -> visible.get(r.nextInt(visible.size())).id();
            case 1 -> 3L * r.nextInt(70);
            default -> 5000L + i;
          };
      Integer grp = i % 10 == 9 ? Integer.valueOf(99) : (i % 13 == 0 ? null : r.nextInt(10));
      hidden.add(hostile(id, grp, countries[i % countries.length]));
    }
    return withProviderEvents(interleave(visible, hidden, r)).named("hidden rows");
  }

  /**
   * Columns no rule shows the buyer: {@code secret} and {@code hidden_num} everywhere; {@code qty,
   * code, big, label} of GBR rows; {@code qty, code, big, amount} of DEU rows, whose {@code label}
   * changes case only (the rule shows {@code UPPER(label)}).
   */
  WorldData withOtherHiddenColumns() {
    return withProviderEvents(
            map(
                providerEvents,
                row -> {
                  String c = row.country();
                  ProviderRow h = hostile(row.id(), row.grp(), c);
                  ProviderRow out =
                      row.withHidden(
                          row.qty(), row.code(), row.big(), "other-" + row.id() * 7, -row.id());
                  if ("GBR".equals(c)) {
                    out =
                        out.withHidden(h.qty(), h.code(), h.big(), out.secret(), out.hiddenNum())
                            .withLabel(h.label());
                  } else if ("DEU".equals(c)) {
                    out =
                        out.withHidden(h.qty(), h.code(), h.big(), out.secret(), out.hiddenNum())
                            .withAmount(h.amount())
                            .withLabel(swapCase(row.label()));
                  }
                  return out;
                }))
        .named("hidden columns");
  }

  /**
   * The third company owns more datasets (created before the provider's, so the provider's dataset
   * id differs), other rows, and more rules not shared with the buyer; the provider owns another
   * dataset and a rule shared with the third company only.
   */
  WorldData withOtherCompaniesChanged() {
    Random r = new Random(DATA_SEED + 2);
    return new WorldData(
        "other companies",
        providerEvents,
        buyerEvents,
        buyerDigitRows,
        globexRows(r, 55, "other"),
        OTHER_COMPANY_PADDING,
        true);
  }

  /**
   * The priced rules' rows differ completely: no {@code USA} row at all, and other {@code GBR} rows
   * (other ids, values and count, {@code grp} never 0 or 3); free and hidden rows unchanged.
   */
  WorldData withOtherPricedRows() {
    Random r = new Random(DATA_SEED + 3);
    List<ProviderRow> rest = new ArrayList<>();
    for (ProviderRow row : providerEvents) {
      if (!"USA".equals(row.country()) && !"GBR".equals(row.country())) {
        rest.add(row);
      }
    }
    int[] groups = {1, 2, 4, 5, 6};
    List<ProviderRow> gbr = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      gbr.add(
          benign(7000L + 3 * i, "GBR", r)
              .withGrp(groups[r.nextInt(groups.length)])
              .withAmount(i % 4 == 0 ? HOSTILE_AMOUNT : BigDecimal.valueOf(r.nextInt(90_000), 2)));
    }
    return withProviderEvents(interleave(rest, gbr, r)).named("unpaid rows");
  }

  /**
   * {@link #EXTRA_US_ROWS} more {@code USA} rows after all the base rows in file order, with values
   * that fail the buyer's expressions ({@code qty = 0}, non-numeric codes, huge numbers).
   */
  WorldData withUnaffordableRows() {
    Random r = new Random(DATA_SEED + 4);
    List<ProviderRow> rows = new ArrayList<>(providerEvents);
    for (int i = 0; i < EXTRA_US_ROWS; i++) {
      rows.add(hostile(500L + i, r.nextInt(10), "USA"));
    }
    return withProviderEvents(rows).named("unaffordable rows");
  }

  /**
   * Every difference no budget can buy at once (hidden rows, hidden columns, other companies): for
   * a small sample where one pair of worlds has to cover them all.
   */
  public WorldData withAllUnseenChanged() {
    return withOtherHiddenRows()
        .withOtherHiddenColumns()
        .withOtherCompaniesChanged()
        .named("hidden rows, columns and other companies");
  }

  /** Merges two lists at random positions, keeping each list's own order. */
  private static <T> List<T> interleave(List<T> a, List<T> b, Random r) {
    Deque<T> qa = new ArrayDeque<>(a);
    Deque<T> qb = new ArrayDeque<>(b);
    List<T> out = new ArrayList<>();
    while (!qa.isEmpty() || !qb.isEmpty()) {
      boolean takeA =
          qb.isEmpty() || (!qa.isEmpty() && r.nextInt(qa.size() + qb.size()) < qa.size());
      out.add(takeA ? qa.poll() : qb.poll());
    }
    return out;
  }

  private static List<ProviderRow> map(List<ProviderRow> rows, UnaryOperator<ProviderRow> f) {
    return rows.stream().map(f).toList();
  }

  private static String swapCase(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            c ->
                sb.appendCodePoint(
                    Character.isUpperCase(c)
                        ? Character.toLowerCase(c)
                        : Character.toUpperCase(c)));
    return sb.toString();
  }
}
