package io.nql.planner.engine;

import io.nql.planner.ingest.IngestRoots;
import io.nql.planner.store.StoreConfig;
import io.nql.planner.webhook.WebhookHosts;
import java.nio.file.Path;
import java.util.List;

/**
 * How to open an engine.
 *
 * @param warehouse the warehouse directory (data files, and the embedded metadata database unless
 *     {@code metadataUrl} is set)
 * @param metadataUrl JDBC URL of the metadata store (e.g. {@code jdbc:postgresql://…}), or {@code
 *     null} for the embedded store under the warehouse
 * @param metadataUser user for {@code metadataUrl}, or {@code null}
 * @param metadataPassword password for {@code metadataUrl}, or {@code null}
 * @param ingestRoots directories {@code COPY INTO} may read below, each company only in its own
 *     area {@code <root>/<company_slug>/}; none may overlap the warehouse or the metadata store's
 *     directory; empty refuses every file
 * @param adminPassword password for the bootstrap {@code admin} user on first start, or {@code
 *     null} to generate one
 * @param webhookHosts the hosts webhook deliveries may post to ({@code --webhook-hosts}): {@code
 *     public} (the default), {@code none}, or a comma-separated list of host names, {@code
 *     *.domain}s and addresses, optionally with {@code public} (see {@link WebhookHosts})
 */
public record EngineConfig(
    Path warehouse,
    String metadataUrl,
    String metadataUser,
    String metadataPassword,
    List<Path> ingestRoots,
    String adminPassword,
    String webhookHosts) {

  /**
   * @throws IllegalArgumentException without a warehouse, or when {@code webhookHosts} is not a
   *     host policy
   */
  public EngineConfig {
    if (warehouse == null) {
      throw new IllegalArgumentException("warehouse directory is required");
    }
    ingestRoots = ingestRoots == null ? List.of() : List.copyOf(ingestRoots);
    webhookHosts = webhookHosts == null ? WebhookHosts.DEFAULT : webhookHosts;
    WebhookHosts.parse(webhookHosts);
  }

  /**
   * Checks a webhook host policy ({@code --webhook-hosts}).
   *
   * @throws IllegalArgumentException naming the entry that is not {@code public}, {@code none}, a
   *     host pattern or an address
   */
  public static void checkWebhookHosts(String hosts) {
    WebhookHosts.parse(hosts);
  }

  /** A configuration whose webhooks may post to public hosts only (the default). */
  public EngineConfig(
      Path warehouse,
      String metadataUrl,
      String metadataUser,
      String metadataPassword,
      List<Path> ingestRoots,
      String adminPassword) {
    this(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        adminPassword,
        WebhookHosts.DEFAULT);
  }

  /**
   * Whether {@code dir} may serve as an ingest root: it neither holds nor lies inside the warehouse
   * or the metadata store's local directory (the engine refuses such a root when it opens).
   */
  public boolean mayIngestBelow(Path dir) {
    List<Path> keepOut = new java.util.ArrayList<>(List.of(warehouse));
    if (metadataUrl != null) {
      new StoreConfig(metadataUrl, metadataUser, metadataPassword)
          .localDirectory()
          .ifPresent(keepOut::add);
    }
    return keepOut.stream().noneMatch(d -> IngestRoots.overlap(dir, d));
  }

  /** This configuration with other ingest roots. */
  public EngineConfig withIngestRoots(List<Path> roots) {
    return new EngineConfig(
        warehouse, metadataUrl, metadataUser, metadataPassword, roots, adminPassword, webhookHosts);
  }

  /** This configuration with another webhook host policy ({@code --webhook-hosts}). */
  public EngineConfig withWebhookHosts(String hosts) {
    return new EngineConfig(
        warehouse, metadataUrl, metadataUser, metadataPassword, ingestRoots, adminPassword, hosts);
  }

  /** An embedded-store configuration with the admin password from {@code NQL_ADMIN_PASSWORD}. */
  public static EngineConfig embedded(Path warehouse, List<Path> ingestRoots) {
    return new EngineConfig(
        warehouse, null, null, null, ingestRoots, System.getenv("NQL_ADMIN_PASSWORD"));
  }
}
