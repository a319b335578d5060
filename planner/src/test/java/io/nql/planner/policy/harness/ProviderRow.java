package io.nql.planner.policy.harness;

import java.math.BigDecimal;

/**
 * One row of the provider's dataset {@code acme.events}, in file order.
 *
 * @param country decides which rule (if any) shows the row: {@code USA}, {@code GBR}, {@code DEU}
 */
public record ProviderRow(
    long id,
    Integer grp,
    String country,
    Integer qty,
    String code,
    Long big,
    BigDecimal amount,
    String label,
    String secret,
    Long hiddenNum) {

  /** The CSV header of the provider's file, in the dataset's column order. */
  static final String HEADER = "id,grp,country,qty,code,big,amount,label,secret,hidden_num";

  /** The dataset's declaration. */
  static final String COLUMNS =
      "id BIGINT, grp INTEGER, country VARCHAR, qty INTEGER, code VARCHAR, big BIGINT,"
          + " amount DECIMAL(12, 2), label VARCHAR, secret VARCHAR, hidden_num BIGINT";

  String csv() {
    return Csv.line(id, grp, country, qty, code, big, amount, label, secret, hiddenNum);
  }

  ProviderRow withCountry(String c) {
    return new ProviderRow(id, grp, c, qty, code, big, amount, label, secret, hiddenNum);
  }

  ProviderRow withId(long i) {
    return new ProviderRow(i, grp, country, qty, code, big, amount, label, secret, hiddenNum);
  }

  ProviderRow withGrp(Integer g) {
    return new ProviderRow(id, g, country, qty, code, big, amount, label, secret, hiddenNum);
  }

  ProviderRow withAmount(BigDecimal a) {
    return new ProviderRow(id, grp, country, qty, code, big, a, label, secret, hiddenNum);
  }

  ProviderRow withLabel(String l) {
    return new ProviderRow(id, grp, country, qty, code, big, amount, l, secret, hiddenNum);
  }

  /** The same row with other values in the given columns (the rest unchanged). */
  ProviderRow withHidden(Integer q, String c, Long b, String s, Long h) {
    return new ProviderRow(id, grp, country, q, c, b, amount, label, s, h);
  }
}
