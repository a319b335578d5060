package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.testing.Marketplace;
import io.nql.planner.warehouse.LocalFileIO;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EXPLAIN <query>}: forecasts per source and in total, from statistics only — never charged,
 * no data file opened, not a membership oracle, blind to what the rule hides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForecastTest {
  static final int ROWS = 40_000;

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession buyer;
  NqlSession provider;
  Path src;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,country,age,income,email,secret\n");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < ROWS; i++) {
      String country = i % 4 == 0 ? "USA" : i % 4 == 1 ? "GBR" : i % 4 == 2 ? "DEU" : "FRA";
      int age = 18 + random.nextInt(60);
      // income follows age: correlated columns
      int income = age * 1000 + random.nextInt(5000);
      csv.append(i).append(',').append(country).append(',').append(age).append(',');
      csv.append(income).append(",user").append(i).append("@example.com,s").append(i);
      csv.append('\n');
    }
    Files.writeString(src.resolve("people.csv"), csv);
    engine = Marketplace.open(dir.resolve("wh"), ingest, "acme", "buyer_co");
    provider = engine.trusted("acme_user");
    provider
        .execute("COPY INTO company_data.people FROM '" + src.resolve("people.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"us_people\" PRICE_CPM_USD = 2.00"
                + " SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, p.age, p.income, p.email FROM company_data.people p"
                + " WHERE p.country = 'USA'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"free_people\" PRICE_CPM_USD = 0"
                + " SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, p.country, p.age FROM company_data.people p"
                + " WHERE p.age < 40")
        .close();
    buyer = engine.trusted("buyer_co_user");
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    buyer.close();
    provider.close();
    engine.close();
  }

  static List<Map<String, Object>> rows(NqlSession s, String sql) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (StatementResult r = s.execute(sql)) {
      List<ResultColumn> cols = r.columns();
      Object[] row;
      while ((row = r.next()) != null) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) {
          m.put(cols.get(i).name(), row[i]);
        }
        out.add(m);
      }
    }
    return out;
  }

  static JsonNode readJson(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long count(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      return ((Number) r.next()[0]).longValue();
    }
  }

  static Map<String, Object> source(List<Map<String, Object>> forecast, String name) {
    return forecast.stream().filter(m -> m.get("source").equals(name)).findFirst().orElseThrow();
  }

  @Test
  void oneRowPerSourceAndATotalInTheDocumentedShape() {
    List<Map<String, Object>> f =
        rows(buyer, "EXPLAIN SELECT id, age FROM acme.us_people WHERE age > 50 NO LIMIT");
    assertThat(f).hasSize(2);
    Map<String, Object> rule = f.get(0);
    assertThat(rule.get("source")).isEqualTo("acme.us_people");
    assertThat(rule.get("source_type")).isEqualTo("access rule");
    assertThat(rule.get("provider")).isEqualTo("acme");
    assertThat(rule.get("price_cpm_usd")).isEqualTo(new BigDecimal("2.00"));
    assertThat(rule.get("freshness")).isNotNull();
    Map<String, Object> total = f.get(1);
    assertThat(total.get("source")).isEqualTo("TOTAL");
    assertThat(total.get("result_schema")).isEqualTo("id BIGINT, age BIGINT");
    // the rule's statistics text shows the rule's rows, never the dataset's
    assertThat((String) rule.get("statistics")).contains("10,000").doesNotContain("40,000");
  }

  @Test
  void estimatesAreCloseToWhatTheQueryReturns() {
    String[] filters = {
      "age > 50",
      "age BETWEEN 20 AND 29",
      "income > 60000",
      "age > 60 AND income > 65000",
      "age IN (20, 30, 40, 50)",
      "email LIKE 'user1%'",
      "age < 30 OR income > 70000",
      "age + 1 > 51",
      "ABS(age - 50) < 5 AND income > 30000",
    };
    for (String where : filters) {
      long actual =
          count(
              provider,
              "SELECT COUNT(*) FROM company_data.people WHERE country = 'USA' AND (" + where + ")");
      Map<String, Object> rule =
          source(
              rows(buyer, "EXPLAIN SELECT * FROM acme.us_people WHERE " + where + " NO LIMIT"),
              "acme.us_people");
      long estimated = (Long) rule.get("matching_rows");
      assertThat((double) estimated).as(where).isBetween(actual * 0.8 - 10, actual * 1.2 + 10);
      assertThat((Long) rule.get("rows_low")).as(where).isLessThanOrEqualTo(actual);
      assertThat((Long) rule.get("rows_high")).as(where).isGreaterThanOrEqualTo(actual);
      BigDecimal cost = (BigDecimal) rule.get("estimated_cost_usd");
      assertThat(cost.doubleValue())
          .as(where)
          .isCloseTo(estimated * 2.0 / 1000, org.assertj.core.data.Offset.offset(0.000002));
    }
  }

  @Test
  void aForecastIsNeverChargedAndOpensNoDataFile() {
    int before = engine.store().ledger().entriesOf(buyerId).size();
    long opens = LocalFileIO.dataFileOpens();
    rows(
        buyer,
        "EXPLAIN SELECT * FROM acme.us_people u JOIN acme.free_people f ON u.id = f.id NO LIMIT");
    rows(buyer, "EXPLAIN (FORMAT JSON) SELECT COUNT(*) FROM acme.us_people LIMIT 5 USD");
    assertThat(LocalFileIO.dataFileOpens()).isEqualTo(opens);
    assertThat(engine.store().ledger().entriesOf(buyerId)).hasSize(before);
    // the query itself does open data files (the counter counts)
    count(buyer, "SELECT COUNT(*) FROM acme.free_people");
    assertThat(LocalFileIO.dataFileOpens()).isGreaterThan(opens);
  }

  @Test
  void theBudgetCutIsForecast() {
    // the session budget is 0: nothing priced can be bought
    Map<String, Object> zero =
        source(rows(buyer, "EXPLAIN SELECT * FROM acme.us_people"), "acme.us_people");
    assertThat(zero.get("budget_cut")).isEqualTo(true);
    assertThat(zero.get("estimated_rows")).isEqualTo(0L);
    assertThat((Long) zero.get("matching_rows")).isGreaterThan(9000L);
    // 0.01 USD buys 5 rows at 2.00 USD per 1,000
    Map<String, Object> five =
        source(
            rows(buyer, "EXPLAIN SELECT * FROM acme.us_people LIMIT 0.01 USD"), "acme.us_people");
    assertThat(five.get("estimated_rows")).isEqualTo(5L);
    assertThat(five.get("estimated_cost_usd")).isEqualTo(new BigDecimal("0.010000"));
    Map<String, Object> free =
        source(rows(buyer, "EXPLAIN SELECT * FROM acme.free_people"), "acme.free_people");
    assertThat(free.get("budget_cut")).isEqualTo(false);
  }

  @Test
  void aBudgetBuysItsWholeRowsExactly() {
    // 2.00 USD per 1,000 rows: k cents buy 5 k rows, whatever the rounding of the share
    for (int cents = 1; cents <= 300; cents++) {
      String usd = new BigDecimal(cents).movePointLeft(2).toPlainString();
      List<Map<String, Object>> f =
          rows(buyer, "EXPLAIN SELECT id FROM acme.us_people WHERE age > 20 LIMIT " + usd + " USD");
      assertThat(source(f, "acme.us_people").get("estimated_rows")).as(usd).isEqualTo(5L * cents);
      assertThat((BigDecimal) source(f, "TOTAL").get("estimated_cost_usd"))
          .as(usd)
          .isEqualByComparingTo(usd);
    }
  }

  @Test
  void noCostInAForecastExceedsTheStatementsBudget() {
    // two priced sources share one budget; each source's high is capped by what the budget buys,
    // and the total's by the budget itself (the meter stops there)
    provider
        .execute(
            "CREATE ACCESS RULE \"gbr_people\" PRICE_CPM_USD = 3.00"
                + " SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, p.age FROM company_data.people p WHERE p.country = 'GBR'")
        .close();
    for (String budget : List.of(" LIMIT 0.01 USD", " LIMIT 1 USD", " LIMIT 3.33 USD")) {
      BigDecimal limit = new BigDecimal(budget.replaceAll("[^0-9.]", ""));
      List<Map<String, Object>> f =
          rows(
              buyer,
              "EXPLAIN SELECT a.id FROM acme.us_people a JOIN acme.gbr_people b ON a.age = b.age"
                  + " UNION ALL SELECT id FROM acme.us_people WHERE income > 50000"
                  + budget);
      assertThat(f).hasSize(3);
      for (Map<String, Object> row : f) {
        for (String cost : List.of("estimated_cost_usd", "cost_low_usd", "cost_high_usd")) {
          assertThat((BigDecimal) row.get(cost))
              .as(budget + " " + row.get("source") + " " + cost)
              .isLessThanOrEqualTo(limit);
        }
      }
    }
  }

  @Test
  void theTotalsIntervalIsOfTheRowsTheBudgetBuys() {
    // rows_low and rows_high bound estimated_rows on the total as on each source: at a budget of
    // 0 nothing is delivered, whatever a larger budget would buy (matching_rows)
    for (String budget : List.of("", " LIMIT 0.01 USD", " LIMIT 5 USD", " NO LIMIT")) {
      List<Map<String, Object>> f =
          rows(buyer, "EXPLAIN SELECT id FROM acme.us_people WHERE age > 30" + budget);
      Map<String, Object> rule = source(f, "acme.us_people");
      Map<String, Object> total = source(f, "TOTAL");
      long estimated = (Long) total.get("estimated_rows");
      assertThat((Long) total.get("rows_low")).as(budget).isLessThanOrEqualTo(estimated);
      assertThat((Long) total.get("rows_high")).as(budget).isGreaterThanOrEqualTo(estimated);
      assertThat((Long) total.get("rows_high"))
          .as(budget)
          .isLessThanOrEqualTo((Long) total.get("matching_rows") * 2);
      assertThat((Long) total.get("matching_rows")).isEqualTo(rule.get("matching_rows"));
    }
    Map<String, Object> zero =
        source(rows(buyer, "EXPLAIN SELECT id FROM acme.us_people WHERE age > 30"), "TOTAL");
    assertThat(zero.get("estimated_rows")).isEqualTo(0L);
    assertThat(zero.get("rows_high")).isEqualTo(0L);
    assertThat((BigDecimal) zero.get("cost_high_usd")).isEqualByComparingTo("0");
  }

  @Test
  void equalityOnAManyValuedColumnIsTheSameWhetherOrNotTheValueExists() {
    String exists =
        "EXPLAIN SELECT * FROM acme.us_people WHERE email = 'user4@example.com' NO LIMIT";
    String absent =
        "EXPLAIN SELECT * FROM acme.us_people WHERE email = 'nobody@example.org' NO LIMIT";
    List<Map<String, Object>> a = rows(buyer, exists);
    List<Map<String, Object>> b = rows(buyer, absent);
    assertThat(a).isEqualTo(b);
    // hidden rows' values (user1 is in GBR) are no different either
    assertThat(rows(buyer, exists.replace("user4@", "user1@"))).isEqualTo(a);
    assertThat(
            count(
                provider,
                "SELECT COUNT(*) FROM company_data.people WHERE email = 'user4@example.com'"))
        .isEqualTo(1);
  }

  @Test
  void jsonFormatCarriesTheSameForecast() throws Exception {
    String q = "SELECT id FROM acme.us_people WHERE age > 50 NO LIMIT";
    List<Map<String, Object>> text = rows(buyer, "EXPLAIN " + q);
    List<Map<String, Object>> json = rows(buyer, "EXPLAIN (FORMAT JSON) " + q);
    assertThat(json).hasSize(1);
    JsonNode doc = new ObjectMapper().readTree((String) json.get(0).get("FORECAST"));
    assertThat(doc.get("sources")).hasSize(1);
    assertThat(doc.get("sources").get(0).get("matching_rows").asLong())
        .isEqualTo(text.get(0).get("matching_rows"));
    assertThat(doc.get("total").get("estimated_rows").asLong())
        .isEqualTo(text.get(1).get("estimated_rows"));
    assertThat(doc.get("result_schema").get(0).get("name").asText()).isEqualTo("id");
  }

  @Test
  void ownersSeeFileDetailOfTheirDatasetsAndAnalyzeIsTheirs() {
    List<Map<String, Object>> f =
        rows(provider, "EXPLAIN SELECT * FROM company_data.people WHERE id < 100");
    Map<String, Object> d = source(f, "company_data.people");
    assertThat(d.get("source_type")).isEqualTo("dataset");
    assertThat((String) d.get("detail")).contains("data files after pruning");
    assertThat((String) d.get("statistics"))
        .isEqualTo("statistics of the dataset's 40,000 rows (sample of 16,384)");
    Map<String, Object> json =
        rows(provider, "EXPLAIN (FORMAT JSON) SELECT * FROM company_data.people WHERE id < 100")
            .get(0);
    JsonNode files = readJson((String) json.get("FORECAST")).get("sources").get(0).get("files");
    assertThat(files.size()).isPositive();
    assertThat(files.get(0).get("path").asText()).endsWith(".parquet");
    assertThat(files.get(0).get("records").asLong()).isPositive();
    assertThat(
            readJson((String) json.get("FORECAST")).get("sources").get(0).get("freshness").asText())
        .endsWith("Z");
    // a buyer's forecast of a rule lists no files
    JsonNode rule =
        readJson(
                (String)
                    rows(buyer, "EXPLAIN (FORMAT JSON) SELECT * FROM acme.us_people")
                        .get(0)
                        .get("FORECAST"))
            .get("sources")
            .get(0);
    assertThat(rule.has("files")).isFalse();
    assertThat(rule.get("detail").isNull()).isTrue();
    provider.execute("ANALYZE company_data.people").close();
    assertThatThrownBy(() -> buyer.execute("ANALYZE company_data.people"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("company_data.people");
  }

  @Test
  void aWriteOfHiddenRowsChangesNothingInTheForecastFreshnessIncluded() throws Exception {
    Files.writeString(
        src.resolve("batch1.csv"), "id,region,v\n1,north,10\n2,south,20\n3,north,30\n");
    Files.writeString(src.resolve("hidden.csv"), "id,region,v\n4,south,40\n5,south,50\n");
    Files.writeString(src.resolve("visible.csv"), "id,region,v\n6,north,60\n");
    provider
        .execute("COPY INTO company_data.batches FROM '" + src.resolve("batch1.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"north\" PRICE_CPM_USD = 1 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT b.id, b.v FROM company_data.batches b WHERE b.region = 'north'")
        .close();
    String q = "EXPLAIN SELECT * FROM acme.north WHERE v > 15 NO LIMIT";
    List<Map<String, Object>> before = rows(buyer, q);
    assertThat(source(before, "acme.north").get("matching_rows")).isEqualTo(1L);
    Thread.sleep(5);
    provider
        .execute("COPY INTO company_data.batches FROM '" + src.resolve("hidden.csv") + "'")
        .close();
    assertThat(rows(buyer, q)).isEqualTo(before);
    Thread.sleep(5);
    provider
        .execute("COPY INTO company_data.batches FROM '" + src.resolve("visible.csv") + "'")
        .close();
    List<Map<String, Object>> after = rows(buyer, q);
    Map<String, Object> rule = source(after, "acme.north");
    assertThat(rule.get("matching_rows")).isEqualTo(2L);
    assertThat((java.time.LocalDateTime) rule.get("freshness"))
        .isAfter((java.time.LocalDateTime) source(before, "acme.north").get("freshness"));
  }

  @Test
  void anAppendReadsOnlyTheAddedFilesAndMergesTheirStatistics() throws Exception {
    StringBuilder first = new StringBuilder("id,part,v\n");
    for (int i = 0; i < 3000; i++) {
      first.append(i).append(',').append(i % 10).append(',').append(i % 97).append('\n');
    }
    Files.writeString(src.resolve("parts1.csv"), first);
    StringBuilder second = new StringBuilder("id,part,v\n");
    for (int i = 3000; i < 4000; i++) {
      second.append(i).append(",3,").append(i % 97).append('\n');
    }
    Files.writeString(src.resolve("parts2.csv"), second);
    provider
        .execute(
            "CREATE DATASET \"parts\" (id BIGINT, part INTEGER, v INTEGER)"
                + " PARTITIONED_BY part IDENTITY")
        .close();
    provider
        .execute("COPY INTO company_data.parts FROM '" + src.resolve("parts1.csv") + "'")
        .close();
    provider
        .execute(
            "CREATE ACCESS RULE \"low_parts\" PRICE_CPM_USD = 1 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT p.id, p.v FROM company_data.parts p WHERE p.part < 5")
        .close();
    long opens = LocalFileIO.dataFileOpens();
    provider
        .execute("COPY INTO company_data.parts FROM '" + src.resolve("parts2.csv") + "'")
        .close();
    // one new file (partition 3), read once for the dataset's statistics and once for the rule's:
    // not the ten files already analyzed
    assertThat(LocalFileIO.dataFileOpens() - opens).isEqualTo(2);
    String[] queries = {
      "EXPLAIN SELECT * FROM acme.low_parts NO LIMIT",
      "EXPLAIN SELECT * FROM acme.low_parts WHERE v < 20 NO LIMIT",
      "EXPLAIN SELECT * FROM acme.low_parts WHERE id >= 3000 NO LIMIT"
    };
    List<Long> merged = new ArrayList<>();
    for (String q : queries) {
      merged.add((Long) source(rows(buyer, q), "acme.low_parts").get("matching_rows"));
    }
    assertThat(merged.get(0)).isEqualTo(2500L);
    provider.execute("ANALYZE company_data.parts").close();
    for (int i = 0; i < queries.length; i++) {
      long full = (Long) source(rows(buyer, queries[i]), "acme.low_parts").get("matching_rows");
      assertThat((double) merged.get(i)).as(queries[i]).isBetween(full * 0.95, full * 1.05);
    }
    long actual =
        count(provider, "SELECT COUNT(*) FROM company_data.parts WHERE part < 5 AND id >= 3000");
    assertThat((double) merged.get(2)).isBetween(actual * 0.8, actual * 1.2);
  }

  @Test
  void badForecastsFailLikeTheirQueriesAndParametersAreAccepted() {
    assertThatThrownBy(() -> buyer.execute("EXPLAIN (FORMAT XML) SELECT * FROM acme.us_people"))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("FORMAT")
        .hasMessageContaining("'json'");
    assertThatThrownBy(() -> buyer.execute("EXPLAIN SELECT secret FROM acme.us_people"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("42703"));
    assertThatThrownBy(() -> buyer.execute("EXPLAIN SELECT * FROM acme.people"))
        .isInstanceOf(NqlException.class)
        .satisfies(e -> assertThat(((NqlException) e).sqlState()).isEqualTo("42P01"));
    PreparedInfo info = buyer.prepare("EXPLAIN SELECT * FROM acme.us_people WHERE age > ?");
    assertThat(info.columns()).extracting(ResultColumn::name).startsWith("source", "source_type");
    assertThat(info.parameters()).hasSize(1);
    // a bound parameter is estimated as its value: the same forecast as with the literal
    List<Map<String, Object>> bound = new ArrayList<>();
    try (StatementResult r =
        buyer.execute("EXPLAIN SELECT * FROM acme.us_people WHERE age > ? NO LIMIT", List.of(50))) {
      Object[] row;
      while ((row = r.next()) != null) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
          m.put(r.columns().get(i).name(), row[i]);
        }
        bound.add(m);
      }
    }
    assertThat(bound)
        .isEqualTo(rows(buyer, "EXPLAIN SELECT * FROM acme.us_people WHERE age > 50 NO LIMIT"));
    assertThatThrownBy(
            () ->
                buyer.execute("EXPLAIN SELECT * FROM acme.us_people WHERE age > ?", List.of(1, 2)))
        .isInstanceOf(NqlException.class)
        .hasMessageContaining("parameters");
  }

  @Test
  void oneUnpaidValueChangesNoForecastThatAsksForIt() throws Exception {
    // two providers' worlds side by side: the same rows but one email, which exists in one
    StringBuilder a = new StringBuilder("id,email,age\n");
    StringBuilder b = new StringBuilder("id,email,age\n");
    for (int i = 0; i < 2000; i++) {
      String email = "person" + i + "@mail.test";
      a.append(i).append(',').append(email).append(',').append(20 + i % 50).append('\n');
      String other = i == 777 ? "someone.else@mail.test" : email;
      b.append(i).append(',').append(other).append(',').append(20 + i % 50).append('\n');
    }
    Files.writeString(src.resolve("world_a.csv"), a);
    Files.writeString(src.resolve("world_b.csv"), b);
    for (String w : List.of("a", "b")) {
      provider
          .execute(
              "COPY INTO company_data.world_"
                  + w
                  + " FROM '"
                  + src.resolve("world_" + w + ".csv")
                  + "'")
          .close();
      provider
          .execute(
              "CREATE ACCESS RULE \"rule_"
                  + w
                  + "\" PRICE_CPM_USD = 3 SHARE WITH COMPANIES (buyer_co)"
                  + " AS SELECT w.id, w.email, w.age FROM company_data.world_"
                  + w
                  + " w WHERE w.age < 60")
          .close();
    }
    String[] filters = {
      "email = 'person777@mail.test'",
      "email IN ('person777@mail.test', 'nobody@mail.test')",
      "email <> 'person777@mail.test'",
      "email = 'person777@mail.test' AND age > 30",
      "age BETWEEN 25 AND 35",
    };
    for (String where : filters) {
      List<Map<String, Object>> inA =
          rows(buyer, "EXPLAIN SELECT * FROM acme.rule_a WHERE " + where + " NO LIMIT");
      List<Map<String, Object>> inB =
          rows(buyer, "EXPLAIN SELECT * FROM acme.rule_b WHERE " + where + " NO LIMIT");
      for (List<Map<String, Object>> f : List.of(inA, inB)) {
        f.forEach(
            m -> {
              m.remove("source");
              m.remove("freshness");
            });
      }
      assertThat(inA).as(where).isEqualTo(inB);
    }
  }
}
