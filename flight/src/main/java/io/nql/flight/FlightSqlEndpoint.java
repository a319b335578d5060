package io.nql.flight;

import io.grpc.ServerBuilder;
import io.nql.planner.engine.SessionFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A running Flight SQL endpoint: the producer on a gRPC server, authenticated by {@link
 * AuthInterceptor}, with its own root allocator. Start with {@link #start}, stop with {@link
 * #close(Duration)}.
 */
public final class FlightSqlEndpoint {
  /** How long a stop waits for statements it cancelled before closing anyway. */
  private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  private final FlightConfig config;
  private final BufferAllocator allocator;
  private final Tokens tokens;
  private final NqlFlightSqlProducer producer;
  private final FlightServer server;
  private final ScheduledExecutorService timers;
  private final int port;
  private final Traffic traffic;
  private boolean closed;

  private FlightSqlEndpoint(
      FlightConfig config,
      BufferAllocator allocator,
      Tokens tokens,
      NqlFlightSqlProducer producer,
      FlightServer server,
      ScheduledExecutorService timers,
      Traffic traffic) {
    this.traffic = traffic;
    this.config = config;
    this.allocator = allocator;
    this.tokens = tokens;
    this.producer = producer;
    this.server = server;
    this.timers = timers;
    this.port = server.getPort();
  }

  /**
   * Starts listening.
   *
   * @param sessions opens sessions for authenticated users (the engine's {@code trusted})
   * @param passwords checks logins (the gateway's throttled authenticator)
   * @throws IllegalStateException when the port cannot be bound or the keystore cannot be read
   */
  public static FlightSqlEndpoint start(
      FlightConfig config, SessionFactory sessions, PasswordCheck passwords) {
    BufferAllocator allocator = new RootAllocator();
    Tokens tokens = new Tokens(config.tokenTtl(), System::currentTimeMillis);
    Traffic traffic = new Traffic();
    NqlFlightSqlProducer producer =
        new NqlFlightSqlProducer(
            sessions, allocator, tokens, config, System::currentTimeMillis, traffic);
    AuthInterceptor auth = new AuthInterceptor(passwords, tokens, producer::checkSession);
    Consumer<ServerBuilder<?>> addAuth = b -> b.intercept(auth).addStreamTracerFactory(traffic);
    FlightServer server;
    try {
      Location location =
          config.tls()
              ? Location.forGrpcTls(config.bindAddress(), config.port())
              : Location.forGrpcInsecure(config.bindAddress(), config.port());
      FlightServer.Builder builder =
          FlightServer.builder(allocator, location, producer)
              .transportHint("grpc.builderConsumer", addAuth);
      if (config.tls()) {
        Pkcs12Pem.Pem pem = Pkcs12Pem.read(config.tlsKeystore(), config.tlsKeystorePassword());
        builder.useTls(pem.certificateChain(), pem.privateKey());
      }
      server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      producer.close();
      allocator.close();
      throw new IllegalStateException(
          "Cannot start the Flight SQL endpoint on port " + config.port() + ": " + e.getMessage(),
          e);
    }
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-flight-timers");
              t.setDaemon(true);
              return t;
            });
    timers.scheduleWithFixedDelay(producer::expire, 10, 10, TimeUnit.SECONDS);
    return new FlightSqlEndpoint(config, allocator, tokens, producer, server, timers, traffic);
  }

  /** The port listened on (the chosen one when configured as 0). */
  public int port() {
    return port;
  }

  /** The URL clients on this host use: {@code grpc://localhost:PORT} or {@code grpc+tls://…}. */
  public String url() {
    return (config.tls() ? "grpc+tls" : "grpc") + "://localhost:" + port();
  }

  /** The configuration the endpoint runs with. */
  public FlightConfig config() {
    return config;
  }

  /** Statements executed and not yet fully read or closed. */
  public int openStatements() {
    return producer.openExecutions();
  }

  /** Result streams (a statement's rows going to a client) running now. */
  public int openStreams() {
    return traffic.resultStreams();
  }

  /** Bytes this endpoint has sent to clients since it started (gRPC messages, wire size). */
  public long bytesSent() {
    return traffic.bytesSent();
  }

  /** Arrow memory held now by every stream and call of this endpoint. */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }

  /**
   * Stops: refuses new calls and revokes every token, lets running streams finish within {@code
   * grace}, cancels those still running, then closes every statement and the root allocator.
   * Idempotent.
   *
   * @return what stopping did: whether streams drained, how many were cancelled, and the bytes the
   *     root allocator still held (0 when nothing leaked)
   */
  public synchronized Stop close(Duration grace) {
    if (closed) {
      return new Stop(true, 0, 0);
    }
    closed = true;
    tokens.revokeAll();
    server.shutdown();
    boolean drained = await(grace);
    int cancelled = 0;
    if (!drained) {
      cancelled = producer.cancelAll();
      await(CANCEL_WAIT);
    }
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    producer.close();
    long leaked = allocator.getAllocatedMemory();
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      // reported through the result; the process is stopping anyway
    }
    return new Stop(drained, cancelled, leaked);
  }

  private boolean await(Duration limit) {
    try {
      return server.awaitTermination(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * What a stop did.
   *
   * @param drained whether every call ended within the grace period
   * @param cancelled statements cancelled after the grace period
   * @param leakedBytes bytes the root allocator still held when closed
   */
  public record Stop(boolean drained, int cancelled, long leakedBytes) {}
}
