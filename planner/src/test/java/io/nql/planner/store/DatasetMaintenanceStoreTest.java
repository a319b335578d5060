package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maintenance state of datasets on H2 and on PostgreSQL: a retention is kept and removed; of
 * gateways claiming a dataset's maintenance at once exactly one wins, a held claim is refused until
 * it is released or goes stale, and a dataset maintained within the interval is not claimed again.
 */
class DatasetMaintenanceStoreTest {
  @TempDir Path dir;

  @AfterAll
  static void dropSchemas() throws SQLException {
    TestPostgres.dropSchemas();
  }

  private MetadataStore open(String database) {
    if (database.equals("postgres")) {
      TestPostgres.require();
      return PostgresMetadataStoreTest.open(dir);
    }
    return MetadataStore.embedded(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void retentionIsKeptAndOneGatewayAtATimeMaintainsADataset(String database) throws Exception {
    try (MetadataStore store = open(database)) {
      Company acme = store.createCompany("acme");
      Dataset d = store.createDataset(acme.id(), "clicks", MetadataStore.DatasetAction.NONE);
      DatasetMaintenance m = store.maintenance();
      assertThat(m.retention(d.id())).isEmpty();
      m.setRetention(acme.id(), d.id(), new DatasetMaintenance.Retention(30, "at"));
      assertThat(m.retention(d.id())).contains(new DatasetMaintenance.Retention(30, "at"));

      Instant t0 = Instant.parse("2026-12-07T10:00:00Z");
      Duration lease = Duration.ofHours(1);
      Duration interval = Duration.ofMinutes(10);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String instance = "gateway-" + i;
          claims.add(
              () -> m.claim(acme.id(), d.id(), instance, t0, t0.minus(lease), t0.minus(interval)));
        }
        int won = 0;
        for (Future<Boolean> f : pool.invokeAll(claims)) {
          won += f.get() ? 1 : 0;
        }
        assertThat(won).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      // held: refused to others until stale
      Instant t1 = t0.plus(Duration.ofMinutes(30));
      assertThat(m.claim(acme.id(), d.id(), "late", t1, t1.minus(lease), t1.minus(interval)))
          .isFalse();
      Instant t2 = t0.plus(Duration.ofMinutes(61));
      assertThat(m.claim(acme.id(), d.id(), "heir", t2, t2.minus(lease), t2.minus(interval)))
          .isTrue();
      // a release by the old holder does nothing; the heir's records the end
      m.release(d.id(), "gateway-0", t2);
      m.release(d.id(), "gateway-1", t2);
      m.release(d.id(), "gateway-2", t2);
      m.release(d.id(), "gateway-3", t2);
      assertThat(m.claim(acme.id(), d.id(), "x", t2, t2.minus(lease), t2.minus(interval)))
          .isFalse();
      m.release(d.id(), "heir", t2);
      assertThat(m.lastRun(d.id())).contains(t2);
      // maintained within the interval: not claimed; after it: claimed
      Instant t3 = t2.plus(Duration.ofMinutes(5));
      assertThat(m.claim(acme.id(), d.id(), "x", t3, t3.minus(lease), t3.minus(interval)))
          .isFalse();
      Instant t4 = t2.plus(Duration.ofMinutes(11));
      assertThat(m.claim(acme.id(), d.id(), "x", t4, t4.minus(lease), t4.minus(interval))).isTrue();
      // the retention survived the claims; NONE removes it
      assertThat(m.retention(d.id())).contains(new DatasetMaintenance.Retention(30, "at"));
      m.setRetention(acme.id(), d.id(), null);
      assertThat(m.retention(d.id())).isEmpty();
    }
  }
}
