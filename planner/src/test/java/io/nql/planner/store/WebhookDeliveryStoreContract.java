package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.MaterializedViews.Outcome;
import io.nql.planner.store.MaterializedViews.View;
import io.nql.planner.store.WebhookDeliveries.Attempt;
import io.nql.planner.store.WebhookDeliveries.Delivery;
import io.nql.planner.store.WebhookDeliveries.PendingRun;
import io.nql.planner.store.WebhookDeliveries.Progress;
import io.nql.planner.warehouse.Warehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook deliveries of a metadata store, on each database the gateway runs on: a delivery
 * belongs to its company and lives and dies with its view; it delivers the runs that end after it
 * was created; it is due while a finished run waits; one claimant at a time works on it (a lease
 * another can take over once expired), and its progress and attempts are recorded only by the
 * claimant that holds it.
 */
abstract class WebhookDeliveryStoreContract {
  @TempDir Path warehouseDir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Warehouse warehouse;
  private MaterializedViews views;
  private WebhookDeliveries deliveries;
  private Company acme;
  private Company other;
  private final Instant t = Instant.parse("2026-12-07T10:00:00Z");

  protected abstract MetadataStore openStore(Path warehouseDir);

  private void open() {
    MetadataStore store = openStore(warehouseDir);
    toClose.add(store);
    warehouse = Warehouse.open(warehouseDir, store);
    toClose.add(warehouse);
    views = store.views();
    deliveries = store.webhookDeliveries();
    acme = store.createCompany("acme");
    other = store.createCompany("other");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    toClose.clear();
  }

  private View view(String name) {
    Dataset d =
        warehouse.createDataset(
            acme, name, new Schema(Types.NestedField.optional(1, "x", Types.LongType.get())), null);
    View v =
        new View(
            d.id(),
            acme.id(),
            7L,
            name,
            "SELECT 1 AS \"x\"",
            "NO LIMIT",
            "@once",
            null,
            null,
            "retain_everything",
            List.of(),
            "append",
            t,
            null);
    views.create(v);
    return v;
  }

  /** A finished run of a view: ok with a snapshot, ok without one, or an error. */
  private long run(View v, String status, Long snapshot) {
    long id = views.startRun(acme.id(), v.datasetId(), "s", "refresh", "gw", null).orElseThrow();
    views.finishRun(
        id, v.datasetId(), new Outcome(status, 1, 0, false, snapshot, null, null), null);
    return id;
  }

  private Delivery create(View v, String name) {
    return deliveries.create(
        acme.id(), v.datasetId(), name, "https://u:s3cret@h.example/x?t=1", "csv", 17, 7L);
  }

  @Test
  void aDeliveryBelongsToItsCompanyAndGoesWithItsView() {
    open();
    View v = view("people");
    long before = run(v, "ok", 11L);
    Delivery d = create(v, "to_crm");
    assertThat(d.name()).isEqualTo("to_crm");
    assertThat(d.viewName()).isEqualTo("people");
    assertThat(d.url()).isEqualTo("https://u:s3cret@h.example/x?t=1");
    assertThat(d.format()).isEqualTo("csv");
    assertThat(d.batchRows()).isEqualTo(17);
    assertThat(d.key()).hasSize(36);
    Progress p = d.progress();
    assertThat(p.status()).isEqualTo("active");
    assertThat(p.doneRunId()).as("runs before the delivery are not delivered").isEqualTo(before);
    assertThat(p.runId()).isNull();
    assertThat(p.rowsDelivered()).isZero();
    assertThat(deliveries.get(acme.id(), "to_crm")).contains(d);
    assertThat(deliveries.ofCompany(acme.id())).containsExactly(d);
    assertThat(deliveries.get(other.id(), "to_crm")).isEmpty();
    assertThat(deliveries.ofCompany(other.id())).isEmpty();
    assertThat(deliveries.drop(other.id(), "to_crm")).isFalse();
    assertThat(deliveries.resume(other.id(), "to_crm")).isFalse();
    assertThatThrownBy(() -> create(v, "to_crm"))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT));
    assertThat(create(v, "second").key()).isNotEqualTo(d.key());

    warehouse.dropDataset(warehouse.datasetById(acme.id(), v.datasetId()).orElseThrow());
    assertThat(deliveries.ofCompany(acme.id())).isEmpty();
    View w = view("again");
    create(w, "to_crm"); // the name is free again
    assertThat(deliveries.drop(acme.id(), "to_crm")).isTrue();
    assertThat(deliveries.drop(acme.id(), "to_crm")).isFalse();
  }

  @Test
  void aRunInProgressAtCreationIsDeliveredAndErrorsAndEmptyRunsAreSkipped() {
    open();
    View v = view("people");
    long running =
        views.startRun(acme.id(), v.datasetId(), "s", "refresh", "gw", null).orElseThrow();
    Delivery d = create(v, "d");
    assertThat(deliveries.due(t, 10)).isEmpty();
    assertThat(deliveries.nextRun(v.datasetId(), d.progress().doneRunId()))
        .contains(new PendingRun(running, null, true));
    views.finishRun(
        running, v.datasetId(), new Outcome("error", 0, 0, false, null, "XX000", "x"), null);
    long empty = run(v, "ok", null);
    long ok = run(v, "ok", 42L);
    assertThat(empty).isGreaterThan(running);
    assertThat(deliveries.nextRun(v.datasetId(), d.progress().doneRunId()))
        .contains(new PendingRun(ok, 42L, false));
    assertThat(deliveries.nextRun(v.datasetId(), ok)).isEmpty();
    assertThat(deliveries.due(t, 10)).extracting(Delivery::id).containsExactly(d.id());
  }

  @Test
  void oneClaimantAtATimeAndOnlyItRecords() {
    open();
    View v = view("people");
    Delivery d = create(v, "d");
    long ok = run(v, "ok", 42L);
    Instant lease = t.plusSeconds(300);

    Optional<Delivery> a = deliveries.claim(d.id(), "gw-a", t, lease);
    assertThat(a).isPresent();
    assertThat(deliveries.claim(d.id(), "gw-b", t.plusSeconds(60), t.plusSeconds(360))).isEmpty();
    assertThat(deliveries.due(t.plusSeconds(60), 10)).as("claimed: not due").isEmpty();

    Progress started =
        new Progress(
            "active", d.progress().doneRunId(), ok, 42L, 2, 3, 0, null, 17, 1, 0, null, null, t);
    Attempt first =
        new Attempt(ok, 42L, 1, 3, 17, d.key() + "-" + ok + "-1", 1, t, 12, 200, "delivered", null);
    assertThat(deliveries.record(d.id(), "gw-b", first, started, lease)).isFalse();
    assertThat(deliveries.log(d.id(), 10)).isEmpty();
    assertThat(deliveries.record(d.id(), "gw-a", first, started, lease)).isTrue();
    assertThat(deliveries.get(acme.id(), "d").orElseThrow().progress()).isEqualTo(started);

    // the lease runs out: another claimant takes over, the first can no longer record
    assertThat(deliveries.claim(d.id(), "gw-b", lease.plusSeconds(1), lease.plusSeconds(301)))
        .isPresent();
    Progress failed =
        new Progress(
            "failed",
            d.progress().doneRunId(),
            ok,
            42L,
            2,
            3,
            1,
            null,
            17,
            1,
            1,
            null,
            "HTTP 400: bad",
            t.plusSeconds(400));
    Attempt second =
        new Attempt(
            ok,
            42L,
            2,
            3,
            17,
            d.key() + "-" + ok + "-2",
            1,
            t.plusSeconds(400),
            5,
            400,
            "failed",
            "HTTP 400: bad");
    assertThat(deliveries.record(d.id(), "gw-a", second, failed, lease)).isFalse();
    assertThat(deliveries.record(d.id(), "gw-b", second, failed, lease.plusSeconds(301))).isTrue();
    deliveries.release(d.id(), "gw-a"); // not its claim: no effect
    assertThat(deliveries.claim(d.id(), "gw-c", lease.plusSeconds(2), lease)).isEmpty();
    deliveries.release(d.id(), "gw-b");

    assertThat(deliveries.log(d.id(), 10)).containsExactly(second, first);
    assertThat(deliveries.log(d.id(), 1)).containsExactly(second);
    // a failed delivery is not due, nor claimed, until resumed
    assertThat(deliveries.due(lease.plusSeconds(3600), 10)).isEmpty();
    assertThat(deliveries.claim(d.id(), "gw-c", lease.plusSeconds(3600), lease.plusSeconds(3900)))
        .isEmpty();
    assertThat(deliveries.resume(acme.id(), "d")).isTrue();
    Progress resumed = deliveries.get(acme.id(), "d").orElseThrow().progress();
    assertThat(resumed.status()).isEqualTo("active");
    assertThat(resumed.attempts()).isZero();
    assertThat(resumed.failedAttempts()).isEqualTo(1);
    assertThat(resumed.lastError()).isEqualTo("HTTP 400: bad");
    assertThat(deliveries.due(lease.plusSeconds(3600), 10))
        .extracting(Delivery::id)
        .containsExactly(d.id());
  }

  @Test
  void aRetryWaitKeepsADeliveryFromBeingDue() {
    open();
    View v = view("people");
    Delivery d = create(v, "d");
    long ok = run(v, "ok", 42L);
    deliveries.claim(d.id(), "gw-a", t, t.plusSeconds(300)).orElseThrow();
    Progress waiting =
        new Progress(
            "active",
            d.progress().doneRunId(),
            ok,
            42L,
            1,
            3,
            1,
            t.plusSeconds(5),
            0,
            0,
            1,
            null,
            "HTTP 503",
            t);
    assertThat(deliveries.record(d.id(), "gw-a", null, waiting, t.plusSeconds(300))).isTrue();
    deliveries.release(d.id(), "gw-a");
    assertThat(deliveries.due(t.plusSeconds(4), 10)).isEmpty();
    assertThat(deliveries.due(t.plusSeconds(5), 10))
        .extracting(Delivery::id)
        .containsExactly(d.id());
    assertThat(deliveries.log(d.id(), 10)).isEmpty();
  }
}
