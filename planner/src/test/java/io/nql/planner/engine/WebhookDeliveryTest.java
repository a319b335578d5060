package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.LedgerEntry;
import io.nql.planner.testing.TestClock;
import io.nql.planner.testing.WebhookReceiver;
import io.nql.planner.testing.WebhookReceiver.Answer;
import io.nql.planner.testing.WebhookReceiver.Request;
import io.nql.planner.webhook.WebhookSender;
import io.nql.planner.webhook.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries of an appending and an overwriting view to a real HTTP receiver that fails the first
 * attempts of most batches — a 500, a dropped connection, an answer later than the timeout, a 429
 * with Retry-After, and a 200 lost after the receiver took the batch — over several runs: taken
 * once per idempotency key, every row of every run arrives exactly once, in batches of the
 * delivery's size whose retries carry the same bytes; every request is in the delivery log; runs
 * before the delivery are not sent; nothing is charged. Time is the test's clock; HTTP timeouts are
 * short and real.
 */
class WebhookDeliveryTest {
  @TempDir Path dir;

  static final WebhookSettings SETTINGS =
      new WebhookSettings(
          Duration.ofSeconds(2),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          1000);

  private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private WebhookReceiver receiver;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private EngineConfig config(String hosts) throws Exception {
    Path ingest = Files.createDirectories(dir.resolve("ingest"));
    return new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw")
        .withWebhookHosts(hosts);
  }

  private NqlEngine open(int rows) throws Exception {
    NqlEngine engine = EventsMarketplace.open(config("public,127.0.0.1"), rows);
    engine.useClock(clock);
    toClose.add(engine);
    return engine;
  }

  /**
   * A receiver that fails the first attempt of most batches, each batch number its own way; the
   * first two batches 2 it answers too late, then with a 429, then takes.
   */
  static WebhookReceiver.Script flaky() {
    AtomicInteger slow = new AtomicInteger(2);
    return (path, headers, previous) -> {
      int batch = Integer.parseInt(headers.get("nql-batch"));
      if (batch == 2 && previous == 0 && slow.getAndDecrement() > 0) {
        return Answer.SLOW;
      }
      if (previous > 0 && !(batch == 2 && previous == 1)) {
        return Answer.OK;
      }
      return switch (batch % 5) {
        case 0 -> Answer.SERVER_ERROR;
        case 1 -> Answer.DROP;
        case 2 -> Answer.TOO_MANY;
        case 3 -> Answer.TAKE_THEN_DROP;
        default -> Answer.OK;
      };
    };
  }

  static long update(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      return r.updateCount();
    }
  }

  static List<List<Object>> query(NqlSession s, String sql) throws Exception {
    try (StatementResult r = s.execute(sql)) {
      return ResultText.read(r, false, 1000);
    }
  }

  /** SHOW DELIVERIES by name: each row by column name. */
  static Map<String, Map<String, Object>> deliveries(NqlSession s) throws Exception {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (List<Object> row : query(s, "SHOW DELIVERIES")) {
      Map<String, Object> named = new LinkedHashMap<>();
      for (int i = 0; i < row.size(); i++) {
        named.put(DeliveryStatements.SHOW_COLUMNS.get(i).name(), row.get(i));
      }
      out.put((String) row.get(0), named);
    }
    return out;
  }

  /** Passes, each followed by eleven minutes (past any retry wait), until nothing is left. */
  static int drive(DeliveryScheduler scheduler, NqlSession owner, TestClock clock)
      throws Exception {
    for (int pass = 1; pass <= 60; pass++) {
      scheduler.pass();
      clock.now = clock.now.plus(Duration.ofMinutes(11));
      if (deliveries(owner).values().stream().allMatch(d -> d.get("status").equals("up to date"))) {
        return pass;
      }
    }
    throw new AssertionError("deliveries not done after 60 passes: " + deliveries(owner));
  }

  static long lastRun(NqlEngine engine, String view) {
    long beta = engine.store().company("beta").orElseThrow().id();
    long id = engine.warehouse().dataset(beta, view).orElseThrow().id();
    return engine.store().views().runs(id, 1).get(0).id();
  }

  private static long spentMicros(NqlEngine engine) {
    long beta = engine.store().company("beta").orElseThrow().id();
    return engine.store().ledger().entriesOf(beta).stream()
        .filter(e -> e.buyerCompanyId() == beta)
        .mapToLong(LedgerEntry::amountMicros)
        .sum();
  }

  /**
   * Checks what the receiver got for the runs of {@code expected} (rows by run id) through one
   * delivery of {@code batchRows} rows a batch: its requests grouped by idempotency key, one batch
   * each, the same bytes on every attempt; batches 1..n of each run, full but the last; once per
   * key, every row of the run exactly once.
   *
   * @return the requests by key
   */
  static Map<String, List<Request>> assertExactlyOnce(
      List<Request> requests, Map<Long, List<String>> expected, int batchRows) throws Exception {
    Map<String, List<Request>> byKey = new TreeMap<>();
    for (Request r : requests) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    Map<Long, Map<Integer, Request>> byRun = new TreeMap<>();
    for (Map.Entry<String, List<Request>> e : byKey.entrySet()) {
      Request first = e.getValue().get(0);
      for (Request again : e.getValue()) {
        assertThat(again.body()).as("a retry carries the batch first sent").isEqualTo(first.body());
        assertThat(again.header("nql-batch")).isEqualTo(first.header("nql-batch"));
      }
      assertThat(e.getValue()).as("every batch was taken at last").anyMatch(Request::taken);
      long run = Long.parseLong(first.header("nql-run"));
      int batch = Integer.parseInt(first.header("nql-batch"));
      assertThat(e.getKey()).endsWith("-" + run + "-" + batch);
      assertThat(byRun.computeIfAbsent(run, r -> new TreeMap<>()).put(batch, first)).isNull();
    }
    assertThat(byRun.keySet()).as("the runs sent").isEqualTo(expected.keySet());
    for (Map.Entry<Long, Map<Integer, Request>> run : byRun.entrySet()) {
      List<String> rows = expected.get(run.getKey());
      int batches = (rows.size() + batchRows - 1) / batchRows;
      assertThat(run.getValue().keySet()).hasSize(batches).first().isEqualTo(1);
      assertThat(run.getValue().keySet()).last().isEqualTo(batches);
      List<String> received = new ArrayList<>();
      for (Request r : run.getValue().values()) {
        List<String> batch = EventsMarketplace.rows(r);
        assertThat(r.header("nql-batch-count")).isEqualTo(Integer.toString(batches));
        assertThat(r.header("nql-rows")).isEqualTo(Integer.toString(batch.size()));
        int number = Integer.parseInt(r.header("nql-batch"));
        assertThat(batch)
            .hasSize(number < batches ? batchRows : rows.size() - (batches - 1) * batchRows);
        received.addAll(batch);
      }
      received.sort(null);
      assertThat(received).as("run %d: each row exactly once", run.getKey()).isEqualTo(rows);
    }
    return byKey;
  }

  /**
   * Checks that the delivery log has one attempt per request, in order, as the receiver answered
   * it.
   */
  static void assertLogged(NqlSession owner, String delivery, Map<String, List<Request>> byKey)
      throws Exception {
    Map<String, List<List<Object>>> logged = new TreeMap<>();
    List<List<Object>> log = query(owner, "SHOW DELIVERY LOG \"" + delivery + "\"");
    for (int i = log.size() - 1; i >= 0; i--) { // oldest first
      logged.computeIfAbsent((String) log.get(i).get(6), k -> new ArrayList<>()).add(log.get(i));
    }
    assertThat(logged.keySet()).isEqualTo(byKey.keySet());
    for (Map.Entry<String, List<Request>> e : byKey.entrySet()) {
      List<List<Object>> attempts = logged.get(e.getKey());
      assertThat(attempts).as("attempts of %s", e.getKey()).hasSameSizeAs(e.getValue());
      for (int i = 0; i < attempts.size(); i++) {
        List<Object> a = attempts.get(i);
        assertThat(a.get(7)).isEqualTo(Integer.toString(i + 1));
        assertThat(a.get(9)).isEqualTo(i == attempts.size() - 1 ? "delivered" : "retry");
        String error = (String) a.get(11);
        switch (e.getValue().get(i).answer()) {
          case OK -> assertThat(a.get(8)).isEqualTo("200");
          case SERVER_ERROR -> {
            assertThat(a.get(8)).isEqualTo("500");
            assertThat(error).startsWith("HTTP 500: xxxx").doesNotContain("internal");
            assertThat(error.length()).isLessThanOrEqualTo(WebhookSender.MESSAGE_CHARS);
          }
          case TOO_MANY -> assertThat(a.get(8)).isEqualTo("429");
          case DROP, TAKE_THEN_DROP -> {
            assertThat(a.get(8)).isNull();
            assertThat(error).startsWith("connection failed");
          }
          case SLOW -> {
            assertThat(a.get(8)).isNull();
            assertThat(error).isEqualTo("no response within 2500 ms");
          }
          default -> throw new AssertionError(e.getValue().get(i).answer());
        }
      }
    }
  }

  @Test
  void eachRowArrivesExactlyOnceThroughFailedAttempts() throws Exception {
    receiver = WebhookReceiver.start(flaky());
    NqlEngine engine = open(250);
    try (NqlSession beta = engine.trusted("beta_user");
        NqlSession acme = engine.trusted("acme_user");
        DeliveryScheduler scheduler = DeliveryScheduler.manual(engine, SETTINGS)) {
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"ev_append\" AS SELECT id, name, score, day"
              + " FROM acme.events_all NO LIMIT");
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"ev_over\" WRITE_MODE = 'overwrite' AS"
              + " SELECT id, name, score, day FROM acme.events_all WHERE MOD(id, 2) = 0 NO LIMIT");
      update(
          beta,
          "CREATE DELIVERY \"appended\" FOR MATERIALIZED VIEW \"ev_append\" TO WEBHOOK '"
              + receiver.url("/in?token=s3cret")
              + "' BATCH_ROWS = 17");
      update(
          beta,
          "CREATE DELIVERY \"replaced\" FOR MATERIALIZED VIEW \"ev_over\" TO WEBHOOK '"
              + receiver.url("/csv")
              + "' FORMAT = 'csv' BATCH_ROWS = 23");
      assertThat(scheduler.pass()).as("the runs at CREATE came before the deliveries").isZero();
      assertThat(deliveries(beta).get("appended").get("status")).isEqualTo("up to date");

      Map<Long, List<String>> appended = new TreeMap<>();
      Map<Long, List<String>> replaced = new TreeMap<>();
      for (int round = 0; round < 2; round++) {
        if (round == 1) {
          EventsMarketplace.insert(engine, acme, 251, 310);
        }
        List<String> before = EventsMarketplace.rows(beta, "ev_append");
        update(beta, "REFRESH MATERIALIZED VIEW \"ev_append\"");
        appended.put(
            lastRun(engine, "ev_append"),
            EventsMarketplace.added(before, EventsMarketplace.rows(beta, "ev_append")));
        update(beta, "REFRESH MATERIALIZED VIEW \"ev_over\"");
        replaced.put(lastRun(engine, "ev_over"), EventsMarketplace.rows(beta, "ev_over"));
        if (round == 0) {
          assertThat(deliveries(beta).get("appended").get("status")).isEqualTo("delivering");
          scheduler.pass(); // part of the first runs, before the second runs come
        }
      }
      long spent = spentMicros(engine);
      drive(scheduler, beta, clock);
      assertThat(spentMicros(engine)).as("delivering buys nothing").isEqualTo(spent);

      List<Request> all = receiver.requests();
      List<Request> toIn = all.stream().filter(r -> r.path().equals("/in")).toList();
      List<Request> toCsv = all.stream().filter(r -> r.path().equals("/csv")).toList();
      assertThat(toIn.size() + toCsv.size()).isEqualTo(all.size());
      Map<String, List<Request>> inKeys = assertExactlyOnce(toIn, appended, 17);
      Map<String, List<Request>> csvKeys = assertExactlyOnce(toCsv, replaced, 23);
      assertLogged(beta, "appended", inKeys);
      assertLogged(beta, "replaced", csvKeys);
      // the script failed the first attempt of four batches in five, each kind at least once
      for (Answer kind :
          List.of(
              Answer.SERVER_ERROR,
              Answer.DROP,
              Answer.SLOW,
              Answer.TOO_MANY,
              Answer.TAKE_THEN_DROP)) {
        assertThat(all).as("%s", kind).anyMatch(r -> r.answer() == kind);
      }
      assertThat(all.stream().filter(r -> r.answer() == Answer.TAKE_THEN_DROP).count())
          .as("batches the receiver took twice: its key tells it the second is a duplicate")
          .isPositive();
      Request sample = toIn.get(0);
      assertThat(sample.header("nql-view")).isEqualTo("ev_append");
      assertThat(sample.header("nql-delivery")).isEqualTo("appended");
      assertThat(sample.header("content-type")).isEqualTo("application/x-ndjson");
      assertThat(sample.header("user-agent")).isEqualTo("nql-gateway");
      assertThat(toCsv.get(0).header("content-type"))
          .isEqualTo("text/csv; charset=utf-8; header=present");

      Map<String, Object> shown = deliveries(beta).get("appended");
      assertThat(shown.get("url")).isEqualTo(receiver.url("/in?***"));
      assertThat(shown.get("view")).isEqualTo("ev_append");
      assertThat(shown.get("format")).isEqualTo("ndjson");
      assertThat(shown.get("batch_rows")).isEqualTo("17");
      assertThat(shown.get("rows_delivered"))
          .isEqualTo(Long.toString(appended.values().stream().mapToLong(List::size).sum()));
      assertThat(shown.get("batches_delivered")).isEqualTo(Integer.toString(inKeys.size()));
      assertThat(shown.get("failed_attempts"))
          .isEqualTo(Long.toString(toIn.size() - inKeys.size()));
      assertThat(shown.get("last_delivered_run"))
          .isEqualTo(Long.toString(lastRun(engine, "ev_append")));
      assertThat(shown.get("last_error")).isNotNull();
      assertThat(shown.get("next_attempt_at")).isNull();
      assertThat(deliveries(beta).toString()).doesNotContain("s3cret");
      assertThat(query(beta, "SHOW DELIVERY LOG \"appended\"").toString()).doesNotContain("s3cret");
      assertThat(deliveries(beta).get("replaced").get("rows_delivered"))
          .isEqualTo(Long.toString(replaced.values().stream().mapToLong(List::size).sum()));
      assertThat(Arrays.asList(toIn.get(0).text().split("\n")[0].split(",")))
          .as("NDJSON keys in column order")
          .first()
          .asString()
          .startsWith("{\"id\":");
    }
  }

  private NqlEngine reopen(String hosts) throws Exception {
    NqlEngine engine = NqlEngine.open(config(hosts));
    engine.useClock(clock);
    toClose.add(engine);
    return engine;
  }

  private static WebhookSettings perPass(int batches) {
    return new WebhookSettings(
        SETTINGS.connectTimeout(),
        SETTINGS.responseTimeout(),
        SETTINGS.firstRetry(),
        SETTINGS.maxRetry(),
        SETTINGS.lease(),
        batches);
  }

  /** The batch numbers of {@code requests}, in the order they came. */
  private static List<Integer> batches(List<Request> requests) {
    return requests.stream().map(r -> Integer.parseInt(r.header("nql-batch"))).toList();
  }

  @Test
  void aRestartedGatewayResumesAtTheFirstBatchNotDeliveredAndWaitsForAnAbandonedClaim()
      throws Exception {
    receiver = WebhookReceiver.start((path, headers, previous) -> Answer.OK);
    NqlEngine first = open(250);
    Map<Long, List<String>> expected = new TreeMap<>();
    try (NqlSession beta = first.trusted("beta_user");
        DeliveryScheduler scheduler = DeliveryScheduler.manual(first, perPass(5))) {
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"ev\" AS SELECT id, name, score, day FROM acme.events_all"
              + " NO LIMIT");
      update(
          beta,
          "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK '"
              + receiver.url("/in")
              + "' BATCH_ROWS = 10");
      List<String> before = EventsMarketplace.rows(beta, "ev");
      update(beta, "REFRESH MATERIALIZED VIEW \"ev\"");
      expected.put(
          lastRun(first, "ev"),
          EventsMarketplace.added(before, EventsMarketplace.rows(beta, "ev")));
      assertThat(scheduler.pass()).isEqualTo(5);
    }
    first.close();
    toClose.remove(first);

    // a restart: batches 6 to 10, then the gateway dies holding the delivery's claim
    NqlEngine second = reopen("public,127.0.0.1");
    long betaId = second.store().company("beta").orElseThrow().id();
    try (DeliveryScheduler scheduler = DeliveryScheduler.manual(second, perPass(5))) {
      assertThat(scheduler.pass()).isEqualTo(5);
    }
    var store = second.store().webhookDeliveries();
    long id = store.get(betaId, "d").orElseThrow().id();
    assertThat(store.claim(id, "a-gateway-that-died", clock.now, clock.now.plus(SETTINGS.lease())))
        .isPresent();
    second.close();
    toClose.remove(second);

    NqlEngine third = reopen("public,127.0.0.1");
    try (NqlSession beta = third.trusted("beta_user");
        DeliveryScheduler scheduler = DeliveryScheduler.manual(third, SETTINGS)) {
      assertThat(scheduler.pass())
          .as("the dead gateway's claim holds until its lease ends")
          .isZero();
      assertThat(deliveries(beta).get("d").get("batches_delivered")).isEqualTo("10");
      clock.now = clock.now.plus(SETTINGS.lease()).plusSeconds(1);
      assertThat(scheduler.pass()).isEqualTo(15);
      assertThat(deliveries(beta).get("d").get("status")).isEqualTo("up to date");
    }
    List<Request> got = receiver.requests();
    assertThat(batches(got))
        .as("each batch once, in order, across two restarts")
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList());
    assertExactlyOnce(got, expected, 10);
  }

  @Test
  void aBatchTheReceiverRefusesStopsTheDeliveryUntilItIsResumed() throws Exception {
    AtomicInteger refuse = new AtomicInteger(1);
    receiver =
        WebhookReceiver.start(
            (path, headers, previous) ->
                headers.get("nql-batch").equals("3") && refuse.get() == 1
                    ? Answer.BAD_REQUEST
                    : Answer.OK);
    NqlEngine engine = open(100);
    try (NqlSession beta = engine.trusted("beta_user");
        NqlSession acme = engine.trusted("acme_user");
        DeliveryScheduler scheduler = DeliveryScheduler.manual(engine, SETTINGS)) {
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"ev\" WRITE_MODE = 'overwrite' AS"
              + " SELECT id, name, score, day FROM acme.events_all NO LIMIT");
      update(
          beta,
          "CREATE DELIVERY \"strict\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK '"
              + receiver.url("/strict")
              + "' FORMAT = 'csv' BATCH_ROWS = 10");
      Map<Long, List<String>> expected = new TreeMap<>();
      update(beta, "REFRESH MATERIALIZED VIEW \"ev\"");
      expected.put(lastRun(engine, "ev"), EventsMarketplace.rows(beta, "ev"));
      for (int i = 0; i < 3; i++) {
        scheduler.pass();
        clock.now = clock.now.plus(Duration.ofHours(1));
      }
      Map<String, Object> shown = deliveries(beta).get("strict");
      assertThat(shown.get("status")).isEqualTo("failed");
      assertThat(shown.get("last_error")).isEqualTo("HTTP 400: {\"error\":\"bad batch\"}");
      assertThat(shown.get("batches_delivered")).isEqualTo("2");
      assertThat(shown.get("failed_attempts")).isEqualTo("1");
      assertThat(shown.get("next_attempt_at")).isNull();
      List<Object> newest = query(beta, "SHOW DELIVERY LOG \"strict\"").get(0);
      assertThat(newest.subList(3, 6)).containsExactly("3", "10", "10");
      assertThat(List.of(newest.get(8), newest.get(9), newest.get(11)))
          .containsExactly("400", "failed", "HTTP 400: {\"error\":\"bad batch\"}");
      assertThat(batches(receiver.requests()))
          .as("not retried, and nothing after it sent")
          .containsExactly(1, 2, 3);

      // a new run waits too; RESUME retries the refused batch and goes on
      update(beta, "REFRESH MATERIALIZED VIEW \"ev\"");
      expected.put(lastRun(engine, "ev"), EventsMarketplace.rows(beta, "ev"));
      scheduler.pass();
      assertThat(receiver.requests()).hasSize(3);
      assertThat(catchCode(acme, "RESUME DELIVERY \"strict\"")).isEqualTo("42704");
      refuse.set(0);
      update(beta, "RESUME DELIVERY \"strict\"");
      assertThat(deliveries(beta).get("strict").get("status")).isEqualTo("delivering");
      drive(scheduler, beta, clock);
      List<Request> got = receiver.requests();
      assertThat(batches(got).subList(0, 4)).containsExactly(1, 2, 3, 3);
      assertExactlyOnce(got, expected, 10);
      assertThat(deliveries(beta).get("strict").get("failed_attempts")).isEqualTo("1");
    }
  }

  private static String catchCode(NqlSession s, String sql) {
    try {
      update(s, sql);
    } catch (io.nql.planner.error.NqlException e) {
      return e.sqlState();
    }
    throw new AssertionError("expected " + sql + " to fail");
  }

  private static io.nql.planner.error.NqlException error(NqlSession s, String sql) {
    try {
      update(s, sql);
    } catch (io.nql.planner.error.NqlException e) {
      return e;
    }
    throw new AssertionError("expected " + sql + " to fail");
  }

  @Test
  void createRefusesOtherSchemesHostsTheOperatorDoesNotAllowAndBadOptions() throws Exception {
    NqlEngine engine = open(10);
    try (NqlSession beta = engine.trusted("beta_user")) {
      update(
          beta, "CREATE MATERIALIZED VIEW \"ev\" AS SELECT id, name FROM acme.events_all NO LIMIT");
      update(beta, "CREATE DATASET \"plain\" (x BIGINT)");
      String create = "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK ";
      Map<String, String> refused = new LinkedHashMap<>();
      refused.put(
          "'ftp://127.0.0.1/x'",
          "22023 Cannot create delivery d: only http and https URLs are allowed");
      refused.put(
          "'file:///etc/passwd'",
          "22023 Cannot create delivery d: only http and https URLs are allowed");
      refused.put(
          "'http://127.0.0.1/x#top'",
          "22023 Cannot create delivery d: a webhook URL has no fragment ('#…')");
      refused.put(
          "'http://u:s3cret@10.0.0.1/hook?token=s3cret'",
          "42501 Cannot create delivery d: this gateway does not allow webhooks to host 10.0.0.1");
      refused.put(
          "'http://169.254.169.254/latest/meta-data/'",
          "42501 Cannot create delivery d: this gateway does not allow webhooks to host 169.254.169.254");
      refused.put(
          "'http://localhost:8080/'",
          "42501 Cannot create delivery d: this gateway does not allow webhooks to host localhost");
      refused.put(
          "'http://[::1]:8080/'",
          "42501 Cannot create delivery d: this gateway does not allow webhooks to host ::1");
      refused.put(
          "'http://127.0.0.1/' BATCH_ROWS = 100001",
          "22023 Cannot create delivery d: BATCH_ROWS is at most 100000");
      for (Map.Entry<String, String> e : refused.entrySet()) {
        io.nql.planner.error.NqlException x = error(beta, create + e.getKey());
        assertThat(x.sqlState() + " " + x.getMessage()).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(
              error(
                      beta,
                      "CREATE DELIVERY \"bad-name\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK 'http://127.0.0.1/'")
                  .sqlState())
          .isEqualTo("42602");
      io.nql.planner.error.NqlException dataset =
          error(
              beta,
              "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"plain\" TO WEBHOOK 'http://127.0.0.1/'");
      assertThat(dataset.sqlState()).isEqualTo("42809");
      assertThat(dataset.getMessage())
          .isEqualTo("Cannot create delivery d: plain is a dataset, not a materialized view");
      assertThat(query(beta, "SHOW DELIVERIES")).as("nothing created").isEmpty();

      update(beta, create + "'http://127.0.0.1:9/'");
      assertThat(error(beta, create + "'http://127.0.0.1:9/'").getMessage())
          .isEqualTo("Cannot create delivery d: the company has a delivery of that name");
    }
    engine.close();
    toClose.remove(engine);

    // an operator who allows no webhooks: nothing is created, and what exists stops at its next
    // batch
    NqlEngine none = reopen("none");
    try (NqlSession beta = none.trusted("beta_user");
        DeliveryScheduler scheduler = DeliveryScheduler.manual(none, SETTINGS)) {
      assertThat(
              error(
                      beta,
                      "CREATE DELIVERY \"e\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK 'http://93.184.216.34/'")
                  .getMessage())
          .isEqualTo(
              "Cannot create delivery e: this gateway allows no webhooks (--webhook-hosts none)");
      update(beta, "REFRESH MATERIALIZED VIEW \"ev\"");
      assertThat(scheduler.pass()).isZero();
      Map<String, Object> d = deliveries(beta).get("d");
      assertThat(d.get("status")).isEqualTo("failed");
      assertThat(d.get("last_error"))
          .isEqualTo("the gateway does not allow webhooks to host 127.0.0.1 (--webhook-hosts)");
    }
  }

  @Test
  void anotherCompanyCanNeitherSeeNorUseADeliveryNorDeliverAnotherCompanysView() throws Exception {
    NqlEngine engine = open(10);
    try (NqlSession beta = engine.trusted("beta_user");
        NqlSession acme = engine.trusted("acme_user")) {
      update(
          beta, "CREATE MATERIALIZED VIEW \"ev\" AS SELECT id, name FROM acme.events_all NO LIMIT");
      update(
          beta,
          "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK 'http://127.0.0.1:9/'");
      assertThat(query(acme, "SHOW DELIVERIES")).isEmpty();
      for (String verb : List.of("DROP DELIVERY", "RESUME DELIVERY", "SHOW DELIVERY LOG")) {
        io.nql.planner.error.NqlException theirs = error(acme, verb + " \"d\"");
        io.nql.planner.error.NqlException missing = error(acme, verb + " \"x\"");
        assertThat(theirs.sqlState()).isEqualTo("42704");
        assertThat(theirs.getMessage())
            .as("the same answer as for a delivery nobody has")
            .isEqualTo(missing.getMessage().replace(" x:", " d:"));
      }
      io.nql.planner.error.NqlException view =
          error(
              acme,
              "CREATE DELIVERY \"mine\" FOR MATERIALIZED VIEW \"ev\" TO WEBHOOK 'http://127.0.0.1/'");
      io.nql.planner.error.NqlException none =
          error(
              acme,
              "CREATE DELIVERY \"mine\" FOR MATERIALIZED VIEW \"zz\" TO WEBHOOK 'http://127.0.0.1/'");
      assertThat(view.sqlState()).isEqualTo("42P01");
      assertThat(view.getMessage()).isEqualTo(none.getMessage().replace("zz", "ev"));
      // deliveries are named per company: acme may name its own "d"
      update(acme, "CREATE MATERIALIZED VIEW \"own\" AS SELECT id FROM company_data.events");
      update(
          acme,
          "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"own\" TO WEBHOOK 'http://127.0.0.1:9/'");
      assertThat(deliveries(acme).get("d").get("view")).isEqualTo("own");
      assertThat(deliveries(beta).get("d").get("view")).isEqualTo("ev");

      update(beta, "DROP MATERIALIZED VIEW \"ev\"");
      assertThat(query(beta, "SHOW DELIVERIES")).as("a delivery goes with its view").isEmpty();
    }
  }

  @Test
  void schedulersRunningAtOnceSendEachBatchOnce() throws Exception {
    receiver = WebhookReceiver.start((path, headers, previous) -> Answer.OK);
    NqlEngine engine = open(200);
    Map<Long, List<String>> appended = new TreeMap<>();
    Map<Long, List<String>> replaced = new TreeMap<>();
    try (NqlSession beta = engine.trusted("beta_user")) {
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"a\" AS SELECT id, name, score, day FROM acme.events_all NO LIMIT");
      update(
          beta,
          "CREATE MATERIALIZED VIEW \"o\" WRITE_MODE = 'overwrite' AS"
              + " SELECT id, name, score, day FROM acme.events_all NO LIMIT");
      update(
          beta,
          "CREATE DELIVERY \"da\" FOR MATERIALIZED VIEW \"a\" TO WEBHOOK '"
              + receiver.url("/a")
              + "' BATCH_ROWS = 7");
      update(
          beta,
          "CREATE DELIVERY \"do\" FOR MATERIALIZED VIEW \"o\" TO WEBHOOK '"
              + receiver.url("/o")
              + "' BATCH_ROWS = 9");
      for (int round = 0; round < 2; round++) {
        List<String> before = EventsMarketplace.rows(beta, "a");
        update(beta, "REFRESH MATERIALIZED VIEW \"a\"");
        appended.put(
            lastRun(engine, "a"),
            EventsMarketplace.added(before, EventsMarketplace.rows(beta, "a")));
        update(beta, "REFRESH MATERIALIZED VIEW \"o\"");
        replaced.put(lastRun(engine, "o"), EventsMarketplace.rows(beta, "o"));
      }
      List<DeliveryScheduler> schedulers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        DeliveryScheduler s = DeliveryScheduler.manual(engine, perPass(3));
        schedulers.add(s);
        toClose.add(s);
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < 100; round++) {
          pool.invokeAll(
              schedulers.stream()
                  .map(s -> (java.util.concurrent.Callable<Integer>) s::pass)
                  .toList());
          if (deliveries(beta).values().stream()
              .allMatch(d -> d.get("status").equals("up to date"))) {
            break;
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
    List<Request> got = receiver.requests();
    assertThat(got.stream().map(Request::key).distinct().count())
        .as("no batch sent twice")
        .isEqualTo(got.size());
    assertExactlyOnce(got.stream().filter(r -> r.path().equals("/a")).toList(), appended, 7);
    assertExactlyOnce(got.stream().filter(r -> r.path().equals("/o")).toList(), replaced, 9);
  }
}
