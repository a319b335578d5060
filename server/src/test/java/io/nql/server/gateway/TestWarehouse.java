package io.nql.server.gateway;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small warehouse for gateway tests, made once per JVM: acme_user owns {@code orders} (typed
 * values, unicode, NULL) and {@code numbers} (2,000 rows, for long cross joins); globex_user owns
 * {@code purchases}; slow_user exists for the throttling test.
 */
final class TestWarehouse {
  static final String ACME_PW = "acme-secret-1";
  static final String GLOBEX_PW = "globex-secret-1";
  static final String SLOW_PW = "slow-secret-1";
  static final int NUMBERS = 2_000;

  private static Path dir;

  private TestWarehouse() {}

  static synchronized Path get() {
    if (dir == null) {
      try {
        dir = create(Files.createTempDirectory("nql-gateway-test"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** A gateway config over the shared warehouse on a free port. */
  static GatewayConfig.Builder config() {
    return GatewayConfig.builder(get().resolve("wh"))
        .jdbcPort(0)
        .flightPort(0)
        .metricsPort(0)
        .bindAddress("127.0.0.1");
  }

  private static Path create(Path root) throws IOException {
    // acme stages its files in its own area <ingest root>/acme/.
    Path ingest = root.resolve("incoming");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    Files.writeString(
        src.resolve("orders.csv"),
        "order_id,amount,city,ordered_on,ordered_at,paid\n"
            + "1,10.50,Zürich,2026-10-01,2026-10-01T08:00:00,true\n"
            + "2,,東京,2026-10-02,2026-10-02T09:30:00,false\n"
            + "3,99.99,\"New York, NY\",2026-10-03,2026-10-03T23:59:59,true\n");
    StringBuilder numbers = new StringBuilder("n\n");
    for (int i = 0; i < NUMBERS; i++) {
      numbers.append(i).append('\n');
    }
    Files.writeString(src.resolve("numbers.csv"), numbers);
    EngineConfig config =
        new EngineConfig(root.resolve("wh"), null, null, null, List.of(ingest), "admin-secret-1");
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        for (String s :
            List.of(
                "CREATE COMPANY acme",
                "CREATE COMPANY globex",
                "CREATE USER \"acme_user\" COMPANY acme PASSWORD '" + ACME_PW + "'",
                "CREATE USER \"globex_user\" COMPANY globex PASSWORD '" + GLOBEX_PW + "'",
                "CREATE USER \"slow_user\" COMPANY globex PASSWORD '" + SLOW_PW + "'")) {
          admin.execute(s).close();
        }
      }
      try (NqlSession acme = engine.trusted("acme_user")) {
        acme.execute("COPY INTO company_data.orders FROM '" + src.resolve("orders.csv") + "'")
            .close();
        acme.execute("COPY INTO company_data.numbers FROM '" + src.resolve("numbers.csv") + "'")
            .close();
        // 1,000 USD per 1,000 rows: each row costs exactly 1 USD.
        acme.execute(
                "CREATE ACCESS RULE \"orders_public\" PRICE_CPM_USD = 1000"
                    + " SHARE WITH COMPANIES (globex)"
                    + " AS SELECT order_id, city FROM company_data.orders")
            .close();
      }
      try (NqlSession globex = engine.trusted("globex_user")) {
        globex.execute("CREATE DATASET \"purchases\" (id BIGINT, amount DECIMAL(12, 2))").close();
      }
    }
    return root;
  }
}
