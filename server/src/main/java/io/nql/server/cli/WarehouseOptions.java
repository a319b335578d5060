package io.nql.server.cli;

import io.nql.planner.engine.EngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that opens a warehouse. */
final class WarehouseOptions {
  @Option(
      names = "--warehouse",
      required = true,
      paramLabel = "DIR",
      description = "Warehouse directory (created when missing).")
  Path warehouse;

  @Option(
      names = "--metadata-url",
      paramLabel = "JDBC_URL",
      description =
          "Metadata store, e.g. jdbc:postgresql://localhost:5432/nql (default: an embedded"
              + " database under the warehouse).")
  String metadataUrl;

  @Option(names = "--metadata-user", paramLabel = "USER", description = "User for --metadata-url.")
  String metadataUser;

  @Option(
      names = "--metadata-password",
      paramLabel = "PASSWORD",
      description =
          "Password for --metadata-url (prefer the NQL_METADATA_PASSWORD environment variable).")
  String metadataPassword;

  @Option(
      names = "--ingest-root",
      paramLabel = "DIR",
      description =
          "Directory COPY INTO may read below, each company only in DIR/<company_slug>/;"
              + " repeatable. It may not hold the warehouse. Default for the command line: the"
              + " current directory, unless it holds the warehouse or the metadata store.")
  List<Path> ingestRoots = new ArrayList<>();

  @Option(
      names = "--export-root",
      paramLabel = "DIR",
      description =
          "Directory EXPORT may write below, each company only in DIR/<company_slug>/;"
              + " repeatable. It may not hold or lie in the warehouse or an ingest root (default:"
              + " none).")
  List<Path> exportRoots = new ArrayList<>();

  @Option(
      names = "--webhook-hosts",
      paramLabel = "HOSTS",
      description =
          "Hosts CREATE DELIVERY may name (as nql serve --webhook-hosts): 'public' (default),"
              + " 'none', or a comma-separated list of hosts, *.domains and addresses.")
  String webhookHosts;

  /**
   * The engine configuration.
   *
   * @param defaultToWorkingDirectory whether, without {@code --ingest-root}, the current directory
   *     is the ingest root; it is not when it holds the warehouse, the metadata store or an export
   *     root (the engine would refuse it), so that commands run next to their warehouse still start
   */
  EngineConfig config(boolean defaultToWorkingDirectory) {
    String password =
        metadataPassword != null ? metadataPassword : System.getenv("NQL_METADATA_PASSWORD");
    EngineConfig config =
        new EngineConfig(
            warehouse,
            metadataUrl,
            metadataUser,
            password,
            ingestRoots,
            exportRoots,
            System.getenv("NQL_ADMIN_PASSWORD"),
            null,
            List.of(),
            webhookHosts);
    Path cwd = Path.of("").toAbsolutePath();
    if (ingestRoots.isEmpty() && defaultToWorkingDirectory && config.mayIngestBelow(cwd)) {
      return config.withIngestRoots(List.of(cwd));
    }
    return config;
  }
}
