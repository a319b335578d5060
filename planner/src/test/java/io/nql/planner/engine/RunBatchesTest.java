package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's rows in batches: the files its snapshot added (append) or all its files (overwrite), by
 * location, cut at fixed row counts across file boundaries; any batch, in any order, holds the same
 * rows.
 */
class RunBatchesTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()));

  private static List<Record> ids(Table t, int from, int to) {
    List<Record> rows = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      rows.add(IcebergTestTables.record(t, i));
    }
    return rows;
  }

  private static List<Long> values(List<Record> batch) {
    return batch.stream().map(r -> (Long) r.get(0)).toList();
  }

  @Test
  void batchesCrossFilesInLocationOrderAndRepeatInAnyOrder() {
    Table t = IcebergTestTables.create(dir, "t", SCHEMA);
    List<DataFile> files = new ArrayList<>();
    files.add(IcebergTestTables.appendFile(t, ids(t, 1, 10)));
    files.add(IcebergTestTables.appendFile(t, ids(t, 11, 15)));
    files.add(IcebergTestTables.appendFile(t, ids(t, 16, 27)));
    long snapshot = t.currentSnapshot().snapshotId();
    // the whole snapshot, in the order of the files' locations
    List<Long> expected = new ArrayList<>();
    files.stream()
        .sorted(Comparator.comparing(DataFile::location))
        .forEach(
            f -> {
              long first = f.recordCount() == 10 ? 1 : f.recordCount() == 5 ? 11 : 16;
              for (long i = 0; i < f.recordCount(); i++) {
                expected.add(first + i);
              }
            });
    try (RunBatches all = RunBatches.of(t, snapshot, true, 7)) {
      assertThat(all.rows()).isEqualTo(27);
      assertThat(all.batches()).isEqualTo(4);
      List<Long> inOrder = new ArrayList<>();
      for (int n = 1; n <= 4; n++) {
        inOrder.addAll(values(all.batch(n)));
      }
      assertThat(inOrder).isEqualTo(expected);
      assertThat(values(all.batch(3))).isEqualTo(expected.subList(14, 21));
      assertThat(values(all.batch(1))).isEqualTo(expected.subList(0, 7));
      assertThat(values(all.batch(4))).isEqualTo(expected.subList(21, 27));
      assertThat(values(all.batch(2))).isEqualTo(expected.subList(7, 14));
      assertThatThrownBy(() -> all.batch(5)).isInstanceOf(IllegalArgumentException.class);
    }
    // the last append's rows only
    try (RunBatches added = RunBatches.of(t, snapshot, false, 5)) {
      assertThat(added.batches()).isEqualTo(3);
      assertThat(values(added.batch(3))).containsExactly(26L, 27L);
      assertThat(values(added.batch(1))).containsExactly(16L, 17L, 18L, 19L, 20L);
    }
  }

  @Test
  void aSnapshotTheTableNoLongerHasIsRefused() {
    Table t = IcebergTestTables.create(dir, "t", SCHEMA);
    IcebergTestTables.appendFile(t, ids(t, 1, 3));
    assertThatThrownBy(() -> RunBatches.of(t, 42L, false, 5))
        .isInstanceOfSatisfying(
            NqlException.class, e -> assertThat(e.sqlState()).isEqualTo("55000"));
  }
}
