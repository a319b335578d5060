package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider process killed with SIGKILL in the middle of an {@code OPTIMIZE} — once the rewrite
 * has begun writing its Parquet files, before it commits: after a restart the dataset is at the
 * snapshot before it (the same snapshot, so the same files, rows and row ids: nothing half
 * compacted), and a new {@code OPTIMIZE} compacts it in one snapshot with the same rows.
 */
class CompactionCrashTest {
  @TempDir Path dir;

  private static final int LOADS = 6;
  private static final int ROWS = 120_000;

  @Test
  void aCompactionKilledMidWriteLeavesTheDatasetAtItsPreviousSnapshot() throws Exception {
    long snapshot;
    Set<Path> before;
    Path root;
    String answer = (long) LOADS * ROWS + ":" + (long) LOADS * ROWS * (LOADS * ROWS + 1L) / 2;
    try (CopyWorld w = new CopyWorld(dir)) {
      root = w.root;
      CopyWorld.update(
          w.acme, "CREATE DATASET \"events\" (id BIGINT, name VARCHAR, amount DECIMAL(6,2))");
      for (int i = 0; i < LOADS; i++) {
        CopyWorld.csv(w.area("acme").resolve("part" + i + ".csv"), 1L + (long) i * ROWS, ROWS);
        assertThat(
                CopyWorld.update(w.acme, "COPY INTO company_data.events FROM 'part" + i + ".csv'"))
            .isEqualTo(ROWS);
      }
      snapshot = w.table("events").currentSnapshot().snapshotId();
      before = new HashSet<>(w.tableFiles("events"));
    }
    assertThat(before).hasSizeGreaterThanOrEqualTo(LOADS);

    List<String> lines =
        CopyCrashTest.killMidWrite(dir, root, before, "OPTIMIZE company_data.events");
    assertThat(lines).as("killed before it committed").doesNotContain("DONE");

    try (NqlEngine engine =
            NqlEngine.open(
                new EngineConfig(dir.resolve("wh"), null, null, null, List.of(root), "pw"));
        NqlSession acme = engine.trusted("acme_user")) {
      long acmeId = engine.store().company("acme").orElseThrow().id();
      java.util.function.Supplier<Table> table =
          () ->
              engine
                  .warehouse()
                  .dataset(acmeId, "events")
                  .map(engine.warehouse()::loadTable)
                  .orElseThrow();
      assertThat(table.get().currentSnapshot().snapshotId()).isEqualTo(snapshot);
      assertThat(planned(table.get())).isEqualTo(before);
      String sum =
          "SELECT CAST(COUNT(*) AS VARCHAR) || ':' || CAST(SUM(id) AS VARCHAR)"
              + " FROM company_data.events";
      assertThat(CopyWorld.column(acme, sum)).containsExactly(answer);

      CopyWorld.update(acme, "OPTIMIZE company_data.events");
      Table compacted = table.get();
      assertThat(compacted.currentSnapshot().parentId()).isEqualTo(snapshot);
      assertThat(compacted.currentSnapshot().operation()).isEqualTo("replace");
      assertThat(planned(compacted)).hasSizeLessThan(before.size());
      assertThat(CopyWorld.column(acme, sum)).containsExactly(answer);
    }
  }

  /** The data files the table's current snapshot reads. */
  private static Set<Path> planned(Table table) throws Exception {
    Set<Path> out = new HashSet<>();
    try (var tasks = table.newScan().planFiles()) {
      for (var t : tasks) {
        out.add(Path.of(java.net.URI.create(t.file().location())));
      }
    }
    return out;
  }
}
