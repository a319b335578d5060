package io.nql.planner.iceberg;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.IcebergTestTables;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan plans its files (reads the snapshot's manifests) once: re-opening it — as a nested-loop
 * join re-opens its inner side per outer row — and every later scan of the same snapshot, columns
 * and filter reuse the plan, while the scan metrics still count every open. A new snapshot is
 * planned and read; a different filter is a different plan.
 */
class PlannedFilesTest {
  @TempDir Path dir;
  private Table table;

  @BeforeEach
  void setUp() {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));
    table = new IcebergTestTables(dir).create("t", schema, PartitionSpec.unpartitioned());
    IcebergTestTables.appendFile(
        table, List.of(record(table, 1L, "a"), record(table, 2L, "b"), record(table, 3L, "c")));
    IcebergTestTables.appendFile(table, List.of(record(table, 4L, "d"), record(table, 5L, "e")));
  }

  /** A scan of the table's two columns with {@code filter}, as one statement would load it. */
  private static IcebergScanSpec scan(Table table, @Nullable Expression filter) {
    return new IcebergScanSpec(
        new IcebergTable(() -> table), List.of("id", "name"), filter, List.of(), false);
  }

  private static int open(IcebergScanSpec spec, ScanMetrics metrics) {
    return spec.enumerable(ScanContexts.of(metrics)).count();
  }

  @Test
  void reopeningAScanPlansItsFilesOnce() {
    IcebergScanSpec spec = scan(table, null);
    ScanMetrics metrics = new ScanMetrics();
    assertThat(open(spec, metrics)).isEqualTo(5);
    long bytes = metrics.bytesPlanned();
    assertThat(open(spec, metrics)).isEqualTo(5);
    assertThat(open(spec, metrics)).isEqualTo(5);
    assertThat(metrics.filePlannings()).isEqualTo(1);
    // Every open is still a planned scan of two files in the metrics, as before.
    assertThat(metrics.scans()).isEqualTo(3);
    assertThat(metrics.filesPlanned()).isEqualTo(6);
    assertThat(metrics.filesInSnapshot()).isEqualTo(6);
    assertThat(metrics.bytesPlanned()).isEqualTo(3 * bytes);
    assertThat(metrics.rowsRead()).isEqualTo(15);

    ScanMetrics next = new ScanMetrics();
    assertThat(open(scan(table, null), next)).isEqualTo(5);
    assertThat(next.filePlannings()).as("a later statement, same snapshot").isZero();
    assertThat(next.filesPlanned()).isEqualTo(2);
  }

  @Test
  void aNewSnapshotIsPlannedAndRead() {
    ScanMetrics before = new ScanMetrics();
    assertThat(open(scan(table, null), before)).isEqualTo(5);
    IcebergTestTables.appendFile(table, List.of(record(table, 6L, "f")));
    ScanMetrics after = new ScanMetrics();
    assertThat(open(scan(table, null), after)).isEqualTo(6);
    assertThat(after.filePlannings()).isEqualTo(1);
    assertThat(after.filesPlanned()).isEqualTo(3);
  }

  @Test
  void eachFilterChoosesItsFilesFromTheSnapshotsFilesReadOnce() {
    ScanMetrics metrics = new ScanMetrics();
    // File bounds rule out the second file (ids 4, 5) for id < 3 and the first (1..3) for id > 3;
    // rows are filtered above the scan, so each reads its file's rows.
    assertThat(open(scan(table, Expressions.lessThan("id", 3L)), metrics)).isEqualTo(3);
    assertThat(metrics.filesPlanned()).isEqualTo(1);
    assertThat(open(scan(table, Expressions.greaterThan("id", 3L)), metrics)).isEqualTo(2);
    assertThat(metrics.filesPlanned()).isEqualTo(2);
    assertThat(open(scan(table, Expressions.equal("id", 9L)), metrics)).isZero();
    assertThat(metrics.filesPlanned()).isEqualTo(2);
    assertThat(open(scan(table, Expressions.lessThan("id", 3L)), metrics)).isEqualTo(3);
    assertThat(metrics.filePlannings())
        .as("the manifests, read by the first scan only")
        .isEqualTo(1);
  }

  @Test
  void filterKeysTellFiltersApart() {
    Expression one = Expressions.equal("name", "a\") or (ref(id=2) == \"b");
    Expression two = Expressions.or(Expressions.equal("name", "a"), Expressions.equal("name", "b"));
    assertThat(PlannedFiles.filterKey(table, one)).isNotEqualTo(PlannedFiles.filterKey(table, two));
    assertThat(PlannedFiles.filterKey(table, Expressions.in("name", "a,b")))
        .isNotEqualTo(PlannedFiles.filterKey(table, Expressions.in("name", "a", "b")));
    assertThat(PlannedFiles.filterKey(table, Expressions.equal("id", 1L)))
        .isNotEqualTo(PlannedFiles.filterKey(table, Expressions.equal("id", 10L)))
        .isEqualTo(PlannedFiles.filterKey(table, Expressions.equal("id", 1L)));
    assertThat(PlannedFiles.filterKey(table, Expressions.in("id", 1L, 2L)))
        .isEqualTo(PlannedFiles.filterKey(table, Expressions.in("id", 2L, 1L)));
    assertThat(PlannedFiles.filterKey(table, Expressions.equal("missing", 1L))).isNull();
  }

  @Test
  void aTableThatIsNotIcebergsOwnIsPlannedEveryTime() {
    Table view =
        (Table)
            Proxy.newProxyInstance(
                Table.class.getClassLoader(),
                new Class<?>[] {Table.class},
                (proxy, method, args) -> {
                  try {
                    return method.invoke(table, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    ScanMetrics metrics = new ScanMetrics();
    assertThat(open(scan(view, null), metrics)).isEqualTo(5);
    assertThat(open(scan(view, null), metrics)).isEqualTo(5);
    assertThat(metrics.filePlannings()).isEqualTo(2);
  }
}
