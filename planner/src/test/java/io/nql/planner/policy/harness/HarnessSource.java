package io.nql.planner.policy.harness;

import java.util.List;

/**
 * A table a generated statement reads, written as a token ({@code {US}}) that each world renders as
 * its own name: a rule shared with the buyer, or a dataset the buyer owns.
 */
public enum HarnessSource {
  /** {@code acme.us_events}: 2.00 CPM, {@code country = 'USA'}. */
  US(
      "us_events",
      "2.00",
      List.of(
          Column.of("id", Kind.BIG, 0, 450),
          Column.of("grp", Kind.INT, 0, 9),
          Column.of("qty", Kind.INT, 1, 5),
          Column.numericText("code", 0, 999),
          Column.of("big", Kind.BIG, 0, 500_000),
          Column.of("amount", Kind.DEC, 0, 250),
          Column.of("label", Kind.STR, 0, 0))),
  /** {@code acme.gbr_events}: 1.00 CPM, {@code country = 'GBR'}. */
  GBR(
      "gbr_events",
      "1.00",
      List.of(
          Column.of("id", Kind.BIG, 0, 450),
          Column.of("grp", Kind.INT, 0, 9),
          Column.of("amount", Kind.DEC, 0, 250))),
  /** {@code acme.free_events}: free, {@code country = 'DEU'}, {@code UPPER(label) AS label_up}. */
  FREE(
      "free_events",
      "0",
      List.of(
          Column.of("id", Kind.BIG, 0, 450),
          Column.of("grp", Kind.INT, 0, 9),
          Column.of("label_up", Kind.STR, 0, 0))),
  /** The buyer's {@code company_data.events} (the provider's dataset has the same name). */
  OWN(null, null, ownColumns()),
  /** The buyer's {@code company_data.us_events} (the provider has a rule of that name). */
  D1(null, null, ownColumns()),
  /** The buyer's {@code company_data.private_events} (a rule of the provider not shared). */
  D2(null, null, ownColumns()),
  /**
   * {@code narrative.rosetta_stone} over the provider's mapped {@code events}: {@code age} (from
   * {@code grp}, offered by us_events, gbr_events and free_events), {@code postal_code} (from
   * {@code code}, offered by us_events only) and {@code iso_3166_1_country} (from {@code country},
   * which no rule exposes: never offered). Checked for noninterference, not against the oracle.
   */
  RS(
      null,
      null,
      List.of(
          Column.of("age", Kind.BIG, 0, 9),
          Column.of("postal_code", Kind.STR, 0, 0),
          Column.of("iso_3166_1_country", Kind.STR, 0, 0)));

  /** Column kinds, for choosing expressions and literals. */
  public enum Kind {
    INT,
    BIG,
    DEC,
    STR
  }

  /**
   * A column and the range of its visible values (for literals that sometimes match).
   *
   * @param numericText text holding an integer on every visible row ({@code code})
   */
  public record Column(String name, Kind kind, long lo, long hi, boolean numericText) {
    static Column of(String name, Kind kind, long lo, long hi) {
      return new Column(name, kind, lo, hi, false);
    }

    static Column numericText(String name, long lo, long hi) {
      return new Column(name, Kind.STR, lo, hi, true);
    }
  }

  private final String rule;
  private final String price;
  private final List<Column> columns;

  HarnessSource(String rule, String price, List<Column> columns) {
    this.rule = rule;
    this.price = price;
    this.columns = columns;
  }

  private static List<Column> ownColumns() {
    return List.of(
        Column.of("id", Kind.BIG, 0, 450),
        Column.of("grp", Kind.INT, 0, 9),
        Column.of("tag", Kind.STR, 0, 0),
        Column.of("weight", Kind.INT, 1, 7));
  }

  /** The token generated statements use for this table. */
  public String token() {
    return "{" + name() + "}";
  }

  public boolean isRule() {
    return rule != null;
  }

  /** Whether rows of this rule cost money. */
  public boolean isPriced() {
    return rule != null && !price.equals("0");
  }

  /** The rule's name, or null for the buyer's datasets. */
  public String ruleName() {
    return rule;
  }

  /** The rule's price per 1,000 rows, or null. */
  public String price() {
    return price;
  }

  /** Micro-USD per row of this rule. */
  public long microsPerRow() {
    return rule == null ? 0 : new java.math.BigDecimal(price).movePointRight(3).longValueExact();
  }

  public List<Column> columns() {
    return columns;
  }

  /** The rule's columns as the buyer's own dataset declares them (the oracle world). */
  String declaredColumns() {
    StringBuilder sb = new StringBuilder();
    for (Column c : columns) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(c.name())
          .append(' ')
          .append(
              switch (c.kind()) {
                case INT -> "INTEGER";
                case BIG -> "BIGINT";
                case DEC -> "DECIMAL(12, 2)";
                case STR -> "VARCHAR";
              });
    }
    return sb.toString();
  }
}
