package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load of several files through the API: the threads asked for really write (one writer, so one
 * data file, per thread for small files), the rows are the same whatever the threads, and a failure
 * deletes every thread's files.
 */
class ParallelLoadTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()));

  private List<SourceFile> files(int count, int rows) throws Exception {
    List<SourceFile> files = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      StringBuilder sb = new StringBuilder("id,name\n");
      for (int i = 0; i < rows + k; i++) {
        long id = k * 10_000L + i;
        sb.append(id).append(",n").append(id).append('\n');
      }
      Path file = Files.writeString(dir.resolve(String.format("in/f%02d.csv", k)), sb);
      files.add(SourceFile.of(file, "f" + k + ".csv", "in/f" + k + ".csv"));
    }
    return files;
  }

  private static CopyPlan plan(List<SourceFile> files) {
    return new CopyPlan(new CopySource("in", true, null, files), files, 0, null);
  }

  @Test
  void everyThreadAskedForWritesItsOwnDataFilesAndTheRowsAreTheSame() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    List<SourceFile> files = files(20, 500);
    List<List<Object>> rowsByThreads = new ArrayList<>();
    for (int threads : List.of(1, 4)) {
      Table table = IcebergTestTables.create(dir, "t" + threads, SCHEMA);

      LoadResult r =
          CopyLoader.load(
              table, "t", plan(files), CopyOptions.defaults(), threads, 0, ProgressListener.NONE);

      assertThat(r.filesLoaded()).isEqualTo(20);
      assertThat(r.rowsLoaded()).isEqualTo(20 * 500 + 190);
      assertThat(r.dataFiles()).as("one writer per thread").isEqualTo(threads);
      table.refresh();
      assertThat(table.snapshots()).hasSize(1);
      Map<String, String> summary = table.currentSnapshot().summary();
      assertThat(summary.get("added-data-files")).isEqualTo(String.valueOf(threads));
      assertThat(summary.get("added-records")).isEqualTo("10190");
      List<Object> ids = new ArrayList<>();
      for (Record rec : IcebergTestTables.rows(table, "id")) {
        ids.add(rec.getField("id") + "/" + rec.getField("name"));
      }
      rowsByThreads.add(ids);
    }
    assertThat(rowsByThreads.get(1)).isEqualTo(rowsByThreads.get(0)).hasSize(10190);
  }

  @Test
  void aFailureInOneThreadDeletesTheFilesOfEveryThread() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    List<SourceFile> files = new ArrayList<>(files(12, 2000));
    Path bad = files.get(11).path();
    Files.writeString(bad, Files.readString(bad) + "oops,x\n");
    files.set(11, SourceFile.of(bad, "f11.csv", "in/f11.csv"));
    Table table = IcebergTestTables.create(dir, "failing", SCHEMA);

    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                CopyLoader.load(
                    table,
                    "failing",
                    plan(files),
                    CopyOptions.defaults(),
                    3,
                    0,
                    ProgressListener.NONE));

    assertThat(e.getMessage())
        .isEqualTo("Cannot load 'f11.csv': line 2013, column 'id': 'oops' is not a valid BIGINT");
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();
    try (var walk = Files.walk(dir.resolve("failing"))) {
      assertThat(walk.filter(p -> p.toString().endsWith(".parquet"))).isEmpty();
    }
  }

  @Test
  void aFileWrittenToWhileItIsReadFailsTheLoad() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    List<SourceFile> files = files(2, 10);
    Files.writeString(files.get(1).path(), "99999,late\n", java.nio.file.StandardOpenOption.APPEND);
    Table table = IcebergTestTables.create(dir, "growing", SCHEMA);

    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                CopyLoader.load(
                    table,
                    "growing",
                    plan(files),
                    CopyOptions.defaults(),
                    2,
                    0,
                    ProgressListener.NONE));

    assertThat(e.sqlState()).isEqualTo("55000");
    assertThat(e.getMessage()).startsWith("Cannot load 'f1.csv': the file changed while it was");
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();
  }
}
