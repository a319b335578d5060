package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import io.nql.planner.store.QueryStats;
import io.nql.planner.warehouse.Warehouse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access rules hold for queries with {@code ?} parameters pushed into the scan: a pushed parameter
 * only skips row groups, so a hidden row stays hidden whatever the value, a value that would fail
 * on a hidden row fails on none, and the buyer is metered for the rows it receives.
 *
 * <p>acme's dataset {@code events} has 2,000 rows in id order, in Parquet row groups of 100 rows;
 * every fifth id is in region {@code internal}, which the rule {@code acme.visible} hides together
 * with the column {@code secret}. Hidden rows carry {@code code = 'x<id>'} (not a number).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParameterRuleTest {
  private static final int ROWS = 2000;

  @TempDir static Path dir;

  private NqlEngine engine;
  private NqlSession acme;
  private NqlSession buyer;
  private long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path acmeArea = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,region,code,amount,secret\n");
    for (int i = 1; i <= ROWS; i++) {
      boolean hidden = i % 5 == 0;
      csv.append(i)
          .append(',')
          .append(hidden ? "internal" : "eu")
          .append(',')
          .append(hidden ? "x" + i : String.valueOf(i % 7))
          .append(',')
          .append(BigDecimal.valueOf(i * 25L, 2))
          .append(",s")
          .append(i)
          .append('\n');
    }
    Path file = Files.writeString(acmeArea.resolve("events.csv"), csv.toString());
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    buyer = engine.trusted("buyer_co_user");
    buyer.setProperty("budget_usd", "100"); // a statement with parameters takes no budget clause
    acme.execute(
            "CREATE DATASET \"events\" (id BIGINT NOT NULL, region VARCHAR, code VARCHAR,"
                + " amount DECIMAL(10,2), secret VARCHAR)")
        .close();
    long acmeId = engine.store().company("acme").orElseThrow().id();
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
    Table table =
        engine.warehouse().loadTable(engine.warehouse().dataset(acmeId, "events").orElseThrow());
    assertThat(table.properties())
        .containsEntry(
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            String.valueOf(Warehouse.DEFAULT_ROW_GROUP_BYTES));
    // Row groups of 100 rows, so that skipping shows in the rows read.
    table
        .updateProperties()
        .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "1")
        .set(TableProperties.PARQUET_ROW_GROUP_CHECK_MIN_RECORD_COUNT, "100")
        .set(TableProperties.PARQUET_ROW_GROUP_CHECK_MAX_RECORD_COUNT, "100")
        .commit();
    acme.execute("COPY INTO company_data.events FROM '" + file + "' HEADER = TRUE").close();
    acme.execute(
            "CREATE ACCESS RULE \"visible\" PRICE_CPM_USD = 1.00 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT id, region, code, amount FROM company_data.events"
                + " WHERE region <> 'internal'")
        .close();
  }

  @AfterAll
  void tearDown() {
    if (buyer != null) {
      buyer.close();
    }
    if (acme != null) {
      acme.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  private record Outcome(List<List<Object>> rows, QueryStats stats, long meteredRows) {}

  private Outcome query(String sql, Object... params) {
    List<List<Object>> rows = new ArrayList<>();
    String statementId;
    try (StatementResult r = buyer.execute("SELECT " + sql, Arrays.asList(params))) {
      statementId = r.statementId();
      for (Object[] row = r.next(); row != null; row = r.next()) {
        rows.add(Arrays.asList(row));
      }
    }
    QueryStats stats = engine.store().queryLogEntry(statementId).orElseThrow().stats();
    long metered =
        engine.store().ledger().entriesOf(buyerId).stream()
            .filter(e -> e.statementId().equals(statementId))
            .mapToLong(LedgerEntry::rows)
            .sum();
    return new Outcome(rows, stats, metered);
  }

  @Test
  void visibleRowByParameterReadsOneRowGroupAndIsMetered() {
    Outcome o = query("id, region, amount FROM acme.visible WHERE id = ?", 1234L);
    assertThat(o.rows()).containsExactly(List.of(1234L, "eu", new BigDecimal("308.50")));
    assertThat(o.stats().rowsScanned()).isEqualTo(100);
    assertThat(o.meteredRows()).isEqualTo(1);
  }

  @Test
  void hiddenRowByParameterStaysHidden() {
    for (long id : new long[] {5, 1235, 2000}) {
      Outcome o = query("id, region FROM acme.visible WHERE id = ?", id);
      assertThat(o.rows()).isEmpty();
      assertThat(o.stats().rowsScanned()).isEqualTo(100);
      assertThat(o.meteredRows()).isZero();
    }
    // Asking for the hidden region by value finds nothing either.
    assertThat(query("id FROM acme.visible WHERE region = ?", "internal").rows()).isEmpty();
  }

  @Test
  void hiddenColumnCannotBeFilteredWithParameter() {
    assertThatThrownBy(() -> query("id FROM acme.visible WHERE secret = ?", "s1234"))
        .isInstanceOf(NqlException.class);
  }

  @Test
  void nullParameterReturnsNothingAndReadsNothing() {
    Outcome o = query("id FROM acme.visible WHERE id = ?", (Object) null);
    assertThat(o.rows()).isEmpty();
    assertThat(o.stats().rowsScanned()).isZero();
    assertThat(o.meteredRows()).isZero();
  }

  @Test
  void failingExpressionNeverRunsOnHiddenRows() {
    // CAST(code AS INTEGER) fails on every hidden row: it must stay above the barrier, where only
    // visible rows reach it, while id = ? is pushed below it and into the scan.
    Outcome o =
        query("id, code FROM acme.visible WHERE id = ? AND CAST(code AS INTEGER) >= ?", 1234L, 0);
    assertThat(o.rows()).containsExactly(List.of(1234L, "2"));
    assertThat(o.stats().rowsScanned()).isEqualTo(100);
    Outcome range =
        query(
            "COUNT(*) FROM acme.visible WHERE id BETWEEN ? AND ? AND CAST(code AS INTEGER) = ?",
            1101L,
            1300L,
            3);
    long expected = 0;
    for (long i = 1101; i <= 1300; i++) {
      if (i % 5 != 0 && i % 7 == 3) {
        expected++;
      }
    }
    assertThat(range.rows()).containsExactly(List.of(expected));
    assertThat(range.stats().rowsScanned()).isEqualTo(200);
  }

  @Test
  void rangeParametersMeterOnlyDeliveredRows() {
    Outcome o = query("id FROM acme.visible WHERE id > ? AND id <= ?", 1900L, 1910L);
    assertThat(o.rows())
        .extracting(r -> r.get(0))
        .containsExactly(1901L, 1902L, 1903L, 1904L, 1906L, 1907L, 1908L, 1909L);
    assertThat(o.meteredRows()).isEqualTo(8);
    assertThat(o.stats().rowsScanned()).isEqualTo(100);
  }
}
