package io.nql.planner.engine;

import io.nql.planner.policy.Deliveries;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one query was charged when its deliveries through access rules were settled: amounts by the
 * company that owns each priced rule (the provider), by id. The buyer's own rules and free rules
 * are not in it.
 *
 * @param microsByProvider micro-USD charged, by provider company id
 * @param rowsBought rows delivered through priced rules of other companies
 * @param budgetCut whether a budget stopped the delivery early
 */
public record Settlement(Map<Long, Long> microsByProvider, long rowsBought, boolean budgetCut) {

  public Settlement {
    microsByProvider = Map.copyOf(microsByProvider);
  }

  /** Micro-USD charged in total. */
  public long micros() {
    return microsByProvider.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What settling {@code deliveries} of a statement by {@code buyerCompanyId} charged. */
  static Settlement of(Deliveries deliveries, long buyerCompanyId) {
    Map<Long, Long> micros = new TreeMap<>();
    long rows = 0;
    for (Deliveries.Account a : deliveries.accounts()) {
      if (a.ownerCompanyId() != buyerCompanyId && a.microsPerRow() > 0) {
        micros.merge(a.ownerCompanyId(), a.amountMicros(), Long::sum);
        rows += a.rows();
      }
    }
    return new Settlement(micros, rows, deliveries.wasCut());
  }

  /** Whether there is anything to report: a charge or a cut. */
  boolean matters() {
    return rowsBought > 0 || budgetCut || micros() > 0;
  }
}
