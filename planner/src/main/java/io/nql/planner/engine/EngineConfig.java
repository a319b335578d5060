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
 * @param exportRoots directories {@code EXPORT} may write below, each company only in its own area
 *     {@code <root>/<company_slug>/}; none may overlap the warehouse, the metadata store's
 *     directory or an ingest root; empty refuses every export
 * @param adminPassword password for the bootstrap {@code admin} user on first start, or {@code
 *     null} to generate one
 * @param secretKeyFile the file holding the key that seals secrets (32 bytes in base64), or {@code
 *     null} for {@code <warehouse>/secret.key}, created with a random key on first start
 * @param postgresImportHosts the PostgreSQL servers {@code COPY INTO … FROM POSTGRES} may connect
 *     to: {@code host}, {@code host:port}, {@code host:*} or {@code *}; empty allows none
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
    List<Path> exportRoots,
    String adminPassword,
    Path secretKeyFile,
    List<String> postgresImportHosts,
    String webhookHosts) {

  /** The configuration, its passwords hidden: it is written to logs. */
  @Override
  public String toString() {
    return io.nql.planner.error.Redacted.toString(this);
  }

  /**
   * @throws IllegalArgumentException without a warehouse, or when {@code webhookHosts} is not a
   *     host policy
   */
  public EngineConfig {
    if (warehouse == null) {
      throw new IllegalArgumentException("warehouse directory is required");
    }
    ingestRoots = ingestRoots == null ? List.of() : List.copyOf(ingestRoots);
    exportRoots = exportRoots == null ? List.of() : List.copyOf(exportRoots);
    webhookHosts = webhookHosts == null ? WebhookHosts.DEFAULT : webhookHosts;
    WebhookHosts.parse(webhookHosts);
    postgresImportHosts =
        postgresImportHosts == null ? List.of() : List.copyOf(postgresImportHosts);
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

  /** A configuration with the default secret key file and no PostgreSQL import hosts. */
  public EngineConfig(
      Path warehouse,
      String metadataUrl,
      String metadataUser,
      String metadataPassword,
      List<Path> ingestRoots,
      List<Path> exportRoots,
      String adminPassword) {
    this(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        exportRoots,
        adminPassword,
        null,
        List.of(),
        null);
  }

  /** A configuration without export roots. */
  public EngineConfig(
      Path warehouse,
      String metadataUrl,
      String metadataUser,
      String metadataPassword,
      List<Path> ingestRoots,
      String adminPassword,
      Path secretKeyFile,
      List<String> postgresImportHosts) {
    this(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        List.of(),
        adminPassword,
        secretKeyFile,
        postgresImportHosts,
        null);
  }

  /** A configuration without export roots, with the default secret key file, no import hosts. */
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
        List.of(),
        adminPassword,
        null,
        List.of(),
        null);
  }

  /**
   * Whether {@code dir} may serve as an ingest root: it neither holds nor lies inside the
   * warehouse, the metadata store's local directory or an export root (the engine refuses such a
   * root when it opens).
   */
  public boolean mayIngestBelow(Path dir) {
    List<Path> keepOut = new java.util.ArrayList<>(List.of(warehouse));
    keepOut.addAll(exportRoots);
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
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        roots,
        exportRoots,
        adminPassword,
        secretKeyFile,
        postgresImportHosts,
        webhookHosts);
  }

  /** This configuration with other export roots. */
  public EngineConfig withExportRoots(List<Path> roots) {
    return new EngineConfig(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        roots,
        adminPassword,
        secretKeyFile,
        postgresImportHosts,
        webhookHosts);
  }

  /** This configuration with another secret key file ({@code null}: the warehouse's). */
  public EngineConfig withSecretKeyFile(Path file) {
    return new EngineConfig(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        exportRoots,
        adminPassword,
        file,
        postgresImportHosts,
        webhookHosts);
  }

  /** This configuration with other PostgreSQL import hosts. */
  public EngineConfig withPostgresImportHosts(List<String> hosts) {
    return new EngineConfig(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        exportRoots,
        adminPassword,
        secretKeyFile,
        hosts,
        webhookHosts);
  }

  /** This configuration with another webhook host policy ({@code --webhook-hosts}). */
  public EngineConfig withWebhookHosts(String hosts) {
    return new EngineConfig(
        warehouse,
        metadataUrl,
        metadataUser,
        metadataPassword,
        ingestRoots,
        exportRoots,
        adminPassword,
        secretKeyFile,
        postgresImportHosts,
        hosts);
  }

  /** An embedded-store configuration with the admin password from {@code NQL_ADMIN_PASSWORD}. */
  public static EngineConfig embedded(Path warehouse, List<Path> ingestRoots) {
    return new EngineConfig(
        warehouse, null, null, null, ingestRoots, System.getenv("NQL_ADMIN_PASSWORD"));
  }
}
