package io.nql.planner.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.IcebergTestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a filter keeps, chosen in memory from a snapshot's kept file list, are the files
 * Iceberg's own scan planning keeps (by partition and by column bounds), for every snapshot.
 */
class SnapshotFilesTest {
  @TempDir Path dir;

  @Test
  void keepsTheFilesIcebergsPlanningKeeps() throws IOException {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "region", Types.StringType.get()),
            Types.NestedField.optional(3, "code", Types.StringType.get()));
    Table table =
        IcebergTestTables.create(
            dir, "t", schema, PartitionSpec.builderFor(schema).identity("region").build());
    List<Snapshot> snapshots = new ArrayList<>();
    long id = 0;
    for (String region : new String[] {"eu", "us", "eu", "apac", "us"}) {
      List<Record> rows = new ArrayList<>();
      for (int k = 0; k < 100; k++, id++) {
        rows.add(IcebergTestTables.record(table, id, region, k % 3 == 0 ? null : "c" + id % 7));
      }
      IcebergTestTables.appendFile(table, rows);
      snapshots.add(table.currentSnapshot());
    }
    List<Expression> filters =
        List.of(
            Expressions.equal("region", "eu"),
            Expressions.lessThan("id", 150L),
            Expressions.and(Expressions.greaterThan("id", 250L), Expressions.equal("region", "us")),
            Expressions.or(Expressions.equal("id", 42L), Expressions.equal("id", 442L)),
            Expressions.equal("id", 10_000L),
            Expressions.isNull("code"),
            Expressions.notEqual("region", "eu"),
            Expressions.in("code", "c1", "c9"),
            Expressions.alwaysFalse());
    for (Snapshot snapshot : snapshots) {
      assertThat(paths(SnapshotFiles.plan(table, snapshot, null)))
          .isEqualTo(icebergPlan(table, snapshot, Expressions.alwaysTrue()));
      for (Expression filter : filters) {
        assertThat(paths(SnapshotFiles.plan(table, snapshot, filter)))
            .as(filter + " at " + snapshot.snapshotId())
            .isEqualTo(icebergPlan(table, snapshot, filter));
      }
    }
  }

  @Test
  void snapshotsOfOneTableShareTheMetadataOfTheirCommonFiles() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "region", Types.StringType.get()));
    Table table = IcebergTestTables.create(dir, "loads", schema, PartitionSpec.unpartitioned());
    List<List<FileScanTask>> listings = new ArrayList<>();
    for (long load = 0; load < 4; load++) {
      IcebergTestTables.appendFile(table, List.of(IcebergTestTables.record(table, load, "eu")));
      listings.add(SnapshotFiles.plan(table, table.currentSnapshot(), null));
    }
    // Each load adds one file; every later snapshot's task for an earlier file is the very object
    // kept for the earlier snapshot, so n loads keep n files' metadata, not n * (n + 1) / 2.
    for (int i = 1; i < listings.size(); i++) {
      List<FileScanTask> before = listings.get(i - 1);
      List<FileScanTask> now = listings.get(i);
      assertThat(now).hasSize(i + 1);
      for (FileScanTask task : before) {
        FileScanTask same =
            now.stream()
                .filter(t -> t.file().location().equals(task.file().location()))
                .findFirst()
                .orElseThrow();
        assertThat(same).isSameAs(task);
      }
    }
    // A schema change starts over: tasks carry the schema they were planned with.
    table.updateSchema().addColumn("note", Types.StringType.get()).commit();
    IcebergTestTables.appendFile(table, List.of(IcebergTestTables.record(table, 9L, "us", null)));
    List<FileScanTask> evolved = SnapshotFiles.plan(table, table.currentSnapshot(), null);
    assertThat(evolved).hasSize(5).doesNotContainAnyElementsOf(listings.get(3));
    assertThat(paths(evolved)).containsAll(paths(listings.get(3)));
    assertThat(evolved.get(0).schema().findField("note")).isNotNull();
  }

  private static Set<String> paths(List<FileScanTask> tasks) {
    Set<String> out = new TreeSet<>();
    for (FileScanTask t : tasks) {
      out.add(t.file().location());
    }
    return out;
  }

  private static Set<String> icebergPlan(Table table, Snapshot snapshot, Expression filter)
      throws IOException {
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(snapshot.snapshotId()).filter(filter).planFiles()) {
      List<FileScanTask> list = new ArrayList<>();
      tasks.forEach(list::add);
      return paths(list);
    }
  }
}
