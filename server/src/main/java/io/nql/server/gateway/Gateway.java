package io.nql.server.gateway;

import io.nql.flight.FlightSqlEndpoint;
import io.nql.flight.PasswordCheck;
import io.nql.planner.demo.DemoMarketplace;
import io.nql.planner.engine.DeliveryScheduler;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.ViewScheduler;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.meta.NqlMeta;
import io.nql.server.metrics.EndpointGauges;
import io.nql.server.metrics.MetricsEndpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.server.AbstractAvaticaHandler;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running NQL Gateway: the engine's Avatica Meta served over HTTP(S) on the JDBC port, the Arrow
 * Flight SQL endpoint on the Flight port (same bind address, TLS keystore and logins), and the
 * metrics and health checks on the metrics port (same bind address, plain HTTP, no login). Start
 * with {@link #start}, stop with {@link #close} (graceful: running statements get the configured
 * grace period, then are cancelled). Usable in-process, e.g. by tests on port 0.
 *
 * <p>Jetty is set up here rather than through Avatica's {@code HttpServer.Builder}: with custom
 * authentication the builder leaves connectors and handlers to the caller anyway, and the stop
 * sequence needs the server and handler in hand.
 */
public final class Gateway implements AutoCloseable {
  /** How long a stop waits for statements it cancelled to report back before closing anyway. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  private final GatewayConfig config;
  private final NqlEngine engine;
  private final DemoMarketplace.Report demo;
  private final OwnedMeta meta;
  private final AuthHandler auth;
  private final Server server;
  private final ScheduledExecutorService timers;
  private final long startNanos = System.nanoTime();
  private final int port;
  private final FlightSqlEndpoint flight;
  private boolean closed;

  /** Where the audit log's JSON lines go ({@code --audit-log}), or null. */
  private java.io.Writer auditLog;

  /** Runs the materialized views that are due; null when the interval is zero. */
  private volatile ViewScheduler viewScheduler;

  private volatile io.nql.planner.engine.MaintenanceScheduler maintenanceScheduler;

  /** Posts the views' new rows to their webhooks; null when the interval is zero. */
  private volatile DeliveryScheduler deliveryScheduler;

  /** The metrics and health endpoint; null when turned off. */
  private volatile MetricsEndpoint metrics;

  private Gateway(
      GatewayConfig config,
      NqlEngine engine,
      DemoMarketplace.Report demo,
      OwnedMeta meta,
      AuthHandler auth,
      Server server,
      ServerConnector connector,
      ScheduledExecutorService timers,
      FlightSqlEndpoint flight) {
    this.flight = flight;
    this.config = config;
    this.engine = engine;
    this.demo = demo;
    this.meta = meta;
    this.auth = auth;
    this.server = server;
    this.timers = timers;
    this.port = connector.getLocalPort();
  }

  /**
   * Opens the engine (creating the demo marketplace first when asked and absent) and starts
   * listening.
   *
   * @throws NqlException when the warehouse or metadata store cannot be opened
   * @throws IllegalStateException when the port cannot be bound or the keystore cannot be read
   */
  public static Gateway start(GatewayConfig config) {
    NqlEngine engine = NqlEngine.open(config.engine());
    java.io.Writer auditLog;
    try {
      auditLog = AuditLogFile.open(config.auditLog());
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    engine.auditTo(auditLog);
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-gateway-timers");
              t.setDaemon(true);
              return t;
            });
    try {
      DemoMarketplace.Report demo = config.demo() ? createDemo(engine) : null;
      OwnedMeta meta =
          new OwnedMeta(
              new NqlMeta(
                  new CallerSessions(engine),
                  false,
                  config.frameSizes(),
                  // JSON carries a byte string as base64 text, which the driver does not read
                  config.serialization() == Serialization.PROTOBUF),
              timers,
              config.statementTimeout());
      Service service = new GatewayService(meta.asMeta());
      GatewayServerConfiguration serverConfig = new GatewayServerConfiguration();
      AbstractAvaticaHandler avatica =
          config.serialization() == Serialization.JSON
              ? new AvaticaJsonHandler(service, NoopMetricsSystem.getInstance(), serverConfig)
              : new AvaticaProtobufHandler(service, NoopMetricsSystem.getInstance(), serverConfig);
      LoginThrottle throttle = new LoginThrottle(System::currentTimeMillis);
      Authenticator authenticator = new Authenticator(engine, throttle, System::currentTimeMillis);
      AuthHandler auth =
          new AuthHandler(
              config.tls(), authenticator, new CancelEndpoint(meta), new WarningsEndpoint(meta));
      auth.setHandler(avatica);

      QueuedThreadPool threads = new QueuedThreadPool(200, 8);
      threads.setName("nql-gateway-http");
      Server server = new Server(threads);
      ServerConnector connector = connector(server, config);
      JdbcTraffic traffic = new JdbcTraffic();
      connector.addBean(traffic);
      server.addConnector(connector);
      server.setHandler(auth);
      server.setStopAtShutdown(false);
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception ignored) {
          // nothing started
        }
        throw new IllegalStateException(
            "Cannot start the gateway on port " + config.jdbcPort() + ": " + e.getMessage(), e);
      }
      FlightSqlEndpoint flight;
      try {
        flight = FlightSqlEndpoint.start(config.flight(), engine, flightLogins(authenticator));
      } catch (RuntimeException e) {
        try {
          server.stop();
        } catch (Exception ignored) {
          // the Flight failure is the one to report
        }
        throw e;
      }
      MetricsEndpoint metrics;
      try {
        metrics = metrics(config, engine, meta, traffic, flight);
      } catch (RuntimeException e) {
        flight.close(Duration.ZERO);
        try {
          server.stop();
        } catch (Exception ignored) {
          // the metrics failure is the one to report
        }
        throw e;
      }
      avatica.setServerRpcMetadata(
          new Service.RpcMetadataResponse(
              (config.bindAddress().equals("0.0.0.0") ? "localhost" : config.bindAddress())
                  + ":"
                  + connector.getLocalPort()));
      Gateway g = new Gateway(config, engine, demo, meta, auth, server, connector, timers, flight);
      g.auditLog = auditLog;
      g.metrics = metrics;
      if (!config.idleTimeout().isZero()) {
        long every = Math.max(100, Math.min(config.idleTimeout().toMillis() / 4, 30_000));
        timers.scheduleWithFixedDelay(
            () -> meta.expireIdle(config.idleTimeout()), every, every, TimeUnit.MILLISECONDS);
      }
      if (!config.viewSchedulerInterval().isZero()) {
        g.viewScheduler = ViewScheduler.start(engine, config.viewSchedulerInterval());
      }
      if (!config.deliveryInterval().isZero()) {
        g.deliveryScheduler = DeliveryScheduler.start(engine, config.deliveryInterval());
      }
      engine.useSnapshotRetention(config.snapshotRetention());
      if (!config.maintenanceInterval().isZero()) {
        g.maintenanceScheduler =
            io.nql.planner.engine.MaintenanceScheduler.start(engine, config.maintenanceInterval());
      }
      GatewayLog.info(
          "start",
          "port",
          g.jdbcPort(),
          "flight_port",
          g.flightPort(),
          "metrics_port",
          g.metricsPort(),
          "bind",
          config.bindAddress(),
          "tls",
          config.tls(),
          "serialization",
          config.serialization().name().toLowerCase(java.util.Locale.ROOT),
          "warehouse",
          config.engine().warehouse(),
          "statement_timeout",
          Durations.format(config.statementTimeout()),
          "idle_timeout",
          Durations.format(config.idleTimeout()),
          "view_scheduler_interval",
          Durations.format(config.viewSchedulerInterval()),
          "delivery_interval",
          Durations.format(config.deliveryInterval()),
          "maintenance_interval",
          Durations.format(config.maintenanceInterval()),
          "webhook_hosts",
          config.engine().webhookHosts());
      return g;
    } catch (RuntimeException e) {
      timers.shutdownNow();
      engine.close();
      closeQuietly(auditLog);
      throw e;
    }
  }

  /** The metrics and health endpoint, or null when turned off. */
  private static MetricsEndpoint metrics(
      GatewayConfig config,
      NqlEngine engine,
      OwnedMeta meta,
      JdbcTraffic traffic,
      FlightSqlEndpoint flight) {
    if (!config.metrics()) {
      return null;
    }
    return MetricsEndpoint.start(
        config.bindAddress(),
        config.metricsPort(),
        engine,
        new EndpointGauges(
            traffic::bytesSent,
            flight::bytesSent,
            meta::allocatedBytes,
            flight::allocatedBytes,
            meta::size,
            meta::active,
            flight::openStreams,
            flight::openStatements));
  }

  /** Flight logins go through the same throttled authenticator as HTTP Basic on the JDBC port. */
  private static PasswordCheck flightLogins(Authenticator authenticator) {
    return (user, password, address) -> {
      Authenticator.Outcome outcome = authenticator.authenticate(user, password, address, "flight");
      if (outcome != Authenticator.Outcome.OK) {
        GatewayLog.warn(
            "auth_failure",
            "endpoint",
            "flight",
            "user",
            user,
            "remote",
            address,
            "reason",
            outcome == Authenticator.Outcome.LOCKED ? "throttled" : "wrong_credentials");
      }
      return outcome == Authenticator.Outcome.OK;
    };
  }

  private static DemoMarketplace.Report createDemo(NqlEngine engine) {
    if (DemoMarketplace.exists(engine)) {
      return null;
    }
    try {
      return DemoMarketplace.create(engine);
    } catch (NqlException e) {
      if (e.code() == ErrorCode.DUPLICATE_OBJECT) {
        return null;
      }
      throw e;
    }
  }

  private static ServerConnector connector(Server server, GatewayConfig config) {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    ServerConnector c;
    if (config.tls()) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(config.tlsKeystore().toAbsolutePath().toString());
      ssl.setKeyStorePassword(config.tlsKeystorePassword());
      ssl.setKeyStoreType("PKCS12");
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      // Plaintext on the TLS port is detected and handed to HTTP only to be answered 426 by
      // AuthHandler: a bare TLS failure makes Avatica's client retry forever.
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslConnectionFactory tls = new SslConnectionFactory(ssl, h1.getProtocol());
      c =
          new ServerConnector(
              server, new OptionalSslConnectionFactory(tls, h1.getProtocol()), tls, h1);
    } else {
      c = new ServerConnector(server, h1);
    }
    c.setHost(config.bindAddress());
    c.setPort(config.jdbcPort());
    // Long statements hold a request open without I/O; the Avatica client waits up to 3 minutes.
    c.setIdleTimeout(Duration.ofMinutes(10).toMillis());
    return c;
  }

  /** The port the Avatica endpoint listens on (the chosen one when configured as 0). */
  public int jdbcPort() {
    return port;
  }

  /** The JDBC URL clients on this host use. */
  public String jdbcUrl() {
    return "jdbc:nql://localhost:" + jdbcPort() + (config.tls() ? "?ssl=true" : "");
  }

  /** The port the Flight SQL endpoint listens on (the chosen one when configured as 0). */
  public int flightPort() {
    return flight.port();
  }

  /** The Flight SQL URL clients on this host use ({@code grpc://} or {@code grpc+tls://}). */
  public String flightUrl() {
    return flight.url();
  }

  /** The port of the metrics and health endpoint, or -1 when it is turned off. */
  public int metricsPort() {
    MetricsEndpoint m = metrics;
    return m == null ? GatewayConfig.METRICS_OFF : m.port();
  }

  /** The URL of the Prometheus metrics on this host; empty when the endpoint is turned off. */
  public Optional<String> metricsUrl() {
    return metrics == null
        ? Optional.empty()
        : Optional.of("http://localhost:" + metricsPort() + "/metrics");
  }

  /** Arrow memory the Flight endpoint holds now (0 when no stream is open). */
  public long flightAllocatedBytes() {
    return flight.allocatedBytes();
  }

  /** Arrow memory the JDBC endpoint's open results hold now (0 when none is open). */
  public long jdbcAllocatedBytes() {
    return meta.allocatedBytes();
  }

  /** Flight statements executed and not yet fully read or closed. */
  public int flightOpenStatements() {
    return flight.openStatements();
  }

  /** The configuration the gateway runs with. */
  public GatewayConfig config() {
    return config;
  }

  /** The engine the gateway serves. */
  public NqlEngine engine() {
    return engine;
  }

  /** What {@code --demo} created on this start; empty when not asked or already present. */
  public Optional<DemoMarketplace.Report> demo() {
    return Optional.ofNullable(demo);
  }

  /** Open Avatica connections. */
  public int openConnections() {
    return meta.size();
  }

  /** Waits until the gateway has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops gracefully: refuses new connections and statements, lets running statements finish within
   * the shutdown grace period, cancels those still running, then stops listening and closes every
   * session and the engine. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    GatewayLog.info("stopping", "port", jdbcPort(), "active", meta.active());
    if (metrics != null) {
      metrics.stopping(); // load balancers see the drain
    }
    if (viewScheduler != null) {
      viewScheduler.close(); // a run in progress is cancelled and writes nothing
    }
    if (deliveryScheduler != null) {
      deliveryScheduler.close(); // a delivery stops after its request in flight
    }
    if (maintenanceScheduler != null) {
      maintenanceScheduler.close(); // waits for the dataset being maintained
    }
    // Flight stops alongside, within the same grace period.
    CompletableFuture<FlightSqlEndpoint.Stop> flightStop =
        CompletableFuture.supplyAsync(() -> flight.close(config.shutdownGrace()));
    meta.stopAccepting();
    boolean drained = await(config.shutdownGrace());
    if (!drained) {
      int n = meta.cancelAll();
      GatewayLog.warn(
          "stop_cancel", "statements", n, "grace", Durations.format(config.shutdownGrace()));
      await(CANCEL_WAIT);
    }
    try {
      server.stop();
    } catch (Exception e) {
      GatewayLog.warn("stop_failed", "error", e.getMessage());
    }
    timers.shutdownNow();
    meta.closeAll();
    logFlightStop(flightStop.join());
    if (metrics != null) {
      metrics.close();
    }
    engine.close();
    engine.auditTo(null);
    closeQuietly(auditLog);
    GatewayLog.info(
        "stop",
        "port",
        jdbcPort(),
        "uptime_s",
        Duration.ofNanos(System.nanoTime() - startNanos).toSeconds(),
        "drained",
        drained);
  }

  private static void closeQuietly(java.io.Writer w) {
    if (w != null) {
      try {
        w.close();
      } catch (java.io.IOException e) {
        GatewayLog.warn("audit_log_close_failed", "error", e.getMessage());
      }
    }
  }

  private void logFlightStop(FlightSqlEndpoint.Stop stop) {
    if (stop.cancelled() > 0) {
      GatewayLog.warn(
          "flight_stop_cancel",
          "statements",
          stop.cancelled(),
          "grace",
          Durations.format(config.shutdownGrace()));
    }
    if (stop.leakedBytes() != 0) {
      GatewayLog.warn("flight_allocator_not_empty", "bytes", stop.leakedBytes());
    }
    GatewayLog.info("flight_stop", "port", flight.port(), "drained", stop.drained());
  }

  /** Waits until no statement runs and no request is in flight; false on timeout. */
  private boolean await(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (meta.active() > 0 || auth.inFlight() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
