package io.nql.planner.engine;

import static io.nql.planner.engine.CopyWorld.csv;
import static io.nql.planner.engine.CopyWorld.fails;
import static io.nql.planner.engine.CopyWorld.update;
import static io.nql.planner.engine.CopyWorld.value;
import static io.nql.planner.engine.CopyWorld.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.LoadedFiles;
import io.nql.planner.result.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code COPY INTO … INCREMENTAL = TRUE} loads each file of a directory once: the record of loaded
 * files is in the summary of the snapshot that loaded them, outlives later snapshots, identifies a
 * file however its path is written, refuses a file changed since it was loaded, and two loads of
 * one directory at the same time do not load a file twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyIncrementalTest {
  @TempDir static Path dir;
  CopyWorld world;
  Path area;

  @BeforeAll
  void setUp() throws Exception {
    world = new CopyWorld(dir);
    area = world.area("acme");
  }

  @AfterAll
  void tearDown() {
    world.close();
  }

  /** Files {@code from..to-1} of a directory, 10 rows each with ids {@code k*100 …}. */
  private void files(Path d, int from, int to) throws Exception {
    for (int k = from; k < to; k++) {
      csv(d.resolve((k % 2 == 0 ? "even/" : "odd/") + "f" + k + ".csv"), k * 100L, 10);
    }
  }

  private static List<String> recorded(Snapshot s) throws Exception {
    List<String> paths = new ArrayList<>();
    String value = s.summary().get(LoadedFiles.PROPERTY);
    if (value != null) {
      for (JsonNode e : new ObjectMapper().readTree(value)) {
        paths.add(e.get("path").asText());
      }
    }
    return paths;
  }

  @Test
  void twoRunsLoadEachFileOnceAndARunWithNothingNewCommitsNothing() throws Exception {
    Path d = area.resolve("inc");
    files(d, 0, 10);
    String copy = "COPY INTO company_data.inc FROM 'inc' INCREMENTAL = TRUE";
    assertThat(warnings(world.acme, copy))
        .extracting(StatementWarning::message)
        .containsExactly("Loaded 100 rows from 10 files into company_data.inc");
    files(d, 10, 15);
    try (StatementResult r = world.acme.execute(copy)) {
      assertThat(r.updateCount()).isEqualTo(50);
      assertThat(r.warnings())
          .containsExactly(
              new StatementWarning(
                  "00000",
                  "Loaded 50 rows from 5 files into company_data.inc; skipped 10 files loaded"
                      + " before"));
    }
    try (StatementResult r = world.acme.execute(copy)) {
      assertThat(r.updateCount()).isZero();
      assertThat(r.warnings())
          .containsExactly(
              new StatementWarning(
                  "01N02",
                  "No new files to load from 'inc': all 15 files selected were loaded before"));
    }
    assertThat(value(world.acme, "SELECT COUNT(DISTINCT id) FROM company_data.inc"))
        .isEqualTo(150L);
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.inc")).isEqualTo(150L);
    List<Snapshot> snapshots = world.snapshots("inc");
    assertThat(snapshots).hasSize(2);
    assertThat(recorded(snapshots.get(0))).hasSize(10).contains("inc/even/f0.csv");
    assertThat(recorded(snapshots.get(1)))
        .containsExactlyInAnyOrder(
            "inc/even/f10.csv",
            "inc/odd/f11.csv",
            "inc/even/f12.csv",
            "inc/odd/f13.csv",
            "inc/even/f14.csv");
  }

  @Test
  void theRecordOutlivesLaterWritesAndKnowsAFileHoweverItsPathIsWritten() throws Exception {
    Path d = area.resolve("kept");
    files(d, 0, 4);
    update(world.acme, "COPY INTO company_data.kept FROM 'kept/even/f0.csv'");
    assertThat(update(world.acme, "COPY INTO company_data.kept FROM 'kept' INCREMENTAL = TRUE"))
        .as("the file loaded on its own is known")
        .isEqualTo(30);
    update(world.acme, "INSERT INTO company_data.kept VALUES (-1, 'x', 1.5)");
    update(world.acme, "DELETE FROM company_data.kept WHERE id = 0");
    files(d, 4, 5);
    for (String written : List.of(d.toString(), d.toUri().toString(), "kept/../kept")) {
      update(world.acme, "COPY INTO company_data.kept FROM '" + written + "' INCREMENTAL = TRUE");
    }
    update(world.acme, "COPY INTO company_data.kept FROM 'kept/odd/f1.csv' INCREMENTAL = TRUE");
    // 40 rows loaded, one inserted, one deleted, file 4 once, and nothing loaded twice
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.kept")).isEqualTo(50L);
    assertThat(value(world.acme, "SELECT COUNT(DISTINCT id) FROM company_data.kept"))
        .isEqualTo(50L);
  }

  @Test
  void aFileChangedSinceItWasLoadedIsRefusedAndNothingIsLoaded() throws Exception {
    Path d = area.resolve("changed");
    files(d, 0, 3);
    update(world.acme, "COPY INTO company_data.changed FROM 'changed' INCREMENTAL = TRUE");
    files(d, 3, 4);
    Path f1 = d.resolve("odd/f1.csv");
    Files.writeString(f1, Files.readString(f1) + "9999,late,1.5\n");
    int before = world.snapshots("changed").size();

    NqlException e =
        fails(world.acme, "COPY INTO company_data.changed FROM 'changed' INCREMENTAL = TRUE");

    assertThat(e.sqlState()).isEqualTo("55000");
    assertThat(e.getMessage())
        .startsWith("Cannot load 'odd/f1.csv': it changed since it was loaded");
    assertThat(world.snapshots("changed")).hasSize(before);
    // same size, another time: a change too
    Path f2 = d.resolve("even/f2.csv");
    Files.setLastModifiedTime(
        f1, FileTime.fromMillis(Files.getLastModifiedTime(f1).toMillis() + 5000));
    // loading the file again on purpose records its new version
    assertThat(update(world.acme, "COPY INTO company_data.changed FROM 'changed/odd/f1.csv'"))
        .isEqualTo(11);
    Files.setLastModifiedTime(
        f2, FileTime.fromMillis(Files.getLastModifiedTime(f2).toMillis() + 5000));
    assertThat(
            fails(world.acme, "COPY INTO company_data.changed FROM 'changed' INCREMENTAL = TRUE")
                .getMessage())
        .startsWith("Cannot load 'even/f2.csv': it changed since it was loaded");
    update(world.acme, "COPY INTO company_data.changed FROM 'changed/even/f2.csv'");
    assertThat(
            update(world.acme, "COPY INTO company_data.changed FROM 'changed' INCREMENTAL = TRUE"))
        .isEqualTo(10);
  }

  /**
   * Runs {@code first} on a session of its own, holds it after it has read every file and before it
   * commits, runs {@code second} meanwhile, then lets {@code first} commit.
   *
   * @return the outcome of {@code first}: null, or its error
   */
  private Throwable interleaved(String first, String second, long secondRows) throws Exception {
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    try (NqlSession other = world.engine.trusted("acme_user")) {
      other.setProgressListener(
          new ProgressListener() {
            @Override
            public void progress(long done, long total) {}

            @Override
            public void progress(long done, long total, int filesDone, int filesTotal) {
              if (filesTotal > 0 && filesDone == filesTotal) {
                read.countDown();
                try {
                  assertThat(go.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              }
            }
          });
      CompletableFuture<Throwable> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  update(other, first);
                  return null;
                } catch (Throwable t) {
                  return t;
                }
              });
      assertThat(read.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(update(world.acme, second)).isEqualTo(secondRows);
      go.countDown();
      return run.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoIncrementalLoadsOfOneDirectoryAtTheSameTimeLoadEachFileOnce() throws Exception {
    Path d = area.resolve("race");
    files(d, 0, 8);
    update(world.acme, "CREATE DATASET \"race\" (id BIGINT, name VARCHAR, amount DOUBLE)");
    String copy = "COPY INTO company_data.race FROM 'race' INCREMENTAL = TRUE";

    Throwable loser = interleaved(copy, copy, 80);

    assertThat(loser).isInstanceOf(NqlException.class);
    assertThat(((NqlException) loser).sqlState()).isEqualTo("40001");
    assertThat(loser.getMessage())
        .isEqualTo(
            "Cannot load 'race': another statement loaded some of the same files into 'race' at"
                + " the same time; nothing was loaded, run the statement again to load the files"
                + " still new");
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.race")).isEqualTo(80L);
    assertThat(world.snapshots("race")).hasSize(1);
    assertThat(update(world.acme, copy)).isZero();
    // the files the loser wrote are gone: only the winner's data files remain
    assertThat(world.tableFiles("race")).isEqualTo(world.liveFiles("race"));
  }

  @Test
  void incrementalLoadsOfDifferentFilesAtTheSameTimeBothCommit() throws Exception {
    Path d = area.resolve("halves");
    files(d, 0, 6);
    update(world.acme, "CREATE DATASET \"halves\" (id BIGINT, name VARCHAR, amount DOUBLE)");

    Throwable first =
        interleaved(
            "COPY INTO company_data.halves FROM 'halves' PATTERN = 'even/*' INCREMENTAL = TRUE",
            "COPY INTO company_data.halves FROM 'halves' PATTERN = 'odd/*' INCREMENTAL = TRUE",
            30);

    assertThat(first).isNull();
    assertThat(value(world.acme, "SELECT COUNT(*) FROM company_data.halves")).isEqualTo(60L);
    assertThat(world.snapshots("halves")).hasSize(2);
    assertThat(update(world.acme, "COPY INTO company_data.halves FROM 'halves' INCREMENTAL = TRUE"))
        .isZero();
  }
}
