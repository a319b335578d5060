package io.nql.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.PlanCacheCounters;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The meters read at each scrape: the endpoints' traffic and memory, and the plan cache. Function
 * counters hold their source weakly: the caller keeps the engine and the gauges' suppliers.
 */
final class GatewayMeters {
  private GatewayMeters() {}

  static void bind(MeterRegistry registry, NqlEngine engine, EndpointGauges g) {
    sent(registry, "jdbc", g.jdbcBytesSent());
    sent(registry, "flight", g.flightBytesSent());
    arrow(registry, "jdbc", g.jdbcArrowBytes());
    arrow(registry, "flight", g.flightArrowBytes());
    gauge(registry, "nql.jdbc.connections.open", "Open JDBC connections", g.jdbcConnections());
    gauge(
        registry,
        "nql.jdbc.connections.active",
        "JDBC connections with a request in flight or an open result",
        g.jdbcActive());
    gauge(registry, "nql.flight.streams.open", "Flight result streams running", g.flightStreams());
    gauge(
        registry,
        "nql.flight.statements.open",
        "Flight statements executed and not yet fully read or closed",
        g.flightStatements());
    planCache(registry, engine, "hits", "Statements that ran a kept plan", PlanCacheCounters::hits);
    planCache(
        registry, engine, "misses", "Statements that were planned", PlanCacheCounters::misses);
    planCache(
        registry,
        engine,
        "evictions",
        "Plans dropped to keep the cache's size bound",
        PlanCacheCounters::evictions);
    planCache(
        registry,
        engine,
        "invalidations",
        "Plans dropped because a table they read changed",
        PlanCacheCounters::invalidations);
    Gauge.builder("nql.plan.cache.entries", engine, e -> e.planCacheCounters().entries())
        .description("Plans kept in the plan cache")
        .strongReference(true)
        .register(registry);
  }

  private static void sent(MeterRegistry registry, String endpoint, LongSupplier bytes) {
    FunctionCounter.builder("nql.endpoint.sent", bytes, LongSupplier::getAsLong)
        .baseUnit("bytes")
        .description("Bytes sent to clients by an endpoint (JDBC: HTTP responses; Flight: gRPC)")
        .tag("endpoint", endpoint)
        .register(registry);
  }

  private static void arrow(MeterRegistry registry, String endpoint, LongSupplier bytes) {
    Gauge.builder("nql.arrow.allocated", bytes, LongSupplier::getAsLong)
        .baseUnit("bytes")
        .description("Arrow memory an endpoint's results hold now")
        .tag("endpoint", endpoint)
        .strongReference(true)
        .register(registry);
  }

  private static void gauge(
      MeterRegistry registry, String name, String description, IntSupplier value) {
    Gauge.builder(name, value, IntSupplier::getAsInt)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  private static void planCache(
      MeterRegistry registry,
      NqlEngine engine,
      String what,
      String description,
      ToLongFunction<PlanCacheCounters> counter) {
    FunctionCounter.builder(
            "nql.plan.cache." + what, engine, e -> counter.applyAsLong(e.planCacheCounters()))
        .description(description)
        .register(registry);
  }
}
