package io.nql.planner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.ingest.RecordWriter;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row lineage in the warehouse: datasets are created in Iceberg format v3; a table of an older
 * format is upgraded when the warehouse opens, once, and every row it held gets an id; a column
 * named like a lineage column is refused at creation.
 */
class RowLineageTest {
  @TempDir Path dir;

  private static final Schema SCHEMA =
      new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()));

  private static void append(Table t, long from, long to) {
    try (RecordWriter w = RecordWriter.open(t)) {
      for (long i = from; i <= to; i++) {
        GenericRecord r = GenericRecord.create(t.schema());
        r.setField("id", i);
        w.write(r);
      }
      w.commit(Map.of());
    }
    t.refresh();
  }

  @Test
  void anOldTableGetsRowIdsForEveryRowWhenTheWarehouseOpensOnce() throws Exception {
    TableIdentifier id = TableIdentifier.of(Namespace.of("legacy"), "events");
    try (Warehouse w = Warehouse.embedded(dir)) {
      ((org.apache.iceberg.catalog.SupportsNamespaces) w.catalog())
          .createNamespace(Namespace.of("legacy"), Map.of());
      Table t =
          w.catalog()
              .buildTable(id, SCHEMA)
              .withProperty(TableProperties.FORMAT_VERSION, "2")
              .create();
      append(t, 1, 2);
      append(t, 3, 5);
      assertThat(Lineage.tracked(t)).isFalse();
      assertThat(Lineage.nextRowId(t.currentSnapshot())).isNull();
    }
    // a warehouse written by an older gateway has no marker (this one wrote it when it opened)
    Path marker = dir.resolve("data").resolve(Warehouse.LINEAGE_MARKER);
    assertThat(marker).exists();
    java.nio.file.Files.delete(marker);
    long upgradedSnapshot;
    try (Warehouse w = Warehouse.embedded(dir)) {
      Table t = w.catalog().loadTable(id);
      assertThat(TableUtil.formatVersion(t)).isEqualTo(3);
      assertThat(Lineage.tracked(t)).isTrue();
      assertThat(t.currentSnapshot().summary()).containsEntry("nql.operation", "row-lineage");
      assertThat(Lineage.nextRowId(t.currentSnapshot())).isEqualTo(5L);
      // the two files' id ranges cover 0 to 4, one id per row
      List<long[]> ranges = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
        for (FileScanTask task : tasks) {
          ranges.add(
              new long[] {
                task.file().firstRowId(), task.file().firstRowId() + task.file().recordCount()
              });
        }
      }
      ranges.sort((a, b) -> Long.compare(a[0], b[0]));
      assertThat(ranges).hasSize(2);
      assertThat(ranges.get(0)[0]).isZero();
      assertThat(ranges.get(0)[1]).isEqualTo(ranges.get(1)[0]);
      assertThat(ranges.get(1)[1]).isEqualTo(5);
      append(t, 6, 6);
      assertThat(Lineage.nextRowId(t.currentSnapshot())).isEqualTo(6L);
      upgradedSnapshot = t.currentSnapshot().snapshotId();
    }
    try (Warehouse w = Warehouse.embedded(dir)) {
      // opening again changes nothing
      assertThat(w.catalog().loadTable(id).currentSnapshot().snapshotId())
          .isEqualTo(upgradedSnapshot);
    }
  }

  @Test
  void newDatasetsHaveLineageAndLineageColumnNamesAreRefused() {
    try (Warehouse w = Warehouse.embedded(dir)) {
      Company acme = w.store().createCompany("acme");
      Dataset d = w.createDataset(acme, "events", SCHEMA, null);
      assertThat(Lineage.tracked(w.loadTable(d))).isTrue();
      for (String reserved : List.of("_row_id", "_last_updated_sequence_number")) {
        Schema bad =
            new Schema(
                Types.NestedField.optional(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, reserved, Types.LongType.get()));
        assertThatThrownBy(() -> w.createDataset(acme, "bad", bad, null))
            .isInstanceOf(NqlException.class)
            .satisfies(
                e -> {
                  assertThat(((NqlException) e).sqlState()).isEqualTo("42602");
                  assertThat(e.getMessage()).contains(reserved, "bad");
                });
        assertThat(w.dataset(acme.id(), "bad")).isEmpty();
      }
    }
  }
}
