package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.NqlException;
import io.nql.planner.testing.Marketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Noninterference through the Rosetta Stone (NQL.md §4): two worlds set up by the same statements
 * differ only in what the buyer may not see — rows no shared rule keeps (other count, hostile
 * values, values that would break the mappings), a column no rule exposes, and the values of a
 * column a cheaper rule exposes but whose mapping the buyer's statement does not use — and in the
 * visible rows of priced rules, compared at budget 0 only. Every statement, on both executors, must
 * give the same observation in both worlds: columns, rows, error, warnings and the ledger's
 * entries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RosettaNoninterferenceTest {
  @TempDir static Path dir;
  private final List<World> worlds = new ArrayList<>();

  /** One engine with acme's dataset, rules and mappings, and a buyer. */
  private static final class World {
    final NqlEngine engine;
    final NqlSession buyer;

    World(Path root, long seed, boolean pricedRowsDiffer) throws Exception {
      Path ingest = root.resolve("ingest");
      Path a = Files.createDirectories(ingest.resolve("acme"));
      Random r = new Random(seed);
      StringBuilder csv = new StringBuilder("id,maid,sex,country3,secret\n");
      for (int i = 1; i <= 40; i++) {
        // visible rows: the same in every world unless priced rows may differ (budget 0 only)
        int v = pricedRowsDiffer ? r.nextInt(1000) : i;
        csv.append(i)
            .append(",AAAAAAAA-0000-0000-0000-")
            .append(String.format("%012d", v))
            .append(',')
            .append(i % 3 == 0 ? "F" : "M")
            .append(',')
            .append(i % 2 == 0 ? "USA" : "DEU")
            .append(',')
            .append(r.nextInt()) // never exposed
            .append('\n');
      }
      int hidden = 5 + r.nextInt(30);
      for (int i = 0; i < hidden; i++) {
        // rows no shared rule keeps: values that would fail every mapping and function
        csv.append(1000 + r.nextInt(50))
            .append(",")
            .append(r.nextBoolean() ? "" : "not-a-maid-" + r.nextInt())
            .append(',')
            .append(r.nextBoolean() ? "X" : "")
            .append(",ZZZ,")
            .append(r.nextInt())
            .append('\n');
      }
      Files.writeString(a.resolve("events.csv"), csv);
      engine = Marketplace.open(root.resolve("wh"), ingest, "acme", "buyer_co");
      try (NqlSession acme = engine.trusted("acme_user")) {
        acme.execute("COPY INTO company_data.events FROM '" + a.resolve("events.csv") + "'")
            .close();
        acme.execute(
                "CREATE ACCESS RULE usa PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
                    + " AS SELECT id, maid, sex FROM company_data.events WHERE country3 = 'USA'")
            .close();
        acme.execute(
                "CREATE ACCESS RULE visible PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES (buyer_co)"
                    + " AS SELECT id, maid, sex FROM company_data.events"
                    + " WHERE country3 <> 'ZZZ'")
            .close();
        acme.execute(
                "CREATE ACCESS RULE free_ids PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
                    + " AS SELECT id FROM company_data.events WHERE country3 = 'DEU'")
            .close();
        acme.execute(
                "CREATE MAPPING ON company_data.events ATTRIBUTE maid AS CASE WHEN maid LIKE"
                    + " '________-____-____-____-____________' THEN LOWER(maid) END,"
                    + " ATTRIBUTE hl7_gender AS CASE sex WHEN 'M' THEN 'male' WHEN 'F'"
                    + " THEN 'female' ELSE 'unknown' END,"
                    + " ATTRIBUTE iso_3166_1_country AS COUNTRY_CODE_3_TO_2(country3),"
                    + " ATTRIBUTE age AS MOD(CAST(id AS BIGINT), 100)")
            .close();
      }
      buyer = engine.trusted("buyer_co_user");
    }

    String observe(String sql, boolean vector) {
      buyer.setProperty("vector_execution", Boolean.toString(vector));
      StringBuilder out = new StringBuilder();
      String sid = null;
      try (StatementResult r = buyer.execute(sql)) {
        sid = r.statementId();
        out.append(r.columns()).append('\n');
        List<String> rows = new ArrayList<>();
        Object[] row;
        while ((row = r.next()) != null) {
          rows.add(Arrays.toString(row));
        }
        rows.sort(null);
        out.append(rows).append('\n');
        for (StatementWarning w : r.warnings()) {
          out.append("warning ").append(w.sqlState()).append(' ').append(w.message()).append('\n');
        }
      } catch (NqlException e) {
        out.append("error ").append(e.sqlState()).append(' ').append(e.getMessage());
      }
      if (sid != null) {
        try (StatementResult l =
            buyer.execute(
                "SELECT rule, rows_delivered, amount_micros, status FROM company_data._ledger"
                    + " WHERE statement_id = '"
                    + sid
                    + "' NO LIMIT")) {
          List<String> entries = new ArrayList<>();
          Object[] row;
          while ((row = l.next()) != null) {
            entries.add(Arrays.toString(row));
          }
          entries.sort(null);
          out.append("ledger ").append(entries);
        }
      }
      return out.toString();
    }
  }

  @BeforeAll
  void setUp() throws Exception {
    worlds.add(new World(dir.resolve("base"), 1, false));
    worlds.add(new World(dir.resolve("hidden"), 2, false));
    worlds.add(new World(dir.resolve("priced"), 3, true));
  }

  @AfterAll
  void tearDown() {
    for (World w : worlds) {
      w.buyer.close();
      w.engine.close();
    }
  }

  static List<String> anyBudget() {
    return List.of(
        "SELECT rs.maid, rs.hl7_gender, rs._access_rule_id FROM acme.rosetta_stone rs NO LIMIT",
        "SELECT rs.hl7_gender, COUNT(*), MIN(rs._price_cpm_usd) FROM narrative.rosetta_stone rs"
            + " GROUP BY rs.hl7_gender NO LIMIT",
        "SELECT rs.iso_3166_1_country FROM narrative.rosetta_stone rs NO LIMIT",
        "SELECT COUNT(*) FROM narrative.rosetta_stone rs WHERE rs.age > 10 NO LIMIT",
        "SELECT rs.age FROM narrative.rosetta_stone rs WHERE rs.age BETWEEN 3 AND 9 NO LIMIT",
        "SELECT rs.maid FROM narrative.rosetta_stone rs"
            + " WHERE CAST(SUBSTRING(rs.maid FROM 30) AS INTEGER) > 5 NO LIMIT",
        "SELECT a.maid, b.hl7_gender FROM narrative.rosetta_stone a JOIN acme.rosetta_stone b"
            + " ON a.maid = b.maid WHERE a.age < 20 NO LIMIT",
        "SELECT rs.maid FROM acme.rosetta_stone rs WHERE rs.maid IN (SELECT LOWER(maid) FROM"
            + " acme.visible) NO LIMIT",
        "SELECT rs.age, 100 / (rs.age - 4) FROM narrative.rosetta_stone rs NO LIMIT",
        "SELECT rs.age FROM narrative.rosetta_stone rs ORDER BY rs.age LIMIT 3 NO LIMIT",
        "SELECT rs.age FROM narrative.rosetta_stone rs WHERE rs._price_cpm_usd = 0",
        "SELECT rs.age, rs._access_rule_id FROM narrative.rosetta_stone rs LIMIT 0.004 USD",
        "EXPLAIN PLAN FOR SELECT rs.maid FROM narrative.rosetta_stone rs WHERE rs.age > 3",
        "SELECT MAX(rs.maid) OVER (PARTITION BY rs.hl7_gender) FROM narrative.rosetta_stone rs"
            + " NO LIMIT",
        "SELECT v._rosetta_stone.maid, v._rosetta_stone.hl7_gender FROM acme.visible v"
            + " WHERE v._rosetta_stone.age > 5 NO LIMIT",
        "SELECT f._rosetta_stone.maid FROM acme.free_ids f NO LIMIT",
        "SELECT f._rosetta_stone.iso_3166_1_country FROM acme.usa f NO LIMIT",
        "SELECT * FROM narrative.rosetta_stone NO LIMIT",
        "SELECT rs.* FROM acme.rosetta_stone rs WHERE rs.age > 3 OR rs.maid IS NULL NO LIMIT");
  }

  /** Statements at budget 0: the priced rows may differ between worlds. */
  static List<String> budgetZero() {
    return List.of(
        "SELECT rs.maid, rs.hl7_gender FROM narrative.rosetta_stone rs",
        "SELECT COUNT(*) FROM narrative.rosetta_stone rs WHERE rs.maid LIKE '%1'",
        "SELECT rs.age, 100 / (rs.age - 4) FROM narrative.rosetta_stone rs LIMIT 0 USD",
        "SELECT rs.maid FROM narrative.rosetta_stone rs WHERE"
            + " CAST(SUBSTRING(rs.maid FROM 30) AS INTEGER) = 7");
  }

  @ParameterizedTest
  @MethodSource("anyBudget")
  void hiddenDataChangesNothing(String sql) {
    for (boolean vector : new boolean[] {true, false}) {
      String base = worlds.get(0).observe(sql, vector);
      assertThat(base).doesNotContain("error XX000");
      assertThat(worlds.get(1).observe(sql, vector))
          .as("%s (vector=%s)", sql, vector)
          .isEqualTo(base);
    }
  }

  /** The observation sees visible, paid-for rows: worlds that differ in them are told apart. */
  @org.junit.jupiter.api.Test
  void observationsSeeWhatTheBuyerPaidFor() {
    String sql = anyBudget().get(0);
    assertThat(worlds.get(2).observe(sql, true)).isNotEqualTo(worlds.get(0).observe(sql, true));
    assertThat(worlds.get(0).observe(sql, true)).contains("aaaaaaaa-0000-0000-0000-000000000002");
  }

  @ParameterizedTest
  @MethodSource("budgetZero")
  void unpaidRowsChangeNothing(String sql) {
    for (boolean vector : new boolean[] {true, false}) {
      String base = worlds.get(0).observe(sql, vector);
      assertThat(worlds.get(2).observe(sql, vector))
          .as("%s (vector=%s)", sql, vector)
          .isEqualTo(base);
      assertThat(worlds.get(1).observe(sql, vector)).isEqualTo(base);
    }
  }
}
