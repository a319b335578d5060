package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.store.LedgerEntry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Economics properties over many seeded random statements: the ledger equals delivered rows × price
 * exactly, no budget is exceeded by a single row, early-closed results are charged what they
 * received, and concurrent sessions sharing a period budget never exceed it together.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EconomicsPropertyTest {
  static final int ROWS = 2000;
  static final long SEED = 20261124L;

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession buyer;
  long buyerId;
  final Map<String, BigDecimal> prices = new HashMap<>();

  @BeforeAll
  void setUp() throws Exception {
    // The provider stages its files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,grp\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i % 7).append('\n');
    }
    Files.writeString(src.resolve("t.csv"), csv);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    try (NqlSession acme = engine.trusted("acme_user")) {
      acme.execute("COPY INTO company_data.t FROM '" + src.resolve("t.csv") + "'").close();
      Random random = new Random(SEED);
      for (int r = 0; r < 6; r++) {
        BigDecimal price =
            r == 0 ? new BigDecimal("0.00") : BigDecimal.valueOf(random.nextInt(1000), 2);
        String name = "r" + r;
        prices.put(name, price);
        acme.execute(
                "CREATE ACCESS RULE \""
                    + name
                    + "\" PRICE_CPM_USD = "
                    + price.toPlainString()
                    + " SHARE WITH ALL AS SELECT id, grp FROM company_data.t WHERE grp <> "
                    + r)
            .close();
      }
    }
    buyer = engine.trusted("buyer_co_user");
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    engine.close();
  }

  static long microsPerRow(BigDecimal price) {
    return price.movePointRight(3).longValueExact();
  }

  @Test
  void ledgerMatchesDeliveriesAndBudgetsHold() {
    Random random = new Random(SEED + 1);
    Map<String, Long> expectedByStatement = new HashMap<>();
    long expectedTotal = 0;
    for (int s = 0; s < 1000; s++) {
      String rule = "r" + random.nextInt(6);
      BigDecimal price = prices.get(rule);
      long perRow = microsPerRow(price);
      int bound = random.nextInt(ROWS + 1);
      int budgetCents = random.nextInt(300);
      boolean noLimit = random.nextInt(10) == 0;
      int closeAfter = random.nextInt(5) == 0 ? random.nextInt(50) : Integer.MAX_VALUE;
      String budget = noLimit ? "NO LIMIT" : "LIMIT " + BigDecimal.valueOf(budgetCents, 2) + " USD";
      String sql = "SELECT id FROM acme." + rule + " WHERE id < " + bound + " " + budget;
      long received = 0;
      String statementId;
      try (StatementResult r = buyer.execute(sql)) {
        statementId = r.statementId();
        while (received < closeAfter && r.next() != null) {
          received++;
        }
        boolean cut = !r.warnings().isEmpty();
        long budgetMicros = noLimit ? Long.MAX_VALUE : budgetCents * 10_000L;
        // Never a single row over budget; and a cut happens only when the next row would not fit.
        assertThat(received * perRow).as(sql).isLessThanOrEqualTo(budgetMicros);
        if (cut) {
          assertThat((received + 1) * perRow).as(sql).isGreaterThan(budgetMicros);
        }
      }
      expectedByStatement.put(statementId, received * perRow);
      expectedTotal += received * perRow;
    }
    long ledgerTotal = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      if (!expectedByStatement.containsKey(e.statementId())) {
        continue;
      }
      assertThat(e.status()).isEqualTo("final");
      assertThat(e.amountMicros()).isEqualTo(e.rows() * microsPerRowOf(e.ruleId()));
      assertThat(e.amountMicros()).isEqualTo(expectedByStatement.get(e.statementId()));
      assertThat(e.reservedMicros()).isGreaterThanOrEqualTo(e.amountMicros());
      ledgerTotal += e.amountMicros();
    }
    assertThat(ledgerTotal).isEqualTo(expectedTotal);
  }

  private long microsPerRowOf(long ruleId) {
    String name = engine.store().accessRules().version(ruleId, 1).orElseThrow().name();
    return microsPerRow(prices.get(name));
  }

  @Test
  void concurrentSessionsNeverExceedASharedPeriodBudget() throws Exception {
    // r5's price; the period budget allows far fewer rows than 8 sessions would take.
    String rule = "r5";
    long perRow = microsPerRow(prices.get(rule));
    assertThat(perRow).isPositive();
    BigDecimal limit = new BigDecimal("1.00");
    String sql = "SELECT id FROM acme." + rule + " LIMIT 1.00 USD PER CALENDAR_DAY";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicLong received = new AtomicLong();
    List<Future<?>> runs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      runs.add(
          pool.submit(
              () -> {
                try (NqlSession s = engine.trusted("buyer_co_user")) {
                  for (int i = 0; i < 5; i++) {
                    try (StatementResult r = s.execute(sql)) {
                      while (r.next() != null) {
                        received.incrementAndGet();
                      }
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : runs) {
      f.get();
    }
    pool.shutdown();
    long limitMicros = limit.movePointRight(6).longValueExact();
    assertThat(received.get() * perRow).isLessThanOrEqualTo(limitMicros);
    // The budget was used up (more rows were available than it buys), to within one row.
    assertThat((received.get() + 1) * perRow).isGreaterThan(limitMicros);
    long ledger = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      if (e.ruleId()
              == engine.store().accessRules().rule(companyId("acme"), rule).orElseThrow().id()
          && e.status().equals("final")) {
        ledger += e.amountMicros();
      }
    }
    assertThat(ledger).isGreaterThanOrEqualTo(received.get() * perRow);
  }

  private long companyId(String slug) {
    return engine.store().company(slug).orElseThrow().id();
  }
}
