package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider process killed with SIGKILL in the middle of a large {@code COPY INTO} — once it has
 * begun writing the load's Parquet files, before it commits: after a restart the dataset is at the
 * snapshot before the load (same snapshot, same rows, earlier loads intact), and a new load works
 * and commits one snapshot.
 */
class CopyCrashTest {
  @TempDir Path dir;

  private static final int SMALL = 10_000;
  private static final int BIG = 800_000;

  @Test
  void aLoadKilledMidWriteLeavesTheDatasetAtItsPreviousSnapshot() throws Exception {
    long snapshot;
    long firstRows;
    Set<Path> before;
    Path root;
    try (CopyWorld w = new CopyWorld(dir)) {
      root = w.root;
      CopyWorld.csv(w.area("acme").resolve("small.csv"), 1, SMALL);
      CopyWorld.csv(w.area("acme").resolve("more.csv"), 1 + SMALL + BIG, SMALL);
      CopyWorld.csv(w.area("acme").resolve("big.csv"), 1 + SMALL, BIG);
      CopyWorld.update(
          w.acme, "CREATE DATASET \"events\" (id BIGINT, name VARCHAR, amount DECIMAL(6,2))");
      assertThat(CopyWorld.update(w.acme, "COPY INTO company_data.events FROM 'small.csv'"))
          .isEqualTo(SMALL);
      snapshot = w.table("events").currentSnapshot().snapshotId();
      firstRows =
          ((Number) CopyWorld.value(w.acme, "SELECT COUNT(*) FROM company_data.events"))
              .longValue();
      before = new HashSet<>(w.tableFiles("events"));
    }
    assertThat(firstRows).isEqualTo(SMALL);

    List<String> lines = killMidWrite(dir, root, before, null);
    assertThat(lines).as("killed before it committed").doesNotContain("DONE");

    try (NqlEngine engine =
            NqlEngine.open(
                new EngineConfig(dir.resolve("wh"), null, null, null, List.of(root), "pw"));
        NqlSession acme = engine.trusted("acme_user")) {
      long acmeId = engine.store().company("acme").orElseThrow().id();
      java.util.function.Supplier<org.apache.iceberg.Table> table =
          () ->
              engine
                  .warehouse()
                  .dataset(acmeId, "events")
                  .map(engine.warehouse()::loadTable)
                  .orElseThrow();
      assertThat(table.get().currentSnapshot().snapshotId()).isEqualTo(snapshot);
      assertThat(table.get().snapshots()).hasSize(1);
      assertThat(
              CopyWorld.column(
                  acme,
                  "SELECT CAST(COUNT(*) AS VARCHAR) || ':' || CAST(SUM(id) AS VARCHAR)"
                      + " FROM company_data.events"))
          .containsExactly(SMALL + ":" + (long) SMALL * (SMALL + 1) / 2);
      // what the killed load wrote is referenced by no snapshot (orphans, for VACUUM to remove)
      try (var tasks = table.get().newScan().planFiles()) {
        for (var t : tasks) {
          assertThat(before).contains(Path.of(java.net.URI.create(t.file().location())));
        }
      }

      assertThat(CopyWorld.update(acme, "COPY INTO company_data.events FROM 'more.csv'"))
          .isEqualTo(SMALL);
      assertThat(table.get().snapshots()).hasSize(2);
      assertThat(CopyWorld.value(acme, "SELECT COUNT(*) FROM company_data.events"))
          .isEqualTo(2L * SMALL);
    }
  }

  /**
   * Runs {@link CrashingLoader} on the warehouse {@code dir/wh} and kills it with SIGKILL as soon
   * as a Parquet file that was not in {@code before} appears under the warehouse (its statement is
   * writing); returns what it printed.
   *
   * @param statement the loader's statement; null for its big COPY INTO
   */
  static List<String> killMidWrite(Path dir, Path root, Set<Path> before, String statement)
      throws Exception {
    Path wh = dir.resolve("wh");
    Path err = dir.resolve("loader.err");
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashingLoader.class.getName());
    command.add(wh.toString());
    command.add(root.toString());
    if (statement != null) {
      command.add(statement);
    }
    Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
    List<String> lines = new ArrayList<>();
    boolean killed = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as(Files.readString(err)).isEqualTo("LOADING");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (child.isAlive() && System.nanoTime() < deadline) {
        if (newParquet(wh, before)) {
          child.toHandle().destroyForcibly(); // SIGKILL
          killed = true;
          break;
        }
        Thread.sleep(5);
      }
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(killed)
        .as("saw the load write a file: %s %s", lines, Files.readString(err))
        .isTrue();
    return lines;
  }

  private static boolean newParquet(Path wh, Set<Path> before) throws Exception {
    try (var files = Files.walk(wh.resolve("data"))) {
      return files.anyMatch(p -> p.toString().endsWith(".parquet") && !before.contains(p));
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
      return false; // a file vanished while walking: look again
    }
  }
}
