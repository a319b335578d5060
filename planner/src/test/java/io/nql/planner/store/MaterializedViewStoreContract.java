package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.store.MaterializedViews.Outcome;
import io.nql.planner.store.MaterializedViews.Run;
import io.nql.planner.store.MaterializedViews.View;
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
 * The materialized views of a metadata store, on each database the gateway runs on: a view lives
 * and dies with its dataset while its runs stay; a run claims its view so that no second run starts
 * (also from another gateway), and a gateway that restarts ends the runs it left running.
 */
abstract class MaterializedViewStoreContract {
  @TempDir Path warehouseDir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Warehouse warehouse;
  private MaterializedViews views;
  private Company acme;

  protected abstract MetadataStore openStore(Path warehouseDir);

  private void open() {
    MetadataStore store = openStore(warehouseDir);
    toClose.add(store);
    warehouse = Warehouse.open(warehouseDir, store);
    toClose.add(warehouse);
    views = store.views();
    acme = store.createCompany("acme");
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
            "LIMIT 5 USD PER CALENDAR_MONTH",
            "@once",
            "Shown \"name\"",
            null,
            "retain_everything",
            List.of("a, b", "it's \"quoted\"", ""),
            "overwrite",
            Instant.parse("2026-12-07T08:00:00Z"),
            null);
    views.create(v);
    return v;
  }

  @Test
  void aViewIsReadBackAsCreatedAndGoesWithItsDataset() {
    open();
    View v = view("daily");
    assertThat(views.get(acme.id(), v.datasetId())).contains(v);
    assertThat(views.ofCompany(acme.id())).containsExactly(v);
    assertThat(views.get(acme.id() + 1, v.datasetId())).isEmpty();

    long run =
        views.startRun(acme.id(), v.datasetId(), "s-1", "create", "gw-a", null).orElseThrow();
    views.finishRun(
        run, v.datasetId(), new Outcome("ok", 3, 3_000_000L, false, 42L, null, null), null);
    warehouse.dropDataset(warehouse.datasetById(acme.id(), v.datasetId()).orElseThrow());
    assertThat(views.get(acme.id(), v.datasetId())).isEmpty();
    assertThat(views.ofCompany(acme.id())).isEmpty();
    assertThat(views.runs(v.datasetId(), 10)).hasSize(1); // the history stays
  }

  @Test
  void oneRunAtATimeAndEachRunRecordedAsItEnded() {
    open();
    View v = view("one_at_a_time");
    Optional<Long> first = views.startRun(acme.id(), v.datasetId(), "s-1", "create", "gw-a", null);
    assertThat(first).isPresent();
    assertThat(views.startRun(acme.id(), v.datasetId(), "s-2", "refresh", "gw-b", null)).isEmpty();
    views.finishRun(
        first.get(), v.datasetId(), new Outcome("ok", 10, 2_500_000L, true, 99L, null, null), null);
    long second =
        views.startRun(acme.id(), v.datasetId(), "s-3", "refresh", "gw-b", null).orElseThrow();
    views.finishRun(
        second,
        v.datasetId(),
        new Outcome("error", 0, 0, false, null, "22012", "Division by zero"),
        null);

    List<Run> runs = views.runs(v.datasetId(), 10);
    assertThat(runs).extracting(Run::statementId).containsExactly("s-3", "s-1");
    Run ok = runs.get(1);
    assertThat(ok.trigger()).isEqualTo("create");
    assertThat(ok.status()).isEqualTo("ok");
    assertThat(ok.rowsWritten()).isEqualTo(10);
    assertThat(ok.spentMicros()).isEqualTo(2_500_000L);
    assertThat(ok.budgetCut()).isTrue();
    assertThat(ok.snapshotId()).isEqualTo(99L);
    assertThat(ok.finishedAt()).isNotNull();
    Run failed = runs.get(0);
    assertThat(failed.status()).isEqualTo("error");
    assertThat(failed.snapshotId()).isNull();
    assertThat(failed.sqlState()).isEqualTo("22012");
    assertThat(failed.errorMessage()).isEqualTo("Division by zero");
    assertThat(views.runs(v.datasetId(), 1)).hasSize(1);
  }

  @Test
  void dueViewsAreThoseWhoseNextRunHasComeAndAScheduledClaimNeedsItDue() {
    open();
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    View early = view("early");
    View late = view("late");
    View never = view("never");
    long r1 =
        views.startRun(acme.id(), early.datasetId(), "s-1", "create", "gw-a", null).orElseThrow();
    views.finishRun(r1, early.datasetId(), new Outcome("ok", 1, 0, false, 1L, null, null), t);
    long r2 =
        views.startRun(acme.id(), late.datasetId(), "s-2", "create", "gw-a", null).orElseThrow();
    views.finishRun(
        r2, late.datasetId(), new Outcome("ok", 1, 0, false, 2L, null, null), t.plusSeconds(3600));
    long r3 =
        views.startRun(acme.id(), never.datasetId(), "s-3", "create", "gw-a", null).orElseThrow();
    views.finishRun(r3, never.datasetId(), new Outcome("ok", 1, 0, false, 3L, null, null), null);

    assertThat(views.due(t.minusSeconds(1), 10)).isEmpty();
    assertThat(views.due(t, 10)).extracting(View::name).containsExactly("early");
    assertThat(views.due(t.plusSeconds(7200), 10))
        .extracting(View::name)
        .containsExactly("early", "late");
    assertThat(views.due(t.plusSeconds(7200), 1)).extracting(View::name).containsExactly("early");
    // a scheduled claim of a run not yet due fails; a running view is not due
    assertThat(views.startRun(acme.id(), late.datasetId(), "s-4", "schedule", "gw-b", t)).isEmpty();
    assertThat(views.startRun(acme.id(), early.datasetId(), "s-5", "schedule", "gw-b", t))
        .isPresent();
    assertThat(views.due(t.plusSeconds(7200), 10)).extracting(View::name).containsExactly("late");
  }

  @Test
  void aRestartEndsTheRunsItsGatewayLeftRunningOnly() {
    open();
    View mine = view("mine");
    View theirs = view("theirs");
    views.startRun(acme.id(), mine.datasetId(), "s-1", "schedule", "gw-a", null).orElseThrow();
    views.startRun(acme.id(), theirs.datasetId(), "s-2", "schedule", "gw-b", null).orElseThrow();

    assertThat(views.abandonRuns("gw-a")).isEqualTo(1);
    Run ended = views.runs(mine.datasetId(), 1).get(0);
    assertThat(ended.status()).isEqualTo("error");
    assertThat(ended.errorMessage()).contains("stopped");
    assertThat(views.startRun(acme.id(), mine.datasetId(), "s-3", "refresh", "gw-a", null))
        .isPresent();
    assertThat(views.startRun(acme.id(), theirs.datasetId(), "s-4", "refresh", "gw-a", null))
        .isEmpty();
    assertThat(views.runs(theirs.datasetId(), 1).get(0).status()).isEqualTo("running");
  }
}
