package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nql.planner.error.NqlException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's data directory on a small tmpfs (mounted by the test, which needs root or
 * CAP_SYS_ADMIN; skipped otherwise): a load larger than the free space fails with a clean disk-full
 * error (SQLSTATE 53100, one line, no class name), leaves no new snapshot, the same rows and no
 * file of its own behind; once space is freed the same load works.
 */
class DiskFullLoadTest {
  @TempDir Path dir;

  private Path mount;

  private static final int SMALL = 5_000;

  /** Rows of 64 random hex digits: about 20 MB of Parquet that does not compress much. */
  private static final int BIG = 600_000;

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", command) + ": " + out.strip());
    }
    return p.exitValue();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aLoadThatFillsTheDiskFailsCleanlyAndWorksOnceThereIsSpace() throws Exception {
    Path data = Files.createDirectories(dir.resolve("wh").resolve("data"));
    int rc = run("mount", "-t", "tmpfs", "-o", "size=12M", "tmpfs", data.toString());
    assumeTrue(rc == 0, "mounting a tmpfs is not permitted here (needs root): disk-full skipped");
    mount = data;
    try (CopyWorld w = new CopyWorld(dir)) {
      CopyWorld.csv(w.area("acme").resolve("small.csv"), 1, SMALL);
      writeRandom(w.area("acme").resolve("big.csv"), 1 + SMALL, BIG);
      CopyWorld.update(
          w.acme, "CREATE DATASET \"events\" (id BIGINT, name VARCHAR, amount DECIMAL(6,2))");
      assertThat(CopyWorld.update(w.acme, "COPY INTO company_data.events FROM 'small.csv'"))
          .isEqualTo(SMALL);
      long snapshot = w.table("events").currentSnapshot().snapshotId();
      Set<Path> before = new HashSet<>(w.tableFiles("events"));

      NqlException e =
          CopyWorld.fails(w.acme, "COPY INTO company_data.events FROM 'big.csv' HEADER = TRUE");
      assertThat(e).as("the load must fail: the disk is full").isNotNull();
      assertThat(e.sqlState()).as(e.toString()).isEqualTo("53100");
      assertThat(e.getMessage())
          .startsWith("Cannot load ")
          .doesNotContain("\n", "Exception", "java.", "org.apache");

      assertThat(w.table("events").currentSnapshot().snapshotId()).isEqualTo(snapshot);
      assertThat(w.snapshots("events")).hasSize(1);
      assertThat(CopyWorld.value(w.acme, "SELECT COUNT(*) FROM company_data.events"))
          .isEqualTo((long) SMALL);
      assertThat(new HashSet<>(w.tableFiles("events")))
          .as("nothing the failed load wrote is left")
          .isEqualTo(before);

      // the operator makes room: the same load now works, as one snapshot
      assertThat(run("mount", "-o", "remount,size=256M", data.toString())).isZero();
      assertThat(
              CopyWorld.update(
                  w.acme, "COPY INTO company_data.events FROM 'big.csv' HEADER = TRUE"))
          .isEqualTo(BIG);
      assertThat(w.snapshots("events")).hasSize(2);
      assertThat(CopyWorld.value(w.acme, "SELECT COUNT(*) FROM company_data.events"))
          .isEqualTo((long) SMALL + BIG);
    }
  }

  /** {@code rows} rows {@code id,name,amount} whose names are 64 random hex digits. */
  private static void writeRandom(Path file, long firstId, int rows) throws IOException {
    SplittableRandom r = new SplittableRandom(42);
    HexFormat hex = HexFormat.of();
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("id,name,amount\n");
      byte[] b = new byte[32];
      for (long i = firstId; i < firstId + rows; i++) {
        r.nextBytes(b);
        out.write(i + "," + hex.formatHex(b) + "," + (i % 100) + ".25\n");
      }
    }
  }
}
