package io.nql.planner.store;

import java.nio.file.Path;

/** The contract over the embedded H2 file database of a warehouse. */
class EmbeddedMetadataStoreTest extends MetadataStoreContractTest {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }
}
