package io.nql.planner.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A marketplace of two companies for view tests: {@code acme} owns {@code people} (ids 1..40,
 * region {@code internal} for multiples of 4, else {@code eu}) and sells the rule {@code people_eu}
 * (the 30 rows not internal) to {@code beta} at 1,000 USD per 1,000 rows: 1 USD a row.
 */
final class PeopleMarketplace {
  private PeopleMarketplace() {}

  static NqlEngine open(Path dir) throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,region\n");
    for (int i = 1; i <= 40; i++) {
      csv.append(i).append(',').append(i % 4 == 0 ? "internal" : "eu").append('\n');
    }
    Files.writeString(area.resolve("people.csv"), csv);
    NqlEngine engine =
        io.nql.planner.testing.Marketplace.open(dir.resolve("wh"), ingest, "acme", "beta");
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("CREATE DATASET \"people\" (id BIGINT, region VARCHAR)").close();
      acme.execute("COPY INTO company_data.people FROM 'people.csv' HEADER = TRUE").close();
      acme.execute(
              "CREATE ACCESS RULE \"people_eu\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (beta)"
                  + " AS SELECT id, region FROM company_data.people WHERE region <> 'internal'")
          .close();
    }
    return engine;
  }
}
