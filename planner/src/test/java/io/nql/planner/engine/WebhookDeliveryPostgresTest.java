package io.nql.planner.engine;

import static io.nql.planner.engine.WebhookDeliveryTest.assertExactlyOnce;
import static io.nql.planner.engine.WebhookDeliveryTest.deliveries;
import static io.nql.planner.engine.WebhookDeliveryTest.lastRun;
import static io.nql.planner.engine.WebhookDeliveryTest.query;
import static io.nql.planner.engine.WebhookDeliveryTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.TestClock;
import io.nql.planner.testing.TestPostgres;
import io.nql.planner.testing.WebhookReceiver;
import io.nql.planner.testing.WebhookReceiver.Answer;
import io.nql.planner.testing.WebhookReceiver.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways sharing a PostgreSQL metadata store (and the warehouse) deliver the same views at
 * once to a receiver that fails first attempts — and that, once, right after it took a batch, has
 * every connection of both gateways to the store killed, so the batch's outcome may not be
 * recorded. Deduplicated by idempotency key, every row of every run arrives exactly once; a batch
 * reaches the receiver again only when its delivery could not have been recorded.
 */
class WebhookDeliveryPostgresTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require();
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    TestPostgres.dropSchemas();
  }

  /** Ends every connection of the gateways (named {@code application}) to the store. */
  private static int killConnections(String application) {
    try (Connection c =
            DriverManager.getConnection(
                TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ?")) {
      s.setString(1, application);
      var rs = s.executeQuery();
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoGatewaysDeliverEachRowOnceThroughFailuresAndALostOutcome() throws Exception {
    String application = "nql_webhook_" + UUID.randomUUID().toString().substring(0, 8);
    Path ingest = Files.createDirectories(dir.resolve("ingest"));
    EngineConfig config =
        new EngineConfig(
                dir.resolve("wh"),
                TestPostgres.url(TestPostgres.createSchema(), "ApplicationName=" + application),
                TestPostgres.USER,
                TestPostgres.PASSWORD,
                List.of(ingest),
                "pw")
            .withWebhookHosts("public,127.0.0.1");
    AtomicInteger kills = new AtomicInteger();
    WebhookReceiver.Script flaky = WebhookDeliveryTest.flaky();
    Map<Long, List<String>> appended = new TreeMap<>();
    Map<Long, List<String>> replaced = new TreeMap<>();
    try (WebhookReceiver receiver =
            WebhookReceiver.start(
                (path, headers, previous) -> {
                  if (path.equals("/a")
                      && headers.get("nql-batch").equals("4")
                      && kills.getAndIncrement() == 0) {
                    killConnections(application); // the answer goes out; recording it may fail
                    return Answer.OK;
                  }
                  return flaky.answer(path, headers, previous);
                });
        NqlEngine one = EventsMarketplace.open(config, 200);
        NqlEngine two = NqlEngine.open(config)) {
      one.useClock(clock);
      two.useClock(clock);
      try (NqlSession beta = one.trusted("beta_user");
          NqlSession acme = one.trusted("acme_user")) {
        update(
            beta,
            "CREATE MATERIALIZED VIEW \"a\" AS SELECT id, name, score, day FROM acme.events_all"
                + " NO LIMIT");
        update(
            beta,
            "CREATE MATERIALIZED VIEW \"o\" WRITE_MODE = 'overwrite' AS"
                + " SELECT id, name, score, day FROM acme.events_all WHERE id > 50 NO LIMIT");
        update(
            beta,
            "CREATE DELIVERY \"da\" FOR MATERIALIZED VIEW \"a\" TO WEBHOOK '"
                + receiver.url("/a")
                + "' BATCH_ROWS = 11");
        update(
            beta,
            "CREATE DELIVERY \"do\" FOR MATERIALIZED VIEW \"o\" TO WEBHOOK '"
                + receiver.url("/o")
                + "' FORMAT = 'csv' BATCH_ROWS = 13");
        for (int round = 0; round < 2; round++) {
          if (round == 1) {
            EventsMarketplace.insert(one, acme, 201, 260);
          }
          List<String> before = EventsMarketplace.rows(beta, "a");
          update(beta, "REFRESH MATERIALIZED VIEW \"a\"");
          appended.put(
              lastRun(one, "a"),
              EventsMarketplace.added(before, EventsMarketplace.rows(beta, "a")));
          update(beta, "REFRESH MATERIALIZED VIEW \"o\"");
          replaced.put(lastRun(one, "o"), EventsMarketplace.rows(beta, "o"));
        }
      }
      List<DeliveryScheduler> schedulers =
          List.of(
              DeliveryScheduler.manual(one, WebhookDeliveryTest.SETTINGS),
              DeliveryScheduler.manual(two, WebhookDeliveryTest.SETTINGS),
              DeliveryScheduler.manual(two, WebhookDeliveryTest.SETTINGS));
      ExecutorService pool = Executors.newFixedThreadPool(schedulers.size());
      try (NqlSession beta = two.trusted("beta_user")) {
        boolean done = false;
        for (int round = 0; round < 80 && !done; round++) {
          List<Callable<Integer>> passes = new ArrayList<>();
          schedulers.forEach(s -> passes.add(s::pass));
          pool.invokeAll(passes);
          // past every retry wait, and past the lease of a claim a failed release left behind
          clock.now = clock.now.plus(Duration.ofMinutes(11));
          done =
              deliveries(beta).values().stream()
                  .allMatch(d -> d.get("status").equals("up to date"));
        }
        assertThat(done).as("delivered: %s", deliveries(beta)).isTrue();

        List<Request> got = receiver.requests();
        assertThat(kills.get()).isPositive();
        Map<String, List<Request>> keys =
            assertExactlyOnce(
                got.stream().filter(r -> r.path().equals("/a")).toList(), appended, 11);
        keys.putAll(
            assertExactlyOnce(
                got.stream().filter(r -> r.path().equals("/o")).toList(), replaced, 13));
        // a batch taken with its answer delivered is sent again only if that was not recorded:
        // the log then shows one delivered attempt for it, and fewer attempts than requests
        Map<String, Integer> logged = new TreeMap<>();
        Map<String, Integer> delivered = new TreeMap<>();
        for (String d : List.of("da", "do")) {
          for (List<Object> a : query(beta, "SHOW DELIVERY LOG \"" + d + "\"")) {
            logged.merge((String) a.get(6), 1, Integer::sum);
            if (a.get(9).equals("delivered")) {
              delivered.merge((String) a.get(6), 1, Integer::sum);
            }
          }
        }
        int resentAfterOk = 0;
        for (Map.Entry<String, List<Request>> e : keys.entrySet()) {
          assertThat(delivered.get(e.getKey())).as(e.getKey()).isEqualTo(1);
          List<Request> sent = e.getValue();
          long okAnswers = sent.stream().filter(r -> r.answer() == Answer.OK).count();
          assertThat(okAnswers).as("%s answered 200", e.getKey()).isBetween(1L, 2L);
          if (okAnswers == 2) {
            resentAfterOk++;
            assertThat(logged.get(e.getKey())).isEqualTo(sent.size() - 1);
          } else {
            assertThat(logged.get(e.getKey())).isLessThanOrEqualTo(sent.size());
          }
        }
        assertThat(resentAfterOk).as("only batches in flight at the kill").isLessThanOrEqualTo(3);
      } finally {
        pool.shutdownNow();
        schedulers.forEach(DeliveryScheduler::close);
      }
    }
  }
}
