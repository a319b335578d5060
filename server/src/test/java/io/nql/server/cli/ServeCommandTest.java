package io.nql.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.server.gateway.GatewayConfig;
import io.nql.server.gateway.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code nql serve} options: defaults, the config file, and command-line flags over it. */
class ServeCommandTest {
  @TempDir Path dir;

  private static GatewayConfig parse(String... args) throws Exception {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.config();
  }

  @Test
  void demoDefaultsToALocalWarehouseAndThePort8765() throws Exception {
    GatewayConfig c = parse("--demo");
    assertThat(c.demo()).isTrue();
    assertThat(c.engine().warehouse()).isEqualTo(Path.of("demo-warehouse").toAbsolutePath());
    assertThat(c.jdbcPort()).isEqualTo(8765);
    assertThat(c.serialization()).isEqualTo(Serialization.PROTOBUF);
    assertThat(c.tls()).isFalse();
  }

  @Test
  void theConfigurationAsWrittenToLogsHoldsNoPassword() throws Exception {
    Path keystore = Files.writeString(dir.resolve("k.p12"), "not a keystore");
    GatewayConfig c =
        parse(
            "--warehouse",
            dir.resolve("wh").toString(),
            "--metadata-url",
            "jdbc:postgresql://db/nql",
            "--metadata-user",
            "nql",
            "--metadata-password",
            "pg-hunter2",
            "--tls-keystore",
            keystore.toString(),
            "--tls-keystore-password",
            "tls-hunter2");
    assertThat(c.engine().metadataPassword()).isEqualTo("pg-hunter2");
    assertThat(c.tlsKeystorePassword()).isEqualTo("tls-hunter2");
    assertThat(c.toString())
        .doesNotContain("hunter2")
        .contains("metadataPassword=***", "tlsKeystorePassword=***", "jdbc:postgresql://db/nql");
    assertThat(c.engine().toString()).doesNotContain("hunter2").contains("metadataUser=nql");
  }

  @Test
  void configFileSetsOptionsAndFlagsOverrideIt() throws Exception {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(
        file,
        "warehouse=/srv/wh\njdbc-port=9999\nstatement-timeout=10m\nidle-timeout=30s\n"
            + "ingest-root=/a,/b\nserialization=json\n");
    GatewayConfig c = parse("--config", file.toString(), "--jdbc-port", "0");
    assertThat(c.engine().warehouse()).isEqualTo(Path.of("/srv/wh"));
    assertThat(c.jdbcPort()).isZero();
    assertThat(c.statementTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.engine().ingestRoots()).containsExactly(Path.of("/a"), Path.of("/b"));
    assertThat(c.serialization()).isEqualTo(Serialization.JSON);
  }

  @Test
  void exportRootsComeFromTheConfigFileOrTheCommandLine() throws Exception {
    Path file = dir.resolve("export.properties");
    Files.writeString(file, "warehouse=/srv/wh\nexport-root=/out/a, /out/b\ningest-root=/in\n");
    GatewayConfig c = parse("--config", file.toString());
    assertThat(c.engine().exportRoots()).containsExactly(Path.of("/out/a"), Path.of("/out/b"));
    assertThat(c.engine().ingestRoots()).containsExactly(Path.of("/in"));
    c = parse("--config", file.toString(), "--export-root", "/x", "--export-root", "/y");
    assertThat(c.engine().exportRoots()).containsExactly(Path.of("/x"), Path.of("/y"));
    assertThat(parse("--warehouse", "/srv/wh").engine().exportRoots()).isEmpty();
  }

  @Test
  void secretKeyFileAndPostgresImportHostsComeFromTheFileOrTheCommandLine() throws Exception {
    Path file = dir.resolve("connectors.properties");
    Files.writeString(
        file,
        "warehouse=/srv/wh\nsecret-key-file=/etc/nql/secret.key\n"
            + "postgres-import-hosts=db1.internal, db2.internal:6432\n");
    GatewayConfig fromFile = parse("--config", file.toString());
    assertThat(fromFile.engine().secretKeyFile()).isEqualTo(Path.of("/etc/nql/secret.key"));
    assertThat(fromFile.engine().postgresImportHosts())
        .containsExactly("db1.internal", "db2.internal:6432");
    GatewayConfig flags =
        parse(
            "--config",
            file.toString(),
            "--postgres-import-hosts",
            "a:1,b",
            "--postgres-import-hosts",
            "c:*");
    assertThat(flags.engine().postgresImportHosts()).containsExactly("a:1", "b", "c:*");
    GatewayConfig none = parse("--warehouse", "/srv/wh");
    assertThat(none.engine().secretKeyFile()).isNull();
    assertThat(none.engine().postgresImportHosts()).isEmpty();
  }

  @Test
  void unknownConfigKeysAndMissingWarehouseAreRefused() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "warehouse=/srv/wh\njdbc_port=1\n");
    assertThatThrownBy(() -> parse("--config", file.toString()))
        .hasMessageContaining("'jdbc_port'");
    assertThatThrownBy(() -> parse("--jdbc-port", "1")).hasMessageContaining("no warehouse given");
    StringBuilderWriter out = new StringBuilderWriter();
    int status =
        NqlCommand.execute(
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(out),
            "serve",
            "--jdbc-port",
            "1");
    assertThat(status).isEqualTo(1);
    assertThat(out.toString()).startsWith("ERROR 22023: Cannot start the gateway");
  }

  @Test
  void webhookOptionsReachTheEngineAndABadHostListIsRefused() throws Exception {
    GatewayConfig defaults = parse("--warehouse", "/srv/wh");
    assertThat(defaults.engine().webhookHosts()).isEqualTo("public");
    assertThat(defaults.deliveryInterval()).isEqualTo(Duration.ofSeconds(5));
    Path file = dir.resolve("hooks.properties");
    Files.writeString(file, "warehouse=/srv/wh\nwebhook-hosts=none\ndelivery-interval=0\n");
    GatewayConfig fromFile = parse("--config", file.toString());
    assertThat(fromFile.engine().webhookHosts()).isEqualTo("none");
    assertThat(fromFile.deliveryInterval()).isZero();
    GatewayConfig flags =
        parse(
            "--config",
            file.toString(),
            "--webhook-hosts",
            "hooks.example.com,*.corp.example:8443",
            "--delivery-interval",
            "1s");
    assertThat(flags.engine().webhookHosts()).isEqualTo("hooks.example.com,*.corp.example:8443");
    assertThat(flags.deliveryInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> parse("--warehouse", "/srv/wh", "--webhook-hosts", "h.example:0"))
        .hasMessage("Cannot use webhook hosts: 'h.example:0' has no valid port");
  }

  @Test
  void theAuditLogIsOffByDefaultAndSetByFlagOrConfigKey() throws Exception {
    assertThat(parse("--warehouse", "/srv/wh").auditLog()).isNull();
    Path file = dir.resolve("audit.properties");
    Files.writeString(file, "warehouse=/srv/wh\naudit-log=/var/log/nql/audit.jsonl\n");
    assertThat(parse("--config", file.toString()).auditLog()).isEqualTo("/var/log/nql/audit.jsonl");
    assertThat(parse("--config", file.toString(), "--audit-log", "stdout").auditLog())
        .isEqualTo("stdout");
  }

  @Test
  void theMetricsPortDefaultsTo9090ComesFromTheFileOrTheFlagAndCanBeTurnedOff() throws Exception {
    GatewayConfig defaults = parse("--warehouse", "/srv/wh");
    assertThat(defaults.metricsPort()).isEqualTo(9090);
    assertThat(defaults.metrics()).isTrue();
    assertThat(parse("--warehouse", "/srv/wh", "--metrics-port", "0").metricsPort()).isZero();
    for (String off : new String[] {"none", "NONE", "-1"}) {
      GatewayConfig c = parse("--warehouse", "/srv/wh", "--metrics-port", off);
      assertThat(c.metricsPort()).as(off).isEqualTo(GatewayConfig.METRICS_OFF);
      assertThat(c.metrics()).as(off).isFalse();
    }
    Path file = dir.resolve("metrics.properties");
    Files.writeString(file, "warehouse=/srv/wh\nmetrics-port=none\n");
    assertThat(parse("--config", file.toString()).metrics()).isFalse();
    assertThat(parse("--config", file.toString(), "--metrics-port", "9191").metricsPort())
        .isEqualTo(9191);
    Files.writeString(file, "warehouse=/srv/wh\nmetrics-port=9292\n");
    assertThat(parse("--config", file.toString()).metricsPort()).isEqualTo(9292);
    Files.writeString(file, "warehouse=/srv/wh\nmetrics-port=ninety\n");
    assertThatThrownBy(() -> parse("--config", file.toString()))
        .hasMessage(
            "Cannot read config key 'metrics-port': Cannot use metrics port 'ninety': expected"
                + " 0 to 65535, or none");
    assertThatThrownBy(() -> parse("--warehouse", "/srv/wh", "--metrics-port", "70000"))
        .hasMessage("Cannot use metrics port 70000: expected 0 to 65535, or none");
    assertThatThrownBy(() -> parse("--warehouse", "/srv/wh", "--metrics-port", "-2"))
        .hasMessageContaining("Cannot use metrics port -2");
    StringBuilderWriter out = new StringBuilderWriter();
    int status =
        NqlCommand.execute(
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(out),
            "serve",
            "--warehouse",
            dir.resolve("wh").toString(),
            "--metrics-port",
            "abc");
    assertThat(status).isEqualTo(1);
    assertThat(out.toString())
        .isEqualTo("ERROR 22023: Cannot use metrics port 'abc': expected 0 to 65535, or none\n");
  }

  /** A writer into a string, for captured command output. */
  static final class StringBuilderWriter extends java.io.StringWriter {}
}
