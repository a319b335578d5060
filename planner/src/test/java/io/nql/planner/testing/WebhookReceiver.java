package io.nql.planner.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on a loopback port of its own, for delivery tests: it records every request
 * it gets (and what it did with it) and answers as the test's {@link Script} says for the request
 * and how many requests with the same {@code Idempotency-Key} came before.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** What the receiver does with one request. */
  public enum Answer {
    /** Takes the batch, answers 200. */
    OK,
    /** Answers 500 with a long body, without taking the batch. */
    SERVER_ERROR,
    /** Answers 429 with {@code Retry-After: 120}, without taking the batch. */
    TOO_MANY,
    /** Answers 400, without taking the batch. */
    BAD_REQUEST,
    /** Answers 302 to another path, without taking the batch. */
    REDIRECT,
    /** Closes the connection without an answer, without taking the batch. */
    DROP,
    /** Takes the batch, then closes the connection without an answer (the answer is lost). */
    TAKE_THEN_DROP,
    /** Waits {@link #SLOW_MILLIS}, then answers 503 (the sender gave up by then). */
    SLOW
  }

  /** How long a {@link Answer#SLOW} answer waits. */
  public static final long SLOW_MILLIS = 6000;

  /** Decides the answer to a request. */
  @FunctionalInterface
  public interface Script {
    /**
     * @param path the request's path
     * @param headers its headers, names in lower case
     * @param previous how many requests with its idempotency key came before it
     */
    Answer answer(String path, Map<String, String> headers, int previous);
  }

  /**
   * One request.
   *
   * @param headers names in lower case
   * @param taken whether the receiver took the batch (answered 200, or took it and lost the answer)
   */
  public record Request(
      String path, Map<String, String> headers, byte[] body, Answer answer, boolean taken) {
    public String key() {
      return headers.get("idempotency-key");
    }

    public String header(String name) {
      return headers.get(name);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Integer> seen = new HashMap<>();
  private volatile Script script;

  private WebhookReceiver(Script script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** A receiver on a free loopback port, answering as {@code script} says. */
  public static WebhookReceiver start(Script script) throws IOException {
    return new WebhookReceiver(script);
  }

  /** Answers from now on as {@code script} says. */
  public void script(Script script) {
    this.script = script;
  }

  /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Every request so far, in the order they came. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    String path = exchange.getRequestURI().getPath();
    Answer answer;
    synchronized (this) {
      String key = headers.getOrDefault("idempotency-key", "");
      int previous = seen.getOrDefault(key, 0);
      seen.put(key, previous + 1);
      answer = script.answer(path, headers, previous);
      boolean taken = answer == Answer.OK || answer == Answer.TAKE_THEN_DROP;
      requests.add(new Request(path, Map.copyOf(headers), body, answer, taken));
    }
    switch (answer) {
      case OK -> respond(exchange, 200, "", Map.of());
      case SERVER_ERROR -> respond(exchange, 500, "x".repeat(5000) + "\ninternal", Map.of());
      case TOO_MANY -> respond(exchange, 429, "slow down", Map.of("Retry-After", "120"));
      case BAD_REQUEST -> respond(exchange, 400, "{\"error\":\"bad\nbatch\"}", Map.of());
      case REDIRECT -> respond(exchange, 302, "", Map.of("Location", url("/elsewhere")));
      case DROP, TAKE_THEN_DROP -> throw new IOException("dropped on purpose");
      case SLOW -> {
        try {
          Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        respond(exchange, 503, "late", Map.of());
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body, Map<String, String> h)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    h.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
