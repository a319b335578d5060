package io.nql.server.cli;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small warehouse for the console's tests, made once per JVM: acme_user owns {@code orders} (a
 * long text column) and {@code numbers} (2,000 rows, for a cross join that runs for hours) and
 * shares {@code orders_public} with globex at 1 USD a row.
 */
final class ConsoleWarehouse {
  static final String ACME_PW = "acme-console-pw";
  static final String GLOBEX_PW = "globex-console-pw";
  static final String LONG_NOTE = "a note far too long for a narrow terminal: " + "x".repeat(80);

  /** Counts 8 billion combinations before its one row: only a cancel ends it in a test's time. */
  static final String ENDLESS =
      "SELECT COUNT(*) AS n FROM company_data.numbers a CROSS JOIN company_data.numbers b"
          + " CROSS JOIN company_data.numbers c";

  private static Path dir;

  private ConsoleWarehouse() {}

  /** The warehouse directory. */
  static synchronized Path get() {
    if (dir == null) {
      try {
        dir = create(Files.createTempDirectory("nql-console-test"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir.resolve("wh");
  }

  private static Path create(Path root) throws IOException {
    Path ingest = root.resolve("incoming");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    Files.writeString(
        src.resolve("orders.csv"),
        "order_id,amount,city,note\n"
            + "1,10.50,Zürich,short\n"
            + "2,,東京,\""
            + LONG_NOTE
            + "\"\n"
            + "3,99.99,\"New York, NY\",\n");
    StringBuilder numbers = new StringBuilder("n\n");
    for (int i = 0; i < 2000; i++) {
      numbers.append(i).append('\n');
    }
    Files.writeString(src.resolve("numbers.csv"), numbers);
    EngineConfig config =
        new EngineConfig(root.resolve("wh"), null, null, null, List.of(ingest), "admin-console-pw");
    try (NqlEngine engine = NqlEngine.open(config)) {
      try (NqlSession admin = engine.trusted("admin")) {
        for (String s :
            List.of(
                "CREATE COMPANY acme",
                "CREATE COMPANY globex",
                "CREATE USER \"acme_user\" COMPANY acme PASSWORD '" + ACME_PW + "'",
                "CREATE USER \"globex_user\" COMPANY globex PASSWORD '" + GLOBEX_PW + "'")) {
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
    }
    return root;
  }
}
