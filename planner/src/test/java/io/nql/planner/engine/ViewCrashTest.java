package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.LedgerEntry;
import io.nql.planner.store.MaterializedViews.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buyer process killed with SIGKILL while it refreshes a materialized view (append mode, each run
 * buying the rule's {@link #ROWS} rows), twice: after each restart the view holds the rows of whole
 * runs only — those that returned, or those and the one that was running — the killed run is
 * recorded as an error and nothing is left running, and the ledger is consistent: every finished
 * run charged exactly what it recorded, the killed one settled (if its query had ended) or its
 * reservation reconciled (at most what was reserved), no entry left open, and the killed run's
 * record shows what the ledger charged for it.
 */
class ViewCrashTest {
  @TempDir Path dir;

  private static final int ROWS = 20_000;

  @Test
  void aKilledRunLeavesWholeRunsAndAConsistentLedger() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path area = Files.createDirectories(ingest.resolve("acme"));
    StringBuilder csv = new StringBuilder("id,v\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i % 10).append('\n');
    }
    Files.writeString(area.resolve("big.csv"), csv);
    Path wh = dir.resolve("wh");
    try (NqlEngine engine = io.nql.planner.testing.Marketplace.open(wh, ingest, "acme", "beta");
        NqlSession acme = engine.trusted("acme_user");
        NqlSession beta = engine.trusted("beta_user")) {
      acme.execute("CREATE DATASET \"big\" (id BIGINT, v BIGINT)").close();
      acme.execute("COPY INTO company_data.big FROM 'big.csv' HEADER = TRUE").close();
      acme.execute(
              "CREATE ACCESS RULE \"big_rule\" PRICE_CPM_USD = 1 SHARE WITH COMPANIES (beta)"
                  + " AS SELECT id, v FROM company_data.big")
          .close();
      beta.execute(
              "CREATE MATERIALIZED VIEW \"copy\" AS SELECT id, v FROM acme.big_rule"
                  + " LIMIT 1000 USD")
          .close();
    }
    int committed = 1; // the run at CREATE
    for (int round = 0; round < 2; round++) {
      int done = runUntilKilled(wh, 2);
      try (NqlEngine engine =
              NqlEngine.open(new EngineConfig(wh, null, null, null, List.of(ingest), "pw"));
          NqlSession beta = engine.trusted("beta_user")) {
        long rows;
        try (StatementResult r =
            beta.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM company_data.copy")) {
          Object[] row = r.next();
          rows = ((Number) row[0]).longValue();
          assertThat(((Number) row[1]).longValue()).isEqualTo(ROWS);
        }
        assertThat(rows % ROWS).as("whole runs only: %d rows", rows).isZero();
        long runsCommitted = rows / ROWS;
        assertThat(runsCommitted).isBetween((long) committed + done, (long) committed + done + 1);
        committed = (int) runsCommitted;

        long betaId = engine.store().company("beta").orElseThrow().id();
        long viewId = engine.warehouse().dataset(betaId, "copy").orElseThrow().id();
        List<Run> runs = engine.store().views().runs(viewId, 1000);
        assertThat(runs).extracting(Run::status).doesNotContain("running");
        assertThat(runs.get(0).status()).as("the killed run").isEqualTo("error");
        Map<String, LedgerEntry> ledger = new HashMap<>();
        for (LedgerEntry e : engine.store().ledger().entriesOf(betaId)) {
          assertThat(e.status()).isNotEqualTo("open");
          ledger.put(e.statementId(), e);
        }
        for (Run run : runs) {
          LedgerEntry e = ledger.get(run.statementId());
          if (run.status().equals("ok")) {
            assertThat(e.amountMicros()).isEqualTo(run.spentMicros()).isEqualTo(ROWS * 1000L);
            assertThat(e.rows()).isEqualTo(run.rowsWritten()).isEqualTo(ROWS);
          } else if (e != null) { // the killed run, if it had reserved before the kill
            if (e.status().equals("final")) { // its query had ended and settled
              assertThat(e.amountMicros()).isEqualTo(e.rows() * 1000L);
            } else {
              assertThat(e.status()).isEqualTo("reconciled");
              assertThat(e.amountMicros()).isLessThanOrEqualTo(e.reservedMicros());
            }
            assertThat(run.spentMicros()).as("the killed run's record").isEqualTo(e.amountMicros());
          }
        }
      }
    }
  }

  /** Starts the refresher, kills it soon after {@code DONE killAt}, returns that count. */
  private int runUntilKilled(Path wh, int killAt) throws Exception {
    return KilledProcess.runUntilKilled(
        CrashingRefresher.class, List.of(wh.toString()), dir.resolve("refresher.err"), killAt, 0);
  }
}
