package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.result.ProgressListener;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy-on-write replacement ({@link RowAppender#replace}): the new files take the place of the
 * snapshot's files in one commit; a write committed since that snapshot makes it fail with 40001,
 * leaving the table and its files as the other write left them; a bad row or nothing changed
 * commits nothing.
 */
class RowReplaceTest {
  @TempDir Path dir;
  Table table;
  long snapshot;
  List<DataFile> files;

  @BeforeEach
  void setUp() throws Exception {
    table =
        IcebergTestTables.create(dir, "t", LoadFailureTest.SCHEMA, PartitionSpec.unpartitioned());
    Path seed = dir.resolve("seed.csv");
    Files.writeString(seed, "id,day,qty,name\n1,2026-10-01,1,a\n2,2026-10-02,2,b\n");
    CopyLoader.load(table, seed, CopyOptions.defaults(), ProgressListener.NONE);
    table.refresh();
    snapshot = table.currentSnapshot().snapshotId();
    files = files(table);
  }

  private static List<DataFile> files(Table t) throws Exception {
    List<DataFile> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      tasks.forEach(task -> out.add(task.file()));
    }
    return out;
  }

  private static java.util.function.Supplier<Object[]> rows(Object[]... rows) {
    Iterator<Object[]> it = List.of(rows).iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  private LoadResult replace(java.util.function.Supplier<Object[]> rows, boolean changed) {
    return RowAppender.replace(
        table,
        "company_data.t",
        new int[] {0, 1, 2, 3},
        rows,
        snapshot,
        files,
        "update",
        () -> changed);
  }

  @Test
  void theNewFilesReplaceTheSnapshotsFilesInOneCommit() throws Exception {
    LoadResult r = replace(rows(new Object[] {1L, null, 10, "A"}), true);
    table.refresh();
    assertThat(r.rowsLoaded()).isEqualTo(1);
    assertThat(table.currentSnapshot().parentId()).isEqualTo(snapshot);
    assertThat(table.currentSnapshot().summary()).containsEntry("nql.operation", "update");
    assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "1");
    assertThat(IcebergTestTables.dataFilesOnDisk(table)).hasSize(2); // old file kept for history
    assertThat(files(table)).hasSize(1).doesNotContainAnyElementsOf(files);
  }

  @Test
  void aWriteCommittedMeanwhileFailsTheReplacementWith40001AndKeepsTheOtherWrite()
      throws Exception {
    Path more = dir.resolve("more.csv");
    Files.writeString(more, "id,day,qty,name\n3,2026-10-03,3,c\n");
    CopyLoader.load(table, more, CopyOptions.defaults(), ProgressListener.NONE);
    table.refresh();
    long concurrent = table.currentSnapshot().snapshotId();
    int onDisk = IcebergTestTables.dataFilesOnDisk(table).size();
    NqlException e =
        catchThrowableOfType(
            () -> replace(rows(new Object[] {1L, null, 10, "A"}), true), NqlException.class);
    assertThat(e.sqlState()).isEqualTo("40001");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot update company_data.t: another statement changed it while this one ran; run"
                + " the statement again");
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(concurrent);
    assertThat(IcebergTestTables.dataFilesOnDisk(table)).hasSize(onDisk); // its files deleted
  }

  @Test
  void aBadRowOrNothingChangedCommitsNothing() throws Exception {
    int onDisk = IcebergTestTables.dataFilesOnDisk(table).size();
    NqlException e =
        catchThrowableOfType(
            () ->
                replace(
                    rows(new Object[] {1L, null, 1, "a"}, new Object[] {null, null, 2, "b"}), true),
            NqlException.class);
    assertThat(e.sqlState()).isEqualTo("23502");
    assertThat(e.getMessage()).startsWith("Cannot update company_data.t: row 2, column 'id'");
    assertThat(replace(rows(new Object[] {1L, null, 1, "a"}), false).rowsLoaded()).isZero();
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    assertThat(IcebergTestTables.dataFilesOnDisk(table)).hasSize(onDisk);
  }
}
