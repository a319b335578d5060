package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.IcebergTestTables;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table with a sort order gets every data file's rows in that order (NULLs where the order puts
 * them, equal keys in input order), also when the load is written in several sorted runs and into
 * several partitions; the files record the order's id. Without an order, rows keep their input
 * order.
 */
class SortedWriteTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "seq", Types.LongType.get()),
          Types.NestedField.optional(2, "key", Types.LongType.get()),
          Types.NestedField.optional(3, "day", Types.DateType.get()),
          Types.NestedField.optional(4, "name", Types.StringType.get()));

  private static List<Record> shuffled(Table table, int n) {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Long key = i % 50 == 0 ? null : (long) (i % 700);
      rows.add(
          IcebergTestTables.record(
              table, (long) i, key, LocalDate.of(2026, 1, 1 + i % 3), "name " + (i % 13)));
    }
    Collections.shuffle(rows, new Random(11));
    return rows;
  }

  private static List<Record> readFile(Table table, DataFile file) throws Exception {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        org.apache.iceberg.parquet.Parquet.read(table.io().newInputFile(file.location()))
            .project(table.schema())
            .createReaderFunc(
                s ->
                    org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(
                        table.schema(), s))
            .build()) {
      rows.forEach(out::add);
    }
    return out;
  }

  @Test
  void everyFileOfASortedTableIsInOrder() throws Exception {
    Table table = IcebergTestTables.create(dir, "sorted", SCHEMA, PartitionSpec.unpartitioned());
    table.replaceSortOrder().desc("key", NullOrder.NULLS_LAST).asc("name").commit();
    List<Record> input = shuffled(table, 5000);
    // runs of about 40,000 estimated bytes: several sorted runs, several files
    RecordWriter.AppendResult result;
    try (RecordWriter writer =
        RecordWriter.open(table, RecordWriter.DEFAULT_TARGET_FILE_SIZE, 40_000)) {
      input.forEach(writer::write);
      result = writer.commit(Map.of());
    }
    assertThat(result.rows()).isEqualTo(5000);
    assertThat(result.dataFiles()).hasSizeGreaterThan(3);
    long total = 0;
    for (DataFile file : result.dataFiles()) {
      assertThat(file.sortOrderId()).isEqualTo(table.sortOrder().orderId());
      List<Record> rows = readFile(table, file);
      total += rows.size();
      for (int i = 1; i < rows.size(); i++) {
        Record a = rows.get(i - 1);
        Record b = rows.get(i);
        Long ka = (Long) a.getField("key");
        Long kb = (Long) b.getField("key");
        // key descending, NULLs last; then name ascending; then input order
        if (ka == null) {
          assertThat(kb).isNull();
        } else if (kb != null) {
          assertThat(ka).isGreaterThanOrEqualTo(kb);
          if (ka.equals(kb)) {
            assertThat(((String) a.getField("name")).compareTo((String) b.getField("name")))
                .isLessThanOrEqualTo(0);
          }
        }
      }
    }
    assertThat(total).isEqualTo(5000);
    assertThat(IcebergTestTables.rows(table, "seq")).hasSize(5000);
  }

  @Test
  void partitionedSortedTableSortsEachPartitionsFile() throws Exception {
    PartitionSpec spec = PartitionSpec.builderFor(SCHEMA).day("day").build();
    Table table = IcebergTestTables.create(dir, "parts", SCHEMA, spec);
    table.replaceSortOrder().asc("key").commit();
    RecordWriter.AppendResult result = RecordWriter.appendAll(table, shuffled(table, 3000));
    assertThat(result.dataFiles()).hasSize(3);
    for (DataFile file : result.dataFiles()) {
      List<Record> rows = readFile(table, file);
      assertThat(rows).hasSize(1000);
      for (int i = 1; i < rows.size(); i++) {
        Long ka = (Long) rows.get(i - 1).getField("key");
        Long kb = (Long) rows.get(i).getField("key");
        // ascending: NULLs first
        assertThat(ka == null || (kb != null && ka <= kb)).as("row %d", i).isTrue();
      }
    }
  }

  @Test
  void unsortedTableKeepsInputOrder() throws Exception {
    Table table = IcebergTestTables.create(dir, "plain", SCHEMA, PartitionSpec.unpartitioned());
    List<Record> input = shuffled(table, 1000);
    RecordWriter.AppendResult result = RecordWriter.appendAll(table, input);
    assertThat(result.dataFiles()).hasSize(1);
    assertThat(readFile(table, result.dataFiles().get(0)))
        .extracting(r -> r.getField("seq"))
        .containsExactlyElementsOf(input.stream().map(r -> r.getField("seq")).toList());
    assertThat(SortOrder.unsorted().isSorted()).isFalse();
  }
}
