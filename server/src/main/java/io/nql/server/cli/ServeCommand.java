package io.nql.server.cli;

import io.nql.planner.demo.DemoMarketplace;
import io.nql.server.gateway.Durations;
import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import io.nql.server.gateway.Serialization;
import io.nql.server.gateway.Sizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nql serve}: runs the gateway until stopped (Ctrl-C or SIGTERM stop it gracefully). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the NQL Gateway over a warehouse: the JDBC endpoint (Avatica over HTTP,",
      "jdbc:nql://host:port) and the Arrow Flight SQL endpoint (grpc://host:port). Every request",
      "is authenticated with a marketplace user's password. Prints both URLs when ready; Ctrl-C",
      "or SIGTERM stop it gracefully (running statements get --shutdown-grace to finish, then",
      "are cancelled).",
      "",
      "Options can also come from --config FILE (Java properties; keys are the option names",
      "without the leading dashes, e.g. jdbc-port=8765); options on the command line win."
    },
    footer = {
      "",
      "Examples:",
      "  nql serve --demo",
      "  nql serve --warehouse /var/lib/nql --jdbc-port 8765 --flight-port 32010 \\",
      "      --tls-keystore gateway.p12 --statement-timeout 10m",
      "  nql serve --config /etc/nql/gateway.properties"
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with options.")
  Path config;

  @Option(
      names = "--demo",
      description =
          "Create the demo marketplace in the warehouse when absent (default warehouse:"
              + " ./demo-warehouse) and print its credentials.")
  Boolean demo;

  @Option(
      names = "--warehouse",
      paramLabel = "DIR",
      description = "Warehouse directory (created when missing).")
  Path warehouse;

  @Option(names = "--metadata-url", paramLabel = "JDBC_URL", description = "Metadata store URL.")
  String metadataUrl;

  @Option(names = "--metadata-user", paramLabel = "USER", description = "User for --metadata-url.")
  String metadataUser;

  @Option(
      names = "--metadata-password",
      paramLabel = "PASSWORD",
      description = "Password for --metadata-url (prefer NQL_METADATA_PASSWORD).")
  String metadataPassword;

  @Option(
      names = "--ingest-root",
      paramLabel = "DIR",
      description =
          "Directory COPY INTO may read below, each company only in DIR/<company_slug>/;"
              + " repeatable; it may not hold the warehouse (default: none).")
  List<Path> ingestRoots;

  @Option(
      names = "--export-root",
      paramLabel = "DIR",
      description =
          "Directory EXPORT may write below, each company only in DIR/<company_slug>/;"
              + " repeatable; it may not hold or lie in the warehouse or an ingest root (default:"
              + " none).")
  List<Path> exportRoots;

  @Option(
      names = "--secret-key-file",
      paramLabel = "FILE",
      description =
          "File with the key (32 bytes, base64) that encrypts stored secrets (default:"
              + " WAREHOUSE/secret.key, created owner-only on first start).")
  Path secretKeyFile;

  @Option(
      names = "--postgres-import-hosts",
      paramLabel = "HOST[:PORT]",
      split = ",",
      description =
          "PostgreSQL servers COPY INTO ... FROM POSTGRES may connect to: host (port 5432),"
              + " host:port, host:* or *; repeatable or comma-separated (default: none).")
  List<String> postgresImportHosts;

  @Option(
      names = "--bind-address",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: 0.0.0.0, every interface).")
  String bindAddress;

  @Option(
      names = "--jdbc-port",
      paramLabel = "PORT",
      description = "JDBC (Avatica HTTP) port (default: 8765; 0 picks a free port).")
  Integer jdbcPort;

  @Option(
      names = "--flight-port",
      paramLabel = "PORT",
      description = "Arrow Flight SQL (gRPC) port (default: 32010; 0 picks a free port).")
  Integer flightPort;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Metrics and health HTTP port: /metrics (Prometheus), /health/live, /health/ready"
              + " (default: 9090; 0 picks a free port; none: no metrics endpoint).")
  String metricsPort;

  @Option(
      names = "--flight-token-ttl",
      paramLabel = "DURATION",
      description = "How long a Flight bearer token stays valid after its login (default: 1h).")
  String flightTokenTtl;

  @Option(
      names = "--flight-statement-memory",
      paramLabel = "SIZE",
      description =
          "Most Arrow memory one Flight result stream may hold, e.g. 256m (default: 256m).")
  String flightStatementMemory;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description =
          "PKCS12 keystore with the server key and certificate; enables TLS only, on both"
              + " endpoints.")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password",
      paramLabel = "PASSWORD",
      description = "Password of --tls-keystore (prefer NQL_TLS_KEYSTORE_PASSWORD).")
  String tlsKeystorePassword;

  @Option(
      names = "--serialization",
      paramLabel = "FORMAT",
      description = "Avatica wire format: ${COMPLETION-CANDIDATES} (default: PROTOBUF).")
  Serialization serialization;

  @Option(
      names = "--frame-rows",
      paramLabel = "N",
      description = "Most rows per JDBC result frame (default: 0, no limit beyond --frame-bytes).")
  Integer frameRows;

  @Option(
      names = "--frame-bytes",
      paramLabel = "SIZE",
      description =
          "The size a JDBC result frame aims at, e.g. 512k, 2m (default: 2m); its row count"
              + " follows from the width of the rows.")
  String frameBytes;

  @Option(
      names = "--statement-timeout",
      paramLabel = "DURATION",
      description = "Cancel statements running longer, e.g. 30s, 10m (default: 0, none).")
  String statementTimeout;

  @Option(
      names = "--view-scheduler-interval",
      paramLabel = "DURATION",
      description =
          "How often to run the materialized views that are due, e.g. 10s, 1m (default: 30s; 0:"
              + " never, views run only by REFRESH MATERIALIZED VIEW).")
  String viewSchedulerInterval;

  @Option(
      names = "--delivery-interval",
      paramLabel = "DURATION",
      description =
          "How often to post materialized views' new rows to their webhooks and retry failed"
              + " batches, e.g. 1s, 30s (default: 5s; 0: never).")
  String deliveryInterval;

  @Option(
      names = "--maintenance-interval",
      paramLabel = "DURATION",
      description =
          "How often to maintain every dataset: apply its retention, expire old snapshots, remove"
              + " orphan files, e.g. 30m, 6h (default: 1h; 0: never, only VACUUM statements).")
  String maintenanceInterval;

  @Option(
      names = "--snapshot-retention",
      paramLabel = "DURATION",
      description =
          "How long replaced snapshots are kept by scheduled maintenance and by VACUUM without"
              + " RETAIN, e.g. 48h, 168h (default: 168h, seven days).")
  String snapshotRetention;

  @Option(
      names = "--webhook-hosts",
      paramLabel = "HOSTS",
      description =
          "Hosts webhook deliveries may post to: 'public' (default: any host whose addresses are"
              + " all public), 'none', or a comma-separated list of hosts, *.domains and"
              + " addresses, each optionally with :port, plus 'public' to allow those too.")
  String webhookHosts;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE|stdout",
      description =
          "Also append one JSON line per audit event (logins, definitions, rule changes,"
              + " deliveries) to FILE or standard output (default: off).")
  String auditLog;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Close connections unused this long (default: 1h; 0: never).")
  String idleTimeout;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      description = "On stop, how long running statements may finish (default: 30s).")
  String shutdownGrace;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatewayConfig gatewayConfig;
    try {
      gatewayConfig = config();
    } catch (IllegalArgumentException e) {
      err.println("ERROR 22023: " + e.getMessage());
      return 1;
    }
    if (gatewayConfig.demo()) {
      out.println("Preparing the demo marketplace in " + gatewayConfig.engine().warehouse() + "…");
      out.flush();
    }
    Gateway gateway = Gateway.start(gatewayConfig);
    gateway.engine().generatedAdminPassword().ifPresent(p -> Banner.adminPassword(err, p));
    Thread hook = new Thread(gateway::close, "nql-gateway-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printReady(out, gateway);
    gateway.join();
    return 0;
  }

  /** Defaults, then the config file, then the command line. */
  GatewayConfig config() throws IOException {
    GatewayConfig.Builder b = GatewayConfig.builder(null);
    if (config != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      b.apply(p);
    }
    if (warehouse != null) {
      b.warehouse(warehouse);
    }
    if (demo != null) {
      b.demo(demo);
    }
    b.metadata(metadataUrl, metadataUser, metadataPassword);
    if (ingestRoots != null) {
      b.ingestRoots(ingestRoots);
    }
    if (exportRoots != null) {
      b.exportRoots(exportRoots);
    }
    if (secretKeyFile != null) {
      b.secretKeyFile(secretKeyFile);
    }
    if (postgresImportHosts != null) {
      b.postgresImportHosts(postgresImportHosts);
    }
    if (bindAddress != null) {
      b.bindAddress(bindAddress);
    }
    if (jdbcPort != null) {
      b.jdbcPort(jdbcPort);
    }
    if (flightPort != null) {
      b.flightPort(flightPort);
    }
    if (metricsPort != null) {
      b.metricsPort(GatewayConfig.parseMetricsPort(metricsPort));
    }
    if (flightTokenTtl != null) {
      b.flightTokenTtl(Durations.parse(flightTokenTtl));
    }
    if (flightStatementMemory != null) {
      b.flightStatementMemory(Sizes.parse(flightStatementMemory));
    }
    if (tlsKeystore != null) {
      b.tls(tlsKeystore, tlsKeystorePassword);
    } else if (tlsKeystorePassword != null) {
      b.tlsKeystorePassword(tlsKeystorePassword);
    }
    if (serialization != null) {
      b.serialization(serialization);
    }
    if (frameRows != null) {
      b.frameRows(frameRows);
    }
    if (frameBytes != null) {
      b.frameBytes(Sizes.parse(frameBytes));
    }
    if (viewSchedulerInterval != null) {
      b.viewSchedulerInterval(Durations.parse(viewSchedulerInterval));
    }
    if (deliveryInterval != null) {
      b.deliveryInterval(Durations.parse(deliveryInterval));
    }
    if (maintenanceInterval != null) {
      b.maintenanceInterval(Durations.parse(maintenanceInterval));
    }
    if (snapshotRetention != null) {
      b.snapshotRetention(Durations.parse(snapshotRetention));
    }
    if (webhookHosts != null) {
      b.webhookHosts(webhookHosts);
    }
    if (auditLog != null) {
      b.auditLog(auditLog);
    }
    if (statementTimeout != null) {
      b.statementTimeout(Durations.parse(statementTimeout));
    }
    if (idleTimeout != null) {
      b.idleTimeout(Durations.parse(idleTimeout));
    }
    if (shutdownGrace != null) {
      b.shutdownGrace(Durations.parse(shutdownGrace));
    }
    return b.build();
  }

  private static void printReady(PrintWriter out, Gateway gateway) {
    out.println("NQL Gateway is ready.");
    out.println("  JDBC URL:       " + gateway.jdbcUrl());
    out.println("  Flight SQL URL: " + gateway.flightUrl());
    gateway.metricsUrl().ifPresent(u -> out.println("  Metrics:        " + u));
    if (gateway.config().serialization() == Serialization.JSON) {
      out.println("  (JSON serialization: add serialization=json to the URL)");
    }
    if (gateway.config().demo()) {
      out.println();
      out.println("Demo users (user / password):");
      for (DemoMarketplace.DemoUser u : DemoMarketplace.USERS) {
        out.printf("  %-10s %-14s / %s%n", u.company(), u.user(), u.password());
      }
      out.println();
      out.println("Try: jdbc:nql://localhost:" + gateway.jdbcPort() + "?user=acme_user");
    }
    out.println("Stop with Ctrl-C (or SIGTERM).");
    out.flush();
  }
}
