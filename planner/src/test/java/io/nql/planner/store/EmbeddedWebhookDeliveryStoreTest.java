package io.nql.planner.store;

import java.nio.file.Path;

/** The delivery store's contract over the embedded H2 database of a warehouse. */
class EmbeddedWebhookDeliveryStoreTest extends WebhookDeliveryStoreContract {
  @Override
  protected MetadataStore openStore(Path warehouseDir) {
    return MetadataStore.embedded(warehouseDir);
  }
}
