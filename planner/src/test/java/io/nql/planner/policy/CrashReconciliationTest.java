package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.store.LedgerEntry;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process killed with SIGKILL while delivering priced rows, then restarted: its open
 * reservations are reconciled, charging what was reserved — never less than was sent, never more
 * than was reserved — and the period budget moves the reservation to spend.
 */
class CrashReconciliationTest {
  @TempDir Path dir;

  @Test
  void killedStatementIsReconciledOnRestart() throws Exception {
    // The provider stages its files in its own area <ingest root>/acme/.
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id\n");
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append('\n');
    }
    Files.writeString(src.resolve("t.csv"), csv);
    Path wh = dir.resolve("wh");
    try (NqlEngine engine =
        NqlEngine.open(new EngineConfig(wh, null, null, null, List.of(ingest), "pw"))) {
      try (NqlSession admin = engine.trusted("admin")) {
        for (String c : List.of("acme", "buyer_co")) {
          admin.execute("CREATE COMPANY " + c).close();
          admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
        }
      }
      try (NqlSession acme = engine.trusted("acme_user")) {
        acme.execute("COPY INTO company_data.t FROM '" + src.resolve("t.csv") + "'").close();
        acme.execute(
                "CREATE ACCESS RULE \"r\" PRICE_CPM_USD = 2.00 SHARE WITH ALL"
                    + " AS SELECT id FROM company_data.t")
            .close();
      }
    }

    String sql = "SELECT id FROM acme.r LIMIT 9.00 USD PER CALENDAR_DAY";
    ProcessBuilder pb =
        new ProcessBuilder(
            javaBin(),
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            CrashingBuyer.class.getName(),
            wh.toString(),
            sql);
    pb.redirectError(dir.resolve("child.err").toFile());
    Process child = pb.start();
    long sent = 0;
    String statementId = null;
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("STATEMENT ")) {
          statementId = line.substring("STATEMENT ".length());
        } else if (line.startsWith("ROW ")) {
          sent = Long.parseLong(line.substring(4));
          if (sent == 1010) {
            // Just after the second reservation (rows 1,001-3,000) was committed: a store that
            // keeps commits in memory for a while would forget it.
            // SIGKILL through the handle: Process.destroyForcibly would also close our pipe.
            child.toHandle().destroyForcibly();
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed, not finished: %s", lines.size()).isNotZero();
    assertThat(statementId).as(Files.readString(dir.resolve("child.err"))).isNotNull();
    assertThat(sent).isBetween(1010L, 4500L);

    try (NqlEngine engine =
        NqlEngine.open(new EngineConfig(wh, null, null, null, List.of(ingest), "pw"))) {
      long buyerId = engine.store().company("buyer_co").orElseThrow().id();
      String id = statementId;
      LedgerEntry entry =
          engine.store().ledger().entriesOf(buyerId).stream()
              .filter(e -> e.statementId().equals(id))
              .findFirst()
              .orElseThrow();
      long perRow = 2000;
      assertThat(entry.status()).isEqualTo("reconciled");
      assertThat(entry.amountMicros()).isEqualTo(entry.reservedMicros());
      assertThat(entry.amountMicros()).isGreaterThanOrEqualTo(sent * perRow);
      assertThat(entry.rows()).isGreaterThanOrEqualTo(sent);
      // Reservations cover 1,000, 2,000, 4,000 and then 8,000 rows at a time: the charge is whole
      // reservations, and exceeds what was sent by less than one.
      List<Long> reservationEnds = new ArrayList<>();
      for (long end = 0, k = 0; end < 100_000; k++) {
        end += Math.min(1000L << k, 8000L);
        reservationEnds.add(end * perRow);
      }
      assertThat(reservationEnds).contains(entry.amountMicros());
      assertThat(entry.amountMicros()).isLessThan((sent + 8000) * perRow);
      // The reconciliation audits the delivery in its transaction: the buyer's company (its user
      // is unknown after the crash), the rule, and the amount charged.
      assertThat(engine.store().audit().events(buyerId))
          .filteredOn(e -> id.equals(e.statementId()))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.kind()).isEqualTo("delivery");
                assertThat(e.outcome()).isEqualTo("reconciled");
                assertThat(e.companyId()).isEqualTo(buyerId);
                assertThat(e.objectName()).isEqualTo("r");
                assertThat(e.detail()).contains("\"amount_micros\":" + entry.amountMicros());
              });

      // The period budget now counts the reconciled amount as spent: a new run of the same
      // statement may only spend what is left of 9.00 USD.
      try (NqlSession buyer = engine.trusted("buyer_co_user");
          var r = buyer.execute(sql)) {
        long more = 0;
        while (r.next() != null) {
          more++;
        }
        assertThat((entry.amountMicros() + more * perRow)).isLessThanOrEqualTo(9_000_000L);
        assertThat(entry.amountMicros() + (more + 1) * perRow).isGreaterThan(9_000_000L);
      }
    }
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
