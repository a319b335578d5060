package io.nql.server.gateway;

import io.nql.flight.FlightConfig;
import io.nql.planner.engine.EngineConfig;
import io.nql.planner.meta.FrameSizes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * How to run a gateway. Built with {@link #builder(Path)}; every field has a config-file key equal
 * to the {@code nql serve} option's long name without the dashes (see {@link Builder#apply}).
 *
 * @param engine how to open the engine (warehouse, metadata store, ingest and export roots, secret
 *     key file, PostgreSQL import hosts)
 * @param demo create the demo marketplace in the warehouse when it is absent
 * @param bindAddress address to listen on ({@code 0.0.0.0}: every interface)
 * @param jdbcPort Avatica HTTP port; 0 picks a free one
 * @param tlsKeystore PKCS12 keystore with the server's key and certificate, or {@code null} for
 *     plaintext HTTP
 * @param tlsKeystorePassword password of the keystore
 * @param serialization Avatica wire format
 * @param frameRows most rows per result frame, or 0 for no limit beyond {@code frameBytes}
 * @param frameBytes the size a result frame aims at (its row count follows from the rows' width)
 * @param statementTimeout statements running longer are cancelled (57014); zero for none
 * @param idleTimeout connections unused for longer are closed; zero for never
 * @param shutdownGrace how long a stop lets running statements finish before cancelling them
 * @param flightPort Arrow Flight SQL port; 0 picks a free one
 * @param flightTokenTtl how long a Flight bearer token stays valid after its login
 * @param flightStatementMemory most bytes of Arrow memory one Flight result stream may hold
 * @param viewSchedulerInterval how often the gateway runs the materialized views that are due;
 *     zero: never (they run only by {@code REFRESH MATERIALIZED VIEW})
 * @param deliveryInterval how often the gateway posts the materialized views' new rows to their
 *     webhooks (and retries failed batches whose wait is over); zero: never
 * @param auditLog where to append one JSON line per audit event: a file, {@code stdout}, or null
 *     for nowhere (the events are in the metadata store either way)
 * @param metricsPort metrics and health HTTP port; 0 picks a free one, {@link #METRICS_OFF} serves
 *     none
 * @param maintenanceInterval how often the gateway maintains every dataset (retention, snapshot
 *     expiry, orphan files); zero: never (only {@code VACUUM} statements)
 * @param snapshotRetention how long replaced snapshots are kept by the scheduled maintenance and by
 *     a {@code VACUUM} without {@code RETAIN}
 */
public record GatewayConfig(
    EngineConfig engine,
    boolean demo,
    String bindAddress,
    int jdbcPort,
    Path tlsKeystore,
    String tlsKeystorePassword,
    Serialization serialization,
    int frameRows,
    long frameBytes,
    Duration statementTimeout,
    Duration idleTimeout,
    Duration shutdownGrace,
    int flightPort,
    Duration flightTokenTtl,
    long flightStatementMemory,
    Duration viewSchedulerInterval,
    Duration deliveryInterval,
    String auditLog,
    int metricsPort,
    Duration maintenanceInterval,
    Duration snapshotRetention) {

  /** The configuration, its passwords hidden: it is written to logs. */
  @Override
  public String toString() {
    return io.nql.planner.error.Redacted.toString(this);
  }

  /** The default Avatica HTTP port. */
  public static final int DEFAULT_JDBC_PORT = 8765;

  /** The default metrics and health HTTP port. */
  public static final int DEFAULT_METRICS_PORT = 9090;

  /** The metrics port that turns the metrics and health endpoint off. */
  public static final int METRICS_OFF = -1;

  /** The warehouse {@code --demo} uses when none is given. */
  public static final Path DEFAULT_DEMO_WAREHOUSE = Path.of("demo-warehouse");

  /** Config-file keys, one per {@code nql serve} option. */
  public static final Set<String> KEYS =
      Set.of(
          "warehouse",
          "demo",
          "metadata-url",
          "metadata-user",
          "metadata-password",
          "ingest-root",
          "export-root",
          "secret-key-file",
          "postgres-import-hosts",
          "bind-address",
          "jdbc-port",
          "tls-keystore",
          "tls-keystore-password",
          "serialization",
          "frame-rows",
          "frame-bytes",
          "statement-timeout",
          "idle-timeout",
          "shutdown-grace",
          "flight-port",
          "flight-token-ttl",
          "flight-statement-memory",
          "view-scheduler-interval",
          "delivery-interval",
          "webhook-hosts",
          "audit-log",
          "metrics-port",
          "maintenance-interval",
          "snapshot-retention");

  public GatewayConfig {
    if (jdbcPort < 0 || jdbcPort > 65535) {
      throw new IllegalArgumentException(
          "Cannot use JDBC port " + jdbcPort + ": expected 0 to 65535");
    }
    if (flightPort < 0 || flightPort > 65535) {
      throw new IllegalArgumentException(
          "Cannot use Flight port " + flightPort + ": expected 0 to 65535");
    }
    if (metricsPort < METRICS_OFF || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "Cannot use metrics port " + metricsPort + ": expected 0 to 65535, or none");
    }
    new FrameSizes(frameBytes, frameRows);
  }

  /**
   * How many rows go in a result frame.
   *
   * @throws IllegalArgumentException when the row limit is negative or the size below 1 KiB
   */
  public FrameSizes frameSizes() {
    return new FrameSizes(frameBytes, frameRows);
  }

  /** Whether the gateway serves metrics and health checks. */
  public boolean metrics() {
    return metricsPort != METRICS_OFF;
  }

  /**
   * A metrics port as written in an option: a number, or {@code none} (or -1) for no endpoint.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static int parseMetricsPort(String v) {
    String s = v.trim();
    if (s.equalsIgnoreCase("none") || s.equals("-1")) {
      return METRICS_OFF;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot use metrics port '" + s + "': expected 0 to 65535, or none");
    }
  }

  /** Whether the gateway speaks TLS. */
  public boolean tls() {
    return tlsKeystore != null;
  }

  /**
   * The Flight SQL endpoint's configuration: same bind address, TLS keystore and statement timeout
   * as JDBC.
   */
  public FlightConfig flight() {
    return FlightConfig.plaintext(bindAddress, flightPort)
        .withTls(tlsKeystore, tlsKeystorePassword)
        .withTokenTtl(flightTokenTtl)
        .withStatementMemory(flightStatementMemory, flightBatchRows(flightStatementMemory))
        .withStatementTimeout(statementTimeout);
  }

  /**
   * Most rows per Flight record batch: large, so that per-batch costs (allocation, IPC framing,
   * gRPC messages) stay small next to the data; a 6-column scan's batch is a few MB.
   */
  static final int FLIGHT_BATCH_ROWS = 65_536;

  /** Rows per batch under a small per-statement memory limit, so that the limit stays usable. */
  static final int FLIGHT_SMALL_BATCH_ROWS = 4096;

  /** The batch size for a per-statement memory limit: big batches need room for a few of them. */
  static int flightBatchRows(long statementMemory) {
    return statementMemory >= (64L << 20) ? FLIGHT_BATCH_ROWS : FLIGHT_SMALL_BATCH_ROWS;
  }

  /** A builder with the defaults, for the given warehouse ({@code null}: decided later). */
  public static Builder builder(Path warehouse) {
    Builder b = new Builder();
    b.warehouse = warehouse;
    return b;
  }

  /** Collects options from defaults, a config file, then the command line, in that order. */
  public static final class Builder {
    Path warehouse;
    boolean demo;
    String metadataUrl;
    String metadataUser;
    String metadataPassword;
    List<Path> ingestRoots = new ArrayList<>();
    List<Path> exportRoots = new ArrayList<>();
    Path secretKeyFile;
    List<String> postgresImportHosts = new ArrayList<>();
    String bindAddress = "0.0.0.0";
    int jdbcPort = DEFAULT_JDBC_PORT;
    Path tlsKeystore;
    String tlsKeystorePassword;
    Serialization serialization = Serialization.PROTOBUF;
    int frameRows = 0;
    long frameBytes = FrameSizes.DEFAULT_TARGET_BYTES;
    Duration statementTimeout = Duration.ZERO;
    Duration viewSchedulerInterval = Duration.ofSeconds(30);
    Duration deliveryInterval = Duration.ofSeconds(5);
    Duration maintenanceInterval = Duration.ofHours(1);
    Duration snapshotRetention = io.nql.planner.engine.NqlEngine.DEFAULT_SNAPSHOT_RETENTION;
    String webhookHosts;
    String auditLog;
    Duration idleTimeout = Duration.ofHours(1);
    Duration shutdownGrace = Duration.ofSeconds(30);
    int flightPort = FlightConfig.DEFAULT_PORT;
    Duration flightTokenTtl = FlightConfig.DEFAULT_TOKEN_TTL;
    long flightStatementMemory = FlightConfig.DEFAULT_STATEMENT_MEMORY;
    int metricsPort = DEFAULT_METRICS_PORT;
    String adminPassword = System.getenv("NQL_ADMIN_PASSWORD");

    private Builder() {}

    /**
     * Applies a config file's properties: keys are the option names without dashes ({@code
     * jdbc-port=8765}); {@code ingest-root} and {@code export-root} take a comma-separated list.
     *
     * @throws IllegalArgumentException naming the key when a key is unknown or a value invalid
     */
    public Builder apply(Properties p) {
      for (String key : p.stringPropertyNames()) {
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException(
              "Cannot read config key '" + key + "': unknown (expected one of " + sorted() + ")");
        }
        String v = p.getProperty(key).trim();
        try {
          set(key, v);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "Cannot read config key '" + key + "': " + e.getMessage(), e);
        }
      }
      return this;
    }

    private static String sorted() {
      return String.join(", ", new java.util.TreeSet<>(KEYS));
    }

    private void set(String key, String v) {
      switch (key) {
        case "warehouse" -> warehouse = Path.of(v);
        case "demo" -> demo = bool(v);
        case "metadata-url" -> metadataUrl = v;
        case "metadata-user" -> metadataUser = v;
        case "metadata-password" -> metadataPassword = v;
        case "ingest-root" -> ingestRoots = paths(v);
        case "export-root" -> exportRoots = paths(v);
        case "secret-key-file" -> secretKeyFile = v.isEmpty() ? null : Path.of(v);
        case "postgres-import-hosts" -> postgresImportHosts = commaList(v);
        case "bind-address" -> bindAddress = v;
        case "jdbc-port" -> jdbcPort = Integer.parseInt(v);
        case "tls-keystore" -> tlsKeystore = v.isEmpty() ? null : Path.of(v);
        case "tls-keystore-password" -> tlsKeystorePassword = v;
        case "serialization" -> serialization = Serialization.valueOf(v.toUpperCase(Locale.ROOT));
        case "frame-rows" -> frameRows = Integer.parseInt(v);
        case "frame-bytes" -> frameBytes = Sizes.parse(v);
        case "statement-timeout" -> statementTimeout = Durations.parse(v);
        case "view-scheduler-interval" -> viewSchedulerInterval = Durations.parse(v);
        case "delivery-interval" -> deliveryInterval = Durations.parse(v);
        case "maintenance-interval" -> maintenanceInterval = Durations.parse(v);
        case "snapshot-retention" -> snapshotRetention = Durations.parse(v);
        case "webhook-hosts" -> webhookHosts(v);
        case "audit-log" -> auditLog = v.isEmpty() ? null : v;
        case "idle-timeout" -> idleTimeout = Durations.parse(v);
        case "shutdown-grace" -> shutdownGrace = Durations.parse(v);
        case "flight-port" -> flightPort = Integer.parseInt(v);
        case "flight-token-ttl" -> flightTokenTtl = Durations.parse(v);
        case "flight-statement-memory" -> flightStatementMemory = Sizes.parse(v);
        case "metrics-port" -> metricsPort = parseMetricsPort(v);
        default -> throw new IllegalArgumentException("unknown key");
      }
    }

    /** A comma-separated list of directories. */
    private static List<Path> paths(String v) {
      List<Path> out = new ArrayList<>();
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(Path.of(s.trim()));
        }
      }
      return out;
    }

    private static List<String> commaList(String v) {
      List<String> out = new ArrayList<>();
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
      return out;
    }

    private static boolean bool(String v) {
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new IllegalArgumentException("expected true or false, got '" + v + "'");
    }

    public Builder warehouse(Path v) {
      warehouse = v;
      return this;
    }

    public Builder demo(boolean v) {
      demo = v;
      return this;
    }

    public Builder metadata(String url, String user, String password) {
      if (url != null) {
        metadataUrl = url;
      }
      if (user != null) {
        metadataUser = user;
      }
      if (password != null) {
        metadataPassword = password;
      }
      return this;
    }

    public Builder ingestRoots(List<Path> v) {
      ingestRoots = new ArrayList<>(v);
      return this;
    }

    public Builder exportRoots(List<Path> v) {
      exportRoots = new ArrayList<>(v);
      return this;
    }

    /** The file with the key that seals secrets; null: {@code <warehouse>/secret.key}. */
    public Builder secretKeyFile(Path v) {
      secretKeyFile = v;
      return this;
    }

    /** The PostgreSQL servers imports may connect to ({@code host[:port|:*]} entries). */
    public Builder postgresImportHosts(List<String> v) {
      postgresImportHosts = new ArrayList<>();
      for (String entry : v) {
        postgresImportHosts.addAll(commaList(entry));
      }
      return this;
    }

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder jdbcPort(int v) {
      jdbcPort = v;
      return this;
    }

    public Builder tls(Path keystore, String password) {
      tlsKeystore = keystore;
      tlsKeystorePassword = password;
      return this;
    }

    public Builder tlsKeystorePassword(String password) {
      tlsKeystorePassword = password;
      return this;
    }

    public Builder serialization(Serialization v) {
      serialization = v;
      return this;
    }

    public Builder frameRows(int v) {
      frameRows = v;
      return this;
    }

    public Builder frameBytes(long v) {
      frameBytes = v;
      return this;
    }

    public Builder viewSchedulerInterval(Duration v) {
      viewSchedulerInterval = v;
      return this;
    }

    public Builder deliveryInterval(Duration v) {
      deliveryInterval = v;
      return this;
    }

    public Builder maintenanceInterval(Duration v) {
      maintenanceInterval = v;
      return this;
    }

    public Builder snapshotRetention(Duration v) {
      snapshotRetention = v;
      return this;
    }

    /** The hosts webhook deliveries may post to: {@code public}, {@code none} or a list. */
    public Builder webhookHosts(String v) {
      try {
        EngineConfig.checkWebhookHosts(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot use webhook hosts: " + e.getMessage(), e);
      }
      webhookHosts = v;
      return this;
    }

    /** Where to append the audit log's JSON lines: a file, {@code stdout}, or null. */
    public Builder auditLog(String v) {
      auditLog = v;
      return this;
    }

    public Builder statementTimeout(Duration v) {
      statementTimeout = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    public Builder flightPort(int v) {
      flightPort = v;
      return this;
    }

    public Builder flightTokenTtl(Duration v) {
      flightTokenTtl = v;
      return this;
    }

    public Builder flightStatementMemory(long bytes) {
      flightStatementMemory = bytes;
      return this;
    }

    /** The metrics and health port: 0 for a free one, {@link #METRICS_OFF} for none. */
    public Builder metricsPort(int v) {
      metricsPort = v;
      return this;
    }

    public Builder adminPassword(String v) {
      adminPassword = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException when no warehouse is given without {@code --demo}, or a
     *     value is out of range
     */
    public GatewayConfig build() {
      Path wh = warehouse;
      if (wh == null) {
        if (!demo) {
          throw new IllegalArgumentException(
              "Cannot start the gateway: no warehouse given (use --warehouse DIR, or --demo)");
        }
        wh = DEFAULT_DEMO_WAREHOUSE;
      }
      String metaPw =
          metadataPassword != null ? metadataPassword : System.getenv("NQL_METADATA_PASSWORD");
      String tlsPw =
          tlsKeystorePassword != null
              ? tlsKeystorePassword
              : System.getenv("NQL_TLS_KEYSTORE_PASSWORD");
      if (tlsKeystore != null && tlsPw == null) {
        throw new IllegalArgumentException(
            "Cannot use TLS keystore "
                + tlsKeystore
                + ": no password (use --tls-keystore-password or NQL_TLS_KEYSTORE_PASSWORD)");
      }
      EngineConfig engine =
          new EngineConfig(
              wh.toAbsolutePath(),
              metadataUrl,
              metadataUser,
              metaPw,
              ingestRoots,
              exportRoots,
              adminPassword,
              secretKeyFile,
              postgresImportHosts,
              webhookHosts);
      return new GatewayConfig(
          engine,
          demo,
          bindAddress,
          jdbcPort,
          tlsKeystore,
          tlsPw,
          serialization,
          frameRows,
          frameBytes,
          statementTimeout,
          idleTimeout,
          shutdownGrace,
          flightPort,
          flightTokenTtl,
          flightStatementMemory,
          viewSchedulerInterval,
          deliveryInterval,
          auditLog,
          metricsPort,
          maintenanceInterval,
          snapshotRetention);
    }
  }
}
