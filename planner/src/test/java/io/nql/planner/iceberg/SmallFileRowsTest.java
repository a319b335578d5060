package io.nql.planner.iceberg;

import static io.nql.planner.testing.IcebergTestTables.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.testing.IcebergTestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.calcite.linq4j.Enumerator;
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
 * A small data file is decoded once per way of reading it: a later scan with the same columns and
 * row-group filter gets the same rows, row ids and counts without opening the file (the test
 * deletes the files to prove it), a scan with another filter or other columns reads the file, and
 * the rows handed out are the scan's own.
 */
class SmallFileRowsTest {
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

  private List<String> read(List<String> columns, @Nullable Expression filter, ScanMetrics m) {
    IcebergScanSpec spec =
        new IcebergScanSpec(new IcebergTable(() -> table), columns, filter, List.of(), true);
    List<String> rows = new ArrayList<>();
    try (Enumerator<Object[]> e = spec.enumerable(ScanContexts.of(m)).enumerator()) {
      while (e.moveNext()) {
        rows.add(Arrays.toString(e.current()));
      }
    }
    return rows;
  }

  private void deleteDataFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(table.location().replace("file:", "")))) {
      List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
      assertThat(parquet).hasSize(2);
      for (Path p : parquet) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aKeptFileAnswersAsItsFirstRead() throws IOException {
    ScanMetrics first = new ScanMetrics();
    List<String> rows = read(List.of("name", "id"), null, first);
    assertThat(rows).hasSize(5).anyMatch(r -> r.startsWith("[a, 1, "));
    deleteDataFiles();
    ScanMetrics again = new ScanMetrics();
    assertThat(read(List.of("name", "id"), null, again)).isEqualTo(rows);
    assertThat(again.rowsRead()).isEqualTo(first.rowsRead()).isEqualTo(5);
    assertThat(again.rowGroupsRead()).isEqualTo(first.rowGroupsRead()).isEqualTo(2);
    // other columns, or the same in another order, are another read of the file
    assertThatThrownBy(() -> read(List.of("id", "name"), null, new ScanMetrics()))
        .hasMessageContaining(".parquet");
  }

  @Test
  void aRowGroupFilterIsPartOfTheKey() throws IOException {
    // The second file's bounds (4..5) rule it out; the first file's rows are all returned (the
    // filter only skips row groups, rows are filtered above the scan).
    Expression below3 = Expressions.lessThan("id", 3L);
    ScanMetrics first = new ScanMetrics();
    List<String> rows = read(List.of("id", "name"), below3, first);
    assertThat(rows).hasSize(3);
    assertThat(first.filesPlanned()).isEqualTo(1);
    deleteDataFiles();
    ScanMetrics again = new ScanMetrics();
    assertThat(read(List.of("id", "name"), below3, again)).isEqualTo(rows);
    assertThat(again.rowGroupsRead()).isEqualTo(first.rowGroupsRead()).isEqualTo(1);
    assertThatThrownBy(
            () -> read(List.of("id", "name"), Expressions.lessThan("id", 2L), new ScanMetrics()))
        .hasMessageContaining(".parquet");
  }

  @Test
  void rowsHandedOutAreTheScansOwn() {
    IcebergScanSpec spec =
        new IcebergScanSpec(
            new IcebergTable(() -> table), List.of("id", "name"), null, List.of(), false);
    try (Enumerator<Object[]> e =
        spec.enumerable(ScanContexts.of(new ScanMetrics())).enumerator()) {
      assertThat(e.moveNext()).isTrue();
      assertThat(e.current()).hasSize(2);
      e.current()[1] = "changed";
    }
    List<String> again = read(List.of("id", "name"), null, new ScanMetrics());
    assertThat(again).hasSize(5).noneMatch(r -> r.contains("changed"));
    assertThat(again).anyMatch(r -> r.startsWith("[1, a, "));
  }
}
