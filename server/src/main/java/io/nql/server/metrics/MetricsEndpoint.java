package io.nql.server.metrics;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.StatementListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics and health endpoint of a gateway: a Prometheus registry fed by the engine's
 * statements, the endpoints, the plan cache, the JVM and the metadata store's connection pool,
 * served with the liveness and readiness checks by the JDK's HTTP server. Start with {@link
 * #start}; {@link #stopping} when the gateway starts draining; {@link #close} last.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final NqlEngine engine;
  private final HttpServer server;
  private final ExecutorService threads;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  /** Kept here: the registry holds the suppliers of function counters weakly. */
  @SuppressWarnings("unused")
  private final EndpointGauges gauges;

  private MetricsEndpoint(
      NqlEngine engine,
      HttpServer server,
      ExecutorService threads,
      Readiness readiness,
      PrometheusMeterRegistry registry,
      JvmGcMetrics gc,
      EndpointGauges gauges) {
    this.engine = engine;
    this.server = server;
    this.threads = threads;
    this.readiness = readiness;
    this.registry = registry;
    this.gc = gc;
    this.gauges = gauges;
  }

  /**
   * Binds the meters and starts listening; from now on the engine reports its statements here.
   *
   * @param port 0 picks a free port
   * @throws IllegalStateException when the port cannot be bound
   */
  public static MetricsEndpoint start(
      String bindAddress, int port, NqlEngine engine, EndpointGauges gauges) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    GatewayMeters.bind(registry, engine, gauges);
    Readiness readiness = new Readiness(engine::checkMetadataStore, engine.config().warehouse());
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "nql-metrics-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
    } catch (IOException | RuntimeException e) {
      threads.shutdownNow();
      readiness.close();
      gc.close();
      registry.close();
      throw new IllegalStateException(
          "Cannot start the metrics endpoint on port " + port + ": " + e.getMessage(), e);
    }
    server.createContext("/", new MetricsHttp(registry, readiness));
    server.setExecutor(threads);
    server.start();
    engine.trackMetadataPool(new MicrometerMetricsTrackerFactory(registry));
    engine.listen(new StatementMeters(registry));
    return new MetricsEndpoint(engine, server, threads, readiness, registry, gc, gauges);
  }

  /** The port listened on (the chosen one when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** From now on {@code /health/ready} answers 503: the gateway is draining before it stops. */
  public void stopping() {
    readiness.stopping();
  }

  /** Stops listening and reporting. */
  @Override
  public void close() {
    engine.listen(StatementListener.NONE);
    server.stop(0);
    threads.shutdownNow();
    readiness.close();
    gc.close();
    registry.close();
  }
}
