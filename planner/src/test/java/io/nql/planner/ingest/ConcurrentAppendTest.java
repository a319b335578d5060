package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends race for a table's metadata; one that loses every race Iceberg retries (here none: the
 * table allows no retries, as a busy machine with many writers exhausts the default few) is built
 * anew and committed again by the writer, so that concurrent appends all succeed, each as one
 * snapshot with all its rows — found by the soak, where four loaders of one dataset failed with
 * {@code 58030 commit failed}.
 */
class ConcurrentAppendTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void concurrentAppendsThatLoseRacesAreCommittedAgain() throws Exception {
    Table created = IcebergTestTables.create(dir, "t", SCHEMA, PartitionSpec.unpartitioned());
    created.updateProperties().set(TableProperties.COMMIT_NUM_RETRIES, "0").commit();
    int writers = 4;
    int rows = 1_000;
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      long base = w * 1_000_000L;
      threads.add(
          new Thread(
              () -> {
                try {
                  // each writer its own table handle, as each statement loads the table
                  Table table = new HadoopTables(new Configuration()).load(created.location());
                  try (RecordWriter writer =
                      RecordWriter.open(table, RecordWriter.DEFAULT_TARGET_FILE_SIZE, 1 << 20)) {
                    for (long i = 0; i < rows; i++) {
                      writer.write(IcebergTestTables.record(table, base + i));
                    }
                    start.await();
                    assertThat(writer.commit(Map.of()).rows()).isEqualTo(rows);
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              }));
    }
    threads.forEach(Thread::start);
    Thread.sleep(500);
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    created.refresh();
    int snapshots = 0;
    for (var ignored : created.snapshots()) {
      snapshots++;
    }
    assertThat(snapshots).isEqualTo(writers);
    assertThat(IcebergTestTables.rows(created, "id")).hasSize(writers * rows);
  }
}
