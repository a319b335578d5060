package io.nql.planner.store;

import java.nio.file.Path;

/** The view store's contract over the embedded H2 database of a warehouse. */
class EmbeddedMaterializedViewStoreTest extends MaterializedViewStoreContract {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }
}
