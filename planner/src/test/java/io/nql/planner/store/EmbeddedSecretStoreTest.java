package io.nql.planner.store;

import java.nio.file.Path;

/** The secret store's contract over the embedded H2 database of a warehouse. */
class EmbeddedSecretStoreTest extends SecretStoreContract {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }
}
