package io.nql.planner.store;

import java.nio.file.Path;

/** The data plane store's contract over the embedded H2 database of a warehouse. */
class EmbeddedDataPlaneStoreTest extends DataPlaneStoreContract {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }
}
