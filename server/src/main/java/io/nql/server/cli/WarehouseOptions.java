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
          "Directory COPY INTO may read below; repeatable (default for the command line: the"
              + " current directory).")
  List<Path> ingestRoots = new ArrayList<>();

  EngineConfig config(boolean defaultToWorkingDirectory) {
    List<Path> roots = new ArrayList<>(ingestRoots);
    if (roots.isEmpty() && defaultToWorkingDirectory) {
      roots.add(Path.of("").toAbsolutePath());
    }
    String password =
        metadataPassword != null ? metadataPassword : System.getenv("NQL_METADATA_PASSWORD");
    return new EngineConfig(
        warehouse, metadataUrl, metadataUser, password, roots, System.getenv("NQL_ADMIN_PASSWORD"));
  }
}
