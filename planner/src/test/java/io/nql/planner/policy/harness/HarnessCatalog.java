package io.nql.planner.policy.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the generator may name besides the {@link HarnessSource} tokens: the provider's company id
 * and rule ids (for the pseudo-columns), and table names a buyer may try that it must not reach or
 * that collide with other companies' names and ids.
 */
public record HarnessCatalog(
    long providerCompanyId, Map<String, Long> ruleIds, List<String> probes) {

  /** The catalog of worlds set up by {@link HarnessWorld} (ids as in the base world). */
  public static HarnessCatalog of(long providerCompanyId, Map<String, Long> ruleIds) {
    String a = Long.toString(WorldData.providerDatasetId(0));
    String b = Long.toString(WorldData.providerDatasetId(WorldData.OTHER_COMPANY_PADDING));
    List<String> probes = new ArrayList<>();
    for (String n : List.of(a, b, "1", "2", "3", next(a), next(b), next(next(b)))) {
      probes.add("acme.\"" + n + "\"");
      probes.add("company_data.\"" + n + "\"");
      probes.add("globex.\"" + n + "\"");
    }
    probes.addAll(
        List.of(
            "acme.events",
            "acme.\"events\"",
            "ACME.EVENTS",
            "acme.archive",
            "acme.archive_rule",
            "acme.private_events",
            "acme.us_events",
            "acme.\"US_EVENTS\"",
            "company_data.us_events",
            "company_data.events",
            "company_data.archive",
            "company_data.pad_1",
            "globex.events",
            "globex.us_events",
            "globex.g_events",
            "globex.g_extra",
            "globex.pad_1",
            "globex.private_events"));
    for (Long id : ruleIds.values()) {
      probes.add("acme.\"" + id + "\"");
    }
    for (long id = 1; id <= 9; id++) {
      probes.add("company_data.\"" + id + "\"");
    }
    return new HarnessCatalog(providerCompanyId, Map.copyOf(ruleIds), List.copyOf(probes));
  }

  private static String next(String n) {
    return Long.toString(Long.parseLong(n) + 1);
  }
}
