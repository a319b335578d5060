package io.nql.server.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the metrics port: {@code GET /metrics} (Prometheus text format), {@code GET /health/live}
 * and {@code GET /health/ready}; 404 for any other path, 405 for any other method. No request is
 * authenticated, so no answer holds anything but counts, fixed sentences and fixed labels: no error
 * text, no stack trace.
 */
final class MetricsHttp implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHttp.class);

  /** The Prometheus text exposition format. */
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;

  MetricsHttp(PrometheusMeterRegistry registry, Readiness readiness) {
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known =
          path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
      if (!known) {
        json(exchange, 404, Map.of("status", "not found"));
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        json(exchange, 405, Map.of("status", "method not allowed"));
      } else if (path.equals("/metrics")) {
        metrics(exchange);
      } else if (path.equals("/health/live")) {
        json(exchange, 200, Map.of("status", "live"));
      } else {
        ready(exchange);
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or a meter failed: logged here, never answered with its text
      LOG.warn("event=metrics_request_failed path={} error={}", path(exchange), e.toString());
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    registry.scrape(body, TEXT_FORMAT);
    send(exchange, 200, TEXT_FORMAT, body.toByteArray());
  }

  private void ready(HttpExchange exchange) throws IOException {
    Optional<String> reason = readiness.check();
    if (reason.isEmpty()) {
      json(exchange, 200, Map.of("status", "ready"));
      return;
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "unavailable");
    body.put("reason", reason.get());
    json(exchange, 503, body);
  }

  private static void json(HttpExchange exchange, int status, Map<String, String> body)
      throws IOException {
    byte[] bytes = (MAPPER.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
    send(exchange, status, JSON, bytes);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1); // a HEAD answer has no body
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String path(HttpExchange exchange) {
    String p = exchange.getRequestURI().getRawPath();
    return p.length() > 100 ? p.substring(0, 100) : p;
  }
}
