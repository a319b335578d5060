package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract over the embedded H2 file database of a warehouse, plus embedded-only checks. */
class EmbeddedMetadataStoreTest extends MetadataStoreContractTest {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }

  @Test
  void embeddedWarehouseKeepsEverythingUnderItsDirectory(@TempDir Path dir) {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    Dataset dataset;
    try (Warehouse warehouse = Warehouse.embedded(dir)) {
      Company acme = warehouse.store().createCompany("acme");
      dataset = warehouse.createDataset(acme, "orders", schema, null);
    }
    assertThat(dir.resolve("metadata")).isDirectoryContaining(p -> p.toString().endsWith(".db"));
    assertThat(dir.resolve("data/c" + dataset.companyId() + "/d" + dataset.id() + "/metadata"))
        .isDirectory();

    try (Warehouse reopened = Warehouse.embedded(dir)) {
      assertThat(reopened.root()).isEqualTo(dir.toAbsolutePath().normalize());
      assertThat(reopened.datasets(dataset.companyId())).containsExactly(dataset);
      assertThat(reopened.loadTable(dataset).schema().columns()).hasSize(1);
    }
    assertThat(Files.exists(dir.resolve("metadata"))).isTrue();
    assertThat(List.of(dir.toFile().list())).containsExactlyInAnyOrder("metadata", "data");
  }
}
